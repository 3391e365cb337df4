"""Reading an IATI file safely, and checking it against the official schema.

An XML file handed over by a user or by another publisher is parsed by lxml with entities left
unresolved, no network, no DTD loaded and lxml's own limits on depth and text size kept
(`huge_tree=False`). A file that declares a DOCTYPE (where entities live: the "billion laughs"
bomb, an external entity reading a local file) is refused outright: IATI files never need one.
The file's size is bounded before anything is parsed.

Pure: no Django. The schema folder is given by the caller (tests: ../shared/data/iati/schema-2.03).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

from lxml import etree

from panmun.common.findings import Finding, FindingsError

#: The largest activity file taken: 200 MB (IATI's registry refuses files over 60 MB; the
#: benchmark's 5,000 activities and 100,000 transactions come to about 40 MB).
MAX_FILE_BYTES = 200 * 1024 * 1024
SCHEMA_FILE = "iati-activities-schema.xsd"
#: Schema errors listed before the rest is left out (a broken file gives thousands).
MAX_SCHEMA_PROBLEMS = 100

#: One validation at a time per process: a schema object keeps its last errors in itself.
_VALIDATING = threading.Lock()
_ACTIVITY_STEP = re.compile(r"^/iati-activities/iati-activity(?:\[(\d+)\])?")


class IatiFileError(FindingsError):
    """An IATI file refused, with every problem found (file, line, element)."""


def parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes, *, file: str, max_bytes: int = MAX_FILE_BYTES) -> etree._ElementTree:
    """`data` as an XML tree, or IatiFileError naming the problem: too large, not XML, or a
    DOCTYPE (entity declarations: refused whether they would be expanded or not)."""
    if len(data) > max_bytes:
        raise IatiFileError(
            [
                Finding(
                    "iati_file_too_large",
                    ko=f"파일이 너무 큽니다: {len(data):,}바이트 (최대 {max_bytes:,}바이트)",
                    en=f"The file is too large: {len(data):,} bytes (at most {max_bytes:,})",
                    file=file,
                )
            ]
        )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser()))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise IatiFileError(
            [
                Finding(
                    "iati_not_xml",
                    ko=f"XML로 읽을 수 없습니다: {exc.msg}",
                    en=f"Not well-formed XML: {exc.msg}",
                    file=file,
                    row=f"line {line}" if line else None,
                )
            ]
        ) from exc
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise IatiFileError(
            [
                Finding(
                    "iati_doctype_refused",
                    ko="DOCTYPE(엔티티 선언)이 있는 파일은 받지 않습니다: IATI 파일에는 필요 "
                    "없으며, XML 폭탄이나 외부 엔티티로 쓰일 수 있습니다.",
                    en="A file with a DOCTYPE (entity declarations) is refused: IATI files "
                    "need none, and they carry XML bombs and external entities.",
                    file=file,
                    row="line 1",
                    field="!DOCTYPE",
                )
            ]
        )
    return tree


@lru_cache(maxsize=4)
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path, parser()))


def schema_for(folder: Path) -> etree.XMLSchema:
    """The activity schema in `folder` (read once per folder)."""
    path = folder / SCHEMA_FILE
    if not path.is_file():
        raise IatiFileError(
            [
                Finding(
                    "iati_schema_missing",
                    ko=f"IATI 스키마가 없습니다: {path}",
                    en=f"The IATI schema is missing: {path}",
                )
            ]
        )
    return _schema(str(path))


def identifiers_by_position(tree: etree._ElementTree) -> list[str]:
    """Each iati-activity's identifier, in document order ("" where it has none)."""
    return [
        (activity.findtext("iati-identifier") or "").strip()
        for activity in tree.getroot().iterfind("iati-activity")
    ]


def named_path(path: str, identifiers: list[str]) -> str:
    """lxml's `/iati-activities/iati-activity[3]/transaction[2]/value` with the activity
    named by its identifier: `iati-activity[iati-identifier='X']/transaction[2]/value`."""
    match = _ACTIVITY_STEP.match(path)
    if not match:
        return path
    index = int(match.group(1) or 1) - 1
    ident = identifiers[index] if 0 <= index < len(identifiers) else ""
    step = f"iati-activity[iati-identifier='{ident}']" if ident else "iati-activity"
    return step + path[match.end() :]


def validate(tree: etree._ElementTree, *, folder: Path, file: str) -> list[Finding]:
    """The schema's complaints about `tree`, each named by line and element."""
    schema = schema_for(folder)
    with _VALIDATING:
        if schema.validate(tree):
            return []
        entries = list(schema.error_log)[:MAX_SCHEMA_PROBLEMS]
    identifiers = identifiers_by_position(tree)
    problems = []
    for entry in entries:
        problems.append(
            Finding(
                "iati_schema",
                ko=f"IATI 2.03 스키마에 맞지 않습니다: {entry.message}",
                en=f"Not valid against the IATI 2.03 schema: {entry.message}",
                file=file,
                row=f"line {entry.line}",
                field=named_path(entry.path or "", identifiers),
            )
        )
    return problems
