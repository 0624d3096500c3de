"""US English formats for Django's named formats (``FORMAT_MODULE_PATH``): "December 1,
2026", "1:30 PM", "12/01/2026". Django's own ``en`` module writes "Dec. 1, 2026" (AP
style); the product's pages use the full month (docs/ui-language.md). Pages format dates
through ``strategyhub.ui.dates``, which also honours the agency's date style; these formats
serve Django's own output (``{{ value|date }}`` without a format, forms, admin)."""

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
FIRST_DAY_OF_WEEK = 0  # Sunday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
