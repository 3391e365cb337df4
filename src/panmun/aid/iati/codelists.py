"""IATI 2.03 codelists, as IATI publishes them (the embedded lists fixed by the schema, and the
non-embedded ones that follow the OECD DAC), read with lxml, and the question every IATI file
Panmun writes or reads asks of them: is this code on that list, and may it be used here?

Codes are never deleted from a codelist: a code that should no longer be used carries
`status="withdrawn"`, most with a `withdrawal-date`. So:
- what Panmun *writes* uses active codes only;
- what Panmun *reads* from another publisher may use a withdrawn code where the file dates it
  before the withdrawal (an old file stays valid); a code withdrawn without a date is taken
  from others' files and never written.

Pure: no Django. The folder is given by the caller (tests read `../shared/data/iati/codelists`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from panmun.common.findings import Finding, FindingsError

#: A codelist file is a few hundred KB (Sector, the largest, about 600 KB): anything far larger
#: is not one.
MAX_FILE_BYTES = 10 * 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class CodelistError(FindingsError):
    """A codelist file that cannot be read as one."""


@dataclass(frozen=True)
class Code:
    code: str
    name: str  # the English name
    active: bool = True
    withdrawn_on: dt.date | None = None
    category: str = ""


@dataclass(frozen=True)
class Codelist:
    name: str
    embedded: bool
    codes: dict[str, Code] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.codes

    def active_codes(self) -> list[str]:
        return [c.code for c in self.codes.values() if c.active]

    def problem(
        self,
        code: str,
        *,
        writing: bool,
        on: dt.date | None = None,
        file: str = "",
        row: int | str | None = None,
        field: str = "",
    ) -> Finding | None:
        """Why `code` may not be used here, or None. `writing`: Panmun's own file (active codes
        only). Reading another's file, a withdrawn code is accepted where `on` (the date the
        file gives it) falls before its withdrawal, or where it has no withdrawal date.
        `file`, `row`, `field`: where the code was found, to name."""
        found = self.codes.get(code)
        place: dict[str, Any] = {"file": file, "row": row, "field": field}
        if found is None:
            return Finding(
                "iati_code_unknown",
                ko=f"IATI 코드 목록 {self.name}에 없는 코드입니다: {code[:40]!r}",
                en=f"Not a code of the IATI codelist {self.name}: {code[:40]!r}",
                **place,
            )
        if found.active:
            return None
        if writing:
            return Finding(
                "iati_code_withdrawn",
                ko=f"IATI 코드 목록 {self.name}에서 폐기된 코드입니다: {code}",
                en=f"Withdrawn from the IATI codelist {self.name}: {code}",
                **place,
            )
        if found.withdrawn_on is not None and (on is None or on >= found.withdrawn_on):
            return Finding(
                "iati_code_withdrawn",
                ko=(
                    f"IATI 코드 목록 {self.name}에서 {found.withdrawn_on:%Y-%m-%d}에 폐기된 "
                    f"코드입니다: {code}"
                    + ("" if on is None else f" (이 파일의 날짜: {on:%Y-%m-%d})")
                ),
                en=(
                    f"Withdrawn from the IATI codelist {self.name} on "
                    f"{found.withdrawn_on:%Y-%m-%d}: {code}"
                    + ("" if on is None else f" (dated {on:%Y-%m-%d} in this file)")
                ),
                **place,
            )
        return None


def _parser() -> etree.XMLParser:
    # No entities, no network, no DTD: a codelist is plain elements.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _english(element: etree._Element | None) -> str:
    if element is None:
        return ""
    for narrative in element.iterfind("narrative"):
        if narrative.get(XML_LANG) in (None, "en"):
            return (narrative.text or "").strip()
    return ""


def _refused(path: Path, en: str, ko: str) -> CodelistError:
    return CodelistError([Finding("iati_codelist_unreadable", ko=ko, en=en, file=path.name)])


def read_codelist(path: Path) -> Codelist:
    """One codelist file. Refused (CodelistError, naming the file) if it is not one."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refused(
                path,
                f"Too large for a codelist ({size:,} bytes).",
                f"코드 목록으로 보기에는 너무 큽니다 ({size:,}바이트).",
            )
        root = etree.parse(str(path), _parser()).getroot()
    except OSError as exc:
        raise _refused(path, f"Cannot be read: {exc}", f"읽을 수 없습니다: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise _refused(path, f"Not XML: {exc}", f"XML이 아닙니다: {exc}") from exc
    name = root.get("name") or ""
    if root.tag != "codelist" or not name:
        raise _refused(path, "Not an IATI codelist.", "IATI 코드 목록이 아닙니다.")
    codes: dict[str, Code] = {}
    for item in root.iterfind("codelist-items/codelist-item"):
        code = (item.findtext("code") or "").strip()
        if not code:
            continue
        withdrawn = item.get("status") == "withdrawn"
        date_text = item.get("withdrawal-date")
        try:
            withdrawn_on = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError as exc:
            raise _refused(
                path,
                f"Code {code}: a withdrawal date that is not a date ({date_text!r}).",
                f"코드 {code}: 폐기일이 날짜가 아닙니다 ({date_text!r}).",
            ) from exc
        codes[code] = Code(
            code=code,
            name=_english(item.find("name")),
            active=not withdrawn,
            withdrawn_on=withdrawn_on,
            category=(item.findtext("category") or "").strip(),
        )
    return Codelist(name=name, embedded=root.get("embedded") == "1", codes=codes)


def read_codelists(folder: Path) -> dict[str, Codelist]:
    """Every codelist under `folder` (IATI's `embedded-2.03/` and `non-embedded/`), by name."""
    lists: dict[str, Codelist] = {}
    for path in sorted(folder.rglob("*.xml")):
        codelist = read_codelist(path)
        lists[codelist.name] = codelist
    if not lists:
        raise CodelistError(
            [
                Finding(
                    "iati_codelists_missing",
                    ko=f"IATI 코드 목록이 없습니다: {folder}",
                    en=f"No IATI codelists in {folder}",
                )
            ]
        )
    return lists
