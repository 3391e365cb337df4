"""Who is asking, behind a reverse proxy.

Behind nginx every connection comes from the proxy's address, and the client's own address is in
`X-Forwarded-For` (whether it came over HTTPS in `X-Forwarded-Proto`). Those headers are believed
only from the proxies listed in `PANMUN_TRUSTED_PROXIES` (addresses or networks); from anyone
else they are dropped, since a client can send whatever it likes. So axes locks out a username
from one client address, not everyone behind the proxy, and no client talking to the server
directly can claim another address or HTTPS.

`X-Forwarded-For` is read from the right: each proxy appends the address it was called from, so
the rightmost address that is not a trusted proxy is the client; anything left of it was written
by the client and is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: The headers a proxy sets, as Django names them in `request.META`.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"PANMUN_TRUSTED_PROXIES: {entry!r} is not an address or a network ({exc})."
            ) from exc
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: Sequence[Network]) -> str:
    """The client's address: `remote_addr` unless it is a trusted proxy, else the rightmost
    address of `forwarded_for` that is not one (the leftmost if all are; `remote_addr` if the
    header holds no valid address where one was needed)."""
    if not _trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        parsed = _address(hop)
        if parsed is None:
            return remote_addr  # a malformed hop: believe nothing left of it
        if not any(parsed in network for network in networks):
            return str(parsed)
    first = _address(hops[0]) if hops else None
    return str(first) if first is not None else remote_addr


class TrustedProxyMiddleware:
    """Sets `REMOTE_ADDR` to the client's address when the request came through a trusted proxy
    (keeping `X-Forwarded-Proto` for `SECURE_PROXY_SSL_HEADER`); otherwise drops the proxy
    headers. First in `MIDDLEWARE`, so everything after it sees the result."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = trusted_networks(tuple(settings.PANMUN_TRUSTED_PROXIES))
        meta = request.META
        remote = str(meta.get("REMOTE_ADDR", ""))
        if networks and _trusted(remote, networks):
            meta["REMOTE_ADDR"] = client_address(
                remote, str(meta.get("HTTP_X_FORWARDED_FOR", "")), networks
            )
            meta.pop("HTTP_X_FORWARDED_FOR", None)  # used up: no later step reads it again
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
