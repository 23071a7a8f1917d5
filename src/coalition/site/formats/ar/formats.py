# CLDR ar: long "d MMMM y", short "d‏/M‏/y" (right-to-left marks keep the order), date and time
# "{1}، {0}". Times on the 24-hour clock, as the events' clocks show them.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j\u200f/n\u200f/Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "j\u200f/n\u200f/Y، H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 6
