"""Reading a bundle of named files given as a folder, a .zip file or zip bytes — the reunion
lottery's draw and the liaison log's export are both checked this way, by anyone, with the
bundle alone. Pure Python, no Django. Every file that cannot be read is a finding (never an
exception), so a verifier can report all of them at once.

A bundle comes from the other side, so it is read within bounds that a few kilobytes cannot
exceed (issue 16): at most `MAX_MEMBERS` members in a zip, at most `MAX_TOTAL_BYTES` in all,
a member above `RATIO_FREE_BYTES` at most `MAX_RATIO` times its compressed size, and each member
read against the limit its verifier derives from the bundle's own header (a checkpoint's size,
a commitment's pool size) — as a stream of lines (`Bundle.lines`), or whole only when it is
small (`Bundle.read`). A member whose bytes do not match the size and checksum the zip declares
is refused as soon as it is read. `FindingList` keeps the first findings and counts the rest,
so a bundle of a million bad lines costs neither memory nor a million printed lines.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Self

from panmun.common.findings import Finding

__all__ = [
    "EXTRA_LINES",
    "MAX_COUNTED",
    "MAX_LISTED",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "MIN_VALUES",
    "RATIO_FREE_BYTES",
    "VALUES_PER_BYTE",
    "Bundle",
    "FindingList",
    "ValueBudget",
    "open_bundle",
    "read_files",
]

#: Members a bundle's zip may hold (a bundle has six files; a folder is read by name only).
MAX_MEMBERS = 64
#: All the members of a zip together, as the zip declares them, and the zip file itself.
MAX_TOTAL_BYTES = 2**30
#: A member larger than this may expand at most MAX_RATIO times its compressed size (real
#: bundles: 1.4 to 5.3; an empty-line bomb: about 1,000).
MAX_RATIO = 20
RATIO_FREE_BYTES = 2**20
#: JSON values (counted as "," and ":") a member may hold for each of its compressed bytes,
#: and at least: parsing and checking costs about a microsecond a value, so a member of
#: dense JSON that compresses well is refused before it costs seconds (real entries: about
#: 0.4 values a compressed byte; proofs: 0.25).
VALUES_PER_BYTE = 1
MIN_VALUES = 200_000
#: Lines read past what a bundle's header allows, so that a few extra ones are named as the
#: verifier's findings; past those, the file is refused.
EXTRA_LINES = 50
#: Findings listed in a report; beyond, they are only counted.
MAX_LISTED = 100
#: Findings counted before a verifier stops checking: the bundle has failed long before.
MAX_COUNTED = 10_000


class FindingList(list[Finding]):
    """A list that keeps the first `listed` findings appended and counts the others.

    `full` says that `counted` findings were reached: a verifier stops checking there.
    `summary()` is the finding that says how many were not listed, or None."""

    def __init__(self, listed: int = MAX_LISTED, counted: int = MAX_COUNTED) -> None:
        super().__init__()
        self.listed = listed
        self.counted = counted
        self.unlisted = 0

    def append(self, finding: Finding) -> None:
        if len(self) < self.listed:
            super().append(finding)
        else:
            self.unlisted += 1

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.append(finding)

    def __iadd__(self, findings: Iterable[Finding]) -> Self:  # type: ignore[override,misc]
        self.extend(findings)
        return self

    @property
    def total(self) -> int:
        return len(self) + self.unlisted

    @property
    def full(self) -> bool:
        return self.total >= self.counted

    def summary(self) -> Finding | None:
        """The finding that says how many problems were not listed; None if all were."""
        if not self.unlisted:
            return None
        n = self.unlisted
        if self.full:
            return Finding(
                "findings_not_listed",
                ko=f"그 밖의 문제 {n:,}건 이상은 적지 않았습니다. 문제가 {self.total:,}건에 이르러 "
                "검증을 멈췄습니다",
                en=f"at least {n:,} more problems not listed: checking stopped after "
                f"{self.total:,} problems",
                file="",
            )
        return Finding(
            "findings_not_listed",
            ko=f"그 밖의 문제 {n:,}건은 적지 않았습니다",
            en=f"{n:,} more problems not listed",
            file="",
        )

    def findings(self) -> list[Finding]:
        """The listed findings, then the summary if some were not listed."""
        summary = self.summary()
        return [*self, summary] if summary else list(self)


class _Limited(io.RawIOBase):
    """A member's stream that refuses to give more than `limit` bytes: the reader sees the
    end there and `over` becomes True if more followed."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._left = limit
        self.over = False

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            if self._stream.read(1):
                self.over = True
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        data = self._stream.read(len(view))
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)


class Bundle:
    """An opened bundle: its members by name, read within limits. `problems` are the
    findings of the container itself (too many members, a bomb, unreadable)."""

    def __init__(
        self,
        *,
        folder: Path | None = None,
        archive: zipfile.ZipFile | None = None,
        members: Mapping[str, zipfile.ZipInfo] | None = None,
        files: Mapping[str, bytes] | None = None,
        problems: Sequence[Finding] = (),
    ) -> None:
        self._folder = folder
        self._archive = archive
        self._members = dict(members or {})
        self._files = files
        self.problems: list[Finding] = list(problems)
        self.refused: set[str] = {p.file for p in self.problems if p.file}
        self.handle: IO[bytes] | None = None  # the zip file's, closed with the bundle
        self._final_newlines: dict[str, bool] = {}

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
        if self.handle is not None:
            self.handle.close()

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def opened(self) -> bool:
        """Whether there is a bundle to read: a folder, a zip within the limits, or files."""
        return self._folder is not None or self._archive is not None or self._files is not None

    def has(self, name: str) -> bool:
        """Whether the bundle holds `name` and it was not refused."""
        if name in self.refused:
            return False
        if self._files is not None:
            return name in self._files
        if self._archive is not None:
            return name in self._members
        return self._folder is not None and (self._folder / name).is_file()

    def compressed_size(self, name: str) -> int:
        """The bytes `name` takes in the bundle: compressed in a zip, else its size."""
        if self._archive is not None:
            return self._members[name].compress_size
        return self.size(name)

    def refuse(self, finding: Finding) -> None:
        """Refuse the file `finding` names, for the reason it gives."""
        self._refuse(finding)

    def size(self, name: str) -> int:
        """The size the bundle declares for `name` (the zip's, or the file's)."""
        if self._files is not None:
            return len(self._files[name])
        if self._archive is not None:
            return self._members[name].file_size
        assert self._folder is not None
        return (self._folder / name).stat().st_size

    def _open(self, name: str) -> IO[bytes]:
        if self._files is not None:
            return io.BytesIO(self._files[name])
        if self._archive is not None:
            return self._archive.open(self._members[name])
        assert self._folder is not None
        return (self._folder / name).open("rb")

    def _refuse(self, finding: Finding) -> None:
        self.problems.append(finding)
        self.refused.add(finding.file)

    def _too_large(self, name: str, size: int, limit: int, why_en: str, why_ko: str) -> bool:
        if size <= limit:
            return False
        self._refuse(
            Finding(
                "bundle_member_too_large",
                ko=f"파일을 받지 않습니다: {size:,}바이트로, {why_ko} {limit:,}바이트보다 큽니다",
                en=f"the file is refused: {size:,} bytes, more than the {limit:,} {why_en}",
                file=name,
            )
        )
        return True

    def broken(self, name: str, exc: Exception) -> None:
        """Refuse `name`, which could not be read: `exc` says why."""
        declared = self.size(name) if self._archive is not None else None
        if declared is not None and "CRC" in str(exc):
            self._refuse(
                Finding(
                    "bundle_member_not_as_declared",
                    ko=f"파일을 받지 않습니다: 내용이 zip에 적힌 크기({declared:,}바이트)와 "
                    "체크섬과 다릅니다",
                    en=f"the file is refused: its content is not the {declared:,} bytes and the "
                    "checksum the zip declares for it",
                    file=name,
                )
            )
        else:
            self._refuse(
                Finding(
                    "bundle_unreadable",
                    ko=f"묶음에서 읽을 수 없습니다({exc})",
                    en=f"cannot be read from the bundle ({exc})",
                    file=name,
                )
            )

    def read(self, name: str, limit: int, why_en: str, why_ko: str) -> bytes | None:
        """The whole of `name`, if it is at most `limit` bytes (`why_*` says whose limit);
        else a finding in `problems`, and None."""
        if not self.has(name):
            return None
        if self._too_large(name, self.size(name), limit, why_en, why_ko):
            return None
        try:
            with self._open(name) as handle:
                data = handle.read(limit + 1)
                # A zip member must also end where the zip says (and match its checksum).
                tail = handle.read(1) if len(data) <= limit else b""
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.broken(name, exc)
            return None
        if len(data) > limit or tail:
            self._too_large(name, max(len(data), limit + 1), limit, why_en, why_ko)
            return None
        return data

    def lines(
        self,
        name: str,
        *,
        max_line: int,
        allowed: int,
        what_en: str,
        what_ko: str,
    ) -> Iterator[bytes]:
        """The lines of `name` without their newline, from row 1; a last line without a
        newline is given as it is (`final_newline(name)` says which). `allowed` lines are
        what the bundle's header (`what_*`) allows; EXTRA_LINES more are given so that the
        verifier can name them, and reading stops with a finding in `problems` after those,
        at a line longer than `max_line` bytes, or where the member is not what the zip
        declares."""
        self._final_newlines[name] = True
        if not self.has(name):
            return
        max_lines = allowed + EXTRA_LINES
        limit = (max_lines + 1) * (max_line + 1)
        if self._too_large(
            name,
            self.size(name),
            limit,
            f"bytes that {allowed:,} lines ({what_en}) can take",
            f"{what_ko} 허용하는 {allowed:,}줄이 차지할 수 있는",
        ):
            return
        try:
            handle = self._open(name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.broken(name, exc)
            return
        reader = io.BufferedReader(_Limited(handle, limit), buffer_size=2**16)
        row = 0
        try:
            while True:
                line = reader.readline(max_line + 2)
                if not line:
                    break
                row += 1
                if line.endswith(b"\n"):
                    line = line[:-1]
                else:
                    self._final_newlines[name] = False
                if len(line) > max_line:
                    self._refuse(
                        Finding(
                            "bundle_line_too_long",
                            ko=(
                                f"파일을 받지 않습니다: {row}번째 줄이 "
                                f"{max_line:,}바이트보다 깁니다"
                            ),
                            en=(
                                f"the file is refused: line {row} is longer than {max_line:,} bytes"
                            ),
                            file=name,
                            row=row,
                        )
                    )
                    return
                if row > max_lines:
                    self._refuse(
                        Finding(
                            "bundle_too_many_lines",
                            ko=f"파일을 받지 않습니다: {what_ko} 허용하는 {allowed:,}줄보다 "
                            f"{EXTRA_LINES}줄 넘게 많습니다",
                            en=f"the file is refused: it has more than {max_lines:,} lines, "
                            f"{EXTRA_LINES} past the {allowed:,} that {what_en} allows",
                            file=name,
                            row=row,
                        )
                    )
                    return
                yield line
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.broken(name, exc)
        finally:
            reader.close()

    def stream(self, name: str, limit: int, why_en: str, why_ko: str) -> IO[bytes] | None:
        """`name` as a buffered stream that ends after `limit` bytes (`why_*` says whose
        limit); None, with a finding, if the bundle declares it larger. The caller closes
        it, and reports a read error with `broken`."""
        if not self.has(name) or self._too_large(name, self.size(name), limit, why_en, why_ko):
            return None
        try:
            handle = self._open(name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            self.broken(name, exc)
            return None
        return io.BufferedReader(_Limited(handle, limit), buffer_size=2**16)

    def final_newline(self, name: str) -> bool:
        """Whether the last line of `name` read by `lines` ended in a newline."""
        return self._final_newlines.get(name, True)


class ValueBudget:
    """The JSON values a member may hold: VALUES_PER_BYTE for each of its compressed bytes,
    at least MIN_VALUES. `spend` counts a line's or an item's values; once over, it refuses
    the member (a finding naming the line or item) and says False."""

    def __init__(self, bundle: Bundle, name: str) -> None:
        self.bundle = bundle
        self.name = name
        self.stored = bundle.compressed_size(name) if bundle.has(name) else 0
        self.budget = max(MIN_VALUES, VALUES_PER_BYTE * self.stored)
        self.left = self.budget

    def spend(self, data: bytes, row: int | None = None, fld: str = "") -> bool:
        self.left -= data.count(b",") + data.count(b":")
        if self.left >= 0:
            return True
        where_en = f"up to line {row:,}" if row is not None else f"up to {fld}"
        where_ko = f"{row:,}번째 줄까지" if row is not None else f"{fld}까지"
        self.bundle.refuse(
            Finding(
                "bundle_too_many_values",
                ko=f"파일을 받지 않습니다: {where_ko} JSON 값이 {self.budget:,}개를 넘어, 저장된 "
                f"{self.stored:,}바이트가 허용하는 만큼보다 많습니다",
                en=f"the file is refused: {where_en} it holds more than {self.budget:,} JSON "
                f"values, what its {self.stored:,} stored bytes allow",
                file=self.name,
                row=row,
                field=fld,
            )
        )
        return False


def _from_files(files: Mapping[str, bytes]) -> Bundle:
    return Bundle(files=files)


def open_bundle(
    source: Path | bytes | Mapping[str, bytes],
    names: Sequence[str],
    *,
    not_found_code: str = "bundle_not_found",
) -> Bundle:
    """The bundle at `source` (a folder, a zip file, zip bytes, or its files as bytes), opened
    for reading `names`. A source that cannot be opened, or a zip over the limits, gives a
    bundle with no members and its findings in `problems`."""
    if isinstance(source, Mapping):
        return _from_files(source)
    if isinstance(source, bytes | bytearray | memoryview):
        return _zip_bundle(io.BytesIO(bytes(source)), "", len(source), names)
    path = Path(source)
    if path.is_dir():
        return Bundle(folder=path)
    if not path.exists():
        return Bundle(
            problems=[
                Finding(
                    not_found_code,
                    ko="파일이나 폴더가 없습니다",
                    en="no such file or folder",
                    file=str(path),
                )
            ]
        )
    try:
        handle = path.open("rb")
        size = path.stat().st_size
    except OSError as exc:
        return Bundle(
            problems=[
                Finding(
                    "bundle_unreadable",
                    ko=f"읽을 수 없습니다({exc.strerror})",
                    en=f"cannot be read ({exc.strerror})",
                    file=str(path),
                )
            ]
        )
    bundle = _zip_bundle(handle, str(path), size, names)
    bundle.handle = handle
    return bundle


def _zip_bundle(handle: IO[bytes], label: str, size: int, names: Sequence[str]) -> Bundle:
    def refused(code: str, en: str, ko: str) -> Bundle:
        return Bundle(problems=[Finding(code, ko=ko, en=en, file=label)])

    if size > MAX_TOTAL_BYTES:
        return refused(
            "bundle_too_large",
            f"the bundle is refused: {size:,} bytes, more than {MAX_TOTAL_BYTES:,}",
            f"묶음을 받지 않습니다: {size:,}바이트로, {MAX_TOTAL_BYTES:,}바이트보다 큽니다",
        )
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return Bundle(
            problems=[
                Finding(
                    "bundle_unreadable",
                    ko="묶음이 폴더도 아니고 읽을 수 있는 zip 파일도 아닙니다",
                    en="the bundle is neither a folder nor a readable zip file",
                    file=label,
                )
            ]
        )
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        archive.close()
        return refused(
            "bundle_too_many_members",
            f"the bundle is refused: the zip holds {len(infos):,} files, more than {MAX_MEMBERS}",
            f"묶음을 받지 않습니다: zip에 파일이 {len(infos):,}개로, {MAX_MEMBERS}개보다 많습니다",
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        archive.close()
        return refused(
            "bundle_too_large",
            f"the bundle is refused: its files hold {total:,} bytes, more than {MAX_TOTAL_BYTES:,}",
            f"묶음을 받지 않습니다: 파일들의 크기가 {total:,}바이트로, "
            f"{MAX_TOTAL_BYTES:,}바이트보다 큽니다",
        )
    prefix = ""
    if not any(i.filename in names for i in infos):
        # Zipped from its folder: accept one common folder, as a courtesy.
        tops = {i.filename.split("/", 1)[0] for i in infos if "/" in i.filename}
        if len(tops) == 1:
            prefix = tops.pop() + "/"
    members: dict[str, zipfile.ZipInfo] = {}
    problems: list[Finding] = []
    for name in names:
        matching = [i for i in infos if i.filename == prefix + name]
        if len(matching) > 1:
            problems.append(
                Finding(
                    "bundle_duplicate_member",
                    ko="zip 안에 이 파일이 두 개 이상 있습니다",
                    en="the zip holds this file more than once",
                    file=name,
                )
            )
        elif matching:
            info = matching[0]
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FREE_BYTES and ratio > MAX_RATIO:
                problems.append(
                    Finding(
                        "bundle_member_ratio",
                        ko=f"파일을 받지 않습니다: 압축을 풀면 {info.compress_size:,}바이트에서 "
                        f"{info.file_size:,}바이트로 {ratio:,.0f}배가 됩니다"
                        f"(최대 {MAX_RATIO}배)",
                        en=f"the file is refused: it would expand {ratio:,.0f} times, from "
                        f"{info.compress_size:,} to {info.file_size:,} bytes (at most "
                        f"{MAX_RATIO} times)",
                        file=name,
                    )
                )
            else:
                members[name] = info
    return Bundle(archive=archive, members=members, problems=problems)


def read_files(
    source: Path | bytes,
    names: Sequence[str],
    *,
    max_member_bytes: int,
    not_found_code: str = "bundle_not_found",
) -> tuple[dict[str, bytes], list[Finding]]:
    """The files of `names` that could be read from `source`, and findings for those that
    could not (a missing file is neither: the caller decides what it requires). A source that
    does not exist is one finding, coded `not_found_code` (each caller keeps its own codes).
    Each file is read whole, so only for bundles made here (the verifiers read by `Bundle`)."""
    files: dict[str, bytes] = {}
    with open_bundle(source, names, not_found_code=not_found_code) as bundle:
        for name in names:
            data = bundle.read(name, max_member_bytes, "bytes allowed", "허용되는")
            if data is not None:
                files[name] = data
        return files, bundle.problems
