from django.urls import path

from . import views

app_name = "reunion"

urlpatterns = [
    path("", views.rounds_page, name="rounds"),
    path("history/", views.history_page, name="history"),
    path("letters/", views.letters_page, name="letters"),
    path("letters/<int:pk>/advance/", views.letter_advance, name="letter-advance"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/criteria/", views.round_criteria, name="round-criteria"),
    path("<int:pk>/criteria/preview/", views.round_criteria_preview, name="round-criteria-preview"),
    path("<int:pk>/freeze/", views.round_freeze, name="round-freeze"),
    path("<int:pk>/draw/", views.round_draw, name="round-draw"),
    path(
        "<int:pk>/candidates/<int:candidate_pk>/check/",
        views.candidate_check,
        name="candidate-check",
    ),
    path("<int:pk>/checks/import/", views.checks_import, name="checks-import"),
    path("<int:pk>/checks/template.<str:fmt>", views.checks_template, name="checks-template"),
    path("<int:pk>/reserves/", views.round_reserves, name="round-reserves"),
    path("<int:pk>/inquiry/", views.round_inquiry, name="round-inquiry"),
    path("<int:pk>/final/", views.round_final, name="round-final"),
    path("<int:pk>/final/signoff/", views.round_final_signoff, name="round-final-signoff"),
    path("<int:pk>/revert/", views.round_revert, name="round-revert"),
    path("<int:pk>/bundle.zip", views.round_bundle, name="round-bundle"),
    path("<int:pk>/published/<str:name>", views.round_commitment, name="round-published"),
    path("<int:pk>/event/", views.event_page, name="event"),
    path("<int:pk>/event/update/", views.event_update, name="event-update"),
    path("<int:pk>/event/sessions/", views.session_add, name="session-add"),
    path(
        "<int:pk>/event/sessions/<int:session_pk>/remove/",
        views.session_remove,
        name="session-remove",
    ),
    path("<int:pk>/event/places/", views.places_assign, name="places-assign"),
    path("<int:pk>/event/<str:kind>.pdf", views.event_document, name="event-document"),
    path("<int:pk>/video/", views.video_page, name="video"),
    path("<int:pk>/video/schedule/", views.video_schedule, name="video-schedule"),
    path("families/<int:pk>/", views.participant_update, name="participant-update"),
    path("families/<int:pk>/companions/", views.companion_add, name="companion-add"),
    path("families/<int:pk>/north/", views.north_relative_add, name="north-relative-add"),
    path("families/<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("families/<int:pk>/wishes/", views.video_wishes, name="video-wishes"),
]
