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
        apps.NavItem(
            "complex-evacuation",
            _("Evacuation board"),
            "complex:evacuation-board",
            "panmun.complex.access.can_see_evacuation",
        ),
        apps.NavItem(
            "complex-plans",
            _("Gaeseong crossing plans"),
            "complex:dayplans",
            "panmun.complex.access.can_read_plans",
        ),
        apps.NavItem(
            "complex-plans-north",
            _("Gaeseong crossing plans to consent to"),
            "complex:dayplans-north",
            "panmun.complex.access.can_answer_plans",
        ),
        apps.NavItem(
            "complex-stay",
            _("Gaeseong stays"),
            "complex:stays",
            "panmun.complex.access.can_read_stays",
        ),
        apps.NavItem(
            "complex-phones",
            _("Gaeseong telephone lines"),
            "complex:phone-lines",
            "panmun.complex.access.can_read_lines",
        ),
        apps.NavItem(
            "complex-customs",
            _("Gaeseong customs"),
            "complex:declarations",
            "panmun.complex.access.can_read_customs",
        ),
    )
    work_queue = "panmun.complex.work_stay.work_queue"
    # The North's answers to the day's crossing plans, when its own node sent them.
    after_liaison_round = "panmun.complex.services.plans_north.dayplan_answers_collect"
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
        # evacuation
        "complex.evacuation.order": ("철수 명령 기록", "Order to leave recorded"),
        "complex.evacuation.close": ("철수 명령 종료", "Order to leave closed"),
        "complex.evacuation.manifest": ("철수 명단 송부", "Evacuation manifest sent"),
        "complex.asset_left.record": ("남겨 둔 자산 기록", "Asset left behind recorded"),
        # crossings: day plans and the North's consent
        "complex.dayplan.build": ("출입계획 작성", "Day's crossing plans built"),
        "complex.dayplan.send": ("출입계획 북측 통보", "Crossing plan sent to the North"),
        "complex.dayplan.answer": ("출입계획 동의 여부 회신", "Crossing plan answered"),
        "complex.dayplan.answer_received": (
            "출입계획 북측 회신 수신",
            "The North's answer to a crossing plan received",
        ),
        "complex.planline.add": ("출입계획 인원·차량 추가", "Person or vehicle put on a plan"),
        "complex.planline.withdraw": (
            "출입계획 인원·차량 제외",
            "Person or vehicle taken off a plan",
        ),
        # stay and communications
        "complex.stay.arrive": ("체류 시작 기록", "Stay's arrival recorded"),
        "complex.stay.registration": ("체류등록", "Stay registered"),
        "complex.stay.extension": ("체류연장", "Stay extended"),
        "complex.stay.residence": ("거주등록", "Residence registered"),
        "complex.stay.fee": ("체류 수수료 납부 기록", "Stay fee paid"),
        "complex.stay.depart": ("체류 종료 기록", "Stay's departure recorded"),
        "complex.line.install": ("통신 회선 설치", "Telephone line installed"),
        "complex.line.remove": ("통신 회선 철거", "Telephone line taken out"),
        "complex.call.record": ("통화 기록", "Call recorded"),
        "complex.call.import": ("통화 기록 파일 반입", "Call records file read"),
        "complex.bill.compute": ("통신 요금 계산", "Telephone bill computed"),
        # customs and quarantine
        "complex.declaration.store": ("통관 신고 보관", "Customs declaration stored"),
        "complex.declaration.amend": ("통관 신고 정정", "Customs declaration amended"),
        "complex.declaration.register": ("통관 신고 등록", "Customs declaration registered"),
        "complex.declaration.reroute": ("검사 구분 변경", "Customs declaration re-routed"),
        "complex.declaration.assess": ("통관 신고 심사", "Customs declaration assessed"),
        "complex.declaration.release": ("통관 (반출입 허가)", "Customs declaration released"),
        "complex.declaration.stop": ("통관 정지", "Customs declaration stopped"),
        "complex.risk_rule.add": ("위험 선별 규칙 추가", "Risk rule added"),
        "complex.risk_rule.retire": ("위험 선별 규칙 폐지", "Risk rule retired"),
        "complex.lane_draw.commit": ("무작위 선별 약정 공표", "Lane draw committed"),
        "complex.lane_draw.reveal": ("무작위 선별 시드 공개", "Lane draw's seed revealed"),
        "complex.standing.set": ("기업 성실 기록 지정", "Firm's customs record set"),
        "complex.inspection.record": ("검역 결과 기록", "Quarantine inspection recorded"),
        "complex.epidemic.start": ("방역 강화 시행", "Epidemic mode switched on"),
        "complex.epidemic.end": ("방역 강화 해제", "Epidemic mode switched off"),
        # the gate
        "complex.gate.merge": ("출입 관문 오프라인 기록 병합", "Offline gate events merged"),
        "complex.gate.flag_raise": ("출입 제한 표시", "Gate flag raised"),
        "complex.gate.flag_lift": ("출입 제한 해제", "Gate flag lifted"),
    }
