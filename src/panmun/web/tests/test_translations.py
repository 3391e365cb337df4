"""Korean and English are both complete: every string of the pages has its Korean translation,
and the compiled catalogue matches its source."""

from pathlib import Path

import polib
import pytest

from panmun.web.i18n_compile import catalogues

KO = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"
KO_KP = Path(__file__).resolve().parents[2] / "locale" / "ko_KP" / "LC_MESSAGES" / "django.po"
CATALOGUES = [KO, KO_KP]


def test_korean_catalogue_exists():
    assert KO in catalogues()


def test_every_string_is_translated():
    po = polib.pofile(str(KO))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert missing == []
    assert fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=["ko", "ko_KP"])
def test_placeholders_survive_translation(path):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in polib.pofile(str(path)):
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            entry.msgid
        )


@pytest.mark.parametrize("path", CATALOGUES, ids=["ko", "ko_KP"])
def test_compiled_catalogue_matches_source(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
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


# --- one English word, two meanings: a context each -------------------------------------------


@pytest.mark.parametrize(
    "context, msgid, korean",
    [
        ("date precision", "Day", "일 단위"),
        (None, "Day", "날짜"),
        ("date precision", "Year", "연 단위"),
        (None, "Year", "연도"),
        ("time recorded", "Recorded", "기록 일시"),
        (None, "Recorded", "녹화 완료"),
        ("gate event source", "Recorded", "기록 방식"),
        ("date and time", "Time", "일시"),
        (None, "Time", "시간"),
    ],
)
def test_shared_words_read_right_in_each_place(context, msgid, korean):
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("ko"):
        said = pgettext(context, msgid) if context else gettext(msgid)
    assert said == korean


@pytest.mark.django_db
def test_a_video_letters_status_is_not_a_time(client_for, personas):
    from django.utils import translation

    from panmun.reunion.models import LetterStatus

    with translation.override("ko"):
        assert str(LetterStatus.RECORDED.label) == "녹화 완료"
    page = client_for("redcross_s").get("/reunion/letters/").content.decode()
    assert "기록 일시" not in page


# --- the North's wording (ko_KP) ---------------------------------------------------------------


def test_the_norths_catalogue_is_derived_from_the_korean_one():
    """Every entry of ko_KP is a Korean entry in the North's words, and every Korean entry the
    North writes differently is there: run `python -m panmun.web.i18n_compile` when not."""
    from panmun.common.i18n_north import derive

    po = polib.pofile(str(KO_KP))
    have = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in po}
    want = {(c, i): s or p.get(0) for c, i, s, p in derive()}
    assert have == want, "run `python -m panmun.web.i18n_compile`"
    assert po.metadata["Language"] == "ko_KP"
    assert "Plural-Forms" in po.metadata


def test_the_norths_catalogue_holds_only_what_differs():
    ko = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(KO))}
    for entry in polib.pofile(str(KO_KP)):
        assert (entry.msgctxt, entry.msgid) in ko
        assert entry.msgstr != ko[(entry.msgctxt, entry.msgid)]


@pytest.mark.parametrize(
    "south, north",
    [
        ("이산가족 상봉", "흩어진 가족 상봉"),
        ("남북공동연락사무소를 통해", "북남공동련락사무소를 통해"),
        ("남북대화 연표", "북남대화 연표"),
        ("연락 통화", "련락 통화"),
        ("출생 연도", "출생 년도"),
        ("상봉의 역사", "상봉의 력사"),
        ("생사확인 의뢰", "생사확인 의뢰"),
        ("통지문", "통지문"),
        ("남측 · 북측", "남측 · 북측"),
    ],
)
def test_north_wording(south, north):
    from panmun.common.i18n_north import north_wording

    assert north_wording(south) == north


@pytest.mark.django_db
def test_a_north_officer_reads_the_norths_words_and_korean_for_the_rest(client_for):
    page = client_for("liaison_n").get("/").content.decode()
    nav = page.split("<nav")[1].split("</nav>")[0]
    assert ">련락<" in nav  # the North's spelling
    assert ">연락<" not in nav
    assert ">홈<" in nav and ">연표<" in nav  # the same in both: from the Korean catalogue
    assert "로그아웃" in page  # not in ko_KP at all: falls back to Korean, not English
    assert "Sign out" not in page


@pytest.mark.django_db
def test_the_north_red_cross_reads_huteojin_gajok(client_for):
    response = client_for("redcross_n").get("/dialogue/?topic=families")
    page = response.content.decode()
    # The topic (a word of the pages; the titles of the record are data, kept as written).
    assert '<span class="tag topic">흩어진 가족</span>' in page
    assert '<span class="tag topic">이산가족</span>' not in page
    assert response["Content-Language"] == "ko-KP"
    assert '<html lang="ko-KP">' in page


@pytest.mark.django_db
def test_the_south_and_english_are_unchanged(client_for):
    south = client_for("liaison_s").get("/")
    assert ">연락<" in south.content.decode() and south["Content-Language"] == "ko"
    north = client_for("liaison_n")
    north.post("/language/", {"language": "en", "next": "/"})
    english = north.get("/")
    assert ">Liaison<" in english.content.decode() and english["Content-Language"] == "en"
    # The switch offers only 한국어 and English, and marks Korean as chosen for a North user.
    north.post("/language/", {"language": "ko", "next": "/"})
    page = north.get("/").content.decode()
    assert 'data-language="ko"' in page and "ko-kp" not in page.split('class="language"')[1][:800]
    assert 'aria-pressed="true" class="current"\n                data-language="ko"' in page or (
        'value="ko" lang="ko"' in page
    )


@pytest.mark.django_db
def test_a_refusal_reads_in_the_norths_words_for_a_north_officer(client_for):
    north = client_for("liaison_n").get("/liaison/south/99999/")
    assert north.status_code == 404
    assert "련락 기록(south/99999)을 찾을 수 없습니다" in north.content.decode()
    south = client_for("liaison_s").get("/liaison/south/99999/")
    assert "연락 기록(south/99999)을 찾을 수 없습니다" in south.content.decode()


@pytest.mark.parametrize(
    "word, particle",
    [("연락 기록", "을"), ("생사확인 회차", "를"), ("API 토큰", "을"), ("ID", "을(를)")],
)
def test_not_found_says_the_right_particle(word, particle):
    from panmun.common.errors import not_found

    assert not_found(word, "x", 7).message_ko == f"{word}(7){particle} 찾을 수 없습니다."
