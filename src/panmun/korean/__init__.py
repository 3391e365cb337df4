"""Korean text, names, calendars and places as separated-families records hold them.

Pure Python with no Django import, so it can be used and tested on its own: Hangul
decomposition and jamo distances (`hangul`), the North and South orthographies (`orthography`),
the surname table (`surnames`), calendars (`calendars`).
"""
