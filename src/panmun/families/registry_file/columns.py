"""The registry file's layout: its columns and their headers (English and Korean), the records
its rows make (`ApplicantData`, `RelativeData`) and the attributes each column is, and the
limits on the file and its values.

The file's columns are `COLUMNS`: the registry number, the applicant's columns, then from
"relation" on the relative's. Headers are the English names of `COLUMNS` or the Korean ones of
`KOREAN_HEADERS`, in any order, case, spacing (`HEADERS`, keyed by `header_key`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from panmun.common.findings import Finding

COLUMNS: tuple[str, ...] = (
    "registry_no",
    "applicant_family_name",
    "applicant_given_name",
    "applicant_name_latin",
    "applicant_sex",
    "applicant_birth_date",
    "applicant_birth_calendar",
    "address",
    "phone",
    "email",
    "abroad",
    "country",
    "applicant_status",
    "applicant_death_date",
    "registered_on",
    "consent_share",
    "consent_on",
    "applicant_notes",
    "relation",
    "relative_family_name",
    "relative_given_name",
    "relative_name_latin",
    "relative_sex",
    "relative_birth_date",
    "relative_birth_calendar",
    "relative_hometown",
    "relative_father_name",
    "relative_status",
    "relative_death_date",
    "last_known_place",
    "separated_on",
    "relative_notes",
)

KOREAN_HEADERS: dict[str, str] = {
    "registry_no": "등록번호",
    "applicant_family_name": "신청자 성",
    "applicant_given_name": "신청자 이름",
    "applicant_name_latin": "신청자 영문 이름",
    "applicant_sex": "신청자 성별",
    "applicant_birth_date": "신청자 생년월일",
    "applicant_birth_calendar": "신청자 양음력",
    "address": "주소",
    "phone": "전화",
    "email": "전자우편",
    "abroad": "해외 거주",
    "country": "거주국",
    "applicant_status": "신청자 생존 여부",
    "applicant_death_date": "신청자 사망일",
    "registered_on": "등록일",
    "consent_share": "정보 공유 동의",
    "consent_on": "동의일",
    "applicant_notes": "신청자 비고",
    "relation": "관계",
    "relative_family_name": "가족 성",
    "relative_given_name": "가족 이름",
    "relative_name_latin": "가족 영문 이름",
    "relative_sex": "가족 성별",
    "relative_birth_date": "가족 생년월일",
    "relative_birth_calendar": "가족 양음력",
    "relative_hometown": "가족 고향",
    "relative_father_name": "가족 부 성명",
    "relative_status": "가족 생존 여부",
    "relative_death_date": "가족 사망일",
    "last_known_place": "마지막 소재지",
    "separated_on": "이산 시기",
    "relative_notes": "가족 비고",
}

# The most characters a value may have (the database's limits; free text has a generous one).
# Coded columns (sex, dates, yes/no, …) have none: a long value is not a code, refused as such.
LIMITS: dict[str, int] = {
    "registry_no": 20,
    "applicant_family_name": 100,
    "applicant_given_name": 100,
    "applicant_name_latin": 200,
    "address": 500,
    "phone": 50,
    "email": 200,
    "country": 100,
    "applicant_notes": 5000,
    "relative_family_name": 100,
    "relative_given_name": 100,
    "relative_name_latin": 200,
    "relative_hometown": 200,
    "relative_father_name": 100,
    "last_known_place": 200,
    "relative_notes": 5000,
}
EARLIEST_YEAR = 1880
SHOWN_PROBLEMS = 20
PROGRESS_EVERY = 1000
# The largest file an import takes from a page or a job (the command line reads any size), and
# the most data rows of a file (everywhere): past either the file is refused by its name. A row
# of the registry takes some 60 bytes in CSV at the least, so 50 MB may hold some 800,000.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000

NOTES = frozenset({"applicant_notes", "relative_notes"})
APPLICANT_NAMES = ("applicant_family_name", "applicant_given_name", "applicant_name_latin")
RELATIVE_NAMES = ("relative_family_name", "relative_given_name", "relative_name_latin")
# The columns that describe the applicant: every row of one registry_no must agree on them.
APPLICANT_COLUMNS = COLUMNS[1 : COLUMNS.index("relation")]
APPLICANT_SET = frozenset(APPLICANT_COLUMNS)
# The columns that describe the relative sought; any of them filled means the row has one.
RELATIVE_COLUMNS = COLUMNS[COLUMNS.index("relation") :]
RELATIVE_SET = frozenset(RELATIVE_COLUMNS)
ORDER = {column: index for index, column in enumerate(COLUMNS)}

_HEADER_SPACE = re.compile(r"[\s_\-]+")


def header_key(text: str) -> str:
    """A header as compared: NFC, without spaces, "_", "-" and a BOM, case-folded."""
    return _HEADER_SPACE.sub(
        "", unicodedata.normalize("NFC", text).replace("\ufeff", "")
    ).casefold()


HEADERS: dict[str, str] = {
    **{header_key(column): column for column in COLUMNS},
    **{header_key(korean): column for column, korean in KOREAN_HEADERS.items()},
}


def file_too_large(file: str, size: int) -> Finding:
    """The problem of a file larger than an import takes (MAX_FILE_BYTES)."""
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    return Finding(
        "registry_file_too_large",
        ko=f"파일이 {size:,}바이트로 너무 큽니다 (최대 {MAX_FILE_BYTES:,}바이트, {megabytes}MB)",
        en=(
            f"the file is {size:,} bytes; "
            f"at most {MAX_FILE_BYTES:,} bytes ({megabytes} MB) are taken"
        ),
        file=file,
        row=0,
    )


@dataclass(slots=True)
class RelativeData:
    """A relative sought, from one row."""

    row: int = 0
    relation: str = ""  # spouse|parent|child|sibling|other
    family_name: str = ""
    given_name: str = ""
    name_latin: str = ""
    sex: str = ""  # "M", "F", "X" or ""
    birth_date: str = ""  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or ""
    birth_year: int | None = None
    birth_calendar: str = ""  # "solar", "lunar" or ""
    hometown: str = ""
    father_name: str = ""
    status: str = "unknown"  # "unknown", "alive" or "deceased"
    death_date: str = ""  # a partial date, only when deceased
    last_known_place: str = ""
    separated_on: str = ""  # a partial date
    notes: str = ""


@dataclass(slots=True)
class ApplicantData:
    """An applicant, from every row of one registry_no, with the relatives they seek."""

    rows: list[int] = field(default_factory=list)
    registry_no: str = ""
    family_name: str = ""
    given_name: str = ""
    name_latin: str = ""
    sex: str = ""
    birth_date: str = ""
    birth_year: int | None = None
    birth_calendar: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    abroad: bool = False
    country: str = ""
    status: str = "alive"  # "alive" or "deceased"
    death_date: str = ""
    registered_on: date | None = None
    consent_share: bool = False
    consent_on: date | None = None
    notes: str = ""
    relatives: list[RelativeData] = field(default_factory=list)


# The applicant's columns (COLUMNS up to "relation") as ApplicantData's attributes, in order, and
# the relative's (from "relation" on) as RelativeData's: the one definition of the layout, used
# by `registry_rows` and by the registry's export, which reads the database straight into rows.
APPLICANT_ATTRIBUTES: tuple[str, ...] = (
    "registry_no", "family_name", "given_name", "name_latin", "sex", "birth_date",
    "birth_calendar", "address", "phone", "email", "abroad", "country", "status", "death_date",
    "registered_on", "consent_share", "consent_on", "notes",
)  # fmt: skip
RELATIVE_ATTRIBUTES: tuple[str, ...] = (
    "relation", "family_name", "given_name", "name_latin", "sex", "birth_date", "birth_calendar",
    "hometown", "father_name", "status", "death_date", "last_known_place", "separated_on",
    "notes",
)  # fmt: skip
NO_RELATIVE: tuple[str, ...] = ("",) * len(RELATIVE_COLUMNS)
