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

from .models import Firm, PayrollMonth, Remittance, Worker
from .models.crossings import Presence


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
