from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("", views.registry_page, name="registry"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/card.pdf", views.person_card, name="person-card"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/relatives/new/", views.relative_new, name="relative-new"),
    path("people/<int:pk>/dna/", views.dna_new, name="dna-new"),
    path("import/", views.import_page, name="import"),
    path("export/", views.export_file, name="export"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics-csv"),
    path("duplicates/", views.duplicates_page, name="duplicates"),
    path("duplicates/find/", views.duplicates_find, name="duplicates-find"),
    path("duplicates/retrain/", views.duplicates_retrain, name="duplicates-retrain"),
    path("duplicates/<int:pk>/", views.duplicate_detail, name="duplicate"),
    path("duplicates/<int:pk>/decide/", views.duplicate_decide, name="duplicate-decide"),
    path("duplicates/<int:pk>/label/", views.duplicate_label, name="duplicate-label"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("rounds/", views.rounds_page, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/send/", views.round_send, name="round-send"),
    path("rounds/<int:pk>/document/<str:kind>/", views.round_document, name="round-document"),
    path("rounds/<int:pk>/replies/upload/", views.round_replies_upload, name="round-upload"),
    path("rounds/<int:pk>/replies/new/", views.round_reply_enter, name="round-reply"),
    path("rounds/<int:pk>/apply/", views.round_apply, name="round-apply"),
    path(
        "rounds/<int:pk>/apply/request/",
        views.round_apply_request,
        name="round-apply-request",
    ),
    path("replies/<int:pk>/review/", views.reply_review, name="reply-review"),
]
