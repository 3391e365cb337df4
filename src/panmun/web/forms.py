from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from panmun.accounts.models import TokenScope
from panmun.accounts.services import TOKEN_DAYS_CHOICES, TOKEN_DAYS_DEFAULT


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the reporting script."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(d, _("%(days)s days") % {"days": d}) for d in TOKEN_DAYS_CHOICES],
        initial=TOKEN_DAYS_DEFAULT,
        help_text=_("The token stops working after this; at most a year."),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=[
            (TokenScope.READ, _("Read only (GET): reports, exports, checks")),
            (TokenScope.READ_WRITE, _("Read and write: also records, sends and changes")),
        ],
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )


class LoginForm(AuthenticationForm):
    """Django's sign-in form with our own words: its message builds the field's name into a
    sentence ("사용자 이름와/과 비밀번호를…"), which reads wrong in Korean."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is wrong. Both are case-sensitive; check Caps Lock."
        ),
        "inactive": _("This account is switched off. Ask your administrator."),
    }


class PasswordForm(PasswordChangeForm):
    """Django's password change form (the old password, then the new one twice, checked by
    AUTH_PASSWORD_VALIDATORS) with messages of our own."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("The current password is wrong. Type it again."),
        "password_mismatch": _("The two new passwords differ. Type the same one twice."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""
