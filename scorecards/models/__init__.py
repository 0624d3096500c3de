"""The scorecards app's models, one module per capability, all importable from here (Django
loads them from this package, and ``from scorecards.models import X`` is how the project
names them):

- ``strategy``: the plan, perspectives, themes, objectives, causal links and measures;
- ``series``: a measure's yearly targets, its values and the state derived from them;
- ``focus``: the quarterly focus on objectives.

Every model is tenant-scoped; changes to the plan, objectives, measures, targets and values
are audited with django-simple-history (who changed what, when), shown on each item's page.
Statuses are never stored: they are computed from values by ``scorecards.calc``.

The modules are imported in the order their models were always defined in (``strategy``
first: the others build on it; the ``# isort: split`` lines keep it), so the models register,
and a new database gets its content types and permissions, in the same order as before.
"""

from scorecards.models.strategy import (
    ROLLUP_CHOICES,
    VALUE_DIGITS,
    CausalLink,
    Measure,
    Perspective,
    PlanStatus,
    StrategicObjective,
    StrategicPlan,
    Theme,
    ValueSource,
    Visibility,
    new_public_id,
    rate_per_field,
    unit_kind_field,
)

# isort: split
from scorecards.models.series import MeasureState, MeasureTarget, MeasureValue, ValueOrigin

# isort: split
from scorecards.models.focus import FocusEntry, FocusLevel

__all__ = [
    "ROLLUP_CHOICES",
    "VALUE_DIGITS",
    "CausalLink",
    "FocusEntry",
    "FocusLevel",
    "Measure",
    "MeasureState",
    "MeasureTarget",
    "MeasureValue",
    "Perspective",
    "PlanStatus",
    "StrategicObjective",
    "StrategicPlan",
    "Theme",
    "ValueOrigin",
    "ValueSource",
    "Visibility",
    "new_public_id",
    "rate_per_field",
    "unit_kind_field",
]
