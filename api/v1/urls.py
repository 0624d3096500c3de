"""``/api/v1/``: the operations, ``openapi.json`` and ``docs`` (Swagger UI from the package)."""

from api.v1 import reads, writes  # noqa: F401 (they register their operations)
from api.v1.core import api, v1_router

api.add_router("", v1_router)

urlpatterns = api.urls[0]
