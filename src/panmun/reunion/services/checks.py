"""Willingness and health of a round's drawn candidates (의사·건강 확인), one row at a time from
the check sheet's page, or many at once from a spreadsheet (all or nothing).

Both go through `selection.candidates_check`, the one place the checks are validated, written
and audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from panmun.accounts.access import require, require_authenticated
from panmun.accounts.models import User
from panmun.common.errors import DomainError, ErrorCode
from panmun.common.findings import Finding

from ..access import can_edit_reunions
from ..checks_file import ChecksFile, ChecksFileError, read_checks, template_rows
from ..models import Candidate, ReunionRound, Stage
from .selection import Check, candidates_check

MAX_FILE_BYTES = 10 * 1024 * 1024


def candidate_check(
    *,
    actor: User,
    reunion_round: ReunionRound,
    candidate: Candidate,
    willingness: str,
    health: str,
    note: str = "",
) -> bool:
    """One drawn candidate's willingness, health and note. Returns whether anything changed.
    Problems are named by the field alone (`willingness`, `health`, `note`)."""
    try:
        changed = candidates_check(
            actor=actor,
            reunion_round=reunion_round,
            checks={candidate.pk: Check(willingness, health, note)},
        )
    except DomainError as err:
        if isinstance(err.details, dict):
            for problem in err.details.get("errors", []):
                field = str(problem.get("field", ""))
                problem["field"] = field.removesuffix(f"-{candidate.pk}")
        raise
    return changed > 0


def _file_error(problems: list[Finding]) -> DomainError:
    return DomainError.from_findings(
        problems,
        ko="확인표 파일에 잘못된 곳이 있어 아무것도 기록하지 않았습니다.",
        en="The check sheet has problems; nothing was recorded.",
    )


def _resolve(reunion_round: ReunionRound, sheet: ChecksFile) -> dict[int, Check]:
    """The rows of a check sheet matched to the round's drawn candidates; every row that does
    not match one, or matches one already given, is a problem."""
    drawn = list(
        Candidate.objects.filter(round=reunion_round, drawn=True).values_list(
            "pk", "draw_id", "applicant__registry_no"
        )
    )
    by_draw_id = {draw_id: pk for pk, draw_id, _no in drawn}
    by_registry_no = {no: pk for pk, _draw_id, no in drawn if no}
    problems: list[Finding] = list(sheet.problems)
    checks: dict[int, Check] = {}
    first_row: dict[int, int] = {}
    draw_header = sheet.headers.get("draw_id", "draw_id")
    registry_header = sheet.headers.get("registry_no", "registry_no")
    for line in sheet.lines:
        pk = None
        if line.draw_id:
            pk = by_draw_id.get(line.draw_id)
            if pk is None:
                problems.append(
                    Finding(
                        "checks_draw_id_unknown",
                        ko=f"이 회차에서 추첨된 후보의 추첨 번호가 아닙니다: {line.draw_id[:40]}",
                        en=(
                            "not the draw id of a candidate drawn in this round: "
                            f"{line.draw_id[:40]}"
                        ),
                        file=sheet.filename,
                        row=line.row,
                        field=draw_header,
                    )
                )
                continue
        if line.registry_no:
            by_no = by_registry_no.get(line.registry_no)
            if by_no is None:
                problems.append(
                    Finding(
                        "checks_registry_no_unknown",
                        ko=(
                            "이 회차에서 추첨된 후보의 등록번호가 아닙니다: "
                            f"{line.registry_no[:40]}"
                        ),
                        en=(
                            "not the registration number of a candidate drawn in this round: "
                            f"{line.registry_no[:40]}"
                        ),
                        file=sheet.filename,
                        row=line.row,
                        field=registry_header,
                    )
                )
                continue
            if pk is not None and by_no != pk:
                problems.append(
                    Finding(
                        "checks_ids_disagree",
                        ko="추첨 번호와 등록번호가 서로 다른 후보를 가리킵니다",
                        en="the draw id and the registration number name different candidates",
                        file=sheet.filename,
                        row=line.row,
                        field=registry_header,
                    )
                )
                continue
            pk = by_no
        assert pk is not None  # a line has a draw id or a registration number (read_checks)
        if pk in first_row:
            problems.append(
                Finding(
                    "checks_candidate_twice",
                    ko=f"같은 후보가 {first_row[pk]}행에도 있습니다",
                    en=f"the same candidate is also on row {first_row[pk]}",
                    file=sheet.filename,
                    row=line.row,
                    field=draw_header if line.draw_id else registry_header,
                )
            )
            continue
        first_row[pk] = line.row
        checks[pk] = Check(line.willingness, line.health, line.note)
    if problems:
        problems.sort(key=lambda p: (int(p.row or 0), p.field))
        raise _file_error(problems)
    return checks


@transaction.atomic
def checks_import(
    *, actor: User, reunion_round: ReunionRound, data: bytes, filename: str
) -> tuple[int, int]:
    """Record the willingness and health of the candidates in a check sheet (.csv or .xlsx):
    all of it, or nothing if anything is wrong, every problem named by the file, the row and
    the column. Returns (rows read, candidates changed)."""
    require_authenticated(actor)
    require(can_edit_reunions(actor))
    if reunion_round.stage not in (Stage.DRAWN, Stage.CHECKING):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "추첨 뒤 의사·건강을 확인하는 단계에서만 확인표를 올릴 수 있습니다.",
            "A check sheet can be read only while the drawn candidates are being checked.",
            {"stage": reunion_round.stage},
        )
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(
            [
                Finding(
                    "checks_file_too_large",
                    ko="파일이 10MB보다 큽니다",
                    en="the file is larger than 10 MB",
                    file=filename,
                )
            ]
        )
    try:
        sheet = read_checks(data, filename=filename)
    except ChecksFileError as err:
        raise _file_error(err.problems) from err
    checks = _resolve(reunion_round, sheet)
    changed = candidates_check(
        actor=actor, reunion_round=reunion_round, checks=checks, source=filename
    )
    return len(checks), changed


def checks_template(candidates: QuerySet[Candidate], *, language: str) -> list[list[str]]:
    """The check sheet of a round's drawn candidates (`candidates`, read through the access
    helpers) as it stands, to fill in and read back (`checks_import`): the header, then a row
    per candidate in the order of the draw."""
    rows = candidates.filter(drawn=True).select_related("applicant").order_by("stratum", "rank")
    return template_rows(
        [
            (
                c.draw_id,
                c.applicant.registry_no or "",
                c.applicant.display_name,
                c.stratum,
                c.rank,
                c.willingness,
                c.health,
                c.check_note,
            )
            for c in rows
        ],
        language,
    )
