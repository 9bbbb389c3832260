# Mend's one way to write dates and times in Spanish: "1 de diciembre de 2026, 21:44".
# Templates use the filters in mend/lib/when.py; code calls date_format with these names.
DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
