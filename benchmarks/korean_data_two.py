"""A second, independent generator of North/South lists of separated family members.

    .venv/bin/python benchmarks/korean_data_two.py --sought 2000 --returned 5000 --seed 1 \
        --out DIR [--stats]

Written apart from `korean_data.py` (generator one), with its own name pools, place table and
noise model, so that the linkage model is never tuned to one generator. Same interface:
`generate(n_sought, n_returned, seed) -> Dataset` (`.sought`, `.returned`: rows as dicts by
column name; `.truth`: (sought id, returned id) pairs; `.stats`: the phenomena produced),
`write(dataset, folder)`, and `generate_files(...)`, which streams (a million rows in a few
hundred MiB) and is what the command line uses.

The people
----------
Families of the northern half: a father (born ~1890–1925) and 1–8 children born 1925–1955, who
share the surname, the father and (mostly) the birthplace; brothers usually, sisters sometimes,
share a generation syllable (돌림자) at a place fixed per family (영수, 영철, 영호 / 옥순, 정순).
A person's name is held as its hanja sounds (the North's spelling: 리란옥, 렴실옥); each list
writes it in its own orthography. Birthplaces are real counties and cities of 1945 with what
they are today (PLACES: 경기도 개풍군 → 황해북도 개성시 개풍구역, 평안북도 희천군 → 자강도
희천시, 함경남도 혜산군 → 량강도 혜산시, 함경남도 영흥군 → 함경남도 금야군, ...). Each
person has a birthday and the calendar the family kept it in (lunar for LUNAR_KEPT of them).

The lists
---------
- sought (the South): one or two members (SOUGHT_TWO_RATE) of a family, written from the
  applicant's memory decades later, in the South's orthography (이, 임, 유, 노, 양, 난옥).
- returned (the North): FOUND_RATE of the sought are found and returned, each with every
  brother or sister with probability SIBLING_RETURN_RATE (the hard negatives); for the sought
  not found, sometimes a brother or sister only (LOST_SIBLING_RATE); namesakes of the sought
  from other families (NAMESAKE_RATE); the rest people of families nobody sought, in groups.
  Written in the North's orthography (리, 림, 류, 로, 량, 란옥) and today's place names.
Both files are shuffled (bucketed shuffle) and numbered in their new order, so ids and row
order say nothing about the truth.

The noise model: one channel per side, per field
------------------------------------------------
Each record passes through its side's channel; a found pair is one person through both.
A South record first draws its memory (VAGUE_RATE): a vague memory drops the date and slips a
vowel far more often, so the hard combinations (a slipped name with no date) come from one
cause, as in real applications.

- name: the side's orthography (initial-sound rule on the surname and on the given name's
  first syllable); the two syllables of the given name in the other order (SWAP_RATE); a vowel
  slip in the given name (SLIP_RATE: 덕녀/덕너, 애/에, 으/우, 여/어, 외/왜); a consonant typo
  (TYPO_RATE: ㅈ/ㅊ, ㄱ/ㅋ, ㅇ/ㄴ/ㅁ tails, a tail dropped); the name given only in Latin
  letters (LATIN_ONLY_RATE; family and given blank), else sometimes Latin beside the Hangul
  (LATIN_TOO_RATE). Latin is spelled by no standard system: per record and per letter a
  spelling drawn from several (Kim/Gim, Lee/Yi/Rhee/Ri, Choi/Choe/Choy, ㅓ as o/eo/u, ㅅ before
  ㅣ as s/sh, ㄹ as r/l), surname first or last or "SURNAME, Given", syllables joined by a
  hyphen, a space or nothing (`Sil Ok Yum`, `Choy Cha Kum`, `Shil-yeo Moon`, `Chong Chon`).
- sex: missing (SEX_MISSING), rarely wrong (SEX_WRONG).
- birth date: by format per side (the *_DATE_FORMS tables): the full date in the calendar the
  family kept, labelled, unlabelled or mislabelled; the solar date; year and month; the year
  only (the lunar year where the family kept lunar dates); blank. Then a year one off from
  Korean age (세는 나이, mostly one too early: KOREAN_AGE_RATE) and a wrong day or month
  (DAY_WRONG_RATE: off by days, day and month exchanged, month off by one).
- birthplace: by form per side (*_PLACE_FORMS): the South mostly the place of 1945 (province
  and county, the province shortened (평북), the county alone, the province alone — a
  province of 1945 whose place now lies in another: 경기도 for 개풍, 평안북도 for 희천,
  함경남도 for 혜산), sometimes today's name; the North today's (province, city or county,
  district) or the city alone, seldom the old one. A brother or sister was born elsewhere in
  the province with SIBLING_ELSEWHERE_RATE. A Latin-only South record often gives the place in
  Latin too. A consonant typo in one word of it (*_PLACE_TYPO).
- father: missing (FATHER_MISSING), his given name only (FATHER_GIVEN_ONLY), another name he
  went by (FATHER_OTHER_NAME), a typo (FATHER_TYPO).

How well the gazetteer knows the places: the today names this table emits are all in the panmun
gazetteer, and it places nearly every text. Over the 2,000 : 5,000 lists of seeds 1–3, of the
non-blank birthplaces about 94% resolve to one place with `canonical_place_key`, about 6% only
to a province (an old or today's province alone, a unit it does not hold such as today's
곽산군 or 중화군 of 황해북도, read as its province), and under 0.5% to nothing (a typo, a Latin
spelling it cannot place). `--stats` prints the shares.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

from panmun.korean.calendars import solar_to_lunar

COLUMNS = (
    "record_id",
    "family_name",
    "given_name",
    "name_latin",
    "sex",
    "birth_date",
    "birth_calendar",
    "birthplace",
    "father_name",
)

# --- the rates --------------------------------------------------------------------------------
# The lists
FOUND_RATE = 0.85  # share of the sought whom the North returns
SOUGHT_TWO_RATE = 0.12  # a family with two members sought (two applications, one family)
SIBLING_RETURN_RATE = 0.45  # each brother or sister of a found person returned with them
LOST_SIBLING_RATE = 0.30  # a person not found, but a brother or sister of theirs returned
NAMESAKE_RATE = 0.10  # a namesake (same surname and given name) from another family returned
FILLER_GROUP_MEAN = 2.0  # returned per family nobody sought: 1 + an exponential of this mean
# The people
BORN_FIRST, BORN_LAST = 1925, 1955
LUNAR_KEPT = 0.55  # families that kept the birthday by the lunar calendar
GENERATION_BROTHERS = 0.75  # brothers share a generation syllable (돌림자)
GENERATION_SISTERS = 0.35  # sisters share one
ONE_SYLLABLE_GIVEN = 0.03  # a one-syllable given name (철, 정)
SIBLING_ELSEWHERE_RATE = 0.08  # a child born in another county of the province
# The South's channel (memory)
VAGUE_RATE = 0.10  # an applicant who remembers poorly
SOUTH_SWAP_RATE = 0.03  # the given name's two syllables in the other order
SOUTH_SLIP_RATE, VAGUE_SLIP_RATE = 0.03, 0.30  # a vowel slip in the given name
SOUTH_TYPO_RATE = 0.03  # a consonant typo in the name
SOUTH_LATIN_ONLY_RATE = 0.04  # the name only in Latin letters (an applicant abroad)
SOUTH_LATIN_TOO_RATE = 0.04  # Latin beside the Hangul
SOUTH_SEX_MISSING, SOUTH_SEX_WRONG = 0.06, 0.005
SOUTH_KOREAN_AGE_RATE = 0.05
SOUTH_DAY_WRONG_RATE = 0.06
SOUTH_FATHER_MISSING = 0.30
SOUTH_FATHER_GIVEN_ONLY = 0.04
SOUTH_FATHER_OTHER_NAME = 0.03
SOUTH_FATHER_TYPO = 0.04
# (format, weight): "kept" the full date in the kept calendar labelled, "kept_blank" the same
# unlabelled, "kept_wrong" labelled with the other calendar, "solar" the solar date labelled,
# "month" year and month, "year" the year only, "blank" no date.
SOUTH_DATE_FORMS = (
    ("kept", 0.44),
    ("kept_blank", 0.14),
    ("kept_wrong", 0.03),
    ("solar", 0.06),
    ("month", 0.05),
    ("year", 0.20),
    ("blank", 0.08),
)
VAGUE_DATE_FORMS = (("kept_blank", 0.15), ("month", 0.05), ("year", 0.30), ("blank", 0.50))
# "old" the province and county of 1945, "old_short" the province shortened, "county" the
# county of 1945 alone, "province" the province of 1945 alone, "today" today's name, "blank".
SOUTH_PLACE_FORMS = (
    ("old", 0.46),
    ("old_short", 0.10),
    ("county", 0.12),
    ("province", 0.08),
    ("today", 0.12),
    ("blank", 0.12),
)
SOUTH_LATIN_PLACE = 0.5  # a Latin-only record gives the place in Latin too
SOUTH_PLACE_TYPO = 0.03  # a consonant typo in one word of the birthplace
# The North's channel (registry)
NORTH_SWAP_RATE = 0.015
NORTH_SLIP_RATE = 0.015
NORTH_TYPO_RATE = 0.02
NORTH_LATIN_ONLY_RATE = 0.015
NORTH_LATIN_TOO_RATE = 0.02
NORTH_SEX_MISSING, NORTH_SEX_WRONG = 0.02, 0.003
NORTH_KOREAN_AGE_RATE = 0.015
NORTH_DAY_WRONG_RATE = 0.03
NORTH_FATHER_MISSING = 0.15
NORTH_FATHER_GIVEN_ONLY = 0.02
NORTH_FATHER_OTHER_NAME = 0.02
NORTH_FATHER_TYPO = 0.02
NORTH_PLACE_TYPO = 0.01
NORTH_DATE_FORMS = (
    ("solar", 0.48),
    ("solar_blank", 0.14),
    ("kept", 0.08),
    ("kept_blank", 0.08),
    ("month", 0.06),
    ("year", 0.11),
    ("blank", 0.05),
)
# "now" province and today's unit, "unit" today's unit alone, "now_province" today's province
# alone, "old" the place of 1945 (an old register), "blank".
NORTH_PLACE_FORMS = (
    ("now", 0.74),
    ("unit", 0.10),
    ("now_province", 0.04),
    ("old", 0.05),
    ("blank", 0.07),
)
KOREAN_AGE_EARLY = 0.8  # a year off from Korean age is one too early this often (else late)

# --- names ------------------------------------------------------------------------------------
# (North form, South form, weight per 1,000, Latin spellings (South), Latin spellings (North)).
# Weights after the censuses of the 1930s and 1960; 柳/劉 are 류 in the North, 兪 유 on both
# sides; 梁 is 량 there, 楊 양 on both; 林 림, 任 임.
SURNAMES = (
    ("김", "김", 215, "Kim Gim Kym", "Kim"),
    ("리", "이", 148, "Lee Yi Rhee Ri Lie I", "Ri Li Rhee"),
    ("박", "박", 84, "Park Pak Bak Pahk", "Pak"),
    ("최", "최", 47, "Choi Choe Choy Chey", "Choe Chwe"),
    ("정", "정", 44, "Chung Jung Chong Jeong Cheong", "Jong Chong"),
    ("강", "강", 22, "Kang Gang Kahng", "Kang"),
    ("조", "조", 21, "Cho Jo Joe Chough", "Jo Cho"),
    ("윤", "윤", 21, "Yoon Yun Youn", "Yun"),
    ("장", "장", 20, "Chang Jang", "Jang Chang"),
    ("림", "임", 15, "Lim Im Yim Rim Lym", "Rim Lim"),
    ("임", "임", 4, "Im Yim Lim", "Im"),
    ("한", "한", 15, "Han Hahn", "Han"),
    ("오", "오", 14, "Oh O Auh", "O"),
    ("서", "서", 14, "Suh Seo So", "So Suh"),
    ("신", "신", 14, "Shin Sin Shinn", "Sin"),
    ("권", "권", 13, "Kwon Gwon Kwun", "Kwon"),
    ("황", "황", 13, "Hwang Whang", "Hwang"),
    ("안", "안", 13, "Ahn An Ann", "An"),
    ("송", "송", 13, "Song Soung", "Song"),
    ("류", "유", 9, "Yoo Yu Ryu Rhyu You", "Ryu Ryoo"),
    ("유", "유", 3, "Yoo Yu You", "Yu"),
    ("홍", "홍", 10, "Hong", "Hong"),
    ("전", "전", 10, "Jeon Chon Chun Jun Jun", "Jon Chon"),
    ("고", "고", 9, "Ko Koh Go", "Ko"),
    ("문", "문", 9, "Moon Mun Mune", "Mun"),
    ("량", "양", 6, "Yang Ryang Yahng", "Ryang Liang"),
    ("양", "양", 3, "Yang", "Yang"),
    ("손", "손", 9, "Son Sohn", "Son"),
    ("배", "배", 8, "Bae Pae Bai", "Pae"),
    ("백", "백", 8, "Baek Paek Paik Baik", "Paek"),
    ("허", "허", 6, "Heo Hur Huh Ho", "Ho"),
    ("남", "남", 6, "Nam Nahm", "Nam"),
    ("심", "심", 5, "Shim Sim", "Sim"),
    ("로", "노", 5, "Noh Roh No Ro", "Ro Ro"),
    ("하", "하", 5, "Ha Hah", "Ha"),
    ("곽", "곽", 4, "Kwak Gwak Kwack", "Kwak"),
    ("성", "성", 4, "Sung Seong Song", "Song"),
    ("차", "차", 4, "Cha Char", "Cha"),
    ("주", "주", 4, "Joo Ju Chu Choo", "Ju Chu"),
    ("우", "우", 4, "Woo U Wu", "U"),
    ("구", "구", 4, "Koo Ku Gu", "Ku"),
    ("라", "나", 3, "Na Ra Rah Nah", "Ra"),
    ("민", "민", 3, "Min", "Min"),
    ("진", "진", 3, "Jin Chin", "Jin Chin"),
    ("지", "지", 3, "Ji Chi Jee", "Ji Chi"),
    ("엄", "엄", 3, "Um Eom Om Uhm", "Om"),
    ("채", "채", 3, "Chae Chai Che", "Chae"),
    ("원", "원", 3, "Won Weon Wun", "Won"),
    ("천", "천", 3, "Chun Cheon Chon", "Chon"),
    ("방", "방", 3, "Bang Pang", "Pang"),
    ("공", "공", 2, "Kong Gong", "Kong"),
    ("현", "현", 2, "Hyun Hyon Hyeon", "Hyon"),
    ("함", "함", 2, "Ham Hahm", "Ham"),
    ("변", "변", 2, "Byun Pyon Byeon", "Pyon"),
    ("렴", "염", 2, "Yum Yeom Yom Ryom", "Ryom Rym"),
    ("려", "여", 1, "Yeo Yo Yuh Ryo", "Ryo"),
    ("석", "석", 1, "Suk Seok Sok", "Sok"),
    ("룡", "용", 1, "Yong Ryong Yung", "Ryong"),
    ("륙", "육", 1, "Yook Yuk Ryuk", "Ryuk"),
    ("도", "도", 2, "Do To Doh", "To"),
    ("길", "길", 1, "Kil Gil", "Kil"),
    ("마", "마", 1, "Ma Mah", "Ma"),
    ("선우", "선우", 0.5, "Sunwoo Sonu Seonwoo", "Sonu"),
    ("남궁", "남궁", 0.5, "Namkung Namgoong Namgung", "Namgung"),
)

# Given-name syllables of the generation born 1925–1955 (hanja sounds, the North's spelling).
MALE_FIRST = tuple(
    "영광명정성상용병재종창춘학동기순봉인문덕만석태경효길철승진현형희수한세규근익윤원"
    "두치응시화준홍룡락련리림량태일국관대운"
)
MALE_SECOND = tuple(
    "수호철식길남준근환모국일선규섭우진훈복만석태삼룡봉현팔옥렬빈학권순하원익성률구화택희"
)
FEMALE_FIRST = tuple(
    "영정순춘옥명복말금숙덕란분계귀봉을점연양경은혜선화길인향애매진희보월태소효련려례리림량후갑"
)
FEMALE_SECOND = tuple("숙자순희옥녀선례실임단심화애님분덕이엽련향월주금남란렬여아미신자희순녀")
FATHER_FIRST = tuple("봉학치병재창성용태응석원경한순두만익락춘윤룡세덕")
FATHER_SECOND = tuple("수준국렬섭규환근모석팔삼구언선현하주옥보흠룡식")

# --- places -----------------------------------------------------------------------------------
# province of 1945 | county (부/군, 읍 or 면) of 1945 | province today | unit today | weight.
# North spellings throughout (the South's are derived): 룡천, 녕변, 리원, 은률, 라진, 라남.
_PLACE_TABLE = """
경기도|개풍군|황해북도|개성시 개풍구역|3
경기도|개성부|황해북도|개성시|4
경기도|장단군|황해북도|장풍군|2
평안북도|희천군|자강도|희천시|3
평안북도|강계군|자강도|강계시|4
평안북도|자성군|자강도|자성군|2
평안북도|초산군|자강도|초산군|2
평안북도|위원군|자강도|위원군|2
평안북도|후창군|량강도|김형직군|1
평안북도|신의주부|평안북도|신의주시|5
평안북도|의주군|평안북도|의주군|3
평안북도|룡천군|평안북도|룡천군|3
평안북도|철산군|평안북도|철산군|2
평안북도|선천군|평안북도|선천군|3
평안북도|정주군|평안북도|정주시|4
평안북도|정주군 곽산면|평안북도|곽산군|1
평안북도|박천군|평안북도|박천군|2
평안북도|태천군|평안북도|태천군|2
평안북도|녕변군|평안북도|녕변군|3
평안북도|운산군|평안북도|운산군|2
평안북도|구성군|평안북도|구성시|2
평안북도|삭주군|평안북도|삭주군|2
평안북도|창성군|평안북도|창성군|1
평안북도|벽동군|평안북도|벽동군|1
평안남도|평양부|평양시|중구역|3
평안남도|평양부|평양시|모란봉구역|3
평안남도|평양부|평양시|대동강구역|3
평안남도|평양부|평양시|선교구역|2
평안남도|대동군|평안남도|대동군|3
평안남도|강동군|평양시|강동군|2
평안남도|진남포부|남포시|항구구역|3
평안남도|룡강군|남포시|룡강군|2
평안남도|강서군|남포시|강서구역|2
평안남도|안주군|평안남도|안주시|3
평안남도|순천군|평안남도|순천시|3
평안남도|개천군|평안남도|개천시|2
평안남도|덕천군|평안남도|덕천시|2
평안남도|맹산군|평안남도|맹산군|1
평안남도|양덕군|평안남도|양덕군|1
평안남도|성천군|평안남도|성천군|2
평안남도|평원군|평안남도|평원군|2
평안남도|녕원군|평안남도|녕원군|1
평안남도|중화군|황해북도|중화군|2
황해도|해주부|황해남도|해주시|4
황해도|연백군|황해남도|연안군|3
황해도|연백군|황해남도|배천군|2
황해도|옹진군|황해남도|옹진군|2
황해도|장연군|황해남도|장연군|2
황해도|송화군|황해남도|송화군|2
황해도|은률군|황해남도|은률군|2
황해도|안악군|황해남도|안악군|2
황해도|신천군|황해남도|신천군|2
황해도|재령군|황해남도|재령군|2
황해도|벽성군|황해남도|벽성군|2
황해도|봉산군 사리원읍|황해북도|사리원시|4
황해도|황주군|황해북도|황주군|3
황해도|황주군 겸이포읍|황해북도|송림시|2
황해도|봉산군|황해북도|봉산군|2
황해도|서흥군|황해북도|서흥군|2
황해도|수안군|황해북도|수안군|1
황해도|곡산군|황해북도|곡산군|1
황해도|평산군|황해북도|평산군|2
황해도|금천군|황해북도|금천군|1
황해도|신계군|황해북도|신계군|1
함경남도|함흥부|함경남도|함흥시 회상구역|3
함경남도|함흥부|함경남도|함흥시 성천강구역|2
함경남도|함주군 흥남읍|함경남도|함흥시 흥남구역|3
함경남도|함주군|함경남도|함주군|2
함경남도|정평군|함경남도|정평군|1
함경남도|영흥군|함경남도|금야군|2
함경남도|고원군|함경남도|고원군|1
함경남도|홍원군|함경남도|홍원군|2
함경남도|북청군|함경남도|북청군|3
함경남도|북청군 신포읍|함경남도|신포시|2
함경남도|리원군|함경남도|리원군|1
함경남도|단천군|함경남도|단천시|2
함경남도|신흥군|함경남도|신흥군|1
함경남도|장진군|함경남도|장진군|1
함경남도|원산부|강원도|원산시|4
함경남도|안변군|강원도|안변군|2
함경남도|문천군|강원도|문천시|1
함경남도|혜산군|량강도|혜산시|2
함경남도|갑산군|량강도|갑산군|1
함경남도|삼수군|량강도|삼수군|1
함경남도|풍산군|량강도|김형권군|1
함경북도|청진부|함경북도|청진시 포항구역|3
함경북도|청진부|함경북도|청진시 신암구역|2
함경북도|청진부 라남|함경북도|청진시 라남구역|2
함경북도|성진부|함경북도|김책시|3
함경북도|학성군|함경북도|김책시|1
함경북도|라진부|라선시|라진구역|2
함경북도|경흥군 웅기읍|라선시|선봉구역|1
함경북도|경성군|함경북도|경성군|2
함경북도|명천군|함경북도|명천군|1
함경북도|길주군|함경북도|길주군|2
함경북도|부령군|함경북도|부령군|1
함경북도|무산군|함경북도|무산군|2
함경북도|회령군|함경북도|회령시|2
함경북도|온성군|함경북도|온성군|1
강원도|철원군|강원도|철원군|2
강원도|김화군|강원도|김화군|1
강원도|평강군|강원도|평강군|1
강원도|이천군|강원도|이천군|1
강원도|회양군|강원도|회양군|1
강원도|통천군|강원도|통천군|1
강원도|고성군|강원도|고성군|1
"""
PROVINCE_SHORT = {
    "평안북도": "평북",
    "평안남도": "평남",
    "함경남도": "함남",
    "함경북도": "함북",
    "황해도": "황해",
    "경기도": "경기",
    "강원도": "강원",
}
PROVINCE_LATIN = {
    "평안북도": ("North Pyongan", "Pyongan-pukto", "P'yŏngan-bukdo", "Pyeongbuk"),
    "평안남도": ("South Pyongan", "Pyongan-namdo", "Pyeongnam"),
    "함경남도": ("South Hamgyong", "Hamgyong-namdo", "Hamnam", "S. Hamkyung"),
    "함경북도": ("North Hamgyong", "Hamgyong-pukto", "Hambuk", "N. Hamkyung"),
    "황해도": ("Hwanghae", "Hwanghae-do", "Whanghae"),
    "경기도": ("Kyonggi", "Gyeonggi-do", "Kyunggi"),
    "강원도": ("Kangwon", "Gangwon-do", "Kangwon-do"),
}


@dataclass(frozen=True)
class Place:
    province_then: str
    county_then: str
    province_now: str
    unit_now: str


def _places() -> tuple[tuple[Place, ...], tuple[float, ...]]:
    places, weights = [], []
    for line in _PLACE_TABLE.strip().splitlines():
        then_p, then_c, now_p, now_u, weight = line.split("|")
        places.append(Place(then_p, then_c, now_p, now_u))
        weights.append(float(weight))
    return tuple(places), tuple(weights)


PLACES, PLACE_WEIGHTS = _places()

# --- Hangul, the two orthographies ------------------------------------------------------------
_BASE, _LEADS, _VOWELS, _TAILS = 0xAC00, 19, 21, 28
L_N, L_R, L_O = 2, 5, 11  # ㄴ ㄹ ㅇ
_V = {v: i for i, v in enumerate("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")}
_R_TO_O = {_V[v] for v in "ㅑㅕㅖㅛㅠㅣ"}
_N_TO_O = {_V[v] for v in "ㅕㅛㅠㅣ"}
_R_TO_N = {_V[v] for v in "ㅏㅐㅗㅚㅜㅡ"}


def _split(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch) - _BASE
    if not 0 <= code < _LEADS * _VOWELS * _TAILS:
        return None
    return code // (_VOWELS * _TAILS), code // _TAILS % _VOWELS, code % _TAILS


def _join(lead: int, vowel: int, tail: int) -> str:
    return chr(_BASE + (lead * _VOWELS + vowel) * _TAILS + tail)


def _southern_first(ch: str) -> str:
    parts = _split(ch)
    if parts is None:
        return ch
    lead, vowel, tail = parts
    if (lead == L_R and vowel in _R_TO_O) or (lead == L_N and vowel in _N_TO_O):
        return _join(L_O, vowel, tail)
    if lead == L_R and vowel in _R_TO_N:
        return _join(L_N, vowel, tail)
    return ch


@cache
def southern(word: str) -> str:
    """A word (a name or a place, words split by spaces) as the South spells it: the first
    syllable of each word by the initial-sound rule, and 렬/률 after a vowel or ㄴ as 열/율."""
    out = []
    for piece in word.split(" "):
        chars = list(piece)
        for i, ch in enumerate(chars):
            if i == 0:
                chars[i] = _southern_first(ch)
                continue
            parts, before = _split(ch), _split(piece[i - 1])
            if (
                parts
                and before
                and parts[0] == L_R
                and parts[1] in (_V["ㅕ"], _V["ㅠ"])
                and parts[2] == 8
                and before[2] in (0, 4)
            ):
                chars[i] = _join(L_O, parts[1], parts[2])
        out.append("".join(chars))
    return " ".join(out)


# A vowel slip: what the vowel is misheard or miswritten as.
_SLIPS = {
    "ㅕ": "ㅓ",
    "ㅓ": "ㅕㅗ",
    "ㅐ": "ㅔ",
    "ㅔ": "ㅐ",
    "ㅡ": "ㅜ",
    "ㅜ": "ㅡㅗ",
    "ㅗ": "ㅜㅓ",
    "ㅢ": "ㅣㅡ",
    "ㅚ": "ㅙㅞ",
    "ㅖ": "ㅔ",
    "ㅛ": "ㅗ",
    "ㅠ": "ㅜ",
    "ㅑ": "ㅏ",
    "ㅘ": "ㅏ",
    "ㅝ": "ㅓ",
    "ㅣ": "ㅢ",
    "ㅏ": "ㅑ",
}
_VOWEL_LIST = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
# Consonant typos: leads confused with their aspirated or tense kin, tails with their nasals.
_LEAD_TYPOS = {0: (15, 1), 3: (16,), 7: (17,), 12: (14,), 14: (12,), 9: (10,), 16: (3,), 17: (7,)}
_TAIL_TYPOS = {4: (21, 16), 21: (4,), 16: (4, 21), 1: (0,), 8: (0,), 0: (4, 21)}


def vowel_slip(word: str, rng: random.Random) -> str | None:
    """The word with one vowel slipped, or None where no vowel can slip."""
    spots = [i for i, ch in enumerate(word) if (p := _split(ch)) and _VOWEL_LIST[p[1]] in _SLIPS]
    if not spots:
        return None
    i = rng.choice(spots)
    lead, vowel, tail = _split(word[i])  # type: ignore[misc]
    new = rng.choice(_SLIPS[_VOWEL_LIST[vowel]])
    return word[:i] + _join(lead, _VOWEL_LIST.index(new), tail) + word[i + 1 :]


def consonant_typo(word: str, rng: random.Random) -> str:
    """The word with one consonant confused (its lead or its tail)."""
    i = rng.randrange(len(word))
    parts = _split(word[i])
    if parts is None:
        return word
    lead, vowel, tail = parts
    if rng.random() < 0.5 and lead in _LEAD_TYPOS:
        lead = rng.choice(_LEAD_TYPOS[lead])
    elif tail in _TAIL_TYPOS:
        tail = rng.choice(_TAIL_TYPOS[tail])
    elif lead in _LEAD_TYPOS:
        lead = rng.choice(_LEAD_TYPOS[lead])
    return word[:i] + _join(lead, vowel, tail) + word[i + 1 :]


# --- Latin letters, no standard system ----------------------------------------------------------
# Per jamo, the spellings seen in passports, church and mission records and letters.
_LEAD_LATIN = (
    ("k", "g", "k"),  # ㄱ
    ("kk", "gg"),  # ㄲ
    ("n",),  # ㄴ
    ("t", "d", "d"),  # ㄷ
    ("tt", "dd"),  # ㄸ
    ("r", "l", "r"),  # ㄹ
    ("m",),  # ㅁ
    ("p", "b", "b"),  # ㅂ
    ("pp", "bb"),  # ㅃ
    ("s", "s", "sh"),  # ㅅ (sh before i and y)
    ("ss", "s"),  # ㅆ
    ("",),  # ㅇ
    ("ch", "j", "j"),  # ㅈ
    ("tch", "jj"),  # ㅉ
    ("ch", "ch'", "ch"),  # ㅊ
    ("k", "k'", "kh"),  # ㅋ
    ("t", "t'", "th"),  # ㅌ
    ("p", "p'", "ph"),  # ㅍ
    ("h",),  # ㅎ
)
_VOWEL_LATIN = (
    ("a",),
    ("ae", "ai", "e"),
    ("ya",),
    ("yae", "ye"),
    ("o", "eo", "u", "uh", "ŏ"),
    ("e",),
    ("yo", "yeo", "you", "yu", "yŏ"),
    ("ye",),
    ("o", "oh"),
    ("wa",),
    ("wae", "wai"),
    ("oe", "oi", "we"),
    ("yo", "yoh"),
    ("u", "oo", "u"),
    ("wo", "weo", "wŏ"),
    ("we",),
    ("wi", "wee"),
    ("yu", "yoo", "you"),
    ("u", "eu", "ŭ", "eu"),
    ("ui", "eui", "ŭi", "ee"),
    ("i", "ee", "i"),
)
_TAIL_LATIN = {
    0: ("",),
    1: ("k", "g"),
    4: ("n",),
    7: ("t", "d"),
    8: ("l", "l", "l", "r"),
    16: ("m",),
    17: ("p", "b"),
    19: ("t", "s"),
    21: ("ng",),
}


def romanize_word(word: str, rng: random.Random, chosen: dict[tuple[str, int], str]) -> str:
    """A Hangul word in Latin letters; `chosen` keeps each jamo's spelling within one record."""

    def pick(kind: str, index: int, options: tuple[str, ...]) -> str:
        key = (kind, index)
        if key not in chosen:
            chosen[key] = rng.choice(options)
        return chosen[key]

    out = []
    for ch in word:
        parts = _split(ch)
        if parts is None:
            continue
        lead, vowel, tail = parts
        lead_text = pick("l", lead, _LEAD_LATIN[lead])
        if lead == 9 and _VOWEL_LIST[vowel] not in "ㅣㅑㅕㅛㅠ":
            lead_text = "s"
        out.append(lead_text)
        vowel_text = pick("v", vowel, _VOWEL_LATIN[vowel])
        if tail and vowel_text.endswith("h"):
            vowel_text = vowel_text[:-1]  # "oh", "uh" only at a syllable's end (Song, not Sohng)
        out.append(vowel_text)
        out.append(pick("t", tail, _TAIL_LATIN.get(tail, ("",))))
    return "".join(out)


def latin_name(
    surname: tuple[str, str, float, str, str], north: bool, given: str, rng: random.Random
) -> str:
    """A whole name in Latin letters as one record writes it."""
    spellings = (surname[4] if north else surname[3]).split()
    weights = [1.0 / (i + 1) for i in range(len(spellings))]
    family = rng.choices(spellings, weights)[0]
    chosen: dict[tuple[str, int], str] = {}
    syllables = [romanize_word(s, rng, chosen) for s in given]
    joiner = rng.choices(("-", " ", ""), (0.45, 0.35, 0.20))[0]
    if joiner == " " or (joiner == "-" and rng.random() < 0.2):
        syllables = [s.capitalize() for s in syllables]
    else:
        syllables = [syllables[0].capitalize(), *(s.lower() for s in syllables[1:])]
    given_text = joiner.join(syllables)
    if rng.random() < 0.15:
        family = family.upper()
    order = rng.choices(("first", "last", "comma"), (0.5, 0.42, 0.08))[0]
    if order == "first":
        return f"{family} {given_text}"
    if order == "last":
        return f"{given_text} {family}"
    return f"{family}, {given_text}"


# --- dates ------------------------------------------------------------------------------------


@cache
def _lunar_table() -> tuple[dict[date, tuple[int, int, int]], dict[tuple[int, int], int]]:
    """Each solar day of the years the lists need, as its lunar date (a leap month written as
    its number, as records do); and the length of each ordinary lunar month. Built once
    through `panmun.korean.calendars` (the KARI table of `korean_lunar_calendar`, read a
    lunar year at a time; the package alone takes ~10 ms a date)."""
    days: dict[date, tuple[int, int, int]] = {}
    lengths: dict[tuple[int, int], int] = {}
    day, last = date(BORN_FIRST - 2, 1, 1), date(BORN_LAST + 2, 12, 31)
    while day <= last:
        lunar = solar_to_lunar(day)
        days[day] = (lunar.year, lunar.month, lunar.day)
        if not lunar.leap_month:
            key = (lunar.year, lunar.month)
            lengths[key] = max(lengths.get(key, 0), lunar.day)
        day += timedelta(days=1)
    return days, lengths


def lunar_of(day: date) -> tuple[int, int, int]:
    """The lunar date of a solar one, as a record writes it (no leap-month mark; the 30th of a
    leap month whose ordinary month has 29 days written as the 29th, a date that exists)."""
    days, lengths = _lunar_table()
    year, month, dom = days[day]
    return year, month, min(dom, lengths.get((year, month), 29))


@cache
def _valid(year: int, month: int, day: int, calendar: str) -> bool:
    """Whether a recorded date exists in its calendar (unknown: in either)."""
    solar = lunar = False
    if calendar in ("solar", ""):
        try:
            date(year, month, day)
            solar = True
        except ValueError:
            solar = False
    if calendar in ("lunar", ""):
        lunar = 1 <= day <= _lunar_table()[1].get((year, month), 0)
    return solar or lunar


# --- the people -------------------------------------------------------------------------------


@dataclass
class Person:
    key: int  # unique within a run, never written
    surname: tuple[str, str, float, str, str]
    given: str  # hanja sounds (the North's spelling)
    sex: str
    born: date
    lunar_kept: bool
    place: Place
    father: str  # his given name (hanja sounds)


@dataclass
class Family:
    children: list[Person]


@dataclass
class _World:
    rng: random.Random
    next_key: int = 0

    def key(self) -> int:
        self.next_key += 1
        return self.next_key


_SURNAME_WEIGHTS = list(accumulate(s[2] for s in SURNAMES))
_PLACE_WEIGHTS = list(accumulate(PLACE_WEIGHTS))


def _given(rng: random.Random, sex: str, shared: str | None, position: int) -> str:
    first, second = (MALE_FIRST, MALE_SECOND) if sex == "M" else (FEMALE_FIRST, FEMALE_SECOND)
    if shared is None and rng.random() < ONE_SYLLABLE_GIVEN:
        return rng.choice(second if sex == "F" else first)
    a, b = rng.choice(first), rng.choice(second)
    if shared is not None:
        a, b = (shared, b) if position == 0 else (a, shared)
    return a + b if a != b else a + rng.choice(second)


_SIZES = (range(1, 9), list(accumulate((8, 12, 18, 20, 18, 13, 8, 3))))
_GAPS = ((1, 2, 3, 4, 5), list(accumulate((10, 40, 30, 14, 6))))
_SISTER_SYLLABLES = ("순", "숙", "희", "옥", "자", "녀", "영", "정")
_BY_PROVINCE = {
    p.province_then: [q for q in PLACES if q.province_then == p.province_then] for p in PLACES
}


def _family(world: _World, take: int | None = None) -> Family:
    """A family's children born 1925–1955; with `take`, only that many of them (at random)
    are made, for families nobody sought, of whom only a few are returned."""
    rng = world.rng
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]
    father = rng.choice(FATHER_FIRST) + rng.choice(FATHER_SECOND)
    place = rng.choices(PLACES, cum_weights=_PLACE_WEIGHTS)[0]
    lunar = rng.random() < LUNAR_KEPT
    size = rng.choices(*_SIZES)[0]
    year = rng.randint(BORN_FIRST - 3, BORN_LAST - 2)
    years = []
    for _ in range(size):
        if BORN_FIRST <= year <= BORN_LAST:
            years.append(year)
        year += rng.choices(*_GAPS)[0]
    if not years:
        return _family(world, take)
    if take is not None and take < len(years):
        years = sorted(rng.sample(years, take))
    brother_at = 0 if rng.random() < 0.5 else 1
    brother = rng.choice(MALE_SECOND if brother_at else MALE_FIRST)
    sister = rng.choice(_SISTER_SYLLABLES)
    sister_at = 0 if sister in ("영", "정") else 1
    share_b = rng.random() < GENERATION_BROTHERS
    share_s = rng.random() < GENERATION_SISTERS
    children: list[Person] = []
    names: set[str] = set()
    for year in years:
        sex = "M" if rng.random() < 0.51 else "F"
        for _try in range(8):
            if sex == "M":
                given = _given(rng, sex, brother if share_b else None, brother_at)
            else:
                given = _given(rng, sex, sister if share_s else None, sister_at)
            if given not in names:
                break
        names.add(given)
        born = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        here = place
        if rng.random() < SIBLING_ELSEWHERE_RATE:
            here = rng.choice(_BY_PROVINCE[place.province_then])
        children.append(Person(world.key(), surname, given, sex, born, lunar, here, father))
    return Family(children)


def _namesake(world: _World, of: Person) -> Person:
    """Someone of another family with the same surname and given name, born near."""
    other = _family(world, 1).children[0]
    born = of.born + timedelta(days=world.rng.randint(-6 * 365, 6 * 365))
    born = min(max(born, date(BORN_FIRST, 1, 1)), date(BORN_LAST, 12, 31))
    other.surname, other.given, other.sex, other.born = of.surname, of.given, of.sex, born
    return other


# --- the channels -----------------------------------------------------------------------------


@cache
def _cumulative(table: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    return [f for f, _ in table], list(accumulate(w for _, w in table))


def _form(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    forms, weights = _cumulative(table)
    return rng.choices(forms, cum_weights=weights)[0]


def _date(rng: random.Random, person: Person, south: bool, vague: bool, tags: set[str]):
    forms = (VAGUE_DATE_FORMS if vague else SOUTH_DATE_FORMS) if south else NORTH_DATE_FORMS
    form = _form(rng, forms)
    solar = person.born
    kept = lunar_of(solar) if person.lunar_kept else (solar.year, solar.month, solar.day)
    kept_label = "lunar" if person.lunar_kept else "solar"
    if form == "blank":
        tags.add("date_missing")
        return "", ""
    if form in ("solar", "solar_blank"):
        year, month, day = solar.year, solar.month, solar.day
        label = "solar" if form == "solar" else ""
    elif form.startswith("kept"):
        year, month, day = kept
        label = {"kept": kept_label, "kept_blank": "", "kept_wrong": ""}[form]
        if form == "kept_wrong":
            label = "solar" if person.lunar_kept else "lunar"
            tags.add("calendar_wrong")
    else:  # month or year: of the calendar kept
        year, month, day = kept
        label = ""
    if not label:
        tags.add("calendar_unknown")
    if rng.random() < (SOUTH_KOREAN_AGE_RATE if south else NORTH_KOREAN_AGE_RATE):
        year += -1 if rng.random() < KOREAN_AGE_EARLY else 1
        tags.add("year_off_korean_age")
    if form == "year":
        tags.add("year_only")
        return f"{year:04d}", ""
    if form == "month":
        tags.add("year_month_only")
        return f"{year:04d}-{month:02d}", ""
    if rng.random() < (SOUTH_DAY_WRONG_RATE if south else NORTH_DAY_WRONG_RATE):
        how = rng.random()
        if how < 0.4 and day <= 12 and day != month:
            month, day = day, month
        elif how < 0.7:
            month = month % 12 + 1
        else:
            day = max(1, min(28, day + rng.choice((-10, -2, -1, 1, 2, 10))))
        if not _valid(year, month, day, label):
            day = min(day, 28)
        tags.add("day_or_month_wrong")
    if not _valid(year, month, day, label):
        day = 28 if day > 28 else day
    if label == "lunar":
        tags.add("date_full_lunar")
    return f"{year:04d}-{month:02d}-{day:02d}", label


def _county_word(county: str, rng: random.Random) -> str:
    """The county of 1945 alone, its kind sometimes dropped (희천군 → 희천)."""
    word = county.split(" ")[-1] if rng.random() < 0.3 else county
    if rng.random() < 0.3 and word[-1] in "군부읍면" and len(word) > 2:
        word = word[:-1]
    return word


def _place(rng: random.Random, place: Place, south: bool, latin: bool, tags: set[str]) -> str:
    if south:
        if latin and rng.random() < SOUTH_LATIN_PLACE:
            tags.add("place_latin")
            chosen: dict[tuple[str, int], str] = {}
            county = southern(place.county_then.split(" ")[0])[:-1]
            text = romanize_word(county, rng, chosen).capitalize()
            if rng.random() < 0.6:
                text += ", " + rng.choice(PROVINCE_LATIN[place.province_then])
            return text
        form = _form(rng, SOUTH_PLACE_FORMS)
        old = southern(place.county_then)
        if form == "old":
            text = f"{place.province_then} {old}"
        elif form == "old_short":
            text = f"{PROVINCE_SHORT[place.province_then]} {_county_word(old, rng)}"
        elif form == "county":
            text = _county_word(old, rng)
        elif form == "province":
            text = place.province_then
        elif form == "today":
            text = southern(f"{place.province_now} {place.unit_now}")
        else:
            text = ""
    else:
        form = _form(rng, NORTH_PLACE_FORMS)
        if form == "now":
            text = f"{place.province_now} {place.unit_now}"
        elif form == "unit":  # the city or county alone (평양시 for its districts)
            text = place.unit_now.split(" ")[0]
            if place.province_now.endswith("시"):
                text = place.province_now
        elif form == "now_province":
            text = place.province_now
        elif form == "old":
            text = f"{place.province_then} {place.county_then}"
        else:
            text = ""
    tags.add(f"place_{form}")
    if text and rng.random() < (SOUTH_PLACE_TYPO if south else NORTH_PLACE_TYPO):
        words = text.split(" ")
        at = rng.randrange(len(words))
        words[at] = consonant_typo(words[at], rng)
        text = " ".join(words)
        tags.add("place_typo")
    if form == "province" and place.province_then != place.province_now:
        tags.add("place_old_province_renamed")
    if form in ("old", "old_short", "county") and (
        place.county_then.split(" ")[0][:-1] not in f"{place.province_now} {place.unit_now}"
    ):
        tags.add("place_old_county_renamed")
    return text


def _father(rng: random.Random, person: Person, south: bool, tags: set[str]) -> str:
    if rng.random() < (SOUTH_FATHER_MISSING if south else NORTH_FATHER_MISSING):
        tags.add("father_missing")
        return ""
    given = person.father
    if rng.random() < (SOUTH_FATHER_OTHER_NAME if south else NORTH_FATHER_OTHER_NAME):
        given = rng.choice(FATHER_FIRST) + rng.choice(FATHER_SECOND)
        tags.add("father_other_name")
    if rng.random() < (SOUTH_FATHER_TYPO if south else NORTH_FATHER_TYPO):
        given = consonant_typo(given, rng)
        tags.add("father_typo")
    family = person.surname[1] if south else person.surname[0]
    if south:
        given = southern(given)
    if rng.random() < (SOUTH_FATHER_GIVEN_ONLY if south else NORTH_FATHER_GIVEN_ONLY):
        tags.add("father_given_only")
        return given
    return family + given


def record(rng: random.Random, person: Person, south: bool) -> tuple[list[str], set[str]]:
    """One person through one side's channel: the row (without its id) and what was done."""
    tags: set[str] = set()
    vague = south and rng.random() < VAGUE_RATE
    if vague:
        tags.add("vague")
    given = person.given
    if len(given) == 2 and rng.random() < (SOUTH_SWAP_RATE if south else NORTH_SWAP_RATE):
        given = given[1] + given[0]
        tags.add("given_swapped")
    slip = (VAGUE_SLIP_RATE if vague else SOUTH_SLIP_RATE) if south else NORTH_SLIP_RATE
    if rng.random() < slip and (slipped := vowel_slip(given, rng)) is not None:
        given = slipped
        tags.add("vowel_slip")
    if rng.random() < (SOUTH_TYPO_RATE if south else NORTH_TYPO_RATE):
        given = consonant_typo(given, rng)
        tags.add("name_typo")
    family = person.surname[1] if south else person.surname[0]
    if south:
        given = southern(given)
    latin_only = rng.random() < (SOUTH_LATIN_ONLY_RATE if south else NORTH_LATIN_ONLY_RATE)
    latin = ""
    if latin_only or rng.random() < (SOUTH_LATIN_TOO_RATE if south else NORTH_LATIN_TOO_RATE):
        latin = latin_name(person.surname, not south, given, rng)
        tags.add("latin_only" if latin_only else "latin_too")
    if latin_only:
        family = given = ""
    sex = person.sex
    draw = rng.random()
    missing, wrong = (
        (SOUTH_SEX_MISSING, SOUTH_SEX_WRONG) if south else (NORTH_SEX_MISSING, NORTH_SEX_WRONG)
    )
    if draw < missing:
        sex = ""
        tags.add("sex_missing")
    elif draw < missing + wrong:
        sex = "F" if sex == "M" else "M"
        tags.add("sex_wrong")
    birth, label = _date(rng, person, south, vague, tags)
    place = _place(rng, person.place, south, latin_only, tags)
    if not place:
        tags.add("place_missing")
    father = _father(rng, person, south, tags)
    return [family, given, latin, sex, birth, label, place, father], tags


def _pair_tags(person: Person, south: set[str], north: set[str]) -> set[str]:
    """The phenomena of a true pair, from what each side's channel did."""
    both = south | north
    out = {
        tag
        for tag in (
            "given_swapped",
            "latin_only",
            "vowel_slip",
            "year_off_korean_age",
            "day_or_month_wrong",
            "calendar_unknown",
            "sex_missing",
            "father_missing",
            "father_other_name",
            "name_typo",
            "place_old_province_renamed",
            "place_old_county_renamed",
            "date_missing",
        )
        if tag in both
    }
    if ("date_full_lunar" in south and "year_only" in north) or (
        "date_full_lunar" in north and "year_only" in south
    ):
        out.add("lunar_full_vs_year_only")
    initial_sound = (
        southern(person.surname[0]) != person.surname[0] or southern(person.given) != person.given
    )
    for side in (south, north):
        if "vowel_slip" in side and "date_missing" in side and initial_sound:
            out.add("vowel_slip_initial_sound_no_date")
    if initial_sound:
        out.add("initial_sound_differs")
    return out


# --- the lists --------------------------------------------------------------------------------


@dataclass
class Dataset:
    sought: list[dict[str, str]]  # rows by column name (COLUMNS), in id order
    returned: list[dict[str, str]]
    truth: list[tuple[str, str]]
    stats: Counter[str] = field(default_factory=Counter)


class _Shuffle:
    """A bucketed shuffle: rows go to random buckets (in memory or in files), then each bucket
    is shuffled; the same seed gives the same order either way."""

    BUCKETS = 64

    def __init__(self, rng: random.Random, folder: Path | None) -> None:
        self.rng = rng
        self.memory: list[list[tuple[int, list[str]]]] = [[] for _ in range(self.BUCKETS)]
        self.files = None
        if folder is not None:
            self.handles = [
                (folder / f"bucket-{i}.csv").open("w", encoding="utf-8", newline="")
                for i in range(self.BUCKETS)
            ]
            self.files = [csv.writer(h, lineterminator="\n") for h in self.handles]

    def add(self, key: int, row: list[str]) -> None:
        bucket = self.rng.randrange(self.BUCKETS)
        if self.files is None:
            self.memory[bucket].append((key, row))
        else:
            self.files[bucket].writerow([key, *row])

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for bucket in range(self.BUCKETS):
            if self.files is None:
                rows, self.memory[bucket] = self.memory[bucket], []
            else:
                handle = self.handles[bucket]
                handle.close()
                with open(handle.name, encoding="utf-8", newline="") as f:
                    rows = [(int(r[0]), r[1:]) for r in csv.reader(f)]
                Path(handle.name).unlink()
            self.rng.shuffle(rows)
            yield from rows


def _build(n_sought: int, n_returned: int, seed: int, sought: _Shuffle, returned: _Shuffle):
    """Make the people and send each record to its list; the truth as pairs of keys."""
    world = _World(random.Random(seed))  # noqa: S311 (test data, not secrets)
    rng = world.rng
    truth: list[tuple[int, int]] = []
    stats: Counter[str] = Counter()
    made_sought = made_returned = 0

    def emit(shuffle: _Shuffle, person: Person, south: bool) -> set[str]:
        row, tags = record(rng, person, south)
        shuffle.add(person.key, row)
        side = "sought" if south else "returned"
        for tag in tags:
            stats[f"{side}: {tag}"] += 1
        return tags

    # Each sought family: one or two members sought; who of them is found; who else comes back.
    # The returned list keeps room for the found (FOUND_RATE of the sought) before siblings.
    room = n_returned
    while made_sought < n_sought:
        family = _family(world)
        count = 2 if rng.random() < SOUGHT_TWO_RATE and len(family.children) > 1 else 1
        count = min(count, n_sought - made_sought)
        chosen = rng.sample(family.children, count)
        others = [c for c in family.children if c not in chosen]
        any_found = False
        for person in chosen:
            south_tags = emit(sought, person, True)
            made_sought += 1
            if rng.random() < FOUND_RATE and room > 0:
                north_tags = emit(returned, person, False)
                made_returned += 1
                room -= 1
                truth.append((person.key, person.key))
                any_found = True
                for tag in _pair_tags(person, south_tags, north_tags):
                    stats[f"pair: {tag}"] += 1
        # Brothers and sisters come back with the found; for the lost, sometimes one alone.
        reserve = int((n_sought - made_sought) * FOUND_RATE)
        rate = SIBLING_RETURN_RATE if any_found else 0.0
        if not any_found and others and rng.random() < LOST_SIBLING_RATE:
            others = rng.sample(others, 1)
            rate = 1.0
        for sibling in others:
            if rng.random() < rate and room > reserve:
                emit(returned, sibling, False)
                stats["returned: sibling of a sought person"] += 1
                made_returned += 1
                room -= 1
        if rng.random() < NAMESAKE_RATE and room > reserve:
            emit(returned, _namesake(world, chosen[0]), False)
            stats["returned: namesake of a sought person"] += 1
            made_returned += 1
            room -= 1
    # The rest: families nobody sought, a few members each.
    while room > 0:
        family = _family(world, min(room, 1 + int(rng.expovariate(1 / FILLER_GROUP_MEAN))))
        for person in family.children:
            emit(returned, person, False)
            made_returned += 1
            room -= 1
    stats["sought"] = made_sought
    stats["returned"] = made_returned
    stats["true pairs"] = len(truth)
    return truth, stats


def _numbered(shuffle: _Shuffle, prefix: str, total: int) -> Iterator[tuple[int, str, list[str]]]:
    width = max(6, len(str(total)))
    for number, (key, row) in enumerate(shuffle.rows(), 1):
        yield key, f"{prefix}{number:0{width}d}", row


def generate(n_sought: int, n_returned: int, seed: int) -> Dataset:
    """The two lists and the truth, in memory."""
    order = random.Random(seed * 7919 + 1)  # noqa: S311
    sought, returned = _Shuffle(order, None), _Shuffle(order, None)
    truth_keys, stats = _build(n_sought, n_returned, seed, sought, returned)
    ids: dict[int, str] = {}
    sought_rows = []
    for key, record_id, row in _numbered(sought, "S", n_sought):
        ids[key] = record_id
        sought_rows.append(dict(zip(COLUMNS, (record_id, *row), strict=True)))
    wanted = {k for k, _ in truth_keys}
    returned_ids: dict[int, str] = {}
    returned_rows = []
    for key, record_id, row in _numbered(returned, "N", n_returned):
        if key in wanted:
            returned_ids[key] = record_id
        returned_rows.append(dict(zip(COLUMNS, (record_id, *row), strict=True)))
    truth = sorted((ids[a], returned_ids[b]) for a, b in truth_keys)
    return Dataset(sought_rows, returned_rows, truth, stats)


def _write_rows(path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def _write_truth(path: Path, truth: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("left_id", "right_id"))
        writer.writerows(truth)


def write(dataset: Dataset, folder: Path) -> None:
    """sought.csv, returned.csv and truth.csv (left_id,right_id) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_rows(folder / "sought.csv", ([r[c] for c in COLUMNS] for r in dataset.sought))
    _write_rows(folder / "returned.csv", ([r[c] for c in COLUMNS] for r in dataset.returned))
    _write_truth(folder / "truth.csv", dataset.truth)


def generate_files(n_sought: int, n_returned: int, seed: int, folder: Path) -> Counter[str]:
    """The same files as `write(generate(...))`, streamed through buckets on disk."""
    folder.mkdir(parents=True, exist_ok=True)
    order = random.Random(seed * 7919 + 1)  # noqa: S311
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        one, two = Path(scratch) / "s", Path(scratch) / "r"
        one.mkdir()
        two.mkdir()
        sought, returned = _Shuffle(order, one), _Shuffle(order, two)
        truth_keys, stats = _build(n_sought, n_returned, seed, sought, returned)
        ids: dict[int, str] = {}

        def sought_rows() -> Iterator[list[str]]:
            for key, record_id, row in _numbered(sought, "S", n_sought):
                ids[key] = record_id
                yield [record_id, *row]

        _write_rows(folder / "sought.csv", sought_rows())
        wanted = {k for k, _ in truth_keys}
        returned_ids: dict[int, str] = {}

        def returned_rows() -> Iterator[list[str]]:
            for key, record_id, row in _numbered(returned, "N", n_returned):
                if key in wanted:
                    returned_ids[key] = record_id
                yield [record_id, *row]

        _write_rows(folder / "returned.csv", returned_rows())
    truth = sorted((ids[a], returned_ids[b]) for a, b in truth_keys)
    _write_truth(folder / "truth.csv", truth)
    return stats


# --- what the lists hold ------------------------------------------------------------------------

PHENOMENA = (
    "given_swapped",
    "latin_only",
    "place_old_province_renamed",
    "place_old_county_renamed",
    "lunar_full_vs_year_only",
    "year_off_korean_age",
    "vowel_slip_initial_sound_no_date",
)


def place_resolution(folder: Path) -> dict[str, float]:
    """Shares of the non-blank birthplaces the panmun gazetteer places: to one place, to a
    province only, to nothing (None from canonical_place_key)."""
    from panmun.korean.gazetteer import canonical_place_key, place

    counts: Counter[str] = Counter()
    keys: dict[str, str | None] = {}
    for name in ("sought.csv", "returned.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = row["birthplace"]
                if not text:
                    continue
                if text not in keys:
                    keys[text] = canonical_place_key(text)
                key = keys[text]
                if key is None:
                    counts["unresolved"] += 1
                elif place(key).kind == "province":
                    counts["province only"] += 1
                else:
                    counts["one place"] += 1
    total = sum(counts.values())
    return {k: counts[k] / total for k in ("one place", "province only", "unresolved")}


def describe(stats: Counter[str]) -> list[str]:
    """Lines for --stats: the counts of each phenomenon, pairs first."""
    lines = [f"{stats['sought']:,} sought, {stats['returned']:,} returned, "
             f"{stats['true pairs']:,} true pairs"]  # fmt: skip
    for prefix in ("pair: ", "sought: ", "returned: "):
        for tag, count in sorted(stats.items()):
            if tag.startswith(prefix):
                lines.append(f"{tag:55s} {count:>8,}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sought", type=int, default=2000)
    parser.add_argument("--returned", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="The folder for the three files.")
    parser.add_argument("--stats", action="store_true", help="Print what the lists hold.")
    args = parser.parse_args()
    if args.returned < args.sought:
        parser.error("--returned must be at least --sought")
    out = Path(args.out)
    stats = generate_files(args.sought, args.returned, args.seed, out)
    if args.stats:
        for line in describe(stats):
            print(line)
        shares = place_resolution(out)
        print("birthplaces (non-blank) the gazetteer places: " + ", ".join(
            f"{k} {v:.1%}" for k, v in shares.items()
        ))  # fmt: skip


if __name__ == "__main__":
    main()
