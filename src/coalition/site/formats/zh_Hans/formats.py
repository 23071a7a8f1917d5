# CLDR zh_Hans: long "y年M月d日", short "y/M/d", date and time "{1} {0}".
DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = "Y/n/j"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y/n/j H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
FIRST_DAY_OF_WEEK = 1
