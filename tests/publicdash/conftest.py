from tests.okrs.conftest import (  # noqa: F401 (shared fixtures)
    kr_patrols,
    kr_response,
    okr,
    quarter,
    response_measure,
)
