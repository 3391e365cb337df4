"""The aid pages on reports, loans and history."""

from django.urls import URLPattern, URLResolver, path

from .views import reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", reports.reports_page, name="reports"),
    path("reports/pdf/", reports.report_pdf, name="report-pdf"),
    path("loans/", reports.loans_page, name="loans"),
    path("loans/<int:pk>/", reports.loan_page, name="loan"),
    path("loans/<int:pk>/pay/", reports.instalment_pay_view, name="instalment-pay"),
    path("loans/<int:pk>/notice/", reports.loan_notice_view, name="loan-notice"),
    path("history/", reports.history_page, name="history"),
]
