# CLDR ru: long "d MMMM y 'г'." (the month in the genitive: Django's E), short "dd.MM.y",
# date and time "{1}, {0}"; a narrow no-break space before "г.".
DATE_FORMAT = "j E Y\u202fг."
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j E Y\u202fг., H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
