"""The complex's pages: wage rules and disputes, payrolls, remittances."""

from django.urls import URLPattern, URLResolver, path

from .views import payroll

urlpatterns: list[URLPattern | URLResolver] = [
    path("wages/", payroll.wages_page, name="wages"),
    path("wages/rules/", payroll.wage_rule_agree, name="wage-rule-agree"),
    path("wages/disputes/", payroll.wage_demand_record, name="wage-demand-record"),
    path(
        "wages/disputes/<int:pk>/settle/",
        payroll.wage_dispute_settle,
        name="wage-dispute-settle",
    ),
    path(
        "wages/disputes/<int:pk>/withdraw/",
        payroll.wage_dispute_withdraw,
        name="wage-dispute-withdraw",
    ),
    path("payrolls/", payroll.payrolls_page, name="payrolls"),
    path("payrolls/compute/", payroll.payroll_compute, name="payroll-compute"),
    path("payrolls/month/", payroll.payroll_month_run, name="payroll-month-run"),
    path("payrolls/<int:pk>/", payroll.payroll_page, name="payroll"),
    path("payrolls/<int:pk>/line/", payroll.payroll_line, name="payroll-line"),
    path("payrolls/<int:pk>/submit/", payroll.payroll_submit, name="payroll-submit"),
    path("payrolls/<int:pk>/approve/", payroll.payroll_approve, name="payroll-approve"),
    path("payrolls/<int:pk>/send-back/", payroll.payroll_send_back, name="payroll-send-back"),
    path("payrolls/<int:pk>/export/", payroll.payroll_export, name="payroll-export"),
    path("remittances/", payroll.remittances, name="remittances"),
    path("remittances/record/", payroll.remittance_record, name="remittance-record"),
    path("remittances/<int:pk>/confirm/", payroll.remittance_confirm, name="remittance-confirm"),
]
