"""Backups of a Panmun node: the database, the liaison key files, the uploaded and generated
files (MEDIA_ROOT) and the saved linkage models, as one archive with a manifest of checksums.

The archive is a gzipped tar, written with mode 0600 (it holds the private keys):

    manifest.json              format, when, the database's vendor and how it was saved, and
                               for every other member its path, size and SHA-256
    database/panmun.sqlite3    SQLite: a copy made with SQLite's online backup API
    database/panmun.pgdump     PostgreSQL: `pg_dump --format=custom` (when pg_dump is on PATH)
    database/panmun.json       otherwise: Django's dumpdata, every table with its keys
    keys/…                     PANMUN_LIAISON_KEY_DIR
    media/…                    MEDIA_ROOT (job results)
    linkage-models/…           PANMUN_LINKAGE_MODELS_DIR

A restore reads the whole archive into a private staging folder and checks every member
against the manifest before it changes anything; a damaged or altered archive is refused with
the member named. Key files are written with mode 0600 in a 0700 folder and never overwrite a
different key of the same name. A database that holds users, or a key folder that holds keys,
is replaced only when asked (`replace=True`)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode

FORMAT = "panmun-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupError(DomainError):
    def __init__(self, message_ko: str, message_en: str, **details: Any) -> None:
        super().__init__(ErrorCode.INVALID_INPUT, message_ko, message_en, details)


def _damaged(member: str, why_en: str, why_ko: str) -> BackupError:
    return BackupError(
        f"백업 파일이 손상되었거나 변경되었습니다({member}: {why_ko}). "
        "아무것도 복원하지 않았습니다.",
        f"The backup archive is damaged or altered ({member}: {why_en}). Nothing was restored.",
        member=member,
    )


@dataclass(frozen=True)
class Folders:
    """The folders a backup holds, by their name in the archive."""

    keys: Path
    media: Path
    models: Path

    @classmethod
    def from_settings(cls) -> Folders:
        return cls(
            keys=Path(settings.PANMUN_LIAISON_KEY_DIR),
            media=Path(settings.MEDIA_ROOT),
            models=Path(settings.PANMUN_LINKAGE_MODELS_DIR),
        )

    def items(self) -> list[tuple[str, Path]]:
        return [("keys", self.keys), ("media", self.media), ("linkage-models", self.models)]


# --- backup -------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def database_method(alias: str = DEFAULT_DB_ALIAS, prefer: str = "native") -> str:
    """How the database is saved: "sqlite" (online backup API), "pg_dump" (PostgreSQL with
    pg_dump on PATH) or "json" (Django's dumpdata: any database, slower and larger)."""
    vendor = connections[alias].vendor
    if prefer == "json":
        return "json"
    if vendor == "sqlite":
        return "sqlite"
    if vendor == "postgresql" and shutil.which("pg_dump") and shutil.which("pg_restore"):
        return "pg_dump"
    return "json"


def _pg_command(alias: str) -> tuple[list[str], dict[str, str]]:
    """libpq arguments for the database of `alias`, the password in the environment."""
    conf = connections[alias].settings_dict
    args = ["--dbname", str(conf["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conf.get(key):
            args += [flag, str(conf[key])]
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _save_database(method: str, folder: Path, alias: str) -> Path:
    connection = connections[alias]
    if method == "sqlite":
        target = folder / "panmun.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # a consistent copy, even while in use
        finally:
            destination.close()
        return target
    if method == "pg_dump":
        target = folder / "panmun.pgdump"
        args, env = _pg_command(alias)
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        subprocess.run(  # noqa: S603 (pg_dump from PATH, our own arguments)
            [*command, "--file", str(target), *args],
            env=env,
            check=True,
            capture_output=True,
        )
        return target
    target = folder / "panmun.json"
    with target.open("w", encoding="utf-8") as out:
        serializers.serialize(
            "json", _every_row(alias), stream=out, cls=FullPrecisionEncoder, ensure_ascii=False
        )
    return target


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only (ECMAScript's dates); a backup keeps every
    microsecond of a time, as the audit log recorded it."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _every_row(alias: str) -> Iterator[Model]:
    """What `dumpdata --all` writes: every row of every table (many-to-many inline), in
    primary-key order, read in chunks."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        yield from model._base_manager.using(alias).order_by("pk").iterator(chunk_size=2000)


def _files(folder: Path) -> Iterator[tuple[str, Path]]:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".part"):
            yield path.relative_to(folder).as_posix(), path


def _open_private(path: Path) -> io.BufferedWriter:
    """A new file only its owner may read; never overwrites one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    return os.fdopen(fd, "wb")


def backup_path(target: Path, now: datetime) -> Path:
    """A folder gets `panmun-backup-<UTC time>.tar.gz` inside it; anything else is the file."""
    if target.is_dir():
        return target / f"panmun-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"
    return target


def backup(
    target: Path,
    *,
    alias: str = DEFAULT_DB_ALIAS,
    folders: Folders | None = None,
    prefer: str = "native",
) -> tuple[Path, dict[str, Any]]:
    """Write the archive; return its path and manifest."""
    folders = folders or Folders.from_settings()
    now = datetime.now(UTC)
    path = backup_path(Path(target), now)
    if path.exists():
        raise BackupError(
            f"{path} 파일이 이미 있습니다. 백업은 파일을 덮어쓰지 않습니다.",
            f"{path} exists; a backup never overwrites a file.",
            path=str(path),
        )
    method = database_method(alias, prefer)
    with tempfile.TemporaryDirectory(prefix="panmun-backup-") as staging:
        os.chmod(staging, 0o700)
        database_file = _save_database(method, Path(staging), alias)
        members: list[tuple[str, Path]] = [(f"database/{database_file.name}", database_file)]
        for name, folder in folders.items():
            members += [(f"{name}/{rel}", file) for rel, file in _files(folder)]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {
                "vendor": connections[alias].vendor,
                "method": method,
                "file": f"database/{database_file.name}",
                "migrations": _migrations(alias),
            },
            "members": [
                {"path": name, "size": file.stat().st_size, "sha256": _sha256(file)}
                for name, file in members
            ],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with _open_private(path) as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(now.timestamp())
                archive.addfile(info, io.BytesIO(data))
                for name, file in members:
                    info = archive.gettarinfo(str(file), arcname=name)
                    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                    with file.open("rb") as f:
                        archive.addfile(info, f)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise
    return path, manifest


def _migrations(alias: str) -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# --- restore ------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and name == pure.as_posix()


def read_archive(source: Path, staging: Path) -> dict[str, Any]:
    """Unpack `source` into `staging`, checking every member against the manifest; raise
    BackupError for anything damaged, missing, extra or unsafe."""
    try:
        with tarfile.open(source, mode="r:gz") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise _damaged(MANIFEST, "missing or not first", "없거나 처음에 있지 않음")
            raw = archive.extractfile(first)
            assert raw is not None
            try:
                manifest = json.loads(raw.read())
            except ValueError as exc:
                raise _damaged(MANIFEST, "not JSON", "JSON이 아님") from exc
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise _damaged(MANIFEST, f"not {FORMAT}", f"{FORMAT} 형식이 아님")
            expected = {m["path"]: m for m in manifest.get("members", [])}
            seen: set[str] = set()
            for info in archive:  # from the first member again
                name = info.name
                if info is first:
                    continue
                if name not in expected or name in seen:
                    raise _damaged(name, "not in the manifest", "목록에 없는 항목")
                if not info.isfile() or not _safe_name(name):
                    raise _damaged(name, "not a plain file", "일반 파일이 아님")
                seen.add(name)
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                digest, size = hashlib.sha256(), 0
                member = archive.extractfile(info)
                assert member is not None
                with _open_private(target) as out:
                    while block := member.read(CHUNK):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
                if size != expected[name]["size"] or digest.hexdigest() != expected[name]["sha256"]:
                    raise _damaged(name, "checksum differs", "체크섬 불일치")
            missing = sorted(set(expected) - seen)
            if missing:
                raise _damaged(missing[0], "missing", "없음")
    except (tarfile.TarError, EOFError, zlib.error, OSError, KeyError, TypeError) as exc:
        raise _damaged(source.name, f"unreadable ({exc})", f"읽을 수 없음({exc})") from exc
    return manifest


def _has_data(alias: str, folders: Folders) -> list[str]:

    found = []
    try:
        if User.objects.using(alias).exists():
            found.append("database")
    except DatabaseError:  # not migrated: nothing to lose (a JSON backup then asks to migrate)
        connections[alias].close()
    if any(_files(folders.keys)):
        found.append("keys")
    return found


def _restore_database(manifest: dict[str, Any], staging: Path, alias: str) -> None:
    database = manifest["database"]
    method, file = database["method"], staging / database["file"]
    connection = connections[alias]
    if method != "json" and connection.vendor != database["vendor"]:
        raise BackupError(
            f"이 백업은 {database['vendor']} 데이터베이스의 것입니다. "
            f"{connection.vendor}에는 복원할 수 없습니다(JSON 형식 백업은 가능).",
            f"This backup is of a {database['vendor']} database and cannot be restored into "
            f"{connection.vendor} (a backup made with --database-format json can).",
        )
    if method == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(file)
        try:
            source.backup(connection.connection)  # replaces every page of the live database
        finally:
            source.close()
        connection.close()
        return
    if method == "pg_dump":
        args, env = _pg_command(alias)
        connection.close()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        result = subprocess.run(  # noqa: S603 (pg_restore from PATH, our own arguments)
            [*command, "--single-transaction", *args, str(file)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(
                f"pg_restore가 실패했습니다: {result.stderr.strip()[-500:]}",
                f"pg_restore failed: {result.stderr.strip()[-500:]}",
            )
        return
    if _migrations(alias) != database["migrations"]:
        raise BackupError(
            "이 데이터베이스의 마이그레이션이 백업과 다릅니다. 같은 버전의 Panmun으로 "
            "`panmun migrate`를 실행한 뒤 복원하십시오.",
            "This database's migrations differ from the backup's: run `panmun migrate` with "
            "the same version of Panmun, then restore.",
        )
    call_command("flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0)
    call_command("loaddata", str(file), database=alias, verbosity=0)


def _place(source: Path, target: Path, *, mode: int, replace: bool) -> bool:
    """Copy one file into place with `mode`; False if an identical file is there already (its
    mode set). A different file there is replaced only if `replace`."""
    if target.exists():
        if _sha256(target) == _sha256(source):
            os.chmod(target, mode)
            return False
        if not replace:
            raise BackupError(
                f"{target} 파일이 이미 있고 내용이 다릅니다.",
                f"{target} exists with other contents.",
                path=str(target),
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.{os.getpid()}.part"
    with _open_private(partial) as out, source.open("rb") as f:
        shutil.copyfileobj(f, out, CHUNK)
        os.fchmod(out.fileno(), mode)
    os.replace(partial, target)
    return True


def _key_conflicts(staging: Path, folder: Path) -> None:
    """A key file is never overwritten (liaison.keys): a different key of the same name must be
    moved aside by hand first."""
    for rel, file in _files(staging):
        target = folder / rel
        if target.exists() and _sha256(target) != _sha256(file):
            raise BackupError(
                f"{target}에 다른 키가 있습니다. 키 파일은 덮어쓰지 않습니다. "
                "옮긴 뒤 다시 복원하십시오.",
                f"{target} holds another key; key files are never overwritten. Move it aside "
                "and restore again.",
                path=str(target),
            )


def _file_conflicts(staging: Path, folder: Path) -> None:
    for rel, file in _files(staging):
        target = folder / rel
        if target.exists() and _sha256(target) != _sha256(file):
            raise BackupError(
                f"{target} 파일이 이미 있고 내용이 다릅니다(--replace로 교체).",
                f"{target} exists with other contents (--replace replaces it).",
                path=str(target),
            )


def _restore_keys(staging: Path, folder: Path) -> None:
    """Every key file 0600, its folders 0700, whatever the archive or the umask said."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    for rel, file in _files(staging):
        target = folder / rel
        for parent in reversed(PurePosixPath(rel).parents[:-1]):
            (folder / parent).mkdir(mode=0o700, exist_ok=True)
            os.chmod(folder / parent, 0o700)
        _place(file, target, mode=0o600, replace=False)


def restore(
    source: Path,
    *,
    alias: str = DEFAULT_DB_ALIAS,
    folders: Folders | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """Check the whole archive, then restore the database, the keys and the files."""
    folders = folders or Folders.from_settings()
    source = Path(source)
    if not source.is_file():
        raise BackupError(
            f"{source} 백업 파일이 없습니다.", f"{source}: no such backup file.", path=str(source)
        )
    with tempfile.TemporaryDirectory(prefix="panmun-restore-") as tmp:
        staging = Path(tmp)
        os.chmod(staging, 0o700)
        manifest = read_archive(source, staging)
        occupied = _has_data(alias, folders)
        if occupied and not replace:
            raise BackupError(
                f"복원할 곳에 이미 데이터가 있습니다({', '.join(occupied)}). "
                "교체하려면 --replace를 주십시오.",
                f"The target already holds data ({', '.join(occupied)}); give --replace to "
                "replace it.",
                occupied=occupied,
            )
        # Every refusal comes before the first change.
        _key_conflicts(staging / "keys", folders.keys)
        if not replace:
            for name, folder in folders.items()[1:]:
                _file_conflicts(staging / name, folder)
        _restore_database(manifest, staging, alias)
        _restore_keys(staging / "keys", folders.keys)
        for name, folder in folders.items()[1:]:
            for rel, file in _files(staging / name):
                _place(file, folder / rel, mode=0o640, replace=True)
    return manifest
