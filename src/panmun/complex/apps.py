from django.utils.translation import gettext_lazy as _

from panmun.common import apps


class ComplexConfig(apps.PanmunAppConfig):
    name = "panmun.complex"
    label = "complex"
    verbose_name = _("Gaeseong Industrial Complex")
    # The committee approves payrolls in the complex's own pages: no 결재 step yet.
    navigation_order = 50
    navigation = (
        apps.NavItem(
            "complex",
            _("Gaeseong complex"),
            "complex:dashboard",
            "panmun.complex.access.can_read_complex",
        ),
        apps.NavItem(
            "complex-bureau",
            _("Gaeseong wages remitted"),
            "complex:remittances",
            "panmun.complex.access.is_bureau",
        ),
        apps.NavItem(
            "complex-gate",
            _("Gaeseong gate"),
            "complex:gate",
            "panmun.complex.access.can_work_gate",
        ),
        apps.NavItem(
            "complex-headcount",
            _("Gaeseong headcount"),
            "complex:gate-headcount",
            "panmun.complex.access.can_read_headcount",
        ),
    )
    demo_loader = "panmun.complex.demo.load_demo"
    demo_order = 50
    audit_actions: dict[str, tuple[str, str]] = {
        # workers
        "complex.worker.add": ("근로자 등록", "Worker put on a roster"),
        "complex.worker.leave": ("근로자 퇴직 기록", "Worker's leaving recorded"),
        "complex.roster.import": ("근로자 명단 반입", "Roster file read"),
        # firms, land and output
        "complex.firm.create": ("입주기업 등록", "Firm recorded"),
        "complex.firm.update": ("입주기업 기록 변경", "Firm's record changed"),
        "complex.firm.contacts": ("입주기업 연락처 변경", "Firm's contacts changed"),
        "complex.firm.approval": ("협력사업 승인 연결", "Cooperation project approval linked"),
        "complex.lease.create": ("토지 임대차 계약 기록", "Land lease recorded"),
        "complex.parcel.create": ("필지 기록", "Parcel recorded"),
        "complex.sublease.create": ("분양 계약 기록", "Sublease recorded"),
        "complex.building.create": ("건물 기록", "Building recorded"),
        "complex.fee_rule.create": ("토지사용료 규칙 기록", "Land-use fee rule recorded"),
        "complex.output.record": ("월 생산 실적 기록", "Monthly output recorded"),
        # wages, payroll, remittances
        "complex.wage_rule.agree": ("임금 규정 합의", "Wage rule agreed"),
        "complex.wage_dispute.record": ("임금 요구 기록", "Wage demand recorded"),
        "complex.wage_dispute.settle": ("임금 분쟁 타결", "Wage dispute settled"),
        "complex.wage_dispute.withdraw": ("임금 요구 철회", "Wage demand withdrawn"),
        "complex.payroll.compute": ("노임 계산", "Payroll computed"),
        "complex.payroll.recompute": ("노임 재계산", "Payroll computed again"),
        "complex.payroll.submit": ("노임 제출", "Payroll submitted"),
        "complex.payroll.approve": ("노임 승인", "Payroll approved"),
        "complex.payroll.send_back": ("노임 반려", "Payroll sent back"),
        "complex.remittance.record": ("노임 송금 기록", "Wage remittance recorded"),
        "complex.remittance.confirm": ("노임 송금 수령 확인", "Wage remittance receipt confirmed"),
        # the gate
        "complex.gate.merge": ("출입 관문 오프라인 기록 병합", "Offline gate events merged"),
        "complex.gate.flag_raise": ("출입 제한 표시", "Gate flag raised"),
        "complex.gate.flag_lift": ("출입 제한 해제", "Gate flag lifted"),
    }
