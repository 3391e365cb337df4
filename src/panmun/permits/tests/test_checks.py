from __future__ import annotations

import os

from ..checks import certificate_key_files
from ..signing import create_key, key_dir


def test_no_key_and_none_to_be_made_is_a_warning(settings, tmp_path):
    settings.PANMUN_PERMITS_KEY_DIR = tmp_path / "keys"
    settings.PANMUN_PERMITS_CREATE_KEYS = False
    assert [m.id for m in certificate_key_files()] == ["permits.W001"]
    settings.PANMUN_PERMITS_CREATE_KEYS = True
    assert certificate_key_files() == []


def test_a_key_file_others_can_read_is_an_error(settings, tmp_path):
    settings.PANMUN_PERMITS_KEY_DIR = tmp_path / "keys"
    key = create_key()
    assert certificate_key_files() == []
    os.chmod(key_dir() / f"{key.key_id}.key", 0o644)
    assert [m.id for m in certificate_key_files()] == ["permits.E001"]
