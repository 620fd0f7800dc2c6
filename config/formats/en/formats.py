"""English dates as British usage writes them ("24 January 2014"), on a 24-hour clock, as a French public site would.

Only what differs from Django's English formats; Django's own module gives the rest.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
