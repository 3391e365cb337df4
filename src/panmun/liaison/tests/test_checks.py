"""The start-up check: every private key file in the key folder is readable by its owner only."""

from __future__ import annotations

from panmun.common.keyfiles import generate_key_file

from ..checks import key_files


def test_key_files_open_to_others_stop_the_start(settings, tmp_path):
    settings.PANMUN_LIAISON_KEY_DIR = tmp_path / "keys"
    assert key_files() == []  # no folder yet: nothing to check
    generate_key_file(tmp_path / "keys" / "south-log-1.key")
    open_key = tmp_path / "keys" / "south-cosign-1.key"
    generate_key_file(open_key)
    assert key_files() == []
    open_key.chmod(0o644)
    errors = key_files()
    assert [(e.id, e.obj) for e in errors] == [("liaison.E001", str(open_key))]
    assert "chmod 600" in errors[0].hint
    assert "/" in errors[0].msg  # English / Korean
