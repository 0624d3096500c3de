"""Every sheet of the workbook and its columns, in the order a row refers only to sheets
before it (``dataio.schema``)."""

from __future__ import annotations

from dataio.schema.columns import KEY_LENGTH, Column, Kind, Sheet


def _key(what: str) -> Column:
    return Column(
        "Key",
        "external_key",
        Kind.TEXT,
        required=True,
        max_length=KEY_LENGTH,
        description=(
            f"The {what}'s key in this agency: keep it as exported, so a re-import updates "
            "the row instead of adding another. A new row may take any unique short text."
        ),
    )


def _ref(header: str, name: str, sheet: str, required: bool = False, what: str = "") -> Column:
    return Column(
        header,
        name,
        Kind.REF,
        required=required,
        ref=sheet,
        description=what or f"The Key of its row on “{sheet}”.",
    )


def _email(header: str, name: str, what: str) -> Column:
    return Column(header, name, Kind.EMAIL, description=what)


def _collaborators() -> Column:
    return Column(
        "Collaborators",
        "collaborators",
        Kind.EMAIL,
        many=True,
        source="",  # read by the exporter from the many-to-many table
        description="Members who help the owner, by email, separated by commas.",
    )


def _choice(header: str, name: str, model: str, required: bool = False, what: str = "") -> Column:
    return Column(
        header, name, Kind.CHOICE, required=required, model_choices=(model, name), description=what
    )


def _text(
    header: str, name: str, required: bool = False, what: str = "", length: int | None = None
) -> Column:
    return Column(header, name, Kind.TEXT, required=required, description=what, max_length=length)


def _decimal(header: str, name: str, required: bool = False, what: str = "") -> Column:
    return Column(header, name, Kind.DECIMAL, required=required, description=what)


def _integer(header: str, name: str, required: bool = False, what: str = "") -> Column:
    return Column(header, name, Kind.INTEGER, required=required, description=what)


def _date(header: str, name: str, required: bool = False, what: str = "") -> Column:
    return Column(header, name, Kind.DATE, required=required, description=what)


def _datetime(header: str, name: str, what: str = "", export_only: bool = False) -> Column:
    return Column(header, name, Kind.DATETIME, description=what, export_only=export_only)


def _bool(header: str, name: str, what: str = "") -> Column:
    return Column(header, name, Kind.BOOL, description=what)


ORDER = _integer("Order", "order", what="Position among its siblings (smallest first).")
ARCHIVED = _datetime("Archived at", "archived_at", "When it was archived; empty while in use.")
MEASURE = "scorecards.Measure"
KEY_RESULT = "okrs.KeyResult"

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Units",
        "strategyhub.Unit",
        "The organisational units (departments, divisions, teams, offices) as a tree.",
        (
            _key("unit"),
            _text("Name", "name", required=True, length=200),
            _choice("Kind", "kind", "strategyhub.Unit"),
            _ref("Parent", "parent", "Units", what="The Key of the unit it sits in; empty: top."),
            ORDER,
        ),
        order_by=("parent_id", "order", "name"),
    ),
    Sheet(
        "Members",
        "strategyhub.Membership",
        "The agency's members: never a password, token or security key. A new email becomes "
        "an invitation; an existing account becomes a membership (its name is left alone).",
        (
            Column("Email", "user", Kind.EMAIL, required=True, description="The member's email."),
            Column(
                "Name",
                "user__full_name",
                Kind.TEXT,
                source="user__full_name",
                description="The person's name (an existing account keeps its own).",
            ),
            _choice("Role", "role", "strategyhub.Membership", required=True),
            _ref("Home unit", "unit", "Units"),
            _bool("Active", "is_active", "FALSE: a former member (kept as the author of history)."),
            _datetime("Deactivated at", "deactivated_at", export_only=True),
        ),
        key=("Email",),
        order_by=("user__email",),
    ),
    Sheet(
        "Unit grants",
        "guardian.UserObjectPermission",
        "Members who may edit the items of a unit (and its sub-units) besides their own.",
        (
            _ref("Unit", "unit", "Units", required=True),
            _email("Member", "user", "The member who holds the grant, by email."),
        ),
        key=("Unit", "Member"),
    ),
    Sheet(
        "Plan",
        "scorecards.StrategicPlan",
        "The five-year strategic plans: mission, vision, values and the fiscal years they span.",
        (
            _key("plan"),
            _text("Title", "title", required=True, length=200),
            _text("Mission", "mission", required=True),
            _text("Vision", "vision", required=True),
            _text("Values", "values", what="The agency's values, one per line."),
            _integer("First fiscal year", "first_fiscal_year", required=True),
            _integer("Last fiscal year", "last_fiscal_year", required=True),
            _choice("Status", "status", "scorecards.StrategicPlan", required=True),
        ),
        order_by=("first_fiscal_year", "pk"),
    ),
    Sheet(
        "Perspectives",
        "scorecards.Perspective",
        "The bands of the strategy map, 1 the top (mission / citizen value).",
        (
            _key("perspective"),
            _ref("Plan", "plan", "Plan", required=True),
            _text("Name", "name", required=True, length=120),
            _text("Description", "description"),
            ORDER,
        ),
    ),
    Sheet(
        "Themes",
        "scorecards.Theme",
        "The plan's strategic themes.",
        (
            _key("theme"),
            _ref("Plan", "plan", "Plan", required=True),
            _text("Name", "name", required=True, length=120),
            _text("Description", "description"),
            ORDER,
        ),
    ),
    Sheet(
        "Strategic objectives",
        "scorecards.StrategicObjective",
        "The plan's objectives, each in one perspective.",
        (
            _key("objective"),
            _ref("Plan", "plan", "Plan", required=True),
            _ref("Perspective", "perspective", "Perspectives", required=True),
            _ref("Theme", "theme", "Themes"),
            _ref("Unit", "unit", "Units"),
            _email("Owner", "owner", "The member accountable for it, by email."),
            _collaborators(),
            _text("Title", "title", required=True, length=200),
            _text("Description", "description"),
            ORDER,
            ARCHIVED,
            _text("Review flag", "review_flag", what="Why it needs the annual review.", length=300),
        ),
    ),
    Sheet(
        "Causal links",
        "scorecards.CausalLink",
        "The arrows of the strategy map: achieving one objective drives another.",
        (
            _key("link"),
            _ref("From objective", "source", "Strategic objectives", required=True),
            _ref("To objective", "target", "Strategic objectives", required=True),
            _text("Pathway", "pathway", what="How the one drives the other.", length=300),
        ),
    ),
    Sheet(
        "Measures",
        MEASURE,
        "The measures of the objectives, with every setting.",
        (
            _key("measure"),
            _ref("Objective", "objective", "Strategic objectives", required=True),
            _text("Name", "name", required=True, length=200),
            _text("Definition", "definition", what="What is counted, and how."),
            _text("Data source", "data_source", length=200),
            _choice("Unit of measure", "unit_kind", MEASURE, required=True),
            _integer("Rate base", "rate_per", what="For a rate only: per how many."),
            _integer("Decimals", "decimals", what="Shown decimals (0–4)."),
            _decimal("Lowest possible value", "min_value"),
            _decimal("Highest possible value", "max_value"),
            _choice("Polarity", "polarity", MEASURE, required=True),
            _decimal("Baseline value", "baseline_value", required=True),
            _date("Baseline date", "baseline_date", required=True),
            _decimal("Five-year target", "target_value", what="Empty for a range measure."),
            _decimal("Range low", "range_low", what="Range measures: the lowest acceptable."),
            _decimal("Range high", "range_high", what="Range measures: the highest acceptable."),
            _decimal("Tolerance", "tolerance", what="How far a value may miss and be at risk."),
            _choice("Update frequency", "update_frequency", MEASURE, required=True),
            _email("Owner", "owner", "The member who enters its values, by email."),
            _collaborators(),
            _ref("Organisational unit", "org_unit", "Units"),
            _choice("Visibility", "visibility", MEASURE),
            _choice("Value source", "value_source", MEASURE),
            _choice("Roll-up method", "rollup_method", MEASURE),
            ORDER,
            ARCHIVED,
        ),
    ),
    Sheet(
        "Yearly targets",
        "scorecards.MeasureTarget",
        "Explicit targets per fiscal year: the floor and an optional stretch (for a range "
        "measure the floor is the range's low end).",
        (
            _ref("Measure", "measure", "Measures", required=True),
            _integer("Fiscal year", "fiscal_year", required=True),
            _decimal("Floor", "floor", required=True),
            _decimal("Stretch", "stretch"),
            _decimal("Range high", "range_high"),
        ),
        key=("Measure", "Fiscal year"),
        order_by=("measure_id", "fiscal_year"),
    ),
    Sheet(
        "Measure values",
        "scorecards.MeasureValue",
        "The whole value series: one value per measure and period (the first day of its month, "
        "quarter or year).",
        (
            _ref("Measure", "measure", "Measures", required=True),
            _date("Period", "period", required=True, what="First day of the period."),
            _decimal("Value", "value", required=True),
            _text("Note", "note"),
            _choice("Source", "source", "scorecards.MeasureValue"),
            _email("Entered by", "entered_by", "Who entered it, by email."),
            _datetime("Entered at", "entered_at", export_only=True),
        ),
        key=("Measure", "Period"),
        order_by=("measure_id", "period"),
    ),
    Sheet(
        "Focus map",
        "scorecards.FocusEntry",
        "How much attention an objective gets in one quarter of a fiscal year.",
        (
            _ref("Objective", "objective", "Strategic objectives", required=True),
            _integer("Fiscal year", "fiscal_year", required=True),
            _integer("Quarter", "quarter", required=True, what="1 to 4."),
            _choice("Level", "level", "scorecards.FocusEntry", required=True),
        ),
        key=("Objective", "Fiscal year", "Quarter"),
        order_by=("objective_id", "fiscal_year", "quarter"),
    ),
    Sheet(
        "Cycles",
        "okrs.Cycle",
        "The OKR quarters and fiscal years, with their state (closed quarters stay closed).",
        (
            _key("cycle"),
            _choice("Kind", "kind", "okrs.Cycle", required=True),
            _integer("Fiscal year", "fiscal_year", required=True),
            _integer("Quarter", "quarter", what="1 to 4; empty for a fiscal-year cycle."),
            _date("Start", "start", required=True),
            _date("End", "end", required=True),
            _choice("Status", "status", "okrs.Cycle", required=True),
            _datetime("Closed at", "closed_at"),
            _email("Closed by", "closed_by", "Who closed it, by email."),
        ),
        order_by=("start", "kind"),
    ),
    Sheet(
        "OKR objectives",
        "okrs.OkrObjective",
        "The OKR objectives of every cycle, in their alignment tree.",
        (
            _key("OKR objective"),
            _ref("Cycle", "cycle", "Cycles", required=True),
            _choice("Level", "level", "okrs.OkrObjective", required=True),
            _ref("Unit", "unit", "Units"),
            _email("Owner", "owner", "The member accountable for it, by email."),
            _collaborators(),
            _text("Title", "title", required=True, length=200),
            _text("Description", "description"),
            _ref(
                "Strategic objective",
                "strategic_objective",
                "Strategic objectives",
                what="The strategic objective it serves (required at agency and unit level).",
            ),
            _ref("Causal link", "causal_link", "Causal links"),
            _ref("Parent", "parent", "OKR objectives", what="The OKR objective it contributes to."),
            _choice("Status", "status", "okrs.OkrObjective", required=True),
            ORDER,
            ARCHIVED,
            _ref("Cloned from", "cloned_from", "OKR objectives"),
        ),
        order_by=("cycle__start", "parent_id", "pk"),
    ),
    Sheet(
        "Key results",
        KEY_RESULT,
        "The key results of the OKR objectives, with every setting.",
        (
            _key("key result"),
            _ref("OKR objective", "objective", "OKR objectives", required=True),
            _text("Title", "title", required=True, length=200),
            _email("Owner", "owner", "The member who checks in, by email."),
            _collaborators(),
            _choice("Kind", "kind", KEY_RESULT, required=True),
            _choice("Unit of measure", "unit_kind", KEY_RESULT, required=True),
            _integer("Rate base", "rate_per"),
            _integer("Decimals", "decimals"),
            _decimal("Start value", "start_value"),
            _decimal(
                "Target value", "target_value", what="The target; for hold-the-line the threshold."
            ),
            _decimal("Floor value", "floor_value"),
            _choice("Hold direction", "hold_direction", KEY_RESULT),
            _date("Due date", "due_date", what="Milestones: when it is due."),
            _decimal("Weight", "weight"),
            _ref("Measure", "measure", "Measures", what="The scorecard measure it feeds."),
            _bool("Counterweight", "is_counterweight", "TRUE: a guardrail not to make worse."),
            ORDER,
            ARCHIVED,
            _datetime("Created at", "created_at", "Check-ins are expected from this day on."),
            _ref("Cloned from", "cloned_from", "Key results"),
        ),
        order_by=("objective__cycle__start", "objective_id", "order", "pk"),
    ),
    Sheet(
        "Check-ins",
        "okrs.CheckIn",
        "Every check-in of every key result, with its author's email.",
        (
            _key("check-in"),
            _ref("Key result", "key_result", "Key results", required=True),
            _date("As of", "as_of", required=True, what="The week (any day of it) it reports on."),
            _decimal("Value", "value"),
            _bool("Done", "done", "Milestones: TRUE when done."),
            _decimal("Rubric score", "rubric_score", what="Qualitative results: 0 to 1."),
            _integer("Confidence", "confidence", what="0 (no chance) to 10 (certain)."),
            _text("What moved", "moved"),
            _text("Blockers", "blockers"),
            _text("Next step", "next_step"),
            _text("Evidence", "evidence"),
            _email("Author", "author", "Who checked in, by email."),
            _datetime("Created at", "created_at", export_only=True),
            _datetime("Updated at", "updated_at", export_only=True),
        ),
        order_by=("key_result_id", "as_of", "created_at"),
    ),
    Sheet(
        "Quarterly reviews",
        "okrs.OkrObjective",
        "The review of each reviewed OKR objective: its final score and what was learned.",
        (
            Column(
                "OKR objective",
                "external_key",
                Kind.REF,
                required=True,
                ref="OKR objectives",
                source="external_key",
                description="The Key of the reviewed objective on “OKR objectives”.",
            ),
            _decimal("Final score", "final_score", what="0 to 1, as the reviewer set it."),
            _text("What worked", "what_worked"),
            _text("Lessons", "lessons"),
        ),
        key=("OKR objective",),
        order_by=("cycle__start", "pk"),
    ),
    Sheet(
        "Frozen scores",
        KEY_RESULT,
        "What a quarter's closing decided per key result: the decision, the score frozen at "
        "closing and the result it was carried over from.",
        (
            Column(
                "Key result",
                "external_key",
                Kind.REF,
                required=True,
                ref="Key results",
                source="external_key",
                description="The Key of the key result on “Key results”.",
            ),
            _choice("Review decision", "review_decision", KEY_RESULT),
            _decimal("Frozen score", "frozen_score", what="0 to 1, frozen at closing."),
            _ref("Carried over from", "predecessor", "Key results"),
        ),
        key=("Key result",),
        order_by=("objective__cycle__start", "pk"),
    ),
    Sheet(
        "Publications",
        "publicdash.Publication",
        "Every version of the public scorecard, as its published JSON document (split into "
        "parts where it is longer than a cell holds; join the parts in order).",
        (
            _integer("Version", "version", required=True),
            _integer("Part", "part", required=True, what="1, 2, …: the document's parts."),
            _datetime("Published at", "published_at", export_only=True),
            _email("Published by", "published_by", "Who published it, by email."),
            _bool("Scheduled", "scheduled", "TRUE: published by the schedule."),
            Column("Document", "document", Kind.JSON, required=True, description="JSON text."),
        ),
        key=("Version", "Part"),
        order_by=("version",),
    ),
    Sheet(
        "Audit history",
        "simple_history",
        "Who changed what and when, for every audited item (read only: it is exported, never "
        "imported, since history is dated when it happened).",
        (
            _datetime("When", "history_date"),
            _email("Who", "history_user", "The member who made the change, by email."),
            _text("Sheet", "sheet", what="The sheet the item is on."),
            _text("Item key", "item_key"),
            _text("Item", "item", what="The item's name when it was changed."),
            _text("Change", "change", what="Created, Changed or Deleted."),
            _text("Fields", "fields", what="The fields that changed."),
            _text("Reason", "history_change_reason"),
        ),
        key=(),
        importable=False,
        order_by=("history_date",),
    ),
)

BY_NAME = {sheet.name: sheet for sheet in SHEETS}
README = "Read me"


def sheet(name: str) -> Sheet:
    return BY_NAME[name]


def importable_sheets() -> tuple[Sheet, ...]:
    return tuple(sheet for sheet in SHEETS if sheet.importable)
