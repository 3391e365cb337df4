"""Backups (issue 16, production): `panmun backup` / `panmun restore` carry the database, the
liaison key files and the stored files through one archive; a restore into a fresh database
and fresh folders gives the same rows, files and keys, the keys with mode 0600; a damaged
archive is refused, bilingually, and changes nothing."""

from __future__ import annotations

import io
import stat
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from panmun.accounts.demo import demo_load
from panmun.accounts.models import User
from panmun.common.keyfiles import generate_key_file
from panmun.web.backup import BackupError, Folders, backup, restore

pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> dict[str, list[Any]]:
    """Every row of every table, in primary-key order."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def node(tmp_path: Path) -> Folders:
    """A node with demo-ish data: the personas, a job's result file, a saved model, keys."""
    folders = Folders(keys=tmp_path / "keys", media=tmp_path / "media", models=tmp_path / "models")
    demo_load()
    (folders.media / "jobs/2026/12").mkdir(parents=True)
    (folders.media / "jobs/2026/12/dialogue.json").write_bytes(b'{"talks": []}\n')
    folders.models.mkdir()
    (folders.models / "registry.v1.json").write_text('{"version": 1}')
    generate_key_file(folders.keys / "south-log-1.key")
    generate_key_file(folders.keys / "north-cosign-1.key")
    return folders


def _fresh(tmp_path: Path) -> Folders:
    """Another node's folders, empty, and its database emptied."""
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists()
    return Folders(keys=tmp_path / "new-keys", media=tmp_path / "new-media", models=tmp_path / "m2")


@pytest.mark.parametrize("prefer", ["native", "json"])
def test_a_backup_restores_the_same_rows_files_and_keys(node: Folders, tmp_path: Path, prefer):
    rows, media, keys = _rows(), _files(node.media), _files(node.keys)
    models = _files(node.models)
    (tmp_path / "backups").mkdir()
    archive, manifest = backup(tmp_path / "backups", folders=node, prefer=prefer)
    assert archive.parent == tmp_path / "backups" and archive.name.endswith(".tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds the private keys
    expected_method = {"sqlite": "sqlite", "postgresql": "pg_dump"}[connection.vendor]
    assert manifest["database"]["method"] == ("json" if prefer == "json" else expected_method)
    assert sorted(m["path"] for m in manifest["members"])[1:] == [
        "keys/north-cosign-1.key",
        "keys/south-log-1.key",
        "linkage-models/registry.v1.json",
        "media/jobs/2026/12/dialogue.json",
    ]

    fresh = _fresh(tmp_path)
    restore(archive, folders=fresh)

    assert _rows() == rows
    assert _files(fresh.media) == media
    assert _files(fresh.models) == models
    assert _files(fresh.keys) == keys
    for key in fresh.keys.iterdir():
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.keys.stat().st_mode) == 0o700


def _altered(archive: Path, member: str, target: Path) -> Path:
    """The same archive with one byte of `member` changed and the manifest left as it was."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for info in source:
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == member:
                data = bytes([data[0] ^ 1]) + data[1:]
            out.addfile(info, io.BytesIO(data))
    return target


def test_a_damaged_archive_is_refused_and_nothing_changes(node: Folders, tmp_path: Path):
    archive, _ = backup(tmp_path / "backup.tar.gz", folders=node)
    altered = _altered(archive, "keys/south-log-1.key", tmp_path / "altered.tar.gz")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    fresh = _fresh(tmp_path)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(altered))
    assert str(refused.value) == (
        "The backup archive is damaged or altered (keys/south-log-1.key: checksum differs). "
        "Nothing was restored. / 백업 파일이 손상되었거나 변경되었습니다"
        "(keys/south-log-1.key: 체크섬 불일치). 아무것도 복원하지 않았습니다."
    )
    with pytest.raises(BackupError) as cut:
        restore(truncated, folders=fresh)
    assert cut.value.details["member"] == "truncated.tar.gz"
    assert "damaged or altered" in cut.value.message_en and "손상" in cut.value.message_ko

    assert not User.objects.exists()
    assert not fresh.keys.exists() and not fresh.media.exists()


def test_a_restore_does_not_replace_data_unless_asked(node: Folders, tmp_path: Path):
    archive, _ = backup(tmp_path / "backup.tar.gz", folders=node)
    rows = _rows()
    with pytest.raises(BackupError) as refused:
        restore(archive, folders=node)
    assert refused.value.details == {"occupied": ["database", "keys"]}
    restore(archive, folders=node, replace=True)
    assert _rows() == rows


def test_a_different_key_of_the_same_name_is_never_overwritten(node: Folders, tmp_path: Path):
    archive, _ = backup(tmp_path / "backup.tar.gz", folders=node)
    fresh = _fresh(tmp_path)
    generate_key_file(fresh.keys / "south-log-1.key")  # another key, same name
    mine = (fresh.keys / "south-log-1.key").read_bytes()
    with pytest.raises(BackupError) as refused:
        restore(archive, folders=fresh, replace=True)
    assert "key files are never overwritten" in refused.value.message_en
    assert (fresh.keys / "south-log-1.key").read_bytes() == mine
    assert not User.objects.exists()


def test_the_commands_back_up_and_restore(node: Folders, tmp_path: Path, settings, capsys):
    settings.PANMUN_LIAISON_KEY_DIR = node.keys
    settings.MEDIA_ROOT = node.media
    settings.PANMUN_LINKAGE_MODELS_DIR = node.models
    call_command("backup", str(tmp_path / "b.tar.gz"))
    assert f"{tmp_path / 'b.tar.gz'}: 5 files" in capsys.readouterr().out
    with pytest.raises(CommandError) as exists:
        call_command("backup", str(tmp_path / "b.tar.gz"))
    assert "exists; a backup never overwrites a file" in str(exists.value)
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(tmp_path / "b.tar.gz"), "--replace")
    assert User.objects.filter(username="ministry").exists()
