"""Behind a reverse proxy (issue 16, should-fix): X-Forwarded-For and X-Forwarded-Proto are
believed only from the proxies in PANMUN_TRUSTED_PROXIES, so a lockout after failed sign-ins
holds for one client address, and a client talking to the server directly cannot claim
another address or HTTPS."""

import ipaddress

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from panmun.accounts.demo import DEMO_PASSWORD
from panmun.web.proxy import TrustedProxyMiddleware, client_address

PROXY = "10.0.0.1"


def _sign_in(client: Client, password: str, *, remote: str, forwarded_for: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(
        "/login/", {"username": "ministry", "password": password}, REMOTE_ADDR=remote, **headers
    )


@override_settings(PANMUN_TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_a_lockout_holds_for_one_client_address(personas):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(attacker, "wrong", remote=PROXY, forwarded_for="198.51.100.7")
        assert response.status_code == 200
    assert (
        _sign_in(attacker, "wrong", remote=PROXY, forwarded_for="198.51.100.7").status_code == 429
    )
    assert (
        _sign_in(attacker, DEMO_PASSWORD, remote=PROXY, forwarded_for="198.51.100.7").status_code
        == 429
    )

    officer = Client()  # the real officer, at another desk, through the same proxy
    response = _sign_in(officer, DEMO_PASSWORD, remote=PROXY, forwarded_for="198.51.100.8")
    assert response.status_code == 302
    assert officer.session["_auth_user_id"] == str(personas["ministry"].pk)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]


@override_settings(PANMUN_TRUSTED_PROXIES=[PROXY])
def test_from_an_untrusted_address_the_forwarded_header_is_ignored(personas):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        # A new claimed address each time: ignored, the lockout counts the real one.
        _sign_in(client, "wrong", remote="203.0.113.9", forwarded_for=f"198.51.100.{n}")
    response = _sign_in(client, DEMO_PASSWORD, remote="203.0.113.9", forwarded_for="198.51.100.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


@override_settings(PANMUN_TRUSTED_PROXIES=[])
def test_with_no_proxy_configured_the_header_is_ignored(personas):
    client = Client()
    _sign_in(client, "wrong", remote=PROXY, forwarded_for="198.51.100.7")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


def _seen(remote: str, **headers: str) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    seen: list[HttpRequest] = []

    def view(r: HttpRequest) -> HttpResponse:
        seen.append(r)
        return HttpResponse()

    TrustedProxyMiddleware(view)(request)
    return seen[0]


@override_settings(
    PANMUN_TRUSTED_PROXIES=["10.0.0.0/24"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_https_is_believed_only_from_a_trusted_proxy():
    through_proxy = _seen(
        "10.0.0.5", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="192.0.2.4"
    )
    assert through_proxy.is_secure() is True
    assert through_proxy.META["REMOTE_ADDR"] == "192.0.2.4"

    direct = _seen("192.0.2.50", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert direct.is_secure() is False
    assert direct.META["REMOTE_ADDR"] == "192.0.2.50"
    assert "HTTP_X_FORWARDED_FOR" not in direct.META
    assert "HTTP_X_FORWARDED_PROTO" not in direct.META


@pytest.mark.parametrize(
    ("remote", "forwarded_for", "expected"),
    [
        ("192.0.2.1", "198.51.100.7", "192.0.2.1"),  # not through a proxy
        ("10.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the client wrote 1.2.3.4
        ("10.0.0.1", "198.51.100.7, 10.0.0.2", "198.51.100.7"),  # two proxies
        ("10.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
        ("10.0.0.1", "198.51.100.7:5000", "198.51.100.7"),
        ("10.0.0.1", "not-an-address", "10.0.0.1"),
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "10.0.0.2", "10.0.0.2"),  # only proxies: the first
    ],
)
def test_client_address_is_the_rightmost_hop_that_is_not_a_proxy(remote, forwarded_for, expected):
    networks = (ipaddress.ip_network("10.0.0.0/24"),)
    assert client_address(remote, forwarded_for, networks) == expected
