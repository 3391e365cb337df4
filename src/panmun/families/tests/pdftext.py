"""The text of the PDFs Panmun makes (fpdf2 with an embedded font), page by page, read back
through the font's ToUnicode map: the tests of every app's documents check what a reader would
see, without a PDF library."""

from __future__ import annotations

import re
import zlib


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Each object of an fpdf2 file: its dictionary, and its stream inflated (None if none)."""
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    position = 0
    pattern = re.compile(rb"(?m)^(\d+) 0 obj\n")
    while match := pattern.search(pdf, position):
        start = match.end()
        end = pdf.index(b"endobj", start)
        stream_at = pdf.find(b"stream\n", start, end)
        if stream_at == -1:
            objects[int(match.group(1))] = (pdf[start:end], None)
            position = end
            continue
        head = pdf[start:stream_at]
        length = re.search(rb"/Length (\d+)", head)
        assert length
        data = pdf[stream_at + 7 : stream_at + 7 + int(length.group(1))]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[int(match.group(1))] = (head, data)
        position = pdf.index(b"endobj", stream_at + 7 + int(length.group(1)))
    return objects


_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _strings(content: bytes) -> list[bytes]:
    """The literal strings of a content stream, unescaped."""
    strings = []
    i = content.find(b"(")
    while i != -1:
        i += 1
        depth, buffer = 1, bytearray()
        while True:
            c = content[i]
            if c == 0x5C:  # backslash
                n = content[i + 1]
                if 0x30 <= n <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", content[i + 1 : i + 4])
                    assert digits
                    buffer.append(int(digits.group(), 8) & 0xFF)
                    i += 1 + len(digits.group())
                else:
                    buffer.append(_ESCAPES.get(n, n))
                    i += 2
                continue
            if c == 0x28:
                depth += 1
            elif c == 0x29:
                depth -= 1
                if depth == 0:
                    break
            buffer.append(c)
            i += 1
        strings.append(bytes(buffer))
        i = content.find(b"(", i + 1)
    return strings


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, a line per text object, through the font's ToUnicode map."""
    objects = _objects(pdf)
    to_unicode: dict[int, str] = {}
    for _, data in objects.values():
        if data is not None and b"beginbfchar" in data:
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
                for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    to_unicode[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    pages = next(h for h, _ in objects.values() if b"/Type /Pages" in h)
    kids = re.search(rb"/Kids \[([^\]]*)\]", pages)
    assert kids
    texts = []
    for number in re.findall(rb"(\d+) 0 R", kids.group(1)):
        page = objects[int(number)][0]
        contents = re.search(rb"/Contents (\d+) 0 R", page)
        assert contents
        content = objects[int(contents.group(1))][1] or b""
        lines = []
        for block in re.findall(rb"\bBT\b(.*?)\bET\b", content, re.S):  # a text object: one line
            raw = b"".join(_strings(block))
            codes = [int.from_bytes(raw[j : j + 2], "big") for j in range(0, len(raw), 2)]
            lines.append("".join(to_unicode.get(c, "\ufffd") for c in codes))
        texts.append("\n".join(line for line in lines if line))
    return texts
