"""The smoke test's HTTPS client (.ci/smoke.py): a cookie jar, the forms of a page with
their CSRF tokens, no automatic redirects, the test's own certificate authority."""

from __future__ import annotations

import html.parser
import http.cookiejar
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from smoke_common import SmokeFailure, check

# --- An HTTPS client with a cookie jar ------------------------------------------------------


class Forms(html.parser.HTMLParser):
    """Every <form> of a page: its action, method and the values it would submit."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": a.get("method", "get"), "fields": {}}
            )
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "image"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            else:
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, None)
        elif tag == "option" and self._select:
            if fields.get(self._select) is None or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str, cafile: Path) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=str(cafile))  # verifies the certificate
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirect,
        )

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        url = urllib.parse.urljoin(self.base, path)
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        if body is not None:
            # Django checks the Referer of HTTPS POSTs (CSRF), as a browser sends it.
            request.add_header("Referer", url)
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def follow(self, path: str, limit: int = 5):
        """GET ``path``, following redirects; returns (final path, status, body)."""
        for _ in range(limit):
            status, headers, body = self.get(path)
            if status not in (301, 302, 303):
                return path, status, body
            path = urllib.parse.urljoin(urllib.parse.urljoin(self.base, path), headers["Location"])
        raise SmokeFailure(f"too many redirects from {path}")

    def forms(self, body: str) -> list[dict]:
        parser = Forms()
        parser.feed(body)
        return parser.forms

    def submit(self, page: str, body: str, action: re.Pattern, changes: dict):
        form = next((f for f in self.forms(body) if action.search(f["action"])), None)
        check(form, f"no form matching {action.pattern} on {page}")
        fields = {k: v for k, v in form["fields"].items() if v is not None}
        check("csrfmiddlewaretoken" in fields, f"{page}: the form has no CSRF token")
        fields.update(changes)
        target = urllib.parse.urljoin(urllib.parse.urljoin(self.base, page), form["action"])
        return self.request("POST", target, data=fields)
