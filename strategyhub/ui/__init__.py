"""UI helpers shared by every app: USWDS form rendering (``forms``) and status badges
(``badges``)."""
