"""UI helpers shared by every app: USWDS form rendering (``forms``), status badges
(``badges``) and number formatting, the one place numbers are rounded for display
(``formatting``)."""
