"""Korean and English are both complete: every string of the pages has its Korean translation,
and the compiled catalogue matches its source."""

from pathlib import Path

import polib
import pytest

from panmun.web.i18n_compile import catalogues

KO = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def test_korean_catalogue_exists():
    assert KO in catalogues()


def test_every_string_is_translated():
    po = polib.pofile(str(KO))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert missing == []
    assert fuzzy == []


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in polib.pofile(str(KO)):
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            entry.msgid
        )


def test_compiled_catalogue_matches_source():
    po = polib.pofile(str(KO))
    mo = polib.mofile(str(KO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in mo}
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in po if e.translated()
    }
    assert compiled == source, "run `make messages` (or python -m panmun.web.i18n_compile)"


@pytest.mark.django_db
def test_pages_switch_language(client_for, personas):
    client = client_for("viewer")
    korean = client.get("/dialogue/").content.decode()
    assert "연표" in korean
    client.post("/language/", {"language": "en", "next": "/"})
    english = client.get("/dialogue/").content.decode()
    assert "Timeline" in english and "연표" not in english.split("<main")[1].split("</main>")[0]
