# CLDR es: long "d 'de' MMMM 'de' y", short "d/M/yy", date and time "{1}, {0}".
DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "j/n/y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATETIME_FORMAT = "j/n/y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
FIRST_DAY_OF_WEEK = 1
