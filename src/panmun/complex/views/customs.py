"""The complex's customs and quarantine pages: the declarations (a firm's own, customs' queue by
state and lane), a new declaration (lines; a refusal keeps what was typed and names each
field), a declaration with its lines, events and the actions of whoever looks at it (register,
assess, release, stop; re-route by a supervisor; a quarantine inspection), the risk rules, the
good records and the draws (each with its commitment, its seed once revealed and the
recomputation), and the quarantine officer's queue with the epidemic mode. Reads through
`access`, writes through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from panmun.accounts.access import get_or_404, require
from panmun.accounts.requests import AuthedRequest
from panmun.common.pages import post_action
from panmun.permits.models import Approval, ApprovalKind, GoodsDirection

from .. import customs as rules
from ..access import (
    can_declare,
    can_read_customs,
    can_see_customs_rules,
    declarations_for_user,
    firms_for_edit,
    get_declaration,
    is_customs_officer,
    is_customs_supervisor,
    is_quarantine_officer,
)
from ..models import (
    CustomsStanding,
    Declaration,
    DeclarationState,
    EpidemicPeriod,
    Firm,
    InspectionKind,
    InspectionResult,
    Lane,
    LaneDraw,
    RiskRule,
)
from ..services import customs as svc
from ..services import quarantine as qsvc

PAGE_LINES = 5


# --- forms -------------------------------------------------------------------------------


def add_line_fields(form: forms.Form) -> None:
    """The lines of a declaration as a page types them: `PAGE_LINES` rows, the first required."""
    for row in range(1, PAGE_LINES + 1):
        required = row == 1
        form.fields[f"line{row}_hs_code"] = forms.CharField(
            label=_("Line %(row)s: HS code") % {"row": row},
            max_length=20,
            required=required,
        )
        form.fields[f"line{row}_description"] = forms.CharField(
            label=_("Description"), max_length=200, required=required
        )
        form.fields[f"line{row}_quantity"] = forms.CharField(
            label=_("Quantity"), max_length=20, required=required
        )
        form.fields[f"line{row}_unit"] = forms.CharField(
            label=_("Unit"), max_length=20, required=required
        )
        form.fields[f"line{row}_value_usd"] = forms.CharField(
            label=_("Value (USD)"), max_length=20, required=required
        )
        form.fields[f"line{row}_magnification"] = forms.CharField(
            label=_("Magnification (binoculars)"), max_length=10, required=False
        )
        form.fields[f"line{row}_focal_length_mm"] = forms.CharField(
            label=_("Focal length in mm (cameras)"), max_length=10, required=False
        )


def typed_lines(data: dict[str, Any]) -> list[svc.LineIn]:
    """The rows typed (an empty row is skipped) as the services take them."""
    found = []
    for row in range(1, PAGE_LINES + 1):
        values = {
            name: (data.get(f"line{row}_{name}") or "").strip()
            for name in (
                "hs_code",
                "description",
                "quantity",
                "unit",
                "value_usd",
                "magnification",
                "focal_length_mm",
            )
        }
        if not any(values.values()):
            continue
        found.append(
            svc.LineIn(
                hs_code=values["hs_code"],
                description=values["description"],
                quantity=values["quantity"],
                unit=values["unit"],
                value_usd=values["value_usd"],
                magnification=values["magnification"] or None,
                focal_length_mm=values["focal_length_mm"] or None,
            )
        )
    return found


class DeclarationForm(forms.Form):
    firm = forms.ModelChoiceField(label=gettext_lazy("Firm"), queryset=Firm.objects.none())
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=GoodsDirection.choices)
    declared_on = forms.DateField(label=gettext_lazy("Crossing day"), help_text="YYYY-MM-DD")
    approval = forms.ModelChoiceField(
        label=gettext_lazy("Goods approval"),
        queryset=Approval.objects.none(),
        required=False,
        help_text=gettext_lazy("Empty: the firm's cooperation project approval"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        firms = firms_for_edit(user).order_by("name_ko")
        field = self.fields["firm"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = firms
        approvals = self.fields["approval"]
        assert isinstance(approvals, forms.ModelChoiceField)
        approvals.queryset = Approval.objects.filter(
            kind=ApprovalKind.GOODS,
            application__organisation__complex_firm__in=firms,
        ).select_related("application")
        add_line_fields(self)

    def lines(self) -> list[svc.LineIn]:
        return typed_lines(self.cleaned_data)


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is amended"),
        max_length=2000,
        required=False,
        help_text=gettext_lazy("Required once registered"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_line_fields(self)

    def lines(self) -> list[svc.LineIn]:
        return typed_lines(self.cleaned_data)


def amend_initial(declaration: Declaration) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for line in declaration.lines.order_by("row")[:PAGE_LINES]:
        for name in ("hs_code", "description", "quantity", "unit", "value_usd"):
            initial[f"line{line.row}_{name}"] = getattr(line, name)
        for name in ("magnification", "focal_length_mm"):
            value = getattr(line, name)
            initial[f"line{line.row}_{name}"] = "" if value is None else value
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)


class AssessForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000, required=False)


class RerouteForm(forms.Form):
    lane = forms.ChoiceField(label=gettext_lazy("Lane"), choices=Lane.choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Inspection"), choices=InspectionKind.choices)
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=InspectionResult.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=2000, required=False, widget=forms.Textarea
    )


class RiskRuleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    lane = forms.ChoiceField(label=gettext_lazy("Lane"), choices=Lane.choices)
    hs_prefix = forms.CharField(
        label=gettext_lazy("HS chapter, heading or subheading"), max_length=8, required=False
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=[("", gettext_lazy("Either")), *GoodsDirection.choices],
        required=False,
    )
    firm = forms.ModelChoiceField(
        label=gettext_lazy("Firm"), queryset=Firm.objects.order_by("name_ko"), required=False
    )
    min_value_usd = forms.DecimalField(
        label=gettext_lazy("Value from (USD)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )


class DrawForm(forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("From"), help_text="YYYY-MM-DD")
    ends_on = forms.DateField(label=gettext_lazy("To"), help_text="YYYY-MM-DD")
    red_bp = forms.IntegerField(label=gettext_lazy("Red (1/10,000)"), min_value=0, max_value=10_000)
    yellow_bp = forms.IntegerField(
        label=gettext_lazy("Yellow (1/10,000)"), min_value=0, max_value=10_000
    )
    blue_bp = forms.IntegerField(
        label=gettext_lazy("Blue (1/10,000)"), min_value=0, max_value=10_000
    )


class FirmStandingForm(forms.Form):
    good_record = forms.BooleanField(label=gettext_lazy("Good record"), required=False)
    since = forms.DateField(label=gettext_lazy("Since"), required=False, help_text="YYYY-MM-DD")
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class StandingForm(FirmStandingForm):
    firm = forms.ModelChoiceField(
        label=gettext_lazy("Firm"), queryset=Firm.objects.order_by("name_ko")
    )
    field_order = ["firm", "good_record", "since", "note"]


class EpidemicForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


# --- declarations --------------------------------------------------------------------------


@login_required
@require_GET
def declarations(request: AuthedRequest) -> HttpResponse:
    require(can_read_customs(request.user))
    state = request.GET.get("state", "")[:12]
    lane = request.GET.get("lane", "")[:8]
    rows = (
        declarations_for_user(request.user)
        .filter(svc.queue_filter(state, lane))
        .select_related("firm")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "complex/customs_list.html",
        {
            "page": page,
            "state": state if state in DeclarationState.values else "",
            "lane": lane if lane in Lane.values else "",
            "states": DeclarationState.choices,
            "lanes": Lane.choices,
            "can_declare": can_declare(request.user),
            "can_see_rules": can_see_customs_rules(request.user),
            "is_quarantine": is_quarantine_officer(request.user),
        },
    )


def _new_page(request: AuthedRequest, form: DeclarationForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "complex/customs_new.html",
        {"form": form, "can_see_rules": False},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def declaration_new(request: AuthedRequest) -> HttpResponse:
    require(can_declare(request.user))
    if request.method == "GET":
        return _new_page(request, DeclarationForm(user=request.user))
    form = DeclarationForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: svc.declaration_store(
                actor=request.user,
                firm=data["firm"],
                direction=data["direction"],
                declared_on=data["declared_on"],
                lines=form.lines(),
                approval=data["approval"],
            ),
            success=_("The declaration has been stored."),
            then=lambda d: _to_declaration(request, d),
            form=form,
        )
        if done:
            return done
    return _new_page(request, form, status=422)


def _to_declaration(request: AuthedRequest, declaration: Declaration) -> HttpResponse:
    """To the declaration's page. From the htmx form a redirect would be followed inside the
    request and its page swapped in under the form's address: htmx is told to go there."""
    url = reverse("complex:declaration", kwargs={"pk": declaration.pk})
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _label(choices: Any, value: object) -> str:
    """The label of `value` among `choices` (a TextChoices), or the value itself."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _shown_value(key: str, value: Any) -> str:
    if key in ("lane", "from", "to", "rule_lane", "drawn"):
        return _label(Lane, value) if value else "—"
    if key == "kind":
        return _label(InspectionKind, value)
    if key == "result":
        return _label(InspectionResult, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "banned" and isinstance(value, list):
        return "; ".join(
            _("line %(row)s, HS %(hs)s (%(rule)s)")
            % {"row": b.get("row"), "hs": b.get("hs_code"), "rule": b.get("rule")}
            for b in value
            if isinstance(b, dict)
        )
    if key == "changes" and isinstance(value, list):
        return "; ".join(
            _("line %(row)s %(field)s: %(before)s → %(after)s")
            % {
                "row": c.get("row"),
                "field": c.get("field"),
                "before": c.get("from") or "—",
                "after": c.get("to") or "—",
            }
            for c in value
            if isinstance(c, dict)
        )
    if value is None or value == "":
        return "—"
    return str(value)


def event_details_shown(details: object) -> list[tuple[str, str]]:
    """A declaration event's details as the page shows them: each known key's label in the
    page's language and its value in words (a lane's name, a line's change), not the stored
    JSON. An unknown key is shown as it is."""
    if not isinstance(details, dict):
        return []
    labels = {
        "lines": _("Lines"),
        "number": _("Number"),
        "lane": _("Lane"),
        "drawn": _("Drawn lane"),
        "rule": _("Rule"),
        "rule_lane": _("Lane by the risk rules"),
        "good_record": _("Good record"),
        "from": _("From lane"),
        "to": _("To lane"),
        "reason": _("Reason"),
        "note": _("Note"),
        "kind": _("Inspection"),
        "result": _("Result"),
        "banned": _("Banned lines"),
        "changes": _("Changes"),
    }
    return [(str(labels.get(key, key)), _shown_value(key, value)) for key, value in details.items()]


def declaration_page_of(
    request: AuthedRequest, declaration: Declaration, *, status: int = 200, **given: Any
) -> HttpResponse:
    user = request.user
    state = declaration.state
    customs = is_customs_officer(user)
    events = list(declaration.events.select_related("officer").order_by("at", "pk"))
    if not can_see_customs_rules(user):
        for event in events:
            event.details = svc.event_details_for_firm(event)
    for event in events:
        event.shown = event_details_shown(event.details)  # type: ignore[attr-defined]
        event.state_from_label = _label(DeclarationState, event.state_from)  # type: ignore[attr-defined]
        event.state_to_label = _label(DeclarationState, event.state_to)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "can_see_rules": can_see_customs_rules(user),
        "d": declaration,
        "lines": declaration.lines.order_by("row"),
        "events": events,
        "inspections": declaration.inspections.select_related("officer").order_by("at", "pk"),
        "can_register": customs and state == DeclarationState.STORED,
        "can_amend": (
            (customs and state == DeclarationState.REGISTERED)
            or (
                can_declare(user)
                and state in (DeclarationState.STORED, DeclarationState.REGISTERED)
                and firms_for_edit(user).filter(pk=declaration.firm_id).exists()
            )
            or "amend_form" in given
        ),
        "can_assess": customs and (state == DeclarationState.REGISTERED or "assess_form" in given),
        "can_release": customs and state == DeclarationState.ASSESSED,
        "can_stop": customs
        and (
            state
            in (DeclarationState.STORED, DeclarationState.REGISTERED, DeclarationState.ASSESSED)
            or "stop_form" in given
        ),
        "can_reroute": is_customs_supervisor(user)
        and (state == DeclarationState.REGISTERED or "reroute_form" in given),
        "can_inspect": is_quarantine_officer(user)
        and (
            state in (DeclarationState.REGISTERED, DeclarationState.ASSESSED)
            or "inspect_form" in given
        ),
        "needs_quarantine": svc.needs_quarantine(declaration, timezone.now()),
        "quarantine_passed": svc.quarantine_passed(declaration),
        "quarantine_kinds": rules.quarantine_kinds(
            declaration.lines.values_list("hs_code", flat=True)
        ),
    }
    context["amend_form"] = given.get("amend_form") or AmendForm(
        prefix="amend", initial=amend_initial(declaration)
    )
    context["assess_form"] = given.get("assess_form") or AssessForm(prefix="assess")
    context["stop_form"] = given.get("stop_form") or ReasonForm(prefix="stop")
    context["reroute_form"] = given.get("reroute_form") or RerouteForm(prefix="reroute")
    context["inspect_form"] = given.get("inspect_form") or InspectionForm(prefix="inspect")
    return render(request, "complex/customs_detail.html", context, status=status)


def _declaration(request: AuthedRequest, pk: int) -> Declaration:
    return get_declaration(request.user, pk)


@login_required
@require_GET
def declaration_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return declaration_page_of(request, _declaration(request, pk))


def _move(request: AuthedRequest, pk: int, act: Any, success: str) -> HttpResponse:
    declaration = _declaration(request, pk)
    require(is_customs_officer(request.user))
    return post_action(
        request,
        lambda: act(actor=request.user, declaration=declaration),
        success=success,
        then=redirect("complex:declaration", pk=declaration.pk),
    )


@login_required
@require_POST
def declaration_register(request: AuthedRequest, pk: int) -> HttpResponse:
    return _move(request, pk, svc.declaration_register, _("The declaration has been registered."))


@login_required
@require_POST
def declaration_release(request: AuthedRequest, pk: int) -> HttpResponse:
    return _move(request, pk, svc.declaration_release, _("The goods have been released."))


@login_required
@require_POST
def declaration_amend(request: AuthedRequest, pk: int) -> HttpResponse:
    declaration = _declaration(request, pk)
    require(is_customs_officer(request.user) or can_declare(request.user))
    form = AmendForm(request.POST, prefix="amend")
    if form.is_valid():
        done = post_action(
            request,
            lambda: svc.declaration_amend(
                actor=request.user,
                declaration=declaration,
                lines=form.lines(),
                reason=form.cleaned_data["reason"],
            ),
            success=_("The declaration has been amended; its number stays."),
            then=redirect("complex:declaration", pk=declaration.pk),
            form=form,
        )
        if done:
            return done
    return declaration_page_of(request, declaration, status=422, amend_form=form)


@login_required
@require_POST
def declaration_assess(request: AuthedRequest, pk: int) -> HttpResponse:
    declaration = _declaration(request, pk)
    require(is_customs_officer(request.user))
    form = AssessForm(request.POST, prefix="assess")
    if form.is_valid():
        done = post_action(
            request,
            lambda: svc.declaration_assess(
                actor=request.user, declaration=declaration, note=form.cleaned_data["note"]
            ),
            success=_("The assessment has been recorded."),
            then=redirect("complex:declaration", pk=declaration.pk),
            form=form,
        )
        if done:
            return done
    return declaration_page_of(request, declaration, status=422, assess_form=form)


@login_required
@require_POST
def declaration_stop(request: AuthedRequest, pk: int) -> HttpResponse:
    declaration = _declaration(request, pk)
    require(is_customs_officer(request.user))
    form = ReasonForm(request.POST, prefix="stop")
    if form.is_valid():
        done = post_action(
            request,
            lambda: svc.declaration_stop(
                actor=request.user, declaration=declaration, reason=form.cleaned_data["reason"]
            ),
            success=_("The declaration has been stopped."),
            then=redirect("complex:declaration", pk=declaration.pk),
            form=form,
        )
        if done:
            return done
    return declaration_page_of(request, declaration, status=422, stop_form=form)


@login_required
@require_POST
def declaration_reroute(request: AuthedRequest, pk: int) -> HttpResponse:
    declaration = _declaration(request, pk)
    require(is_customs_supervisor(request.user))
    form = RerouteForm(request.POST, prefix="reroute")
    if form.is_valid():
        done = post_action(
            request,
            lambda: svc.declaration_reroute(
                actor=request.user,
                declaration=declaration,
                lane=form.cleaned_data["lane"],
                reason=form.cleaned_data["reason"],
            ),
            success=_("The declaration has been re-routed."),
            then=redirect("complex:declaration", pk=declaration.pk),
            form=form,
        )
        if done:
            return done
    return declaration_page_of(request, declaration, status=422, reroute_form=form)


@login_required
@require_POST
def declaration_inspect(request: AuthedRequest, pk: int) -> HttpResponse:
    declaration = _declaration(request, pk)
    require(is_quarantine_officer(request.user))
    form = InspectionForm(request.POST, prefix="inspect")
    if form.is_valid():
        done = post_action(
            request,
            lambda: qsvc.inspection_record(
                actor=request.user, declaration=declaration, **form.cleaned_data
            ),
            success=_("The inspection has been recorded."),
            then=redirect("complex:declaration", pk=declaration.pk),
            form=form,
        )
        if done:
            return done
    return declaration_page_of(request, declaration, status=422, inspect_form=form)


# --- risk rules, good records, draws ---------------------------------------------------------


def rules_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    require(can_see_customs_rules(request.user))
    keeper = is_customs_officer(request.user)
    context: dict[str, Any] = {
        "rules": RiskRule.objects.select_related("firm").order_by("-active", "name", "pk"),
        "draws": LaneDraw.objects.order_by("-starts_on")[:50],
        "standings": CustomsStanding.objects.select_related("firm").order_by("firm__name_ko"),
        "can_keep": keeper,
        "can_see_rules": True,
        "max_red": rules.MAX_SAMPLE_RED_BP,
    }
    if keeper:
        context["rule_form"] = given.get("rule_form") or RiskRuleForm(prefix="rule")
        context["draw_form"] = given.get("draw_form") or DrawForm(prefix="draw")
        context["standing_form"] = given.get("standing_form") or StandingForm(prefix="standing")
    return render(request, "complex/customs_rules.html", context, status=status)


@login_required
@require_GET
def rules_page(request: AuthedRequest) -> HttpResponse:
    return rules_page_of(request)


@login_required
@require_POST
def risk_rule_add(request: AuthedRequest) -> HttpResponse:
    require(is_customs_officer(request.user))
    form = RiskRuleForm(request.POST, prefix="rule")
    if form.is_valid():
        done = post_action(
            request,
            lambda: svc.risk_rule_add(actor=request.user, **form.cleaned_data),
            success=_("The risk rule has been added."),
            then=redirect("complex:customs-rules"),
            form=form,
        )
        if done:
            return done
    return rules_page_of(request, status=422, rule_form=form)


@login_required
@require_POST
def risk_rule_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    require(is_customs_officer(request.user))
    rule = get_or_404(RiskRule.objects.all(), pk, "위험 선별 규칙", "Risk rule")
    return post_action(
        request,
        lambda: svc.risk_rule_retire(actor=request.user, rule=rule),
        success=_("The risk rule has been retired."),
        then=redirect("complex:customs-rules"),
    )


@login_required
@require_POST
def draw_commit(request: AuthedRequest) -> HttpResponse:
    require(is_customs_officer(request.user))
    form = DrawForm(request.POST, prefix="draw")
    if form.is_valid():
        data = form.cleaned_data
        done = post_action(
            request,
            lambda: svc.lane_draw_commit(
                actor=request.user,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                rates=rules.Rates(data["red_bp"], data["yellow_bp"], data["blue_bp"]),
            ),
            success=_("The draw has been committed: publish its commitment."),
            then=lambda d: redirect("complex:customs-draw", pk=d.pk),
            form=form,
        )
        if done:
            return done
    return rules_page_of(request, status=422, draw_form=form)


@login_required
@require_POST
def standing_set(request: AuthedRequest) -> HttpResponse:
    require(is_customs_officer(request.user))
    form = StandingForm(request.POST, prefix="standing")
    if form.is_valid():
        done = post_action(
            request,
            lambda: svc.standing_set(actor=request.user, **form.cleaned_data),
            success=_("The firm's record has been set."),
            then=redirect("complex:customs-rules"),
            form=form,
        )
        if done:
            return done
    return rules_page_of(request, status=422, standing_form=form)


@login_required
@require_POST
def standing_set_for(request: AuthedRequest, firm_pk: int) -> HttpResponse:
    """The same, for the firm named in the address (a firm's row, a program)."""
    require(is_customs_officer(request.user))
    firm = get_or_404(Firm.objects.all(), firm_pk, "기업", "Firm")
    form = FirmStandingForm(request.POST, prefix="standing")
    if form.is_valid():
        done = post_action(
            request,
            lambda: svc.standing_set(actor=request.user, firm=firm, **form.cleaned_data),
            success=_("The firm's record has been set."),
            then=redirect("complex:customs-rules"),
            form=form,
        )
        if done:
            return done
    return rules_page_of(request, status=422)


def _draw(pk: int) -> LaneDraw:
    return get_or_404(LaneDraw.objects.all(), pk, "무작위 선별", "Lane draw")


@login_required
@require_GET
def draw_page(request: AuthedRequest, pk: int) -> HttpResponse:
    require(can_see_customs_rules(request.user))
    draw = _draw(pk)
    rates = svc.rates_of(draw)
    document = rules.commitment_document(
        draw.starts_on.isoformat(), draw.ends_on.isoformat(), rates, draw.seed_sha256
    )
    report = svc.draw_verify(draw) if draw.revealed_at else None
    return render(
        request,
        "complex/customs_draw.html",
        {
            "draw": draw,
            "can_see_rules": True,
            "green_bp": rates.green,
            "document": document.decode(),
            "scheme": rules.SCHEME,
            "report": report,
            "can_reveal": is_customs_officer(request.user)
            and draw.revealed_at is None
            and timezone.localdate() > draw.ends_on,
            "declarations": draw.declarations.count(),
        },
    )


@login_required
@require_POST
def draw_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    require(is_customs_officer(request.user))
    draw = _draw(pk)
    return post_action(
        request,
        lambda: svc.lane_draw_reveal(actor=request.user, draw=draw),
        success=_("The seed has been revealed."),
        then=redirect("complex:customs-draw", pk=draw.pk),
    )


# --- quarantine ------------------------------------------------------------------------------


def quarantine_page_of(request: AuthedRequest, *, status: int = 200, **given: Any) -> HttpResponse:
    require(can_see_customs_rules(request.user))
    now = timezone.now()
    epidemic = qsvc.epidemic_mode_on(now)
    waiting = Declaration.objects.filter(
        state__in=[DeclarationState.REGISTERED, DeclarationState.ASSESSED]
    ).select_related("firm")
    if not epidemic:
        waiting = waiting.filter(quarantine_required=True)
    context: dict[str, Any] = {
        "waiting": waiting.order_by("registered_at", "pk")[:200],
        "epidemic": epidemic,
        "can_see_rules": True,
        "periods": EpidemicPeriod.objects.order_by("-starts_at")[:50],
        "can_keep": is_quarantine_officer(request.user),
        "note": rules.QUARANTINE_NOTE,
    }
    if context["can_keep"]:
        context["epidemic_form"] = given.get("epidemic_form") or EpidemicForm(prefix="epidemic")
    return render(request, "complex/quarantine.html", context, status=status)


@login_required
@require_GET
def quarantine_page(request: AuthedRequest) -> HttpResponse:
    return quarantine_page_of(request)


@login_required
@require_POST
def epidemic_start(request: AuthedRequest) -> HttpResponse:
    require(is_quarantine_officer(request.user))
    form = EpidemicForm(request.POST, prefix="epidemic")
    if form.is_valid():
        done = post_action(
            request,
            lambda: qsvc.epidemic_start(actor=request.user, reason=form.cleaned_data["reason"]),
            success=_("The epidemic mode is on: every crosser and consignment is inspected."),
            then=redirect("complex:quarantine"),
            form=form,
        )
        if done:
            return done
    return quarantine_page_of(request, status=422, epidemic_form=form)


@login_required
@require_POST
def epidemic_end(request: AuthedRequest) -> HttpResponse:
    require(is_quarantine_officer(request.user))
    return post_action(
        request,
        lambda: qsvc.epidemic_end(actor=request.user),
        success=_("The epidemic mode is off."),
        then=redirect("complex:quarantine"),
    )
