"""Reading a bundle of named files given as a folder, a .zip file or zip bytes — the reunion
lottery's draw and the liaison log's export are both checked this way, by anyone, with the
bundle alone. Pure Python, no Django. Every file that cannot be read is a finding (never an
exception), so a verifier can report all of them at once."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from panmun.findings import Finding


def _finding(code: str, en: str, ko: str, file: str) -> Finding:
    return Finding(code=code, message_en=en, message_ko=ko, file=file)


def _unreadable(en: str, ko: str, file: str) -> Finding:
    return _finding("bundle_unreadable", en, ko, file)


def read_files(
    source: Path | bytes,
    names: Sequence[str],
    *,
    max_member_bytes: int,
    not_found_code: str = "bundle_not_found",
) -> tuple[dict[str, bytes], list[Finding]]:
    """The files of `names` that could be read from `source`, and findings for those that
    could not (a missing file is neither: the caller decides what it requires). A source that
    does not exist is one finding, coded `not_found_code` (each caller keeps its own codes)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return _zip_members(io.BytesIO(bytes(source)), "", names, max_member_bytes)
    path = Path(source)
    if path.is_dir():
        files: dict[str, bytes] = {}
        found: list[Finding] = []
        for name in names:
            try:
                files[name] = (path / name).read_bytes()
            except FileNotFoundError:
                pass
            except OSError as exc:
                found.append(
                    _unreadable(
                        f"cannot be read ({exc.strerror})",
                        f"읽을 수 없습니다({exc.strerror})",
                        name,
                    )
                )
        return files, found
    if not path.exists():
        return {}, [
            _finding(
                not_found_code, "no such file or folder", "파일이나 폴더가 없습니다", str(path)
            )
        ]
    try:
        with path.open("rb") as handle:
            return _zip_members(handle, str(path), names, max_member_bytes)
    except OSError as exc:
        return {}, [
            _unreadable(
                f"cannot be read ({exc.strerror})", f"읽을 수 없습니다({exc.strerror})", str(path)
            )
        ]


def _zip_members(
    handle: IO[bytes], label: str, names: Sequence[str], max_member_bytes: int
) -> tuple[dict[str, bytes], list[Finding]]:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}, [
            _unreadable(
                "the bundle is neither a folder nor a readable zip file",
                "묶음이 폴더도 아니고 읽을 수 있는 zip 파일도 아닙니다",
                label,
            )
        ]
    files: dict[str, bytes] = {}
    found: list[Finding] = []
    with archive:
        infos = archive.infolist()
        prefix = ""
        if not any(i.filename in names for i in infos):
            # Zipped from its folder: accept one common folder, as a courtesy.
            tops = {i.filename.split("/", 1)[0] for i in infos if "/" in i.filename}
            if len(tops) == 1:
                prefix = tops.pop() + "/"
        for name in names:
            matching = [i for i in infos if i.filename == prefix + name]
            if len(matching) > 1:
                found.append(
                    _finding(
                        "bundle_duplicate_member",
                        "the zip holds this file more than once",
                        "zip 안에 이 파일이 두 개 이상 있습니다",
                        name,
                    )
                )
            elif matching and matching[0].file_size > max_member_bytes:
                size = matching[0].file_size
                found.append(
                    _unreadable(f"too large ({size:,} bytes)", f"너무 큽니다({size:,}바이트)", name)
                )
            elif matching:
                try:
                    files[name] = archive.read(matching[0])
                except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                    found.append(
                        _unreadable(
                            f"cannot be read from the zip ({exc})",
                            f"zip에서 읽을 수 없습니다({exc})",
                            name,
                        )
                    )
    return files, found
