"""The ministry's pages: queues, review, decisions, policy, statistics; the other side's view."""

from django.urls import URLPattern, path

from .views import review

urlpatterns: list[URLPattern] = [
    path("", review.queues_page, name="review-queues"),
    path("queue/<str:kind>/", review.queue_page, name="review-queue"),
    path("approvals/<int:pk>/", review.approval_page, name="review-approval"),
    path("approvals/<int:pk>/assign/", review.approval_assign_page, name="review-assign"),
    path("approvals/<int:pk>/exception/", review.exception_grant, name="review-exception"),
    path("approvals/<int:pk>/<str:move>/", review.approval_move, name="review-move"),
    path("statistics/", review.statistics_page, name="review-statistics"),
    path("invitations/", review.invitations_page, name="review-invitations"),
]
