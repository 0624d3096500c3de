"""Where uploaded files live (logos today; imports and report files as they come): Django's
``default`` storage, chosen by ``STORAGE_BACKEND``.

- ``filesystem`` (the default): ``MEDIA_ROOT`` on local disk. One host only (or a shared
  volume): a second web host would not see the first one's files.
- ``s3``: an S3-compatible bucket through django-storages (AWS S3, MinIO, Ceph, Wasabi, …),
  for several hosts. The bucket is **private**: no ACLs, no public URLs. Files are read
  through the storage API by the application, which decides who may see them (the public
  logo is served by ``/p/<slug>/logo`` only while the agency is published, so unpublishing
  hides it at once); where a direct link is ever handed out, it is a pre-signed URL that
  expires (``AWS_QUERYSTRING_EXPIRE`` seconds).

Code reaches files only through ``FieldFile``/``default_storage`` (``open``, ``save``,
``delete``, ``url``), never ``.path`` or ``MEDIA_ROOT``, so either backend works unchanged.
docs/observability.md ("File storage") lists the variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from strategyhub.config.env import env_bool, env_int, env_str

BACKENDS = ("filesystem", "s3")


def default_storage_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    backend = env_str("STORAGE_BACKEND", "filesystem", environ).lower()
    if backend not in BACKENDS:
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}.")
    if backend == "filesystem":
        # No explicit location: FileSystemStorage follows settings.MEDIA_ROOT.
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", "", environ)
    if not bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")

    def optional(name: str) -> str | None:
        return env_str(name, "", environ) or None

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": optional("AWS_S3_ENDPOINT_URL"),  # MinIO etc.; unset for AWS
            "region_name": optional("AWS_S3_REGION_NAME"),
            # Unset: boto3's own chain (instance role, web identity, ~/.aws).
            "access_key": optional("AWS_ACCESS_KEY_ID"),
            "secret_key": optional("AWS_SECRET_ACCESS_KEY"),
            "addressing_style": optional("AWS_S3_ADDRESSING_STYLE"),  # "path" for MinIO
            "location": env_str("AWS_LOCATION", "", environ),  # a key prefix in the bucket
            "custom_domain": optional("AWS_S3_CUSTOM_DOMAIN"),
            "default_acl": None,  # the bucket's policy decides: private
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True, environ),
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300, environ, minimum=1),
            "file_overwrite": False,  # a new upload never replaces another file by name
            "object_parameters": {"CacheControl": "private, max-age=3600"},
        },
    }
