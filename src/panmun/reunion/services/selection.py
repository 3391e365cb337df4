"""Selecting the families of a reunion round (인선): criteria → pool frozen and committed → draw →
willingness and health → tracing inquiry → final list and reserves.

Every step is a service function: keyword-only, one transaction, permission checked, a
`StageChange` and an audit entry written with it. Only a supervisor sets the criteria, runs the
draw, fixes the final list, or steps a round back (with a reason).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Min, Q, Value, When
from django.utils import timezone, translation

from panmun.accounts import audit, signoffs
from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import SignOff, User
from panmun.common.bulk import Insert
from panmun.common.errors import DomainError, ErrorCode, invalid, invalid_fields
from panmun.families.models import Seeking, TracingRound, VitalStatus
from panmun.families.selectors import registry_version
from panmun.families.services import tracing

from .. import lottery
from ..access import can_edit_reunions, can_run_selection
from ..criteria import EXCLUSIONS, RELATIONS, CriteriaError, SelectionCriteria, parse_criteria
from ..models import (
    STAGE_ORDER,
    Candidate,
    Draw,
    Health,
    Outcome,
    Participant,
    ReunionEvent,
    ReunionRound,
    RoundKind,
    SeedSource,
    Stage,
    StageChange,
    Willingness,
)
from .event import GEUMGANGSAN, places_assign, sessions_from_template


def _stage_error(reunion_round: ReunionRound, to: str) -> DomainError:
    with translation.override("ko"):
        at_ko, to_ko = str(Stage(reunion_round.stage).label), str(Stage(to).label)
    with translation.override("en"):
        at_en, to_en = str(Stage(reunion_round.stage).label), str(Stage(to).label)
    return DomainError(
        ErrorCode.INVALID_TRANSITION,
        f"'{at_ko}' 단계의 회차는 '{to_ko}' 단계로 갈 수 없습니다.",
        f"A round at the stage '{at_en}' cannot move to '{to_en}'.",
        {"stage": reunion_round.stage, "to": to},
    )


def stage_error(reunion_round: ReunionRound, to: str) -> DomainError:
    """The refusal of a step the round's stage does not allow (for a page to show before it
    asks for confirmation)."""
    return _stage_error(reunion_round, to)


def _locked(reunion_round: ReunionRound) -> ReunionRound:
    return ReunionRound.objects.select_for_update().get(pk=reunion_round.pk)


def _move(
    reunion_round: ReunionRound, *, actor: User, frm: Iterable[str], to: str, reason: str = ""
) -> None:
    if reunion_round.stage not in frm:
        raise _stage_error(reunion_round, to)
    StageChange.objects.create(
        round=reunion_round,
        from_stage=reunion_round.stage,
        to_stage=to,
        reason=reason,
        changed_by=actor,
    )
    reunion_round.stage = to
    reunion_round.save(update_fields=["stage"])


def _criteria(document: Any) -> SelectionCriteria:
    try:
        return parse_criteria(document)
    except CriteriaError as err:
        raise DomainError.from_findings(
            [replace(p, file="criteria") for p in err.problems],
            ko="선정 기준에 잘못된 항목이 있습니다.",
            en="The selection criteria have problems.",
        ) from err


# --- the round and its criteria ----------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: User,
    kind: str,
    number: int,
    name: str,
    starts_on: dt.date,
    days: int = 3,
    criteria: dict[str, Any],
    venue: str = "",
) -> ReunionRound:
    """A new round in its draft stage; an in-person round gets its event at Geumgangsan (or the
    venue given) with the standard programme of sessions."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    if kind not in RoundKind.values:
        raise invalid(ko="상봉 형태가 잘못되었습니다.", en="Unknown kind of round.", field="kind")
    name = name.strip()
    if not name or len(name) > 200:
        raise invalid(
            ko="회차 이름은 1–200자여야 합니다.",
            en="The name must be 1–200 characters.",
            field="name",
        )
    if ReunionRound.objects.filter(kind=kind, number=number).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            f"제{number}차 회차가 이미 있습니다.",
            f"Round {number} of this kind already exists.",
            {"field": "number"},
        )
    _criteria(criteria)
    reunion_round = ReunionRound(
        kind=kind,
        number=number,
        name=name,
        starts_on=starts_on,
        days=days,
        criteria=criteria,
        created_by=actor,
    )
    reunion_round.full_clean()
    reunion_round.save()
    if kind == RoundKind.IN_PERSON:
        event = ReunionEvent.objects.create(round=reunion_round, venue=venue.strip() or GEUMGANGSAN)
        sessions_from_template(event)
    audit.record(
        actor=actor,
        action="reunion.round.create",
        obj=reunion_round,
        changes={"kind": kind, "number": number, "criteria": criteria},
    )
    return reunion_round


@transaction.atomic
def criteria_set(*, actor: User, reunion_round: ReunionRound, criteria: dict[str, Any]) -> None:
    """The selection committee's criteria, as data; fixed once the pool is frozen."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    reunion_round = _locked(reunion_round)
    if reunion_round.stage != Stage.DRAFT:
        raise _stage_error(reunion_round, Stage.DRAFT)
    _criteria(criteria)
    before = reunion_round.criteria
    reunion_round.criteria = criteria
    reunion_round.save(update_fields=["criteria"])
    audit.record(
        actor=actor,
        action="reunion.round.criteria",
        obj=reunion_round,
        changes={"criteria": [before, criteria]},
    )


# --- the pool ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolMember:
    applicant_id: int
    registry_no: str
    stratum: str
    weight: float
    age: int | None
    relation: str


# (applicant id, registration number, birth year, the closest relation sought as an index
# into RELATIONS): one row per applicant who may be drawn, whatever the criteria.
EligibleRow = tuple[int, str, int | None, int]
# The pool preview reads the eligible applicants from a cache: reading them takes about a
# second on the demo's registry (134,500 applicants), too long for a form that counts as the
# supervisor types. The cache is keyed by the registry's version (`registry_version`), so a
# registry change is counted at once; freezing the pool always reads the registry itself.
ELIGIBLE_CACHE_SECONDS = 600


def eligible_rows() -> list[EligibleRow]:
    """Who may be drawn, whatever the criteria: living applicants (registered, not merged)
    seeking at least one relative not known to be deceased, with the closest relation they
    seek. One query, one row per applicant."""
    # RELATIONS are in order of closeness: the pool counts an applicant under the closest.
    closeness = Case(
        *(When(relation=r, then=Value(n)) for n, r in enumerate(RELATIONS)),
        default=Value(len(RELATIONS) - 1),
        output_field=IntegerField(),
    )
    rows = (
        Seeking.objects.filter(
            applicant__status=VitalStatus.ALIVE,
            applicant__merged_into__isnull=True,
            applicant__registry_no__gt="",
            sought__merged_into__isnull=True,
        )
        .exclude(sought__status=VitalStatus.DECEASED)
        .values("applicant_id", "applicant__registry_no", "applicant__birth_year")
        .annotate(closest=Min(closeness))
        .values_list("applicant_id", "applicant__registry_no", "applicant__birth_year", "closest")
        .order_by("applicant_id")
    )
    # Read whole (a row per living applicant: tens of thousands, a few MB), not through a
    # server-side cursor, for which PostgreSQL plans for the first rows (nested loops). The
    # query asks for registry_no > "": never None.
    return [(pk, no or "", year, closest) for pk, no, year, closest in rows]


def eligible_rows_cached() -> list[EligibleRow]:
    """`eligible_rows()`, from the cache while the registry has not changed."""

    key = f"reunion:eligible:{registry_version()}"
    rows: list[EligibleRow] | None = cache.get(key)
    if rows is None:
        rows = eligible_rows()
        cache.set(key, rows, ELIGIBLE_CACHE_SECONDS)
    return rows


def _excluded(reunion_round: ReunionRound, exclusions: Iterable[str]) -> dict[str, set[int]]:
    """The applicants each exclusion leaves out: those who declined or were found unfit in an
    earlier round, and those who already took part in a reunion."""
    earlier = Candidate.objects.exclude(round=reunion_round).order_by()
    queries = {
        "declined_before": earlier.filter(willingness=Willingness.DECLINED).values_list(
            "applicant_id", flat=True
        ),
        "unfit_before": earlier.filter(health=Health.UNFIT).values_list("applicant_id", flat=True),
        "reunited_before": Participant.objects.exclude(round=reunion_round)
        .filter(attended=True)
        .order_by()
        .values_list("candidate__applicant_id", flat=True),
    }
    return {key: set(queries[key]) for key in EXCLUSIONS if key in exclusions}


def pool_members(
    reunion_round: ReunionRound,
    *,
    document: Any = None,
    rows: list[EligibleRow] | None = None,
) -> tuple[list[PoolMember], dict[str, int]]:
    """Who may be drawn, with their stratum and weight, and how many each exclusion left out.

    Eligible: living applicants (registered, not merged) seeking at least one relative not known
    to be deceased (`eligible_rows`, or `rows` if given). Left out by the criteria's exclusions
    (`document`, else the round's own): those who declined or were found unfit in an earlier
    round, and those who already took part in a reunion."""
    criteria = _criteria(reunion_round.criteria if document is None else document)
    excluded = _excluded(reunion_round, criteria.exclusions)
    counts = {key: 0 for key in excluded}
    counts["no_stratum"] = 0
    members = []
    for pk, registry_no, birth_year, closest in eligible_rows() if rows is None else rows:
        left_out = next((key for key, ids in excluded.items() if pk in ids), None)
        if left_out:
            counts[left_out] += 1
            continue
        assert registry_no is not None  # the query asks for registry_no > ""
        age = criteria.age_on_reference(birth_year)
        stratum = criteria.stratum(registry_no, age)
        if stratum is None:
            counts["no_stratum"] += 1
            continue
        relation = RELATIONS[closest]
        members.append(
            PoolMember(
                applicant_id=pk,
                registry_no=registry_no,
                stratum=stratum,
                weight=criteria.weight(age, relation),
                age=age,
                relation=relation,
            )
        )
    return members, counts


@dataclass(frozen=True)
class StratumCount:
    name: str
    rule: dict[str, Any]
    places: int
    to_draw: int
    applicants: int


@dataclass(frozen=True)
class ExclusionCount:
    code: str
    chosen: bool
    applicants: int  # how many it leaves out of the eligible applicants, taken alone


@dataclass(frozen=True)
class PoolPreview:
    """What a set of criteria would make of the registry now: the applicants in each stratum,
    how many each exclusion leaves out, and how many fall in no stratum."""

    eligible: int
    pool: int
    strata: list[StratumCount]
    exclusions: list[ExclusionCount]
    left_out: int
    no_stratum: int


def pool_preview(reunion_round: ReunionRound, document: Any) -> PoolPreview:
    """The pool the criteria `document` would freeze, counted (the registry read from the
    cache: see `eligible_rows_cached`). Raises DomainError (invalid_input, each problem named
    by its field) when the criteria cannot be used."""
    criteria = _criteria(document)
    rows = eligible_rows_cached()
    every = _excluded(reunion_round, EXCLUSIONS)
    eligible_ids = {row[0] for row in rows}
    exclusions = [
        ExclusionCount(code, code in criteria.exclusions, len(every[code] & eligible_ids))
        for code in EXCLUSIONS
    ]
    chosen = [ids for code, ids in every.items() if code in criteria.exclusions]
    per_stratum: dict[str, int] = defaultdict(int)
    left_out = no_stratum = 0
    for pk, registry_no, birth_year, _closest in rows:
        if any(pk in ids for ids in chosen):
            left_out += 1
            continue
        stratum = criteria.stratum(registry_no, criteria.age_on_reference(birth_year))
        if stratum is None:
            no_stratum += 1
        else:
            per_stratum[stratum] += 1
    raw_strata = document.get("strata", []) if isinstance(document, dict) else []
    strata = [
        StratumCount(
            name=rule.name,
            rule=raw.get("rule") or {"kind": "rest"},
            places=rule.places,
            to_draw=criteria.draw_places(rule),
            applicants=per_stratum[rule.name],
        )
        for rule, raw in zip(criteria.strata, raw_strata, strict=True)
    ]
    return PoolPreview(
        eligible=len(rows),
        pool=sum(per_stratum.values()),
        strata=strata,
        exclusions=exclusions,
        left_out=left_out,
        no_stratum=no_stratum,
    )


def lottery_criteria(reunion_round: ReunionRound) -> lottery.Criteria:
    """The draw's criteria.json: each stratum's `places` are the candidates drawn (final places
    × candidates per place); the final places and the round travel as extra keys."""
    criteria = _criteria(reunion_round.criteria)
    return lottery.Criteria.of(
        [lottery.Stratum(rule.name, criteria.draw_places(rule)) for rule in criteria.strata],
        round=reunion_round.name,
        candidates_per_place=criteria.candidates_per_place,
        final_places={rule.name: rule.places for rule in criteria.strata},
    )


def _seed(seed_hex: str, seed_text: str) -> tuple[bytes, str]:
    if seed_hex.strip() and seed_text.strip():
        raise invalid(
            ko="시드는 16진수 또는 공개 추첨 번호 중 하나만 입력합니다.",
            en="Give either a hexadecimal seed or a public drawing's text, not both.",
            field="seed_hex",
        )
    if seed_hex.strip():
        try:
            return lottery.seed_from_hex(seed_hex.strip()), SeedSource.HEX
        except lottery.LotteryError as err:
            raise invalid(
                ko="시드는 16진수 64자(32바이트)여야 합니다.",
                en="The seed must be 64 hexadecimal characters (32 bytes).",
                field="seed_hex",
            ) from err
    if seed_text.strip():
        return lottery.seed_from_public_text(seed_text), SeedSource.PUBLIC
    return lottery.new_seed(), SeedSource.SECRET


def seed_check(seed_hex: str, seed_text: str) -> str:
    """Where the seed of a freeze would come from (a SeedSource), or the DomainError that
    `pool_freeze` would raise for it."""
    _seed_bytes, source = _seed(seed_hex, seed_text)
    return source


def _now() -> dt.datetime:
    return timezone.now().astimezone(dt.UTC).replace(microsecond=0)


@transaction.atomic
def pool_freeze(
    *, actor: User, reunion_round: ReunionRound, seed_hex: str = "", seed_text: str = ""
) -> Draw:
    """Freeze the pool: every eligible applicant gets an opaque draw id, a stratum and a weight;
    the pool file's SHA-256 and the seed's SHA-256 are committed before anyone can draw."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    reunion_round = _locked(reunion_round)
    if reunion_round.stage != Stage.DRAFT:
        raise _stage_error(reunion_round, Stage.FROZEN)
    members, _left_out = pool_members(reunion_round)
    if not members:
        raise invalid(
            ko="추첨 대상자가 없습니다.",
            en="No applicant is eligible for this round.",
            field="criteria",
        )
    seed, source = _seed(seed_hex, seed_text)
    draw_ids = _draw_ids(len(members))
    entries = [
        lottery.PoolEntry(draw_id=draw_id, stratum=m.stratum, weight=m.weight)
        for draw_id, m in zip(draw_ids, members, strict=True)
    ]
    pool_bytes, criteria_bytes, commitment = lottery.commit(
        entries,
        lottery_criteria(reunion_round),
        seed,
        round_label=reunion_round.name,
        committed_at=_now(),
    )
    draw = Draw.objects.create(
        round=reunion_round,
        pool_csv=pool_bytes.decode("utf-8"),
        criteria_json=criteria_bytes.decode("utf-8"),
        pool_sha256=commitment.pool_sha256,
        criteria_sha256=commitment.criteria_sha256,
        seed_sha256=commitment.seed_sha256,
        seed_hex=seed.hex(),
        seed_source=source,
        seed_text=seed_text.strip() if source == SeedSource.PUBLIC else "",
        pool_size=len(entries),
        committed_at=_parse_time(commitment.committed_at),
    )
    insert = Insert(
        Candidate, ["round_id", "applicant_id", "draw_id", "stratum", "weight", "age", "relation"]
    )
    insert.write(
        [
            (reunion_round.pk, m.applicant_id, e.draw_id, m.stratum, m.weight, m.age, m.relation)
            for e, m in zip(entries, members, strict=True)
        ]
    )
    _move(reunion_round, actor=actor, frm=[Stage.DRAFT], to=Stage.FROZEN)
    audit.record(
        actor=actor,
        action="reunion.pool.freeze",
        obj=reunion_round,
        changes={
            "pool_size": len(entries),
            "pool_sha256": draw.pool_sha256,
            "seed_sha256": draw.seed_sha256,
            "seed_source": source,
        },
    )
    return draw


def _draw_ids(count: int) -> list[str]:
    """`count` distinct opaque draw ids: 64 random bits each, in hex, saying nothing of anyone."""
    while True:
        block = secrets.token_bytes(8 * count).hex()
        ids = [block[n : n + 16] for n in range(0, 16 * count, 16)]
        if len(set(ids)) == count:  # a repeat among 2^64 is all but impossible; draw again
            return ids


def _parse_time(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def commitment_of(draw: Draw) -> lottery.Commitment:
    """The commitment as published: drawn_at is set once the draw has run."""
    return lottery.parse_commitment(commitment_json(draw))


def commitment_json(draw: Draw) -> bytes:
    return lottery.Commitment(
        algorithm=lottery.ALGORITHM,
        round=draw.round.name,
        pool_sha256=draw.pool_sha256,
        pool_size=draw.pool_size,
        criteria_sha256=draw.criteria_sha256,
        seed_sha256=draw.seed_sha256,
        committed_at=draw.committed_at.astimezone(dt.UTC),
        drawn_at=draw.drawn_at.astimezone(dt.UTC) if draw.drawn_at else None,
    ).to_json()


def bundle_of(draw: Draw) -> lottery.Bundle:
    """The verification bundle; only once the draw has run (the seed stays secret until then)."""
    if draw.drawn_at is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "추첨 전에는 검증 묶음을 내려받을 수 없습니다 (시드가 아직 공개되지 않았습니다).",
            "The bundle exists only after the draw (the seed is not yet revealed).",
        )
    return lottery.Bundle(
        pool=draw.pool_csv.encode("utf-8"),
        criteria=draw.criteria_json.encode("utf-8"),
        commitment=commitment_json(draw),
        seed_hex=(draw.seed_hex + "\n").encode("ascii"),
        result=draw.result_csv.encode("utf-8"),
    )


def bundle_downloaded(*, actor: User, reunion_round: ReunionRound) -> None:
    """Who downloaded the bundle, and when: in the audit log."""
    with transaction.atomic():
        audit.record(actor=actor, action="reunion.bundle.download", obj=reunion_round)


# --- the draw ----------------------------------------------------------------------------------


def _mark_drawn(reunion_round: ReunionRound, rows: Iterable[lottery.ResultRow]) -> None:
    """Mark these candidates drawn, with their rank: one UPDATE per thousand rows, each a
    single scan — not a statement per row, whose plan goes bad on a table the planner has not
    yet seen filled (a pool inserted in the same transaction), nor Django's `bulk_update`,
    which spends longer building its expressions than the database spends on them."""
    pairs = [(r.draw_id, r.rank) for r in rows]
    table = connection.ops.quote_name(Candidate._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 1000):
            batch = pairs[start : start + 1000]
            whens = " ".join(["WHEN %s THEN %s"] * len(batch))
            marks = ", ".join(["%s"] * len(batch))
            # The table name is the model's own; every value is a bound parameter.
            cursor.execute(
                f"UPDATE {table} SET drawn = %s, rank = CASE draw_id {whens} END "  # noqa: S608
                f"WHERE round_id = %s AND draw_id IN ({marks})",
                [True, *(v for pair in batch for v in pair), reunion_round.pk]
                + [draw_id for draw_id, _rank in batch],
            )


@transaction.atomic
def draw_run(*, actor: User, reunion_round: ReunionRound) -> Draw:
    """Run the lottery on the frozen pool with the committed seed: every entry gets a rank in its
    stratum (the draw's result.csv, kept whole), and the first of each stratum are drawn as
    candidates, with their rank on their record. The others' ranks stay in result.csv until
    they are called as reserves."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    reunion_round = _locked(reunion_round)
    if reunion_round.stage != Stage.FROZEN:
        raise _stage_error(reunion_round, Stage.DRAWN)
    draw = Draw.objects.select_for_update().get(round=reunion_round)
    entries = lottery.parse_pool(draw.pool_csv.encode("utf-8"))
    criteria = lottery.parse_criteria(draw.criteria_json.encode("utf-8"))
    result = lottery.draw(entries, criteria, bytes.fromhex(draw.seed_hex))
    _mark_drawn(reunion_round, (r for r in result if r.selected))
    draw.result_csv = lottery.result_csv(result).decode("utf-8")
    draw.drawn_at = _now()
    draw.save(update_fields=["result_csv", "drawn_at"])
    _move(reunion_round, actor=actor, frm=[Stage.FROZEN], to=Stage.DRAWN)
    audit.record(
        actor=actor,
        action="reunion.draw.run",
        obj=reunion_round,
        changes={
            "drawn": sum(r.selected for r in result),
            "pool_size": len(result),
            "seed_hex": draw.seed_hex,
        },
    )
    return draw


# --- willingness and health --------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    willingness: str
    health: str
    note: str = ""


@transaction.atomic
def candidates_check(
    *, actor: User, reunion_round: ReunionRound, checks: dict[int, Check], source: str = ""
) -> int:
    """Record whether drawn candidates are willing and fit to travel (의사·건강 확인). The first
    check moves the round to its checking stage. Returns how many candidates changed. Problems
    are named `willingness-<id>`, `health-<id>`, `note-<id>` (the candidate's id); `source`
    (a file's name) goes into the audit log."""
    require_authenticated(actor)
    require(can_edit_reunions(actor))
    reunion_round = _locked(reunion_round)
    if reunion_round.stage not in (Stage.DRAWN, Stage.CHECKING):
        raise _stage_error(reunion_round, Stage.CHECKING)
    problems = []
    for pk, check in checks.items():
        if check.willingness not in Willingness.values:
            problems.append(
                (
                    f"willingness-{pk}",
                    "참가 의사는 상봉 희망, 상봉 포기, 미확인 중 하나입니다.",
                    "Willingness is one of willing, declined, not yet asked.",
                )
            )
        if check.health not in Health.values:
            problems.append(
                (
                    f"health-{pk}",
                    "건강은 건강 양호, 건강상 불가, 미확인 중 하나입니다.",
                    "Health is one of fit, not fit, not yet checked.",
                )
            )
        if len(check.note) > 300:
            problems.append(
                (f"note-{pk}", "비고는 300자까지입니다.", "The note is at most 300 characters.")
            )
    candidates = {
        c.pk: c
        for c in Candidate.objects.select_for_update().filter(
            round=reunion_round, drawn=True, pk__in=list(checks)
        )
    }
    unknown = sorted(set(checks) - set(candidates))
    if unknown:
        problems.append(
            (
                "candidates",
                f"추첨된 후보가 아닙니다: {unknown}",
                f"not drawn candidates of this round: {unknown}",
            )
        )
    if problems:
        raise invalid_fields(
            "확인 결과에 잘못된 항목이 있습니다.", "Some checks are not valid.", problems
        )
    changed = []
    for pk, check in checks.items():
        c = candidates[pk]
        new = (check.willingness, check.health, check.note.strip())
        if (c.willingness, c.health, c.check_note) != new:
            changed.append(
                {"draw_id": c.draw_id, "from": [c.willingness, c.health], "to": list(new[:2])}
            )
            c.willingness, c.health, c.check_note = new
    Candidate.objects.bulk_update(
        [candidates[int(pk)] for pk in checks], ["willingness", "health", "check_note"]
    )
    if reunion_round.stage == Stage.DRAWN and changed:
        _move(reunion_round, actor=actor, frm=[Stage.DRAWN], to=Stage.CHECKING)
    if changed:
        audit.record(
            actor=actor,
            action="reunion.candidates.check",
            obj=reunion_round,
            changes={
                "changed": changed[:500],
                "count": len(changed),
                **({"source": source} if source else {}),
            },
        )
    return len(changed)


@transaction.atomic
def reserves_call(*, actor: User, reunion_round: ReunionRound, stratum: str, count: int) -> int:
    """Draw further candidates from a stratum's reserves, next in rank, when too many of the
    first ones declined. Returns how many were called."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    reunion_round = _locked(reunion_round)
    if reunion_round.stage not in (Stage.DRAWN, Stage.CHECKING):
        raise _stage_error(reunion_round, Stage.CHECKING)
    if not 1 <= count <= 1000:
        raise invalid(
            ko="1–1000명까지 부를 수 있습니다.", en="Call 1–1000 reserves.", field="count"
        )
    drawn = set(
        Candidate.objects.filter(round=reunion_round, stratum=stratum, drawn=True).values_list(
            "draw_id", flat=True
        )
    )
    draw = Draw.objects.get(round=reunion_round)
    result = lottery.parse_result(draw.result_csv.encode("utf-8"))
    called = [r for r in result if r.stratum == stratum and r.draw_id not in drawn][:count]
    _mark_drawn(reunion_round, called)
    audit.record(
        actor=actor,
        action="reunion.reserves.call",
        obj=reunion_round,
        changes={"stratum": stratum, "called": [r.draw_id for r in called]},
    )
    return len(called)


# --- the tracing inquiry -----------------------------------------------------------------------


def _confirmed(reunion_round: ReunionRound) -> Any:
    return Candidate.objects.filter(
        round=reunion_round,
        drawn=True,
        willingness=Willingness.WILLING,
        health=Health.FIT,
    )


@transaction.atomic
def inquiry_start(
    *, actor: User, reunion_round: ReunionRound, reply_due: dt.date | None = None
) -> TracingRound:
    """Ask the other side whether the relatives of the confirmed candidates are alive: a tracing
    round (생사확인) with their relatives, which then goes through the tracing pages."""
    require_authenticated(actor)
    require(can_edit_reunions(actor))
    reunion_round = _locked(reunion_round)
    if reunion_round.stage != Stage.CHECKING:
        raise _stage_error(reunion_round, Stage.TRACING)
    pending = Candidate.objects.filter(round=reunion_round, drawn=True).filter(
        Q(willingness=Willingness.PENDING) | Q(health=Health.PENDING)
    )
    if pending.exists():
        raise invalid(
            ko=f"아직 확인하지 않은 후보가 {pending.count()}명 있습니다.",
            en=f"{pending.count()} drawn candidates are not yet checked.",
            field="candidates",
        )
    applicant_ids = list(_confirmed(reunion_round).values_list("applicant_id", flat=True))
    seeking_ids = list(
        tracing.eligible_seekings(confirm_alive=True)
        .filter(applicant_id__in=applicant_ids)
        .values_list("pk", flat=True)
    )
    if not seeking_ids:
        raise invalid(
            ko="생사를 확인할 가족이 없습니다 (의사와 건강이 확인된 후보가 없거나, "
            "찾는 가족이 이미 다른 회차에 있습니다).",
            en="No relative to ask about: no candidate is both willing and fit, or their relatives "
            "are already on another open tracing round.",
            field="candidates",
        )
    tracing_round = tracing.round_create(
        actor=actor,
        name=f"{reunion_round.name} 생사확인",
        target_size=max(len(seeking_ids), 1),
        reply_due=reply_due,
        seeking_ids=seeking_ids,
        confirm_alive=True,
    )
    reunion_round.tracing_round = tracing_round
    reunion_round.save(update_fields=["tracing_round"])
    _move(reunion_round, actor=actor, frm=[Stage.CHECKING], to=Stage.TRACING)
    audit.record(
        actor=actor,
        action="reunion.inquiry.start",
        obj=reunion_round,
        changes={"tracing_round": tracing_round.pk, "requests": len(seeking_ids)},
    )
    return tracing_round


# --- the final list ----------------------------------------------------------------------------


def _fates(applicant_ids: list[int]) -> dict[int, set[str]]:
    """The fates of the relatives each applicant seeks."""
    fates: dict[int, set[str]] = defaultdict(set)
    for applicant_id, status in Seeking.objects.filter(applicant_id__in=applicant_ids).values_list(
        "applicant_id", "sought__status"
    ):
        fates[applicant_id].add(status)
    return fates


FINAL_FIX = "reunion.final.fix"  # the step's action, in the audit log and for its 결재


def final_summary(reunion_round: ReunionRound) -> dict[str, Any]:
    """What the approver of the final list (결재) is shown, and what the approval holds to: the
    places, the checks (counted, and a fingerprint of every drawn candidate's), the tracing
    round and when its answers were applied. If any of it changes, the approval no longer
    holds (`accounts.signoffs.signoff_use`)."""
    criteria = _criteria(reunion_round.criteria)
    places = {rule.name: rule.places for rule in criteria.strata}
    checks = list(
        Candidate.objects.filter(round=reunion_round, drawn=True)
        .order_by("draw_id")
        .values_list("draw_id", "willingness", "health")
    )
    fingerprint = hashlib.sha256(
        "\n".join(" ".join(row) for row in checks).encode("utf-8")
    ).hexdigest()
    willing_fit = sum(1 for _d, w, h in checks if w == Willingness.WILLING and h == Health.FIT)
    unchecked = sum(1 for _d, w, h in checks if w == Willingness.PENDING or h == Health.PENDING)
    tracing_round = reunion_round.tracing_round
    applied = tracing_round.applied_at if tracing_round is not None else None
    lines = [
        {
            "ko": f"{reunion_round.name}: 최종 명단 {sum(places.values())}명과 예비 후보 확정",
            "en": f"{reunion_round.name}: fix the final list of {sum(places.values())} "
            "and the reserves",
        },
        {
            "ko": f"추첨된 후보 {len(checks)}명 중 상봉 희망·건강 양호 {willing_fit}명, "
            f"미확인 {unchecked}명",
            "en": f"Of {len(checks)} drawn candidates, {willing_fit} willing and fit, "
            f"{unchecked} not yet checked",
        },
        *(
            {"ko": f"층 '{name}': {n}명", "en": f"Stratum '{name}': {n} places"}
            for name, n in places.items()
        ),
    ]
    return {
        "lines": lines,
        "round": reunion_round.pk,
        "stage": reunion_round.stage,
        "places": places,
        "drawn": len(checks),
        "willing_fit": willing_fit,
        "unchecked": unchecked,
        "checks_sha256": fingerprint,
        "tracing_round": tracing_round.pk if tracing_round is not None else None,
        "tracing_applied_at": applied.isoformat() if applied is not None else None,
    }


def _check_final_ready(reunion_round: ReunionRound) -> None:
    if reunion_round.stage != Stage.TRACING:
        raise _stage_error(reunion_round, Stage.FINAL)
    tracing_round = reunion_round.tracing_round
    if tracing_round is None or tracing_round.applied_at is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "생사확인 회보가 등록부에 반영된 뒤에 최종 명단을 확정할 수 있습니다.",
            "The tracing answers must be applied to the registry before the final list is fixed.",
        )


def final_fix_check(*, actor: User, reunion_round: ReunionRound) -> None:
    """Whether the final list could be fixed now (before asking for approval, or confirming):
    raises the DomainError `final_fix` would."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    _check_final_ready(reunion_round)


@transaction.atomic
def final_signoff_request(
    *, actor: User, reunion_round: ReunionRound, note: str = "", link: str = ""
) -> SignOff:
    """Ask another supervisor of the South to approve fixing the final list (결재), with the
    facts of `final_summary`; `final_fix` runs only with that approval, while they hold."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    reunion_round = _locked(reunion_round)
    _check_final_ready(reunion_round)
    return signoffs.signoff_request(
        actor=actor,
        action=FINAL_FIX,
        obj=reunion_round,
        summary=final_summary(reunion_round),
        link=link,
        note=note,
    )


@transaction.atomic
def final_fix(*, actor: User, reunion_round: ReunionRound) -> dict[str, int]:
    """Fix the final list: in each stratum, in the order of the draw, the candidates who are
    willing, fit, alive, and have at least one relative confirmed alive take the stratum's
    places; the next ones are reserves. Places a stratum cannot fill stay empty (the criteria
    set them per stratum). Needs the tracing answers applied to the registry first, and the
    approval of another supervisor (결재, `final_signoff_request`) given on the same facts."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    reunion_round = _locked(reunion_round)
    _check_final_ready(reunion_round)
    signoffs.signoff_use(
        actor=actor, action=FINAL_FIX, obj=reunion_round, summary=final_summary(reunion_round)
    )
    criteria = _criteria(reunion_round.criteria)
    places = {rule.name: rule.places for rule in criteria.strata}
    candidates = list(
        Candidate.objects.select_for_update()
        .filter(round=reunion_round)
        .select_related("applicant")
        .order_by("stratum", "rank")
    )
    fates = _fates([c.applicant_id for c in candidates if c.drawn])
    taken: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for c in candidates:
        reason = ""
        if not c.drawn:
            reason = "not_drawn"
        elif c.willingness == Willingness.DECLINED:
            reason = "declined"
        elif c.health == Health.UNFIT:
            reason = "unfit"
        elif c.willingness == Willingness.PENDING or c.health == Health.PENDING:
            reason = "unchecked"
        elif c.applicant.status == VitalStatus.DECEASED:
            reason = "applicant_deceased"
        elif VitalStatus.ALIVE not in fates[c.applicant_id]:
            deceased_only = fates[c.applicant_id] == {VitalStatus.DECEASED}
            reason = "relatives_deceased" if deceased_only else "relatives_not_found"
        if reason:
            c.outcome, c.outcome_reason = Outcome.OUT, reason
        elif taken[c.stratum] < places.get(c.stratum, 0):
            taken[c.stratum] += 1
            c.outcome, c.outcome_reason = Outcome.FINAL, ""
        else:
            c.outcome, c.outcome_reason = Outcome.RESERVE, ""
        counts[c.outcome_reason or c.outcome] += 1
    Candidate.objects.bulk_update(candidates, ["outcome", "outcome_reason"], batch_size=2000)
    Participant.objects.bulk_create(
        Participant(candidate=c, round=reunion_round)
        for c in candidates
        if c.outcome == Outcome.FINAL
    )
    _move(reunion_round, actor=actor, frm=[Stage.TRACING], to=Stage.FINAL)
    if reunion_round.kind == RoundKind.IN_PERSON:
        places_assign(actor=actor, event=reunion_round.event)
    audit.record(actor=actor, action="reunion.final.fix", obj=reunion_round, changes=dict(counts))
    return dict(counts)


# --- stepping back -----------------------------------------------------------------------------


@transaction.atomic
def stage_revert(*, actor: User, reunion_round: ReunionRound, reason: str) -> str:
    """Step a round back one stage, undoing what that stage did; supervisors only, with a
    reason that goes into the stage history and the audit log. Returns the new stage."""
    require_authenticated(actor)
    require(can_run_selection(actor))
    reason = reason.strip()
    if len(reason) < 5 or len(reason) > 1000:
        raise invalid(
            ko="되돌리는 사유를 5–1000자로 적어 주십시오.",
            en="Give the reason for stepping back (5–1000 characters).",
            field="reason",
        )
    reunion_round = _locked(reunion_round)
    stage = reunion_round.stage
    if stage == Stage.DRAFT:
        raise _stage_error(reunion_round, Stage.DRAFT)
    undone: dict[str, Any] = {}
    if stage == Stage.FINAL:
        undone["participants"] = Participant.objects.filter(round=reunion_round).delete()[0]
        Candidate.objects.filter(round=reunion_round).update(
            outcome=Outcome.PENDING, outcome_reason=""
        )
    elif stage == Stage.TRACING:
        tracing_round = reunion_round.tracing_round
        undone["tracing_round"] = tracing_round.pk if tracing_round else None
        reunion_round.tracing_round = None
        reunion_round.save(update_fields=["tracing_round"])
        if tracing_round is not None and tracing_round.status == "draft":
            tracing_round.delete()
            undone["tracing_round_deleted"] = True
    elif stage == Stage.CHECKING:
        checked = Candidate.objects.filter(round=reunion_round).exclude(
            willingness=Willingness.PENDING, health=Health.PENDING
        )
        undone["checks_cleared"] = checked.update(
            willingness=Willingness.PENDING, health=Health.PENDING, check_note=""
        )
    elif stage == Stage.DRAWN:
        Candidate.objects.filter(round=reunion_round).update(rank=None, drawn=False)
        Draw.objects.filter(round=reunion_round).update(drawn_at=None, result_csv="")
        undone["result"] = "cleared"
    elif stage == Stage.FROZEN:
        undone["candidates"] = Candidate.objects.filter(round=reunion_round).delete()[0]
        Draw.objects.filter(round=reunion_round).delete()
    back = STAGE_ORDER[STAGE_ORDER.index(stage) - 1]
    _move(reunion_round, actor=actor, frm=[stage], to=back, reason=reason)
    audit.record(
        actor=actor,
        action="reunion.stage.revert",
        obj=reunion_round,
        changes={"from": stage, "to": back, "reason": reason, "undone": undone},
    )
    return back
