"""Deterministic, realistic-looking directory data, inserted with bulk_create.

The same seed and sizes give the same rows, so figures from two runs (or two databases)
compare like with like. `bulk_create` skips `Model.save()`, so everything `save()` would
derive (region, slug) is computed here the same way.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import override

from coalition.members.models import (
    Affiliation,
    Gender,
    MembershipApplication,
    Organization,
    Person,
    StakeholderType,
    User,
    WorkingGroup,
    WorkingGroupMembership,
)
from coalition.recommendation.regions import REGION_OF_COUNTRY, Region

SEED = 2019  # the year of the UNESCO Recommendation on OER
BATCH_SIZE = 1000

# What the benchmark's filtered requests ask for: the largest region and the word an OER
# site is most searched for, which occurs in about one name in five, so that with the
# default sizes the search matches some hundreds of organizations (a dozen pages).
BENCH_REGION = Region.EUROPE_NORTH_AMERICA
BENCH_TERM = "open"
BENCH_STAKEHOLDER_TYPE = StakeholderType.UNIVERSITY

# Shares of organizations per region, roughly as in UNESCO's networks: Europe and North
# America largest, the Arab States smallest.
REGION_WEIGHTS = {
    Region.EUROPE_NORTH_AMERICA: 33,
    Region.ASIA_PACIFIC: 22,
    Region.AFRICA: 20,
    Region.LATIN_AMERICA_CARIBBEAN: 15,
    Region.ARAB_STATES: 10,
}
STAKEHOLDER_WEIGHTS = {
    StakeholderType.UNIVERSITY: 30,
    StakeholderType.CIVIL_SOCIETY: 20,
    StakeholderType.LIBRARY: 9,
    StakeholderType.SPECIALIZED_INSTITUTION: 9,
    StakeholderType.PRIVATE_SECTOR: 8,
    StakeholderType.MEMBER_STATE: 6,
    StakeholderType.NATIONAL_COMMISSION: 4,
    StakeholderType.OTHER: 6,
    StakeholderType.IGO: 4,
    StakeholderType.CATEGORY_2_CENTRE: 4,
}
STATUS_WEIGHTS = {
    Organization.Status.MEMBER: 90,
    Organization.Status.APPLIED: 6,
    Organization.Status.INACTIVE: 4,
}
GENDER_WEIGHTS = {
    Gender.WOMAN: 46,
    Gender.MAN: 40,
    Gender.NON_BINARY: 2,
    Gender.PREFER_NOT_TO_SAY: 3,
    "": 9,
}
PUBLIC_PROFILE_SHARE = 0.7
ACCOUNT_SHARE = 0.3
GROUP_MEMBER_SHARE = 0.25


def _words(text, separator=" "):
    # Long word lists read better as one string than as one quoted item per line.
    return tuple(text.split(separator))


FRANCOPHONE = frozenset(
    _words("FR BE CH LU MC CA SN CI CM MA TN DZ MG BJ BF ML NE TG GA CD CG HT TD GN RW BI DJ KM")
)
HISPANOPHONE = frozenset(_words("ES MX AR CO PE CL VE EC GT CU BO DO HN PY SV NI CR PA UY"))

# Topics as (English, French, Arabic).
TOPICS = [
    ("Digital Learning", "l'apprentissage numérique", "التعلم الرقمي"),
    ("Digital Libraries", "les bibliothèques numériques", "المكتبات الرقمية"),
    ("Open Education", "l'éducation ouverte", "التعليم المفتوح"),
    (
        "Open Educational Resources",
        "les ressources éducatives libres",
        "الموارد التعليمية المفتوحة",
    ),
    ("Teacher Development", "la formation des enseignants", "تطوير المعلمين"),
    ("Distance Education", "l'enseignement à distance", "التعليم عن بعد"),
    ("Knowledge Commons", "les communs de la connaissance", "مشاعات المعرفة"),
    ("Lifelong Learning", "l'apprentissage tout au long de la vie", "التعلم مدى الحياة"),
    ("Open Science", "la science ouverte", "العلم المفتوح"),
    ("Inclusive Education", "l'éducation inclusive", "التعليم الشامل"),
    ("Educational Technology", "les technologies éducatives", "تكنولوجيا التعليم"),
    ("Learning Innovation", "l'innovation pédagogique", "الابتكار في التعلم"),
    ("Multilingual Education", "l'éducation multilingue", "التعليم متعدد اللغات"),
    ("Quality Assurance", "l'assurance qualité", "ضمان الجودة"),
]

# Name patterns per stakeholder type as (English, French, Arabic); {place} is a made-up
# place name, {topic} one of TOPICS, {country} the country's English name.
NAME_PATTERNS = {
    StakeholderType.MEMBER_STATE: [
        (
            "Ministry of Education of {country}",
            "Ministère de l'Éducation ({country})",
            "وزارة التربية والتعليم",
        ),
        ("{place} Directorate for {topic}", "Direction de {topic} de {place}", "مديرية {topic}"),
    ],
    StakeholderType.NATIONAL_COMMISSION: [
        (
            "National Commission for UNESCO ({place} office)",
            "Commission nationale pour l'UNESCO ({place})",
            "اللجنة الوطنية لليونسكو",
        ),
    ],
    StakeholderType.IGO: [
        (
            "{place} Intergovernmental Council for {topic}",
            "Conseil intergouvernemental {place} pour {topic}",
            "المجلس الحكومي الدولي ل{topic}",
        ),
    ],
    StakeholderType.CATEGORY_2_CENTRE: [
        (
            "{place} Regional Centre for {topic}",
            "Centre régional {place} pour {topic}",
            "المركز الإقليمي ل{topic}",
        ),
    ],
    StakeholderType.SPECIALIZED_INSTITUTION: [
        ("{place} Institute for {topic}", "Institut {place} pour {topic}", "معهد {topic}"),
        ("{place} Agency for {topic}", "Agence {place} pour {topic}", "وكالة {topic}"),
    ],
    StakeholderType.UNIVERSITY: [
        ("University of {place}", "Université de {place}", "جامعة {place}"),
        ("{place} Open University", "Université ouverte de {place}", "جامعة {place} المفتوحة"),
        (
            "{place} Institute of Technology",
            "Institut de technologie de {place}",
            "معهد {place} للتكنولوجيا",
        ),
        (
            "{place} University, Centre for {topic}",
            "Université de {place}, centre pour {topic}",
            "جامعة {place}، مركز {topic}",
        ),
    ],
    StakeholderType.LIBRARY: [
        ("{place} Public Library", "Bibliothèque publique de {place}", "مكتبة {place} العامة"),
        (
            "{place} Library Consortium for {topic}",
            "Consortium de bibliothèques {place} pour {topic}",
            "اتحاد مكتبات {place}",
        ),
    ],
    StakeholderType.CIVIL_SOCIETY: [
        (
            "{place} Foundation for {topic}",
            "Fondation {place} pour {topic}",
            "مؤسسة {place} ل{topic}",
        ),
        ("{topic} Network {place}", "Réseau {place} pour {topic}", "شبكة {topic}"),
        (
            "Association for {topic} in {place}",
            "Association pour {topic} à {place}",
            "جمعية {topic}",
        ),
    ],
    StakeholderType.PRIVATE_SECTOR: [
        (
            "{place} Learning Technologies",
            "{place} Technologies d'apprentissage",
            "{place} لتقنيات التعلم",
        ),
        ("{place} Publishing for {topic}", "Éditions {place} pour {topic}", "دار {place} للنشر"),
    ],
    StakeholderType.OTHER: [
        (
            "{place} Initiative for {topic}",
            "Initiative {place} pour {topic}",
            "مبادرة {place} ل{topic}",
        ),
    ],
}

SYLLABLES = _words(
    "ka la mo ri sa te vi zu na bo de fa gi ha jo ku lu me ni po qua ro si ta u vo wa xi ya "
    "an el in or ul ber cor dan fen gor han kel lin mar nor pel sor tan val"
)


SENTENCES_EN = [
    "We publish openly licensed textbooks and course materials for schools and universities.",
    "Our teams train teachers to find, adapt and share open educational resources.",
    "Since its creation, the organization has supported national policies on open licensing.",
    "We run a repository of learning materials in several local languages.",
    "Our work focuses on learners with disabilities and on accessible formats.",
    "We partner with libraries to preserve and describe open educational resources.",
    "The organization advises ministries on sustainable models for open content.",
    "We host an annual conference on open education and digital learning.",
    "Our researchers study how open resources change teaching practice.",
    "We coordinate a regional network of institutions committed to open access.",
    "Volunteers translate open materials so that more learners can use them.",
    "We develop free software tools for authoring and remixing learning materials.",
]
SENTENCES_FR = [
    "Nous publions des manuels et des cours sous licence libre pour les écoles et les universités.",
    "Nos équipes forment les enseignants à trouver, adapter et partager des ressources "
    "éducatives libres.",
    "Depuis sa création, l'organisation soutient les politiques nationales de licences ouvertes.",
    "Nous gérons un dépôt de ressources pédagogiques en plusieurs langues locales.",
    "Notre travail porte sur les apprenants en situation de handicap et les formats accessibles.",
    "L'organisation conseille les ministères sur des modèles durables pour les contenus ouverts.",
]
ROLE_TITLES = [
    "Director",
    "Programme officer",
    "Librarian",
    "Professor of education",
    "Lecturer",
    "Head of digital learning",
    "Policy adviser",
    "Researcher",
    "Project manager",
    "OER coordinator",
    "Communications officer",
    "Vice-rector for academic affairs",
]
FIRST_NAMES = _words(
    "Amina, Ana, Bilal, Carmen, Chen, Daniel, Dina, Elena, Fatima, Fernando, Grace, Hassan, Ines, "
    "Ivan, Jamal, Javier, Joyce, Kofi, Laila, Li, Lucía, Mariam, Mateo, Mei, Mohamed, Nadia, "
    "Nikolai, Noura, Olga, Omar, Pablo, Priya, Rahul, Rosa, Sami, Sara, Sophie, Tariq, Thabo, "
    "Valentina, Wei, Yara, Yusuf, Zainab, Zoé, Aroha, Björn, Chiara, Dmitri, Émilie, Farida, "
    "Gustavo, Hiroshi, Ingrid, Jorge, Kamala, Leilani, Moana",
    ", ",
)
FAMILY_NAMES = _words(
    "Abdallah, Adeyemi, Alvarez, Banda, Bennani, Chen, Costa, da Silva, Diallo, Dubois, Eriksen, "
    "Fernández, García, Haddad, Hernández, Ibrahim, Ivanova, Jensen, Kamau, Kim, Kowalski, Kumar, "
    "Laurent, Li, López, Mahlangu, Martin, Mensah, Morales, Müller, Nakamura, Nguyen, Novak, "
    "Okafor, Olsen, Pereira, Petrov, Rahman, Rossi, Said, Santos, Schmidt, Sharma, Singh, Suzuki, "
    "Tanaka, Traoré, van der Berg, Wang, Yilmaz, Zhang, Zulu, Ndiaye, Rakotomalala, Fonoti, "
    "Tupou",
    ", ",
)


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _place(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()


def _description(rng, sentences):
    chosen = rng.sample(sentences, rng.randint(3, 5))
    if len(chosen) > 3 and rng.random() < 0.4:
        first, rest = " ".join(chosen[:2]), " ".join(chosen[3:])
        return f"<p>{first}</p><p><strong>{chosen[2]}</strong> {rest}</p>"
    return f"<p>{' '.join(chosen)}</p>"


def _acronym(name):
    letters = "".join(word[0] for word in name.replace(",", " ").split() if word[0].isupper())
    return letters[:12] if len(letters) >= 2 else ""


def _countries_by_region():
    grouped = {region: [] for region in Region}
    for code, region in sorted(REGION_OF_COUNTRY.items()):
        grouped[region].append(code)
    return grouped


def _organization(rng, index, countries_by_region, country_names):
    region = _weighted(rng, REGION_WEIGHTS)
    country = rng.choice(countries_by_region[region])
    stakeholder_type = _weighted(rng, STAKEHOLDER_WEIGHTS)
    status = _weighted(rng, STATUS_WEIGHTS)
    pattern_en, pattern_fr, pattern_ar = rng.choice(NAME_PATTERNS[stakeholder_type])
    topic_en, topic_fr, topic_ar = rng.choice(TOPICS)
    place = _place(rng)
    country_name = country_names[country]
    name_en = pattern_en.format(place=place, topic=topic_en, country=country_name)
    values = {
        "name_en": name_en,
        "description_en": _description(rng, SENTENCES_EN),
    }
    french_share = 0.7 if country in FRANCOPHONE else 0.08
    if rng.random() < french_share:
        values["name_fr"] = pattern_fr.format(place=place, topic=topic_fr, country=country_name)
        if rng.random() < 0.6:
            values["description_fr"] = _description(rng, SENTENCES_FR)
    arabic_share = 0.6 if region == Region.ARAB_STATES else 0.03
    if rng.random() < arabic_share:
        values["name_ar"] = pattern_ar.format(place=place, topic=topic_ar, country=country_name)
    if country in HISPANOPHONE and rng.random() < 0.3:
        # An institution known by its Spanish name only; the English one stays the default.
        values["name_es"] = name_en
    acronym = _acronym(name_en) if rng.random() < 0.4 else ""
    slug = f"{slugify(acronym or name_en)[:60].strip('-')}-{index}"
    created = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 2000))
    return Organization(
        name=name_en,
        acronym=acronym,
        slug=slug,
        stakeholder_type=stakeholder_type,
        country=country,
        region=region,
        website=f"https://{slug}.example.org" if rng.random() < 0.85 else "",
        status=status,
        joined_on=created.date() + timedelta(days=rng.randint(10, 90))
        if status == Organization.Status.MEMBER
        else None,
        created_at=created,
        **values,
    )


def generate(*, organizations=5000, people=20000, seed=SEED):
    """Insert the benchmark's rows and return how long each table took, in seconds.

    Expects a freshly migrated database: only the working groups created on migrate.
    """
    from django_countries import countries

    rng = random.Random(seed)
    timings = {}
    country_names = dict(countries)
    countries_by_region = _countries_by_region()

    def timed(label, function):
        started = time.perf_counter()
        result = function()
        timings[label] = time.perf_counter() - started
        return result

    # The original `name` column is filled from the active language by modeltranslation.
    with override("en"), transaction.atomic():
        orgs = timed(
            "organizations",
            lambda: Organization.objects.bulk_create(
                [
                    _organization(rng, i, countries_by_region, country_names)
                    for i in range(organizations)
                ],
                batch_size=BATCH_SIZE,
            ),
        )
        groups = list(WorkingGroup.objects.order_by("action_area"))
        timed("working_group_organizations", lambda: _link_groups(rng, orgs, groups))
        timed("applications", lambda: _applications(rng, orgs))
        persons = timed("people", lambda: _people(rng, people, orgs))
        timed("affiliations", lambda: _affiliations(rng, persons, orgs))
        timed("working_group_memberships", lambda: _memberships(rng, persons, groups))
    timings["total"] = sum(timings.values())
    return timings


def _link_groups(rng, orgs, groups):
    through = WorkingGroup.organizations.through
    links = []
    for org in orgs:
        count = rng.choices((0, 1, 2, 3), weights=(40, 35, 20, 5))[0]
        links.extend(
            through(workinggroup_id=group.pk, organization_id=org.pk)
            for group in rng.sample(groups, min(count, len(groups)))
        )
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)


def _applications(rng, orgs):
    consent = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
    applications = [
        MembershipApplication(
            organization=org,
            applicant_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}",
            applicant_email=f"applicant{org.pk}@bench.example.org",
            applicant_role_title=rng.choice(ROLE_TITLES),
            motivation="We wish to share our open textbooks and learn from other members.",
            language="fr" if org.name_fr else "en",
            privacy_consent_at=consent,
        )
        for org in orgs
        if org.status == Organization.Status.APPLIED
    ]
    MembershipApplication.objects.bulk_create(applications, batch_size=BATCH_SIZE)


def _people(rng, count, orgs):
    users = User.objects.bulk_create(
        [
            # "!" marks an unusable password, as set_unusable_password() would.
            User(email=f"person{i}@bench.example.org", password="!bench")  # noqa: S106
            for i in range(count)
            if i % 10 < ACCOUNT_SHARE * 10
        ],
        batch_size=BATCH_SIZE,
    )
    accounts = iter(users)
    persons = []
    for i in range(count):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
        home = rng.choice(orgs) if orgs else None
        persons.append(
            Person(
                user=next(accounts) if i % 10 < ACCOUNT_SHARE * 10 else None,
                name=name,
                slug=f"{slugify(name)[:60]}-{i}",
                country=(home.country if home and rng.random() < 0.9 else "") or "",
                email=f"person{i}@bench.example.org" if rng.random() < 0.8 else "",
                gender=_weighted(rng, GENDER_WEIGHTS),
                public_profile=rng.random() < PUBLIC_PROFILE_SHARE,
                created_at=datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 1500)),
            )
        )
    return Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)


def _affiliations(rng, persons, orgs):
    if not orgs:
        return
    affiliations = []
    focal_orgs = set()
    for person in persons:
        count = rng.choices((0, 1, 2), weights=(5, 80, 15))[0]
        for org in rng.sample(orgs, min(count, len(orgs))):
            # The first person affiliated with a member organization is its focal point.
            is_focal_point = org.status == Organization.Status.MEMBER and org.pk not in focal_orgs
            focal_orgs.add(org.pk)
            affiliations.append(
                Affiliation(
                    person=person,
                    organization=org,
                    role_title=rng.choice(ROLE_TITLES) if rng.random() < 0.85 else "",
                    is_focal_point=is_focal_point,
                )
            )
    Affiliation.objects.bulk_create(affiliations, batch_size=BATCH_SIZE)


def _memberships(rng, persons, groups):
    statuses = {
        WorkingGroupMembership.Status.ACTIVE: 80,
        WorkingGroupMembership.Status.REQUESTED: 15,
        WorkingGroupMembership.Status.DECLINED: 5,
    }
    officers = {group.pk: 0 for group in groups}
    decided = datetime(2025, 3, 1, tzinfo=UTC)
    memberships = []
    for person in persons:
        if rng.random() >= GROUP_MEMBER_SHARE:
            continue
        for group in rng.sample(groups, rng.choice((1, 1, 2))):
            status = _weighted(rng, statuses)
            role = WorkingGroupMembership.Role.MEMBER
            if status == WorkingGroupMembership.Status.ACTIVE and officers[group.pk] < 3:
                # Two chairs and one rapporteur per group, as the Coalition's groups have.
                role = (
                    WorkingGroupMembership.Role.CHAIR
                    if officers[group.pk] < 2
                    else WorkingGroupMembership.Role.RAPPORTEUR
                )
                officers[group.pk] += 1
            memberships.append(
                WorkingGroupMembership(
                    working_group=group,
                    person=person,
                    role=role,
                    status=status,
                    requested_at=decided - timedelta(days=rng.randint(1, 400)),
                    decided_at=decided
                    if status != WorkingGroupMembership.Status.REQUESTED
                    else None,
                )
            )
    WorkingGroupMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)


def row_counts():
    """Rows per table, to print beside the figures."""
    models = [
        Organization,
        WorkingGroup.organizations.through,
        MembershipApplication,
        User,
        Person,
        Affiliation,
        WorkingGroup,
        WorkingGroupMembership,
    ]
    return {model._meta.db_table: model.objects.count() for model in models}
