"""The shared kernel: what every app uses and no app owns — the error contract (`errors`), a
problem's one vocabulary (`findings`), text in both languages (`bilingual`), the API's schema
types (`api_schemas`), bounded reading of bundles from the other side (`bundlefiles`) and
writing many rows at once (`bulk`). It imports no domain app."""
