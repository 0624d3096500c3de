"""The SSO tests' real OpenID Connect provider (tests/identity/idp/, django-oauth-toolkit)
in its own process on a free port, and a browser-like walk through a sign-in: the
app's test client on our side, an HTTP session on the provider's (its sign-in form, then
its authorization), following each redirect by hand between the two."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
IDP_PASSWORD = "idp-pass-1"  # the test provider's people


@dataclass
class Provider:
    base: str

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"

    def _post(self, path: str, data: dict) -> None:
        response = requests.post(f"{self.base}{path}", json=data, timeout=10)
        response.raise_for_status()

    def add_client(
        self, client_id: str, redirect_uri: str, secret: str = "", public_key: str = ""
    ) -> None:
        self._post(
            "/control/client/",
            {
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uri": redirect_uri,
                "public_key": public_key,
            },
        )

    def add_person(self, username: str, email: str, groups=(), password=IDP_PASSWORD) -> None:
        self._post(
            "/control/person/",
            {
                "username": username,
                "email": email,
                "groups": list(groups),
                "password": password,
                "first_name": username.title(),
            },
        )

    def revoke(self, username: str) -> None:
        self._post("/control/revoke/", {"username": username})

    def sign_in(self, client, start_url: str, username: str, data=None, password=IDP_PASSWORD):
        """Walk a sign-in that starts with a POST to ``start_url`` on our side; returns our
        last response (after the callback)."""
        response = client.post(start_url, data or {"process": "login"})
        assert response.status_code == 302, response.content[:500]
        location = response["Location"]
        assert location.startswith(self.base), location
        browser = requests.Session()
        for _ in range(10):
            answer = browser.get(location, allow_redirects=False, timeout=10)
            if answer.status_code == 200 and "csrfmiddlewaretoken" in answer.text:
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text)
                next_field = re.search(r'name="next" value="([^"]*)"', answer.text)
                answer = browser.post(
                    answer.url,
                    data={
                        "csrfmiddlewaretoken": token.group(1),
                        "username": username,
                        "password": password,
                        "next": next_field.group(1).replace("&amp;", "&"),
                    },
                    allow_redirects=False,
                    timeout=10,
                )
                if answer.status_code == 200:
                    raise AssertionError("the provider refused the password")
            assert answer.status_code in (301, 302), (answer.status_code, answer.text[:500])
            location = answer.headers["Location"]
            if location.startswith("/"):
                location = self.base + location
            if not location.startswith(self.base):
                break
        parts = urlsplit(location)
        assert parts.netloc == "testserver", location
        return client.get(f"{parts.path}?{parts.query}")


@pytest.fixture(scope="session")
def idp_server():
    """The provider process, for the whole test session of this worker."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    directory = tempfile.mkdtemp(prefix="sh-idp-")
    env = {
        **os.environ,
        "IDP_ISSUER": "http://127.0.0.1:{port}/o",
        "IDP_DB": str(Path(directory) / "idp.sqlite3"),
        "IDP_RSA_KEY": pem,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.identity.idp.server", "0"],  # a free port
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("ready "):
            raise RuntimeError(f"the test provider did not start: {line}{process.stdout.read()}")
        base = f"http://127.0.0.1:{int(line.split()[1])}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/o/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield Provider(base)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def idp(idp_server, settings):
    """The provider, with fetching from loopback allowed for this test."""
    settings.STRATEGYHUB_SSO_ALLOW_LOOPBACK = True
    return idp_server
