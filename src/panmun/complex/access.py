"""Who may see and keep the complex's records.

- The management committee (`gic`, 개성공업지구관리위원회) keeps all of it: firms, land, workers,
  wage rules, and approves the firms' payrolls.
- A firm's officers keep their own firm's records (roster, payrolls, output, remittances) and
  read the wage rules and the complex's published figures; they never see another firm's.
- The Ministry of Unification reads everything (officers, supervisors, viewers); it writes
  nothing here.
- The North's Central Special Zone Development Guidance Bureau (중앙특구개발지도총국) sees the
  firms' payroll totals and the remittances, and confirms receipt; nothing else of the firms'.
  It also sees the crossing plans addressed to the North and answers them.
- The agencies at the crossing (the South's Inter-Korean Transit Office for the gate, customs,
  quarantine) keep their own records: the gate's events and flags, declarations and lanes,
  inspections. They read the firms' names, not the firms' other records.

Built on the primitives of `accounts.access`; views and the API never filter by hand."""

from __future__ import annotations

from django.db.models import QuerySet

from panmun.accounts.access import get_or_404, org_kind, require, require_authenticated
from panmun.accounts.models import OrganisationKind, Role, User

from .models import (
    DayPlan,
    Declaration,
    Firm,
    PayrollMonth,
    PhoneBill,
    PhoneCall,
    PhoneLine,
    PlanLine,
    Presence,
    Remittance,
    Stay,
    Worker,
)


def is_committee(user: User) -> bool:
    """An officer of the management committee (or a superuser)."""
    if user.is_superuser:
        return True
    return (
        user.side_code == "south"
        and org_kind(user) == OrganisationKind.COMPLEX_MANAGEMENT
        and user.has_role(Role.OFFICER)
    )


def is_ministry_reader(user: User) -> bool:
    """The ministry reads everything of the complex (viewers included)."""
    return (
        user.side_code == "south"
        and org_kind(user) == OrganisationKind.MINISTRY
        and user.has_role(Role.VIEWER)
    )


def is_firm_officer(user: User) -> bool:
    """An officer of a firm of the complex (its organisation is linked to a `Firm`)."""
    return (
        user.side_code == "south"
        and org_kind(user) == OrganisationKind.FIRM
        and user.has_role(Role.OFFICER)
    )


def is_bureau(user: User) -> bool:
    """An officer of the North's special zone authority."""
    return (
        user.side_code == "north"
        and org_kind(user) == OrganisationKind.ZONE_AUTHORITY
        and user.has_role(Role.OFFICER)
    )


def _south_agency(user: User, kind: str, role: Role) -> bool:
    return user.side_code == "south" and org_kind(user) == kind and user.has_role(role)


def is_gate_officer(user: User) -> bool:
    """An officer of the Inter-Korean Transit Office (남북출입사무소), who runs the gate: the
    day's plans, check-out and check-in, flags, the headcount (or a superuser)."""
    return user.is_superuser or _south_agency(user, OrganisationKind.TRANSIT_OFFICE, Role.OFFICER)


def is_customs_officer(user: User) -> bool:
    """A customs officer at the crossing: declarations, risk rules, lanes, release."""
    return user.is_superuser or _south_agency(user, OrganisationKind.CUSTOMS, Role.OFFICER)


def is_customs_supervisor(user: User) -> bool:
    """A customs supervisor: re-routes a declaration to another lane, with the reason."""
    return user.is_superuser or _south_agency(user, OrganisationKind.CUSTOMS, Role.SUPERVISOR)


def is_quarantine_officer(user: User) -> bool:
    """A quarantine officer at the crossing: plant, animal and food inspections."""
    return user.is_superuser or _south_agency(user, OrganisationKind.QUARANTINE, Role.OFFICER)


def is_crossing_agency(user: User) -> bool:
    """An officer of one of the agencies at the crossing (gate, customs, quarantine)."""
    return is_gate_officer(user) or is_customs_officer(user) or is_quarantine_officer(user)


def can_read_complex(user: User) -> bool:
    """The committee and the ministry read every firm's records; a firm its own."""
    return is_committee(user) or is_ministry_reader(user) or is_firm_officer(user)


def can_see_wages(user: User) -> bool:
    """The wage rules, payroll totals and remittances: the readers of the complex and the
    bureau."""
    return can_read_complex(user) or is_bureau(user)


def can_see_complex(user: User) -> bool:
    """Anyone with a page in the complex app."""
    return can_read_complex(user) or is_bureau(user) or is_crossing_agency(user)


def own_firm(user: User) -> Firm | None:
    """The firm a firm officer signs in as (None when their organisation has no firm yet)."""
    if not is_firm_officer(user) or user.organisation_id is None:
        return None
    return Firm.objects.filter(organisation_id=user.organisation_id).first()


def firms_for_user(user: User) -> QuerySet[Firm]:
    """Every firm for the committee and the ministry; a firm officer's own firm and its
    subcontractors. Others are refused (403)."""
    require_authenticated(user)
    if is_committee(user) or is_ministry_reader(user):
        return Firm.objects.all()
    require(is_firm_officer(user))
    firm = own_firm(user)
    if firm is None:
        return Firm.objects.none()
    return Firm.objects.filter(pk=firm.pk) | Firm.objects.filter(tenant_id=firm.pk)


def firms_for_edit(user: User) -> QuerySet[Firm]:
    """The firms whose records `user` may change: all for the committee, its own for a firm."""
    require_authenticated(user)
    if is_committee(user):
        return Firm.objects.all()
    require(is_firm_officer(user))
    return firms_for_user(user)


def get_firm(user: User, pk: object) -> Firm:
    return get_or_404(firms_for_user(user), pk, "기업", "firm")


def get_firm_for_edit(user: User, pk: object) -> Firm:
    """404 for a firm `user` cannot see; 403 for one they see but may not change."""
    firm = get_firm(user, pk)
    require(firms_for_edit(user).filter(pk=firm.pk).exists())
    return firm


def workers_for_user(user: User) -> QuerySet[Worker]:
    """The rosters `user` reads: the bureau sees no roster."""
    return Worker.objects.filter(firm__in=firms_for_user(user))


def payrolls_for_user(user: User) -> QuerySet[PayrollMonth]:
    """Payrolls: the committee and the ministry all, a firm its own; the bureau sees every
    firm's payroll totals (not the lines: `can_read_payroll_lines`)."""
    require_authenticated(user)
    if is_bureau(user):
        return PayrollMonth.objects.all()
    return PayrollMonth.objects.filter(firm__in=firms_for_user(user))


def can_read_payroll_lines(user: User) -> bool:
    """A worker's line of a payroll is the firm's record: not for the bureau."""
    return can_read_complex(user)


def remittances_for_user(user: User) -> QuerySet[Remittance]:
    require_authenticated(user)
    if is_bureau(user):
        return Remittance.objects.all()
    return Remittance.objects.filter(firm__in=firms_for_user(user))


def can_keep_rules(user: User) -> bool:
    """The wage and land-use fee rules, the land, the firms: the committee's."""
    return is_committee(user)


def can_approve_payroll(user: User) -> bool:
    return is_committee(user)


def can_confirm_remittance(user: User) -> bool:
    return is_bureau(user)


# --- workers: a firm's roster (the workers part) ----------------------------------------------


def get_worker(user: User, firm_pk: object, pk: object) -> Worker:
    """A worker of a firm `user` sees (404 for another firm's, or a firm they cannot see)."""
    firm = get_firm(user, firm_pk)
    return get_or_404(workers_for_user(user).filter(firm=firm), pk, "로동자", "worker")


def get_worker_for_edit(user: User, firm_pk: object, pk: object) -> Worker:
    """As `get_worker`, for a user who keeps the firm's roster (403 for a reader)."""
    firm = get_firm_for_edit(user, firm_pk)
    return get_or_404(workers_for_user(user).filter(firm=firm), pk, "로동자", "worker")


def can_keep_roster(user: User) -> bool:
    """The committee keeps every roster, a firm's officers their own."""
    return is_committee(user) or is_firm_officer(user)


# --- firms, land and output (the firms part) --------------------------------------------------


def can_read_land(user: User) -> bool:
    """The whole land (the lease, every parcel and sublease, the fee rules): the committee and
    the ministry. A firm sees its own sites and fees on its firm's page."""
    return is_committee(user) or is_ministry_reader(user)


def can_edit_firm(user: User, firm: Firm) -> bool:
    """Whether `user` keeps `firm`'s own records (contacts, output): the committee, or the
    firm's officers (its own firm and its subcontractors). Refuses no one: a page asks it."""
    if is_committee(user):
        return True
    return is_firm_officer(user) and firms_for_user(user).filter(pk=firm.pk).exists()


# --- end of firms, land and output -------------------------------------------------------------


# --- evacuation: orders to leave, the board, the manifest, assets left behind ---------------


def is_ministry_supervisor(user: User) -> bool:
    """A supervisor of the Ministry of Unification (or its administrator)."""
    return (
        user.side_code == "south"
        and org_kind(user) == OrganisationKind.MINISTRY
        and user.has_role(Role.SUPERVISOR)
    )


def can_order_evacuation(user: User) -> bool:
    """An order to leave is the North's act; the South records it the moment it is given, and
    either of the two who answer for the South's people inside may do so: the management
    committee (on the spot) or a supervisor of the ministry (in Seoul). They close it, and
    send the manifest of people and vehicles to the other side. Ministry officers and viewers
    read; the gate, the firms and the North read the board or nothing."""
    return is_committee(user) or is_ministry_supervisor(user)


def can_see_evacuation(user: User) -> bool:
    """The evacuation board: the committee, the ministry, the gate's officers (all of it), a
    firm's officers (their own firm's people and vehicles only)."""
    return (
        is_committee(user)
        or is_ministry_reader(user)
        or is_gate_officer(user)
        or is_firm_officer(user)
    )


def evacuation_firms(user: User) -> QuerySet[Firm] | None:
    """The firms whose people `user` sees on the board: None for all of them (committee,
    ministry, gate), a firm officer's own firm and its subcontractors; others are refused."""
    require_authenticated(user)
    require(can_see_evacuation(user))
    if is_committee(user) or is_ministry_reader(user) or is_gate_officer(user):
        return None
    return firms_for_user(user)


def can_read_assets_left(user: User) -> bool:
    """Assets left behind: the committee and the ministry read all of them, a firm its own."""
    return can_read_complex(user)


def can_record_assets_left(user: User) -> bool:
    """A firm registers what it left behind itself (firm officer), or the committee does for
    it; the ministry reads."""
    return is_committee(user) or is_firm_officer(user)


# --- crossings: timetables, day plans and the North's consent (the plans part) ----------------


def can_build_plans(user: User) -> bool:
    """The gate officer builds the day's plans from the approved crossing plans, changes them
    and sends them to the North."""
    return is_gate_officer(user)


def can_read_plans(user: User) -> bool:
    """The day's plans: the gate officer, the committee and the ministry read every line; a
    firm officer reads its own firm's lines."""
    return is_gate_officer(user) or can_read_complex(user)


def can_answer_plans(user: User) -> bool:
    """The North's bureau answers the plans sent to it: consent or refusal, signed."""
    return is_bureau(user)


def can_see_plans(user: User) -> bool:
    """Anyone with a page of the day plans: their readers and the bureau."""
    return can_read_plans(user) or can_answer_plans(user)


def dayplans_for_user(user: User) -> QuerySet[DayPlan]:
    """The day plans `user` sees: all for the gate officer, the committee and the ministry;
    those with a line of a firm officer's firms; those sent to the North for the bureau.
    Others are refused (403)."""
    require_authenticated(user)
    if is_gate_officer(user) or is_committee(user) or is_ministry_reader(user):
        return DayPlan.objects.all()
    if is_bureau(user):
        return DayPlan.objects.filter(sent_entry__isnull=False)
    require(is_firm_officer(user))
    return DayPlan.objects.filter(lines__firm__in=firms_for_user(user)).distinct()


def planlines_for_user(user: User, plan: DayPlan) -> QuerySet[PlanLine]:
    """The lines of `plan` that `user` reads: a firm officer its firms' only."""
    lines = PlanLine.objects.filter(plan=plan)
    if is_gate_officer(user) or is_committee(user) or is_ministry_reader(user) or is_bureau(user):
        return lines
    require(is_firm_officer(user))
    return lines.filter(firm__in=firms_for_user(user))


def get_dayplan(user: User, pk: object) -> DayPlan:
    """A day plan `user` sees (404 otherwise)."""
    return get_or_404(
        dayplans_for_user(user).select_related("slot", "sent_entry", "answer_entry"),
        pk,
        "출입계획",
        "day plan",
    )


def get_dayplan_for_build(user: User, pk: object) -> DayPlan:
    """As `get_dayplan`, for the gate officer who changes and sends it (403 for a reader)."""
    plan = get_dayplan(user, pk)
    require(can_build_plans(user))
    return plan


def get_dayplan_for_answer(user: User, pk: object) -> DayPlan:
    """A plan sent to the North, for the bureau that answers it (404 for one not sent)."""
    require_authenticated(user)
    require(can_answer_plans(user))
    return get_dayplan(user, pk)


# --- end of crossings: day plans ------------------------------------------------------------
# --- stay and communications (the stay part) ---------------------------------------------------


def can_read_stays(user: User) -> bool:
    """The committee and the ministry read every stay, a firm's officers their own people's."""
    return can_read_complex(user)


def can_file_stays(user: User) -> bool:
    """Recording a person's arrival and planned departure: the committee, or a firm's officers
    for their own people."""
    return is_committee(user) or is_firm_officer(user)


def can_register_stays(user: User) -> bool:
    """Registration, extension, residence and fees, filed with the North's side: the
    committee's."""
    return is_committee(user)


def can_read_stay_flags(user: User) -> bool:
    """The flags raised for overdue stays: the gate's officers, the committee, the ministry."""
    return is_gate_officer(user) or is_committee(user) or is_ministry_reader(user)


def stays_for_user(user: User) -> QuerySet[Stay]:
    """Every stay for the committee and the ministry, a firm's people for its officers; 403 for
    anyone else."""
    require_authenticated(user)
    require(can_read_stays(user))
    if is_committee(user) or is_ministry_reader(user):
        return Stay.objects.all()
    return Stay.objects.filter(firm__in=firms_for_user(user))


def get_stay(user: User, pk: object) -> Stay:
    return get_or_404(stays_for_user(user), pk, "체류", "stay")


def get_stay_for_registration(user: User, pk: object) -> Stay:
    """404 for a stay `user` cannot see; 403 for one they read but may not register."""
    stay = get_stay(user, pk)
    require(can_register_stays(user))
    return stay


def can_read_lines(user: User) -> bool:
    """Lines, calls and bills: the committee and the ministry all, a firm its own."""
    return can_read_complex(user)


def can_keep_lines(user: User) -> bool:
    """Lines, call records and bills are kept by the committee."""
    return is_committee(user)


def lines_for_user(user: User) -> QuerySet[PhoneLine]:
    require_authenticated(user)
    require(can_read_lines(user))
    return PhoneLine.objects.filter(firm__in=firms_for_user(user))


def calls_for_user(user: User) -> QuerySet[PhoneCall]:
    return PhoneCall.objects.filter(line__in=lines_for_user(user))


def bills_for_user(user: User) -> QuerySet[PhoneBill]:
    require_authenticated(user)
    require(can_read_lines(user))
    return PhoneBill.objects.filter(firm__in=firms_for_user(user))


def get_line(user: User, pk: object) -> PhoneLine:
    return get_or_404(lines_for_user(user), pk, "회선", "line")


# --- end of stay and communications ------------------------------------------------------------


# --- customs and quarantine (the customs part) -------------------------------------------------


def can_read_customs(user: User) -> bool:
    """The declarations: customs and quarantine keep them, the committee and the ministry read
    them all, a firm its own."""
    return (
        is_customs_officer(user)
        or is_quarantine_officer(user)
        or is_committee(user)
        or is_ministry_reader(user)
        or is_firm_officer(user)
    )


def can_see_customs_rules(user: User) -> bool:
    """The risk rules, the draws' commitments, the epidemic mode: the agencies and the readers
    of the complex, not the firms (a firm must not learn the risk rules)."""
    return (
        is_customs_officer(user)
        or is_quarantine_officer(user)
        or is_committee(user)
        or is_ministry_reader(user)
    )


def declarations_for_user(user: User) -> QuerySet[Declaration]:
    """Every declaration for customs, quarantine, the committee and the ministry; a firm's
    officers their own firm's (and its subcontractors'). Others are refused (403)."""
    require_authenticated(user)
    if (
        is_customs_officer(user)
        or is_quarantine_officer(user)
        or is_committee(user)
        or is_ministry_reader(user)
    ):
        return Declaration.objects.all()
    require(is_firm_officer(user))
    return Declaration.objects.filter(firm__in=firms_for_user(user))


def get_declaration(user: User, pk: object) -> Declaration:
    return get_or_404(declarations_for_user(user), pk, "신고", "declaration")


def can_declare(user: User) -> bool:
    """A firm's officers file their firm's declarations."""
    return is_firm_officer(user)


# --- end of customs and quarantine -------------------------------------------------------------


# --- the gate and the headcount (the gate part) ------------------------------------------------


def can_work_gate(user: User) -> bool:
    """Records check-outs and check-ins, merges the offline gate's events: the gate's officers."""
    return is_gate_officer(user)


def can_keep_flags(user: User) -> bool:
    """Raises and lifts the flags that stop someone at the gate: the gate's officers and the
    committee."""
    return is_gate_officer(user) or is_committee(user)


def can_read_gate(user: User) -> bool:
    """The gate's events and flags: the gate's officers, the committee and the ministry."""
    return is_gate_officer(user) or is_committee(user) or is_ministry_reader(user)


def can_read_headcount(user: User) -> bool:
    """Who is inside now: the readers of the gate, and a firm its own people."""
    return can_read_gate(user) or is_firm_officer(user)


def presence_for_user(user: User) -> QuerySet[Presence]:
    """Who is inside now, as `user` may see it: all of it for the readers of the gate, a firm
    officer's own firm's (and its subcontractors') people and vehicles. Others: 403."""
    require_authenticated(user)
    if can_read_gate(user):
        return Presence.objects.all()
    require(is_firm_officer(user))
    return Presence.objects.filter(firm__in=firms_for_user(user))


# --- end of the gate and the headcount ---------------------------------------------------------
