"""Fetching a provider's documents (OpenID Connect discovery, keys, tokens, SAML metadata)
from the server: only over https, and never from a private, loopback, link-local or other
non-public address, so an agency admin cannot point StrategyHub at the platform's own
network (server-side request forgery).

The host is resolved once and every address it resolves to must be public; the request
is then made to that address (TLS still checks the certificate against the host name), so
a name that resolves differently a moment later (DNS rebinding) cannot slip through.
Redirects are not followed. ``STRATEGYHUB_SSO_ALLOW_LOOPBACK`` (tests and local demos
only) allows loopback addresses, and plain http to them.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.utils.translation import gettext
from requests.adapters import HTTPAdapter

TIMEOUT_SECONDS = 5
MAX_DOCUMENT_BYTES = 1_000_000


class UnsafeURL(requests.RequestException):
    """A URL the server may not fetch; the message says why (shown to the admin)."""


def _loopback_allowed() -> bool:
    return bool(getattr(settings, "STRATEGYHUB_SSO_ALLOW_LOOPBACK", False))


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.is_loopback:
        return not _loopback_allowed()
    return (
        address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of ``url`` if it may be fetched, else UnsafeURL."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise UnsafeURL(gettext("“%(url)s” is not a full URL.") % {"url": url})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL(gettext("“%(url)s” has an invalid port.") % {"url": url}) from exc
    if parts.scheme != "https" and not (parts.scheme == "http" and _loopback_allowed()):
        raise UnsafeURL(
            gettext("“%(url)s” is not an https address; providers are reached over https only.")
            % {"url": url}
        )
    return parts.scheme, host, port


def resolve_public(host: str, port: int) -> str:
    """The first address of ``host``, when every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(
            gettext("The host “%(host)s” could not be found.") % {"host": host}
        ) from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for address in addresses:
        if _refused(address):
            raise UnsafeURL(
                gettext(
                    "“%(host)s” is a private or local address (%(address)s); providers must be "
                    "reached at a public address."
                )
                % {"host": host, "address": address}
            )
    if not addresses:
        raise UnsafeURL(gettext("The host “%(host)s” could not be found.") % {"host": host})
    return str(addresses[0])


class PublicOnlyAdapter(HTTPAdapter):
    """Checks each request's URL and sends it to the address that was checked."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        _scheme, host, port = check_url(request.url or "")
        address = resolve_public(host, port)
        parts = urlsplit(request.url or "")
        netloc = f"[{address}]" if ":" in address else address
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        request.headers["Host"] = parts.netloc.rpartition("@")[2]
        request.url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        request._sh_hostname = host  # type: ignore[attr-defined]
        return super().send(request, *args, **kwargs)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        hostname = getattr(request, "_sh_hostname", None)
        if hostname and host_params.get("scheme") == "https":
            # TLS names and checks the host, though the connection is to its address.
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        return host_params, pool_kwargs


class PublicOnlySession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        adapter = PublicOnlyAdapter(max_retries=0)
        self.mount("https://", adapter)
        self.mount("http://", adapter)
        self.max_redirects = 0
        self.trust_env = False  # no proxy from the environment between us and the check

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def session() -> PublicOnlySession:
    return PublicOnlySession()


def get_document(url: str) -> requests.Response:
    """GET ``url`` by the rules above; UnsafeURL or another RequestException when it
    cannot be fetched, with a message fit for the admin."""
    with session() as sess:
        response = sess.get(url, stream=True)
        if response.is_redirect:
            raise UnsafeURL(
                gettext("“%(url)s” answered with a redirect; give the final address.")
                % {"url": url}
            )
        response.raise_for_status()
        content = response.raw.read(MAX_DOCUMENT_BYTES + 1, decode_content=True)
        if len(content) > MAX_DOCUMENT_BYTES:
            raise UnsafeURL(
                gettext("“%(url)s” is larger than a provider's document can be.") % {"url": url}
            )
        response._content = content
        return response
