"""Uploads on Django's storage API, with the S3 backend (django-storages) against a local S3
emulator: moto in server mode, on its own port, with a real bucket. A logo uploaded through
the agency's settings form lands in the bucket, reads back through the storage, and is
served by the public logo page."""

import io

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled
from PIL import Image

from strategyhub.config.storage import default_storage_config
from strategyhub.models import Organization

# The emulator's address: a free port the operating system picks when it starts (a fixed
# port taken by anything else made moto's start-up wait forever: its thread died binding).
ENDPOINT = ""
BUCKET = "strategyhub-test-uploads"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    global ENDPOINT
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    ENDPOINT = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    server.stop()


@pytest.fixture
def s3_storage(s3_server):
    config = default_storage_config(
        {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": ENDPOINT,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_LOCATION": "media",
            **CREDENTIALS,
        }
    )
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "default": config}):
        yield s3_server


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "#005ea2").save(out, "PNG")
    return out.getvalue()


def test_a_logo_uploaded_through_the_form_lives_in_the_bucket(s3_storage, org_a, plan_a, login):
    png = _png()
    client = login(org_a.admin)
    response = client.post(
        reverse("agency:settings", args=["alpha"]),
        {
            "name": "Agency Alpha",
            "timezone": "America/Chicago",
            "fiscal_year_start_month": 7,
            "logo": SimpleUploadedFile("my logo.png", png, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        stored = Organization.objects.get(pk=org_a.org.pk).logo
    assert stored.storage.__class__.__name__ == "S3Storage"
    # In the bucket, under the configured prefix: read with boto3 directly ...
    listed = s3_storage.list_objects_v2(Bucket=BUCKET, Prefix="media/logos/")
    keys = [item["Key"] for item in listed.get("Contents", [])]
    assert f"media/{stored.name}" in keys
    assert s3_storage.get_object(Bucket=BUCKET, Key=f"media/{stored.name}")["Body"].read() == png
    # ... and through Django's storage API.
    with stored.open("rb") as handle:
        assert handle.read() == png
    # A direct link would be pre-signed and expiring; the bucket itself is private.
    assert "X-Amz-Signature=" in stored.url or "Signature=" in stored.url
    # The public page serves it from the bucket once the agency is published.
    assert client.get(reverse("public:logo", args=["alpha"])).status_code == 404
    client.post(reverse("publishing:publish", args=["alpha"]))
    client.logout()
    logo = client.get(reverse("public:logo", args=["alpha"]))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert logo.content == png


def test_an_upload_never_overwrites_another_file(s3_storage):
    first = default_storage.save("logos/same.png", io.BytesIO(b"one"))
    second = default_storage.save("logos/same.png", io.BytesIO(b"two"))
    assert first != second
    with default_storage.open(first) as handle:
        assert handle.read() == b"one"
    default_storage.delete(first)
    default_storage.delete(second)
    assert not default_storage.exists(first)


def test_backend_selection():
    assert default_storage_config({})["BACKEND"].endswith("FileSystemStorage")
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        default_storage_config({"STORAGE_BACKEND": "s3"})
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND"):
        default_storage_config({"STORAGE_BACKEND": "ftp"})
    options = default_storage_config({"STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": "b"})[
        "OPTIONS"
    ]
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["access_key"] is None  # boto3's credential chain (instance roles)
