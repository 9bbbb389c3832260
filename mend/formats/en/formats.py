# Mend's one way to write dates and times in English: "1 December 2026, 9:44 PM".
# Templates use the filters in mend/lib/when.py; code calls date_format with these names.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y, g:i A"
SHORT_DATETIME_FORMAT = "j M Y, g:i A"
MONTH_DAY_FORMAT = "j F"
