"""Registry test data, written through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from panmun.accounts.models import User

from ..models import Person, Seeking
from ..services import registry

_numbers = itertools.count(1)


def applicant(actor: User, **fields: Any) -> Person:
    values: dict[str, Any] = {
        "registry_no": f"T-{next(_numbers):06d}",
        "family_name": "김",
        "given_name": "영수",
        "sex": "M",
        "birth_date": "1935-03-02",
        "birth_calendar": "solar",
        "status": "alive",
        "address": "서울특별시 종로구",
        "registered_on": dt.date(1988, 7, 1),
        "consent_share": True,
        "consent_on": dt.date(2020, 1, 1),
    }
    values.update(fields)
    return registry.person_save(actor=actor, person=Person(**values))


def relative(actor: User, of: Person, relation: str = "sibling", **fields: Any) -> Seeking:
    values: dict[str, Any] = {
        "family_name": "이",
        "given_name": "선권",
        "sex": "M",
        "birth_date": "1940",
        "hometown": "함경남도 혜산",
        "father_name": "이만수",
    }
    link = {k: fields.pop(k) for k in ("last_known_place", "separated_on", "notes") if k in fields}
    values.update(fields)
    return registry.seeking_add(
        actor=actor,
        applicant=of,
        sought=Person(**values),
        seeking=Seeking(relation=relation, **link),
    )


def round_apply_approved(*, officer: User, approver: User, tracing_round: Any) -> dict[str, int]:
    """Apply a tracing round the way the programme does it: the officer asks for approval
    (결재), a supervisor of the same side approves, then the officer applies."""
    from panmun.accounts import signoffs

    from ..services import tracing

    signoff = tracing.round_apply_request(actor=officer, tracing_round=tracing_round)
    signoffs.signoff_decide(actor=approver, signoff=signoff, approve=True)
    return tracing.round_apply(actor=officer, tracing_round=tracing_round)


# Families for teaching the engine: each a person registered twice (the second time in the
# North's spelling, or with the hometown written otherwise, or with less recorded), some with a
# brother or sister who shares the family name, the father and the hometown, some with a
# namesake from another family: pairs the engine is unsure of.
_FAMILIES = [
    ("이", "리", "영철", "영희", "1931-02-11", "1935", "함경남도 북청", "이병규"),
    ("류", "유", "정숙", "정자", "1934-05-20", "1938", "황해도 연백", "류철호"),
    ("김", "김", "순자", "순옥", "1938-06-01", "1941", "평안북도 강계", "김동호"),
    ("박", "박", "명수", "명호", "1932-09-09", "1936", "개성부", "박기석"),
    ("최", "최", "옥순", "옥자", "1936-07-07", "1933", "평양부", "최병철"),
    ("정", "정", "만길", "만석", "1929-12-24", "1927", "함경북도 청진", "정태호"),
    ("노", "로", "경애", "경순", "1937-03-15", "1940", "강원도 원산", "노상철"),
    ("한", "한", "동수", "동식", "1933-01-30", "1930", "평안남도 안주", "한기수"),
    ("임", "림", "춘자", "춘희", "1939-08-08", "1943", "황해도 해주", "임종국"),
    ("윤", "윤", "상호", "상철", "1930-10-10", "1934", "함경남도 함흥", "윤병도"),
    ("양", "량", "미자", "미숙", "1935-11-11", "1932", "평안북도 신의주", "양재호"),
    ("송", "송", "기철", "기남", "1928-04-04", "1931", "강원도 철원", "송만호"),
]


def teaching_registry(actor: User) -> dict[tuple[int, int], bool]:
    """Twelve families as above; the truth of each pair that matters, by ordered ids."""
    truth: dict[tuple[int, int], bool] = {}
    for n, (family, north, given, sibling, born, sibling_born, town, father) in enumerate(
        _FAMILIES
    ):
        # Every other family's second record names neither hometown nor father, and a
        # birth year one or two off.
        sparse = n % 2 == 1
        sex = "F" if given[-1] in "희숙자순애" else "M"
        first = applicant(
            actor,
            family_name=family,
            given_name=given,
            sex=sex,
            birth_date=born,
            hometown=town,
            father_name=father,
        )
        again = applicant(
            actor,
            family_name=north,
            given_name=given,
            sex=sex,
            birth_date=str(int(born[:4]) + n % 4 // 2 + 1) if sparse else born[:4],
            hometown="" if sparse else town.replace("부", "시") + " 중구",
            father_name="" if sparse else north + father[1:],
        )
        truth[(min(first.pk, again.pk), max(first.pk, again.pk))] = True
        if n % 3 == 0:
            # A namesake of another family: the same full name, born two years later, with
            # no hometown and another father — as likely one person as two, to the engine.
            namesake = applicant(
                actor,
                family_name=family,
                given_name=given,
                sex=sex,
                birth_date=str(int(born[:4]) + 2),
                hometown="",
                father_name=family + "정남",
            )
            for one in (first, again):
                truth[(min(one.pk, namesake.pk), max(one.pk, namesake.pk))] = False
        if n % 4:
            continue
        # One family in four has a brother or sister registered too.
        brother = applicant(
            actor,
            family_name=family,
            given_name=sibling,
            sex=sex,
            birth_date=sibling_born,
            hometown=town,
            father_name=father,
        )
        for one in (first, again):
            truth[(min(one.pk, brother.pk), max(one.pk, brother.pk))] = False
    return truth
