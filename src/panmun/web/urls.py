from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.switch_language, name="language"),
    path("password/", views.password_change, name="password"),
    path("audit/", views.audit_log, name="audit"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("signoffs/", views.signoffs_page, name="signoffs"),
    path("signoffs/<int:pk>/decide/", views.signoff_decide, name="signoff-decide"),
    path("signoffs/<int:pk>/withdraw/", views.signoff_withdraw, name="signoff-withdraw"),
]
