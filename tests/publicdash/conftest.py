from tests.okrs.conftest import (  # noqa: F401 (shared fixtures)
    fixed_today,
    kr_patrols,
    kr_response,
    okr,
    quarter,
    response_measure,
)
