"""Dates as Mexican Spanish writes them: month names in lower case («10 de diciembre de 2026»).
Django's ``F`` gives the capitalised name; ``E`` gives the form used inside a date."""

DATE_FORMAT = r"j \d\e E \d\e Y"
DATETIME_FORMAT = r"j \d\e E \d\e Y, H:i"
MONTH_DAY_FORMAT = r"j \d\e E"
YEAR_MONTH_FORMAT = r"E \d\e Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
