"""UNESCO's five regions and the region of each Member State and Associate Member.

The grouping follows UNESCO's regional groups for its programme activities. Where a
country belongs to two groups (for example the Arab States that are also African
Union members), it is listed once, in the group UNESCO uses for its Arab States
programme, so that every country counts in exactly one region of the figures.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    ARAB_STATES = "arab-states", _("Arab States")
    ASIA_PACIFIC = "asia-pacific", _("Asia and the Pacific")
    EUROPE_NORTH_AMERICA = "europe-north-america", _("Europe and North America")
    LATIN_AMERICA_CARIBBEAN = "latin-america-caribbean", _("Latin America and the Caribbean")


_MEMBERS_BY_REGION = {
    Region.AFRICA: (
        "AO BJ BW BF BI CV CM CF TD KM CG CI CD GQ ER SZ ET GA GM GH GN GW KE LS LR MG "
        "MW ML MU MZ NA NE NG RW ST SN SC SL ZA SS TG UG TZ ZM ZW"
    ),
    Region.ARAB_STATES: "DZ BH DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE",
    Region.ASIA_PACIFIC: (
        "AF AU BD BT BN KH CN CK KP FJ IN ID IR JP KZ KI KG LA MY MV MH FM MN MM NR NP "
        "NZ NU PK PW PG PH KR WS SG SB LK TJ TH TL TO TM TV UZ VU VN "
        # Associate Members
        "TK MO NC"
    ),
    Region.EUROPE_NORTH_AMERICA: (
        "AL AD AM AT AZ BY BE BA BG CA HR CY CZ DK EE FI FR GE DE GR HU IS IE IL IT LV "
        "LT LU MT MC ME NL MK NO PL PT MD RO RU SM RS SK SI ES SE CH TR UA GB US "
        # Associate Member, and states that take part as observers or non-members
        "FO VA LI"
    ),
    Region.LATIN_AMERICA_CARIBBEAN: (
        "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE "
        "KN LC VC SR TT UY VE "
        # Associate Members
        "AW VG KY CW MS SX AI"
    ),
}

REGION_OF_COUNTRY = {
    code: region for region, codes in _MEMBERS_BY_REGION.items() for code in codes.split()
}


def region_for_country(country_code):
    """The UNESCO region of an ISO 3166-1 alpha-2 code, or "" when it has none."""
    return REGION_OF_COUNTRY.get(str(country_code or "").upper(), "")
