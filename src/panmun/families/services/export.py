"""Exporting the registry (등록부 내보내기) as CSV, Excel (xlsx) or PFIF 1.4, whatever its size.

One streaming path serves the job `families.export` (started from the registry page or the API;
its page shows the progress and then offers the file) and the command line (`panmun families
export`, with a progress bar): the registry is read a chunk at a time (`registry.
registry_file_rows`, `exchange.pfif_persons`) and written row by row to a temporary file, so that
memory stays flat; the file then becomes the job's result file (or the command's output file) in
one transaction with the audit entry (format, rows, bytes, SHA-256). The job runs outside the
jobs runner's big transaction (`atomic=False`): it only reads until that last step, and its
progress is seen as it goes.

The files are those of `registry_file.writer.write_csv` / `write_xlsx` and `pfif.write`:
reading one back (`registry_import`) gives the registry it was written from.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Func
from django.utils import timezone, translation

from panmun.accounts import audit
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.bulk import read_ahead
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding
from panmun.common.spreadsheets.writing import XLSX_MAX_ROWS, XlsxTooLarge
from panmun.families.access import can_export_registry

from ..models import Person
from ..registry_file.columns import APPLICANT_ATTRIBUTES, NO_RELATIVE, RELATIVE_ATTRIBUTES
from ..registry_file.writer import applicant_cells, write_csv_to, write_xlsx_to
from .columns import DateText, FlagNumber
from .exchange import pfif_export_to
from .registry import SEEKING_FIELDS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Each format: the file's extension and its content type.
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", XLSX_TYPE),
    "pfif": ("xml", "application/xml"),
}


def _refused(
    fld: str, allowed: list[str], *, ko: str, en: str, reason_ko: str, reason_en: str
) -> DomainError:
    """A refused parameter `fld`: the message, the values `allowed`, the reason for the field."""
    reason = Finding(f"export_{fld}_refused", ko=reason_ko, en=reason_en, field=fld)
    return DomainError.from_findings([reason], ko=ko, en=en, field=fld, allowed=allowed)


def _format_refused(value: object) -> DomainError:
    shown = str(value)[:40]
    return _refused(
        "format",
        list(FORMATS),
        ko=f"알 수 없는 형식입니다: {shown!r} (csv, xlsx, pfif 중 하나)",
        en=f"Unknown format {shown!r} (one of csv, xlsx, pfif).",
        reason_ko="csv, xlsx, pfif 중 하나여야 합니다",
        reason_en="must be one of csv, xlsx, pfif",
    )


def check_format(fmt: object) -> str:
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise _format_refused(fmt)
    return fmt


def export_params(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of the job `families.export`: {"format": "csv" | "xlsx" | "pfif"}."""
    unknown = sorted(set(params) - {"format"})
    if unknown:
        names = ", ".join(map(str, unknown))
        raise _refused(
            "params",
            ["format"],
            ko=f"알 수 없는 매개변수입니다: {names}",
            en=f"Unknown parameters: {names}",
            reason_ko=f"알 수 없는 매개변수: {names}",
            reason_en=f"unknown parameters: {names}",
        )
    return {"format": check_format(params.get("format"))}


def _require_exporter(actor: User | None) -> None:
    """Exports of personal data need a role that may export (`access.can_export_registry`)."""
    if actor is not None:  # None: the system (the command line)
        require_authenticated(actor)
        require(can_export_registry(actor))


def _counted(rows: Iterable[tuple[str, ...]], counter: list[int]) -> Iterator[tuple[str, ...]]:
    for row in rows:
        counter[0] += 1
        yield row


def registry_export_write(*, fmt: str, out: IO[bytes], progress: Any = None) -> int:
    """Write the registry to `out` (a seekable binary file) in `fmt`, a chunk at a time, and
    return how many rows (csv, xlsx: after the header) or persons (pfif) were written. Texts
    that depend on the language (PFIF's relation in words) are in the site's language."""
    fmt = check_format(fmt)
    with translation.override(settings.LANGUAGE_CODE):
        if fmt == "pfif":
            return pfif_export_to(out, progress)
        rows = registry_file_rows(progress)
        if fmt == "csv":
            counter = [0]
            write_csv_to(out, _counted(rows, counter))
            return counter[0]

        def compressing(total: int) -> None:
            if progress is not None:
                progress.start(total, "압축 / compressing")

        def compressed(done: int) -> None:
            if progress is not None:
                progress.advance(done)

        try:
            return write_xlsx_to(out, rows, compressing=compressing, compressed=compressed)
        except XlsxTooLarge as err:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"엑셀 시트에는 {XLSX_MAX_ROWS:,}행까지만 들어갑니다. CSV로 내보내십시오.",
                f"An Excel sheet holds at most {XLSX_MAX_ROWS:,} rows: export as CSV.",
                {"field": "format", "max_rows": XLSX_MAX_ROWS},
            ) from err


@dataclass(frozen=True)
class ExportedFile:
    name: str  # the file's name for the person who downloads it
    rows: int
    size: int
    sha256: str

    def audit_changes(self, fmt: str) -> dict[str, Any]:
        return {"format": fmt, "rows": self.rows, "bytes": self.size, "sha256": self.sha256}


class _Digest(io.RawIOBase):
    """A file being written, its size and SHA-256 taken on the way (what csv and pfif write
    goes out in order, once; an xlsx is read back instead, its zip headers being rewritten)."""

    def __init__(self, out: IO[bytes]) -> None:
        super().__init__()
        self.out, self.sha256, self.size = out, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.out.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.out.flush()


def _digest(path: str | Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _write_file(fmt: str, path: str | Path, progress: Any) -> tuple[int, int, str]:
    """The registry written to `path`: its rows, size and SHA-256."""
    with open(path, "wb") as out:
        if fmt == "xlsx":
            rows = registry_export_write(fmt=fmt, out=out, progress=progress)
        else:
            digest = _Digest(out)
            rows = registry_export_write(fmt=fmt, out=cast(IO[bytes], digest), progress=progress)
            return rows, digest.size, digest.sha256.hexdigest()
    return rows, *_digest(path)


def _file_name(fmt: str) -> str:
    return f"registry-{timezone.localtime():%Y%m%d-%H%M%S}.{FORMATS[fmt][0]}"


@contextlib.contextmanager
def _written(fmt: str, progress: Any, folder: str | None = None) -> Iterator[ExportedFile]:
    """The registry written to a temporary file (`ExportedFile.name` is its path), removed
    afterwards unless it was moved away."""
    handle, path = tempfile.mkstemp(prefix="panmun-export-", suffix=f".{fmt}", dir=folder)
    os.close(handle)
    try:
        yield ExportedFile(path, *_write_file(fmt, path, progress))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


class _Finished(File):  # type: ignore[type-arg]
    """A finished file on disk that the storage may move into place instead of copying (as
    it does with uploads kept on disk)."""

    def temporary_file_path(self) -> str:
        return str(self.name)


def registry_export_job(*, job: Any, progress: Any) -> dict[str, Any]:
    """The job `families.export` (registered `atomic=False`): read and write outside any
    transaction, then attach the file and audit the export in one transaction."""
    actor: User = job.created_by
    _require_exporter(actor)  # still allowed when the job runs
    fmt = check_format(job.params.get("format"))
    with _written(fmt, progress, settings.FILE_UPLOAD_TEMP_DIR) as written:
        path = written.name
        done = ExportedFile(_file_name(fmt), written.rows, written.size, written.sha256)
        with transaction.atomic():
            with open(path, "rb") as f:
                job.result_file.save(done.name, _Finished(f, name=path), save=False)
            type(job).objects.filter(pk=job.pk).update(result_file=job.result_file.name)
            audit.record(
                actor=actor,
                action="families.registry.export",
                object_type="families.registry",
                object_label=done.name,
                changes={**done.audit_changes(fmt), "job": str(job.pk)},
            )
    return done.audit_changes(fmt)


def registry_export_file(
    *, actor: User | None, fmt: str, path: Path, progress: Any = None
) -> ExportedFile:
    """The command line's export: the registry written to `path` (through `path.part`, renamed
    when complete), audited (`actor` None: the system)."""
    _require_exporter(actor)
    fmt = check_format(fmt)
    part = path.with_name(path.name + ".part")
    try:
        done = ExportedFile(path.name, *_write_file(fmt, part, progress))
        with transaction.atomic():
            audit.record(
                actor=actor,
                action="families.registry.export",
                object_type="families.registry",
                object_label=str(path),
                changes=done.audit_changes(fmt),
            )
            part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return done


def registry_export_bytes(*, actor: User | None, fmt: str) -> bytes:
    """The registry as a file in memory (small registries, tests), audited."""
    _require_exporter(actor)
    fmt = check_format(fmt)
    out = io.BytesIO()
    rows = registry_export_write(fmt=fmt, out=out)
    data = out.getvalue()
    done = ExportedFile(_file_name(fmt), rows, len(data), hashlib.sha256(data).hexdigest())
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="families.registry.export",
            object_type="families.registry",
            object_label=done.name,
            changes=done.audit_changes(fmt),
        )
    return data


# --- export -------------------------------------------------------------------------------------

# Applicants are read in chunks by registration number (keyset: the next EXPORT_CHUNK after the
# last one read), each chunk with the relatives they seek in one statement: a range of the
# registration number index, then each applicant's relatives by index (SQLite and PostgreSQL
# both take it so). No statement binds more than three values, whatever the registry's size.
EXPORT_CHUNK = 1000
# The relative's cells (registry_file.columns.RELATIVE_ATTRIBUTES) as columns reached from the
# applicant.
_RELATIVE_COLUMNS = tuple(
    f"seeking__{name}" if name in (*SEEKING_FIELDS, "notes") else f"seeking__sought__{name}"
    for name in RELATIVE_ATTRIBUTES
)


# The applicant's cells as columns read without conversion (see `registry_file.writer.
# applicant_cells`: the flags as 0 and 1, the dates as ISO text).
_APPLICANT_COLUMNS: dict[str, Func | None] = {
    name: (
        FlagNumber(name)
        if name in ("abroad", "consent_share")
        else DateText(name)
        if name in ("registered_on", "consent_on")
        else None
    )
    for name in APPLICANT_ATTRIBUTES
}


def _registry_chunks() -> Iterator[list[tuple[Any, ...]]]:
    """The applicants a chunk at a time (merged ones too), one row per relative sought (or one
    with no relative): id, merged into, the applicant's cells' values, the link's id or None,
    the relative's cells."""
    converted = {f"{name}_raw": column for name, column in _APPLICANT_COLUMNS.items() if column}
    applicants = Person.objects.filter(registry_no__isnull=False).order_by("registry_no")
    numbers = applicants.values_list("registry_no", flat=True)
    rows = (
        applicants.annotate(**converted)
        .order_by("registry_no", "seeking__id")
        .values_list(
            "pk",
            "merged_into_id",
            *(f"{name}_raw" if column else name for name, column in _APPLICANT_COLUMNS.items()),
            "seeking__id",
            *_RELATIVE_COLUMNS,
        )
    )
    last: str | None = None
    while True:
        after = rows if last is None else rows.filter(registry_no__gt=last)
        edge = list(
            (numbers if last is None else numbers.filter(registry_no__gt=last))[
                EXPORT_CHUNK - 1 : EXPORT_CHUNK
            ]
        )
        chunk = list(after.filter(registry_no__lte=edge[0]) if edge else after)
        if chunk:
            yield chunk
        if not edge:
            return
        last = edge[0]


def registry_file_rows(progress: Any = None) -> Iterator[tuple[str, ...]]:
    """The registry as the rows of its file (`registry_file.writer.registry_rows`: one per
    relative sought, or one for an applicant who seeks nobody), applicants in registration-number
    order, merged applicants left out; read a chunk at a time. `progress` counts applicants."""
    if progress is not None:
        total = Person.objects.filter(registry_no__isnull=False, merged_into__isnull=True)
        progress.start(total.count(), "내보내기 / exporting")
    cells = applicant_cells
    blank = NO_RELATIVE
    link = 2 + len(APPLICANT_ATTRIBUTES)  # where the link's id is in a row
    for chunk in read_ahead(_registry_chunks):
        kept, current, head = 0, None, blank
        for row in chunk:
            if row[1] is not None:  # merged into another record
                continue
            if row[0] != current:
                current, head = row[0], cells(row[2:link])
                kept += 1
            yield head + (row[link + 1 :] if row[link] is not None else blank)
        if progress is not None:
            progress.advance(kept)
