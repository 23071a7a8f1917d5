"""Deterministic demo data grounded in the Coalition's own documents (see shared seeds).

The organizations and people named in the seeds (the March 2023 Update, the Coalition's
page, the July 2020 consultations, the OE Global 2021 webinar) come first, with the role
titles those documents give them. Around them, a seeded generator adds organizations of
every stakeholder type from the five UNESCO regions and the people who work there, so
that every page, filter and figure of the Hub has something realistic to show.

`load_demo_data()` is idempotent: it creates what is missing, keyed by stable slugs and
e-mail addresses, and never overwrites what exists. `make run` loads the demo before
every start, so edits made while trying the Hub survive a restart.
"""

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from coalition.core.richtext import sanitize_html
from coalition.recommendation.action_areas import ACTION_AREA_SHORT_TITLES
from coalition.recommendation.regions import Region, region_for_country

from . import services
from .models import (
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

DEMO_PASSWORD = "oer-coalition-demo"  # noqa: S105 - published demo password, demo data only

DEMO_ACCOUNTS = {
    "secretariat": "secretariat@example.org",
    "focal point (Madagascar)": "focal.madagascar@example.org",
    "working-group chair": "chair.capacity@example.org",
    "member": "member@example.org",
}

SECRETARIAT_GROUP = "Secretariat"

# The Coalition was launched on 2 March 2020; the demo's "today" is the March 2023 Update.
LAUNCH = date(2020, 3, 2)
CONSULTATIONS = date(2020, 7, 22)
DEMO_TODAY = date(2023, 3, 15)
SEED = 20200302

T = StakeholderType
MEMBER, APPLIED, INACTIVE = (
    Organization.Status.MEMBER,
    Organization.Status.APPLIED,
    Organization.Status.INACTIVE,
)
GROUP_SLUGS = services.WORKING_GROUP_SLUGS  # action area number -> working-group slug


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    acronym: str
    type: str
    country: str
    lang: str  # the organization's own working language among the six
    names: dict
    website: str = ""
    status: str = MEMBER
    joined: date | None = None
    groups: tuple = ()  # action areas of its working groups; generated when empty
    description: dict = field(default_factory=dict)  # hand-written; generated when empty
    native: tuple = ()  # (language, name) when its own language is not a UN language
    staff: tuple = ()  # countries its people come from; default: its own country


def _o(slug, acronym, type_, country, lang, names, **kwargs):
    return OrgSpec(slug, acronym, type_, country, lang, names, **kwargs)


# --- Organizations ---------------------------------------------------------------------
# The data tables below keep one entry per block, aligned for reading and review.
# fmt: off
# The seven organizations of the seeds come first; the others are plausible members of
# each region and stakeholder type. Private companies and some NGOs are fictional.

SEED_ORGANIZATIONS = (
    _o("unesco", "UNESCO", T.IGO, "FR", "en", {
        "en": "United Nations Educational, Scientific and Cultural Organization",
        "fr": "Organisation des Nations Unies pour l'éducation, la science et la culture",
        "ar": "منظمة الأمم المتحدة للتربية والعلم والثقافة",
        "es": "Organización de las Naciones Unidas para la Educación, la Ciencia y la Cultura",
        "ru": "Организация Объединённых Наций по вопросам образования, науки и культуры",
        "zh-hans": "联合国教育、科学及文化组织",
    }, website="https://www.unesco.org", joined=LAUNCH, groups=(5, 1), staff=("*",),
       description={
        "en": "<p>UNESCO launched the OER Dynamic Coalition on 2 March 2020 to support the "
              "implementation of the 2019 Recommendation on Open Educational Resources. The "
              "Coalition's secretariat, in the Communication and Information Sector at UNESCO "
              "headquarters in Paris, coordinates the working groups and publishes the "
              "<em>OER Dynamic Coalition Update</em>.</p>",
        "fr": "<p>La Coalition dynamique pour les REL, lancée par l'UNESCO le 2 mars 2020, a "
              "été établie pour soutenir la mise en œuvre de la Recommandation de l'UNESCO sur "
              "les REL. Son secrétariat, au sein du Secteur de la communication et de "
              "l'information au Siège de l'UNESCO à Paris, coordonne les groupes de travail et "
              "publie <em>Le point de la Coalition dynamique REL</em>.</p>",
    }),
    _o("men-madagascar", "MEN", T.MEMBER_STATE, "MG", "fr", {
        "fr": "Ministère de l'Éducation nationale de Madagascar",
        "en": "Ministry of National Education of Madagascar",
    }, joined=CONSULTATIONS, groups=(2, 1), description={
        "fr": "<p>Le Ministère de l'Éducation nationale de Madagascar, à travers son Service "
              "des Innovations Technologiques, partage son expérience de la mise en œuvre de la "
              "Recommandation sur les REL au niveau gouvernemental, notamment lors du webinaire "
              "de la Coalition pour la Semaine de l'éducation ouverte 2023.</p>",
        "en": "<p>Madagascar's Ministry of National Education, through its Service of "
              "Technological Innovations, shares how a government implements the OER "
              "Recommendation, for example at the Coalition's webinar for Open Education Week "
              "2023.</p>",
    }),
    _o("cdp-nantes", "CDP", T.UNIVERSITY, "FR", "fr", {
        "fr": "Centre de développement pédagogique, Nantes Université",
        "en": "Pedagogical Development Centre, Nantes University",
    }, joined=date(2021, 3, 2), groups=(1, 3), description={
        "fr": "<p>Le Centre de développement pédagogique (CDP) de Nantes Université accompagne "
              "les enseignants dans leurs pratiques pédagogiques et dans la création de "
              "ressources éducatives libres. Il a présenté les pratiques institutionnelles "
              "d'éducation ouverte de l'université au webinaire de la Coalition pour la Semaine "
              "de l'éducation ouverte 2023.</p>",
    }),
    _o("unige", "UNIGE", T.UNIVERSITY, "CH", "fr", {
        "fr": "Université de Genève",
        "en": "University of Geneva",
    }, website="https://www.unige.ch", joined=date(2021, 3, 2), groups=(1,), description={
        "fr": "<p>L'Université de Genève partage ses pratiques d'éducation ouverte au niveau "
              "institutionnel et la recherche de ses équipes en technologies éducatives, "
              "présentées au webinaire de la Coalition pour la Semaine de l'éducation ouverte "
              "2023.</p>",
    }),
    _o("oer-africa", "", T.CIVIL_SOCIETY, "ZA", "en", {
        "en": "OER Africa",
        "fr": "OER Afrique",
    }, website="https://www.oerafrica.org", joined=LAUNCH, groups=(1, 4, 5), description={
        "en": "<p>OER Africa hosted the materials of the Coalition's public consultations of "
              "22–24 July 2020, one session per working group. Its Communications Chair and "
              "Rapporteur collated the comments sent for each working group into reports "
              "shared with the working-group chairs.</p>",
    }),
    _o("sorbonne-nouvelle", "", T.UNIVERSITY, "FR", "fr", {
        "fr": "Université Sorbonne Nouvelle",
        "en": "Sorbonne Nouvelle University",
    }, website="https://www.sorbonne-nouvelle.fr", joined=date(2021, 9, 30), groups=(3, 5),
       description={
        "fr": "<p>L'Université Sorbonne Nouvelle développe l'éducation ouverte avec sa "
              "bibliothèque, en liant les approches institutionnelles, nationales et "
              "internationales.</p>",
    }),
    _o("bibliotheque-sorbonne-nouvelle", "BSN", T.LIBRARY, "FR", "fr", {
        "fr": "Bibliothèque Sorbonne Nouvelle",
        "en": "Sorbonne Nouvelle University Library",
    }, joined=date(2021, 9, 30), groups=(3, 5), description={
        "fr": "<p>Les bibliothèques universitaires créent, accompagnent la création et "
              "travaillent à l'indexation et au signalement des ressources éducatives libres. "
              "En réseau avec d'autres bibliothèques, à travers des associations, des "
              "coalitions et des groupes de travail, elles sont actrices et facilitatrices de "
              "la coopération internationale pour le développement de l'éducation ouverte.</p>",
        "en": "<p>University libraries create, help create, index and share open educational "
              "resources. Working in international networks of associations, coalitions and "
              "working groups, they can be actors and facilitators of international "
              "cooperation towards the development of open education and OER.</p>",
    }),
)

OTHER_ORGANIZATIONS = (
    # Africa
    _o("kenya-natcom", "KNATCOM", T.NATIONAL_COMMISSION, "KE", "en", {
        "en": "Kenya National Commission for UNESCO",
        "fr": "Commission nationale du Kenya pour l'UNESCO",
    }),
    _o("nigeria-natcom", "NATCOM", T.NATIONAL_COMMISSION, "NG", "en", {
        "en": "Nigerian National Commission for UNESCO",
    }),
    _o("uvs", "UVS", T.UNIVERSITY, "SN", "fr", {
        "fr": "Université virtuelle du Sénégal",
        "en": "Virtual University of Senegal",
    }),
    _o("bu-ucad", "BU-UCAD", T.LIBRARY, "SN", "fr", {
        "fr": "Bibliothèque universitaire de l'Université Cheikh Anta Diop",
        "en": "Cheikh Anta Diop University Library",
    }),
    _o("open-university-tanzania", "OUT", T.UNIVERSITY, "TZ", "en", {
        "en": "The Open University of Tanzania",
    }, native=("sw", "Chuo Kikuu Huria cha Tanzania")),
    _o("uct-libraries", "", T.LIBRARY, "ZA", "en", {"en": "University of Cape Town Libraries"}),
    _o("mena-cote-divoire", "MENA", T.MEMBER_STATE, "CI", "fr", {
        "fr": "Ministère de l'Éducation nationale et de l'Alphabétisation de Côte d'Ivoire",
        "en": "Ministry of National Education and Literacy of Côte d'Ivoire",
    }),
    _o("adea", "ADEA", T.OTHER, "CI", "fr", {
        "fr": "Association pour le développement de l'éducation en Afrique",
        "en": "Association for the Development of Education in Africa",
    }, staff=("CI", "SN", "KE", "NG")),
    _o("african-virtual-university", "AVU", T.IGO, "KE", "en", {
        "en": "African Virtual University",
        "fr": "Université virtuelle africaine",
    }, staff=("KE", "SN", "NG", "TZ")),
    _o("imo-learning", "", T.PRIVATE_SECTOR, "NG", "en", {"en": "Imọ Learning Ltd"}),
    _o("nolnet", "NOLNet", T.CIVIL_SOCIETY, "NA", "en", {
        "en": "Namibian Open Learning Network Trust",
    }, status=APPLIED),
    # Arab States
    _o("alecso", "ALECSO", T.IGO, "TN", "ar", {
        "ar": "المنظمة العربية للتربية والثقافة والعلوم",
        "en": "Arab League Educational, Cultural and Scientific Organization",
        "fr": "Organisation arabe pour l'éducation, la culture et les sciences",
    }, staff=("TN", "EG", "JO", "MA", "LB")),
    _o("uvt", "UVT", T.UNIVERSITY, "TN", "ar", {
        "ar": "الجامعة الافتراضية بتونس",
        "fr": "Université virtuelle de Tunis",
        "en": "Virtual University of Tunis",
    }),
    _o("morocco-natcom", "", T.NATIONAL_COMMISSION, "MA", "ar", {
        "ar": "اللجنة الوطنية المغربية للتربية والعلوم والثقافة",
        "fr": "Commission nationale marocaine pour l'éducation, les sciences et la culture",
        "en": "Moroccan National Commission for Education, Sciences and Culture",
    }),
    _o("rcep", "RCEP", T.CATEGORY_2_CENTRE, "AE", "ar", {
        "ar": "المركز الإقليمي للتخطيط التربوي",
        "en": "Regional Centre for Educational Planning",
    }),
    _o("rcqe", "RCQE", T.CATEGORY_2_CENTRE, "SA", "ar", {
        "ar": "المركز الإقليمي للجودة والتميز في التعليم",
        "en": "Regional Centre for Quality and Excellence in Education",
    }),
    _o("bibliotheca-alexandrina", "", T.LIBRARY, "EG", "ar", {
        "ar": "مكتبة الإسكندرية",
        "en": "Bibliotheca Alexandrina",
        "fr": "Bibliothèque d'Alexandrie",
    }),
    _o("qou", "QOU", T.UNIVERSITY, "PS", "ar", {
        "ar": "جامعة القدس المفتوحة",
        "en": "Al-Quds Open University",
    }),
    _o("jordan-moe", "MoE", T.MEMBER_STATE, "JO", "ar", {
        "ar": "وزارة التربية والتعليم الأردنية",
        "en": "Ministry of Education of Jordan",
    }),
    _o("josa", "JOSA", T.CIVIL_SOCIETY, "JO", "ar", {
        "ar": "الجمعية الأردنية للمصادر المفتوحة",
        "en": "Jordan Open Source Association",
    }),
    _o("dar-al-maarifa-digital", "", T.PRIVATE_SECTOR, "LB", "ar", {
        "ar": "دار المعرفة الرقمية",
        "en": "Dar Al-Maarifa Digital",
    }),
    _o("um5-rabat", "UM5", T.UNIVERSITY, "MA", "fr", {
        "fr": "Université Mohammed V de Rabat",
        "ar": "جامعة محمد الخامس بالرباط",
        "en": "Mohammed V University in Rabat",
    }, status=APPLIED),
    # Asia and the Pacific
    _o("seameo", "SEAMEO", T.IGO, "TH", "en", {
        "en": "Southeast Asian Ministers of Education Organization",
    }, staff=("TH", "ID", "PH", "VN")),
    _o("korea-natcom", "KNCU", T.NATIONAL_COMMISSION, "KR", "en", {
        "en": "Korean National Commission for UNESCO",
    }, native=("ko", "유네스코한국위원회")),
    _o("keris", "KERIS", T.SPECIALIZED_INSTITUTION, "KR", "en", {
        "en": "Korea Education and Research Information Service",
    }, native=("ko", "한국교육학술정보원")),
    _o("inruled", "INRULED", T.CATEGORY_2_CENTRE, "CN", "zh-hans", {
        "zh-hans": "联合国教科文组织国际农村教育研究与培训中心",
        "en": "UNESCO International Research and Training Centre for Rural Education",
    }),
    _o("ignou", "IGNOU", T.UNIVERSITY, "IN", "en", {
        "en": "Indira Gandhi National Open University",
    }, native=("hi", "इंदिरा गांधी राष्ट्रीय मुक्त विश्वविद्यालय")),
    _o("universitas-terbuka", "UT", T.UNIVERSITY, "ID", "en", {"en": "Universitas Terbuka"}),
    _o("aiou", "AIOU", T.UNIVERSITY, "PK", "en", {"en": "Allama Iqbal Open University"}),
    _o("usp-library", "", T.LIBRARY, "FJ", "en", {
        "en": "The University of the South Pacific Library",
    }),
    _o("vietnam-moet", "MOET", T.MEMBER_STATE, "VN", "en", {
        "en": "Ministry of Education and Training of Viet Nam",
    }, native=("vi", "Bộ Giáo dục và Đào tạo")),
    _o("bayanihan-open-learning", "", T.CIVIL_SOCIETY, "PH", "en", {
        "en": "Bayanihan Open Learning Foundation",
    }),
    _o("aotearoa-open-textbooks", "", T.PRIVATE_SECTOR, "NZ", "en", {
        "en": "Aotearoa Open Textbooks Ltd",
    }),
    _o("royal-university-of-bhutan", "RUB", T.UNIVERSITY, "BT", "en", {
        "en": "Royal University of Bhutan",
    }, status=APPLIED),
    # Europe and North America
    _o("col", "COL", T.IGO, "CA", "en", {"en": "Commonwealth of Learning"},
       website="https://www.col.org", staff=("CA", "IN", "JM", "KE", "NZ", "NG")),
    _o("france-natcom", "", T.NATIONAL_COMMISSION, "FR", "fr", {
        "fr": "Commission nationale française pour l'UNESCO",
        "en": "French National Commission for UNESCO",
    }),
    _o("germany-natcom", "DUK", T.NATIONAL_COMMISSION, "DE", "en", {
        "en": "German Commission for UNESCO",
        "fr": "Commission allemande pour l'UNESCO",
    }, native=("de", "Deutsche UNESCO-Kommission")),
    _o("slovenia-natcom", "", T.NATIONAL_COMMISSION, "SI", "en", {
        "en": "Slovenian National Commission for UNESCO",
    }, native=("sl", "Slovenska nacionalna komisija za UNESCO")),
    _o("iite", "IITE", T.SPECIALIZED_INSTITUTION, "RU", "ru", {
        "ru": "Институт ЮНЕСКО по информационным технологиям в образовании",
        "en": "UNESCO Institute for Information Technologies in Education",
    }),
    _o("uned", "UNED", T.UNIVERSITY, "ES", "es", {
        "es": "Universidad Nacional de Educación a Distancia",
        "en": "National University of Distance Education",
    }),
    _o("creative-commons", "", T.CIVIL_SOCIETY, "US", "en", {"en": "Creative Commons"},
       website="https://creativecommons.org", staff=("US", "CA", "BR")),
    _o("oe-global", "OEGlobal", T.CIVIL_SOCIETY, "US", "en", {"en": "Open Education Global"},
       website="https://www.oeglobal.org", staff=("US", "ZA", "IN", "ES")),
    _o("edustream-europe", "", T.PRIVATE_SECTOR, "IE", "en", {"en": "EduStream Europe Ltd"},
       status=INACTIVE, joined=date(2020, 9, 15)),
    _o("globaled-marketplace", "", T.PRIVATE_SECTOR, "US", "en", {
        "en": "GlobalEd Marketplace Inc.",
    }, status=INACTIVE),
    # Latin America and the Caribbean
    _o("cetic-br", "Cetic.br", T.CATEGORY_2_CENTRE, "BR", "es", {
        "es": "Centro Regional de Estudios para el Desarrollo de la Sociedad de la Información",
        "en": "Regional Center for Studies on the Development of the Information Society",
    }, native=("pt", "Centro Regional de Estudos para o Desenvolvimento da Sociedade da "
                     "Informação")),
    _o("cerlalc", "CERLALC", T.CATEGORY_2_CENTRE, "CO", "es", {
        "es": "Centro Regional para el Fomento del Libro en América Latina y el Caribe",
        "en": "Regional Centre for Book Promotion in Latin America and the Caribbean",
    }),
    _o("iesalc", "IESALC", T.SPECIALIZED_INSTITUTION, "VE", "es", {
        "es": "Instituto Internacional de la UNESCO para la Educación Superior en América "
              "Latina y el Caribe",
        "en": "UNESCO International Institute for Higher Education in Latin America and the "
              "Caribbean",
    }, staff=("VE", "CO", "MX", "AR")),
    _o("chile-natcom", "", T.NATIONAL_COMMISSION, "CL", "es", {
        "es": "Comisión Nacional de Chile para la UNESCO",
        "en": "Chilean National Commission for UNESCO",
    }),
    _o("mep-costa-rica", "MEP", T.MEMBER_STATE, "CR", "es", {
        "es": "Ministerio de Educación Pública de Costa Rica",
        "en": "Ministry of Public Education of Costa Rica",
    }),
    _o("mec-brasil", "MEC", T.MEMBER_STATE, "BR", "es", {
        "en": "Ministry of Education of Brazil",
        "es": "Ministerio de Educación de Brasil",
    }, native=("pt", "Ministério da Educação")),
    _o("udelar", "Udelar", T.UNIVERSITY, "UY", "es", {
        "es": "Universidad de la República",
        "en": "University of the Republic, Uruguay",
    }),
    _o("uwi-open-campus", "", T.UNIVERSITY, "BB", "en", {
        "en": "The University of the West Indies Open Campus",
    }),
    _o("unam-bibliotecas", "DGBSDI", T.LIBRARY, "MX", "es", {
        "es": "Dirección General de Bibliotecas y Servicios Digitales de Información, UNAM",
        "en": "UNAM Libraries and Digital Information Services",
    }),
    _o("aprender-en-abierto", "", T.CIVIL_SOCIETY, "AR", "es", {
        "es": "Fundación Aprender en Abierto",
        "en": "Learning in the Open Foundation",
    }),
    _o("minedu-peru", "MINEDU", T.MEMBER_STATE, "PE", "es", {
        "es": "Ministerio de Educación del Perú",
        "en": "Ministry of Education of Peru",
    }, status=APPLIED),
)

ORGANIZATIONS = SEED_ORGANIZATIONS + OTHER_ORGANIZATIONS

# The working group a stakeholder type most often joins first (action-area numbers).
PREFERRED_GROUP = {
    T.MEMBER_STATE: 2, T.NATIONAL_COMMISSION: 5, T.IGO: 5, T.CATEGORY_2_CENTRE: 1,
    T.SPECIALIZED_INSTITUTION: 1, T.UNIVERSITY: 1, T.LIBRARY: 3, T.CIVIL_SOCIETY: 3,
    T.PRIVATE_SECTOR: 4, T.OTHER: 2,
}

# --- Generated descriptions, in the organization's language ------------------------------

DESCRIPTION_TEMPLATES = {
    "en": {
        T.MEMBER_STATE: "{name} leads national policy on open educational resources and "
                        "reports on the implementation of the 2019 UNESCO Recommendation on OER.",
        T.NATIONAL_COMMISSION: "{name} connects the national education, science and culture "
                               "communities with UNESCO and relays the Coalition's calls to them.",
        T.IGO: "{name} supports its Member States in opening up learning materials and in "
               "regional cooperation on OER.",
        T.CATEGORY_2_CENTRE: "{name} is a UNESCO Category 2 Centre that carries out research, "
                             "training and capacity building in its region.",
        T.SPECIALIZED_INSTITUTION: "{name} provides expertise, training and infrastructure for "
                                   "digital and open education.",
        T.UNIVERSITY: "{name} creates, adapts and shares open courseware and supports its "
                      "teaching staff in open educational practices.",
        T.LIBRARY: "{name} creates, indexes and shares open educational resources, with "
                   "open-licence metadata so that they can be easily found, used and re-used.",
        T.CIVIL_SOCIETY: "{name} brings educators and communities together to create and share "
                         "openly licensed learning materials.",
        T.PRIVATE_SECTOR: "{name} builds tools and services to publish and adapt openly "
                          "licensed learning materials.",
        T.OTHER: "{name} is a network that facilitates dialogue and cooperation on education "
                 "policy.",
        "group": "It takes part in the Coalition's “{group}” working group.",
        "native": "Original name: {native}.",
    },
    "fr": {
        T.MEMBER_STATE: "{name} pilote la politique nationale en matière de ressources "
                        "éducatives libres et rend compte de la mise en œuvre de la "
                        "Recommandation de l'UNESCO sur les REL de 2019.",
        T.NATIONAL_COMMISSION: "{name} relie les communautés nationales de l'éducation, de la "
                               "science et de la culture à l'UNESCO et leur relaie les appels "
                               "de la Coalition.",
        T.IGO: "{name} accompagne ses États membres dans l'ouverture des ressources "
               "pédagogiques et la coopération régionale en matière de REL.",
        T.CATEGORY_2_CENTRE: "{name} est un centre de catégorie 2 placé sous l'égide de "
                             "l'UNESCO, qui mène des activités de recherche, de formation et de "
                             "renforcement des capacités dans sa région.",
        T.SPECIALIZED_INSTITUTION: "{name} apporte son expertise, ses formations et ses "
                                   "infrastructures à l'éducation numérique et ouverte.",
        T.UNIVERSITY: "{name} crée, adapte et partage des cours en libre accès et accompagne "
                      "ses enseignants dans les pratiques éducatives ouvertes.",
        T.LIBRARY: "{name} crée, indexe et signale des ressources éducatives libres, avec des "
                   "métadonnées et des licences ouvertes pour qu'elles puissent être "
                   "facilement trouvées, utilisées et réutilisées.",
        T.CIVIL_SOCIETY: "{name} rassemble enseignants et communautés pour créer et partager "
                         "des ressources pédagogiques sous licence ouverte.",
        T.PRIVATE_SECTOR: "{name} conçoit des outils et des services pour publier et adapter "
                          "des ressources pédagogiques sous licence ouverte.",
        T.OTHER: "{name} est un réseau qui facilite le dialogue et la coopération sur les "
                 "politiques éducatives.",
        "group": "Participe au groupe de travail « {group} » de la Coalition.",
        "native": "Nom d'origine : {native}.",
    },
    "es": {
        T.MEMBER_STATE: "{name} dirige la política nacional sobre recursos educativos "
                        "abiertos e informa sobre la aplicación de la Recomendación de la "
                        "UNESCO sobre los REA de 2019.",
        T.NATIONAL_COMMISSION: "{name} vincula a las comunidades nacionales de la educación, "
                               "la ciencia y la cultura con la UNESCO y les transmite las "
                               "convocatorias de la Coalición.",
        T.IGO: "{name} acompaña a sus Estados miembros en la apertura de materiales educativos "
               "y en la cooperación regional sobre REA.",
        T.CATEGORY_2_CENTRE: "{name} es un centro de categoría 2 auspiciado por la UNESCO que "
                             "realiza investigación, formación y fortalecimiento de capacidades "
                             "en su región.",
        T.SPECIALIZED_INSTITUTION: "{name} aporta conocimientos especializados, formación e "
                                   "infraestructura para la educación digital y abierta.",
        T.UNIVERSITY: "{name} crea, adapta y comparte cursos abiertos y acompaña a su personal "
                      "docente en las prácticas educativas abiertas.",
        T.LIBRARY: "{name} crea, indiza y comparte recursos educativos abiertos, con metadatos "
                   "y licencias abiertas para que puedan encontrarse, usarse y reutilizarse "
                   "fácilmente.",
        T.CIVIL_SOCIETY: "{name} reúne a docentes y comunidades para crear y compartir "
                         "materiales educativos con licencia abierta.",
        T.PRIVATE_SECTOR: "{name} desarrolla herramientas y servicios para publicar y adaptar "
                          "materiales educativos con licencia abierta.",
        T.OTHER: "{name} es una red que facilita el diálogo y la cooperación en materia de "
                 "políticas educativas.",
        "group": "Participa en el grupo de trabajo «{group}» de la Coalición.",
        "native": "Nombre original: {native}.",
    },
    "ar": {
        T.MEMBER_STATE: "تقود {name} السياسة الوطنية المتعلقة بالموارد التعليمية المفتوحة "
                        "وتقدّم تقارير عن تنفيذ توصية اليونسكو لعام 2019 بشأن الموارد "
                        "التعليمية المفتوحة.",
        T.NATIONAL_COMMISSION: "تربط {name} الأوساط الوطنية في مجالات التربية والعلوم والثقافة "
                               "باليونسكو وتنقل إليها دعوات الائتلاف.",
        T.IGO: "تدعم {name} دولها الأعضاء في إتاحة المواد التعليمية وفي التعاون الإقليمي بشأن "
               "الموارد التعليمية المفتوحة.",
        T.CATEGORY_2_CENTRE: "{name} مركز من الفئة الثانية يعمل تحت رعاية اليونسكو، ويجري "
                             "البحوث وينظّم التدريب وبناء القدرات في منطقته.",
        T.SPECIALIZED_INSTITUTION: "توفّر {name} الخبرة والتدريب والبنية التحتية للتعليم "
                                   "الرقمي والمفتوح.",
        T.UNIVERSITY: "تُنشئ {name} مقررات دراسية مفتوحة وتكيّفها وتتقاسمها، وتدعم أعضاء هيئة "
                      "التدريس في الممارسات التعليمية المفتوحة.",
        T.LIBRARY: "تُنشئ {name} الموارد التعليمية المفتوحة وتفهرسها وتتقاسمها، مع بيانات "
                   "وصفية وتراخيص مفتوحة ليسهل العثور عليها واستخدامها وإعادة استخدامها.",
        T.CIVIL_SOCIETY: "تجمع {name} المعلمين والمجتمعات المحلية لإنشاء مواد تعليمية مرخّصة "
                         "ترخيصاً مفتوحاً وتقاسمها.",
        T.PRIVATE_SECTOR: "تطوّر {name} أدوات وخدمات لنشر المواد التعليمية المرخّصة ترخيصاً "
                          "مفتوحاً وتكييفها.",
        T.OTHER: "{name} شبكة تيسّر الحوار والتعاون بشأن السياسات التعليمية.",
        "group": "تشارك في فريق العمل المعني بـ«{group}» في الائتلاف.",
        "native": "الاسم الأصلي: {native}.",
    },
}

WORKING_GROUP_DESCRIPTIONS = {
    "capacity-building": {
        "en": "<p>Building the capacity of stakeholders to create, access, re-use, adapt and "
              "redistribute OER: awareness of the benefits of OER, digital literacy to master "
              "open software, codes and licences, and easily accessible resources on copyright "
              "and open licensing.</p>",
        "fr": "<p>Renforcer les capacités des parties prenantes à créer, consulter, réutiliser, "
              "adapter et redistribuer des REL : sensibilisation aux avantages des REL, culture "
              "numérique pour maîtriser les logiciels, les codes et les licences ouvertes, "
              "ressources accessibles sur le droit d'auteur et les licences libres.</p>",
    },
    "supportive-policy": {
        "en": "<p>Developing supportive policy: mechanisms to create communities of practice "
              "and networks of experts, and policies that apply the highest standards of "
              "privacy and data protection to the production and use of OER, their "
              "infrastructure and related services.</p>",
        "fr": "<p>Développer des politiques de soutien : des mécanismes pour créer des "
              "communautés de pratique et des réseaux d'experts, et des politiques qui "
              "appliquent les normes les plus élevées de respect de la vie privée et de "
              "protection des données lors de la production et de l'utilisation des REL.</p>",
    },
    "inclusive-equitable-quality-oer": {
        "en": "<p>Encouraging inclusive and equitable quality OER: access to OER that best meet "
              "the needs of target learners, gender-sensitive, culturally and linguistically "
              "relevant OER, and OER in local languages.</p>",
        "fr": "<p>Garantir un accès inclusif et équitable à des REL de qualité : des REL qui "
              "répondent le mieux aux besoins des apprenants, sensibles au genre, culturellement "
              "et linguistiquement pertinentes, et des REL en langue locale.</p>",
    },
    "sustainability-models": {
        "en": "<p>Nurturing the creation of sustainability models for OER: promoting value-added "
              "models in institutions and countries to generate collective value, and faithful "
              "translation of open licences.</p>",
        "fr": "<p>Favoriser la création de modèles de durabilité pour les REL : promouvoir les "
              "modèles de valeur ajoutée dans les institutions et les pays afin de générer de la "
              "valeur collective, et la traduction fidèle des licences.</p>",
    },
    "international-cooperation": {
        "en": "<p>Facilitating international cooperation, the action area the Coalition itself "
              "carries: (inter)regional collaboration, peer networks and communities of "
              "practice, and partnerships to mobilize resources for OER.</p>",
        "fr": "<p>Promouvoir et renforcer la coopération internationale, domaine d'action que la "
              "Coalition porte elle-même : collaboration (inter)régionale, réseaux de pairs et "
              "communautés de pratique, partenariats pour mobiliser des ressources en faveur des "
              "REL.</p>",
    },
}

# --- People ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    slug: str
    name: str
    country: str
    gender: str
    email: str
    public_profile: bool
    created_at: datetime
    account: str = ""  # e-mail of the demo account linked to this person


@dataclass(frozen=True)
class AffiliationSpec:
    person: str
    organization: str
    role_title: str
    is_focal_point: bool = False


@dataclass(frozen=True)
class MembershipSpec:
    group: str
    person: str
    role: str
    status: str
    requested_at: datetime
    decided_at: datetime | None = None
    message: str = ""


@dataclass(frozen=True)
class ApplicationSpec:
    organization: str
    applicant_name: str
    applicant_email: str
    applicant_role_title: str
    motivation: str
    language: str
    submitted_at: datetime
    status: str = MembershipApplication.Status.PENDING
    decided_at: datetime | None = None
    decision_reason: str = ""


@dataclass(frozen=True)
class SeedPerson:
    name: str
    country: str  # where the seed documents place their work, not a guessed nationality
    # Only where the seed documents say it (Ms., Mr., a gendered French title); the
    # others have not declared a gender, so the demo leaves it blank.
    gender: str
    affiliations: tuple  # (organization slug, role title, focal point?)
    account: str = ""


W, M, NB, PNTS = Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.PREFER_NOT_TO_SAY

SEED_PEOPLE = (
    SeedPerson("Tawfik Jelassi", "FR", M, (
        ("unesco", "Assistant Director-General for Communication and Information", False),
    )),
    SeedPerson("Zeynep Varoglu", "FR", "", (
        ("unesco", "Programme Specialist, Digital Innovations and Transformations Section, "
                   "Communication and Information Sector", True),
    )),
    SeedPerson("Aissatou Dabo", "FR", "", (("unesco", "OER Dynamic Coalition team", False),)),
    SeedPerson("Eleni Boursinou", "FR", "", (("unesco", "OER Dynamic Coalition team", False),)),
    SeedPerson("Nivo Ralamboranto", "MG", W, (
        ("men-madagascar", "Chief of Service of Technological Innovations", True),
    ), account=DEMO_ACCOUNTS["focal point (Madagascar)"]),
    SeedPerson("Arnold Magdelaine", "FR", M, (
        ("cdp-nantes", "Director of the Pedagogical Development Centre (CDP)", True),
    )),
    SeedPerson("Barbara Class", "CH", W, (("unige", "Research Professor", True),)),
    SeedPerson("Neil Butcher", "ZA", M, (
        ("oer-africa", "Communications Chair and Rapporteur", True),
    )),
    SeedPerson("Vincent de Lavenne de la Montoise", "FR", "", (
        ("bibliotheque-sorbonne-nouvelle", "Librarian, open educational resources", True),
        ("sorbonne-nouvelle", "", False),
    )),
)

# Two fictional people hold the chair and member demo accounts.
ACCOUNT_PEOPLE = (
    SeedPerson("Wanjiru Kamau", "KE", W, (
        ("kenya-natcom", "Programme Officer, Education", False),
    ), account=DEMO_ACCOUNTS["working-group chair"]),
    SeedPerson("Lucía Fernández Ortega", "ES", W, (
        ("uned", "Lecturer, Faculty of Education", False),
    ), account=DEMO_ACCOUNTS["member"]),
)

ROLE_TITLES = {
    T.MEMBER_STATE: ("Director of Digital Education", "Head of the Educational Technology Unit",
                     "Policy Officer, Open Education", "Curriculum Development Officer",
                     "Adviser for Digital Learning"),
    T.NATIONAL_COMMISSION: ("Secretary-General", "Programme Officer, Education",
                            "Programme Officer, Communication and Information",
                            "Deputy Secretary-General"),
    T.IGO: ("Programme Specialist", "Education Adviser", "Senior Programme Officer",
            "Knowledge Management Officer", "Director of Education"),
    T.CATEGORY_2_CENTRE: ("Director", "Research Fellow", "Training Coordinator",
                          "Programme Manager"),
    T.SPECIALIZED_INSTITUTION: ("Head of Digital Learning", "Senior Researcher",
                                "Project Manager", "Chief Technology Officer"),
    T.UNIVERSITY: ("Director of Open and Distance Learning", "Professor of Educational Technology",
                   "Senior Lecturer", "Instructional Designer",
                   "Vice-Rector for Digital Transformation", "Lecturer in Education"),
    T.LIBRARY: ("University Librarian", "Open Access and OER Librarian", "Metadata Librarian",
                "Head of Digital Collections", "Repository Manager"),
    T.CIVIL_SOCIETY: ("Executive Director", "Programme Coordinator", "Community Manager",
                      "Policy Lead", "Volunteer Coordinator"),
    T.PRIVATE_SECTOR: ("Chief Executive Officer", "Head of Partnerships", "Product Manager",
                       "Content Lead"),
    T.OTHER: ("Coordinator", "Senior Policy Analyst", "Knowledge Management Officer"),
}
SECOND_ROLE_TITLES = ("Associate Researcher", "Board Member", "Adviser", "Visiting Lecturer",
                      "Working-group delegate")


@dataclass(frozen=True)
class Culture:
    style: str  # "western": given family; "eastern": family given; "hispanic": two surnames
    women: tuple
    men: tuple
    families: tuple  # "russian" style: "Masculine/Feminine" surname forms


def _names(text):
    return tuple(text.split(", "))


CULTURES = {
    "malagasy": Culture("western", _names("Hanta, Voahangy, Lalao, Fanja, Miora, Tiana, Haingo"),
                        _names("Rivo, Hery, Andry, Tojo, Mamy, Fidy, Njaka, Tahina"),
                        _names("Rakotomalala, Randriamanana, Rasoanaivo, Andrianarisoa, "
                               "Razafindrakoto, Rabemananjara, Ravelojaona, Rakotondrabe")),
    "southern_africa": Culture("western",
                               _names("Thandiwe, Nomvula, Lindiwe, Zanele, Karin, Naledi, Ndapewa"),
                               _names("Sipho, Thabo, Johan, Mandla, Pieter, Lwazi, Kagiso"),
                               _names("Nkosi, Dlamini, van der Merwe, Mokoena, Botha, Ndlovu, "
                                      "Naidoo, Khumalo, Shikongo, Pillay")),
    "east_africa": Culture("western",
                           _names("Akinyi, Neema, Zawadi, Achieng, Mwanaisha, Njeri, Rehema"),
                           _names("Otieno, Baraka, Juma, Kiprop, Mwangi, Omondi, Hamisi, Kariuki"),
                           _names("Odhiambo, Mwakyusa, Njoroge, Chebet, Mushi, Kimaro, Were, "
                                  "Massawe, Mutua")),
    "west_africa": Culture("western",
                           _names("Aminata, Fatou, Awa, Mariama, Adjoua, Khady, Akissi"),
                           _names("Moussa, Ibrahima, Cheikh, Mamadou, Kouassi, Yao, Ousmane, "
                                  "Abdoulaye"),
                           _names("Diop, Ndiaye, Sow, Fall, Koné, Traoré, Kouamé, Bamba, "
                                  "Coulibaly, Diallo, Sarr, Gueye")),
    "nigeria": Culture("western",
                       _names("Chiamaka, Ngozi, Funmilayo, Aisha, Adaeze, Yetunde, Hauwa, Ifeoma"),
                       _names("Chinedu, Oluwaseun, Emeka, Babajide, Abubakar, Tunde, Ikenna, Musa"),
                       _names("Okafor, Adeyemi, Bello, Eze, Okonkwo, Ogunleye, Nwosu, Adebayo, "
                              "Danjuma")),
    "maghreb": Culture("western", _names("Amina, Salma, Leila, Meriem, Imane, Houda, Sana, Nadia"),
                       _names("Youssef, Mehdi, Karim, Hamza, Anis, Omar, Sami, Rachid"),
                       _names("Ben Salah, El Idrissi, Trabelsi, Bennani, Gharbi, Alaoui, "
                              "Chaabane, Tazi, Mejri, Benjelloun")),
    "mashreq": Culture("western",
                       _names("Nour, Rania, Hala, Dina, Reem, Lina, Mariam, Farah, Yasmin"),
                       _names("Ahmed, Khaled, Tarek, Mahmoud, Ziad, Faisal, Hassan, Rami, Walid"),
                       _names("Mansour, Haddad, Khoury, Al-Masri, Nasser, Abdallah, Saleh, "
                              "Al-Hashimi, Odeh, Farouk, Hamdan, Khalil, Al-Otaibi")),
    "thai": Culture("western", _names("Siriporn, Kanya, Pimchanok, Nattaya"),
                    _names("Somchai, Anan, Kittipong, Prasert"),
                    _names("Srisuk, Chaiyaporn, Wongsakul, Rattanakorn, Boonmee, Suwannarat")),
    "korean": Culture("eastern", _names("Min-ji, Seo-yeon, Ji-woo, Hye-jin, Eun-ji"),
                      _names("Min-jun, Ji-hoon, Seung-hyun, Dong-hyun, Jae-won"),
                      _names("Kim, Lee, Park, Choi, Jung, Kang, Yoon")),
    "chinese": Culture("eastern", _names("Xiaoling, Jing, Mei, Yanping, Lihua, Ying"),
                       _names("Wei, Jun, Hao, Jianguo, Lei, Zhiqiang"),
                       _names("Wang, Li, Zhang, Liu, Chen, Yang, Zhao, Huang, Zhou")),
    "vietnamese": Culture("eastern", _names("Thi Lan, Thu Huong, Ngoc Anh, Thi Mai, Minh Chau"),
                          _names("Van Minh, Duc Anh, Quoc Huy, Thanh Tung, Van Long"),
                          _names("Nguyen, Tran, Le, Pham, Hoang, Vu, Dang")),
    "indian": Culture("western", _names("Priya, Ananya, Kavita, Lakshmi, Deepa, Meera, Sunita"),
                      _names("Rahul, Arjun, Sanjay, Vikram, Rajesh, Anil, Suresh"),
                      _names("Sharma, Iyer, Patel, Reddy, Menon, Gupta, Nair, Banerjee, Rao")),
    "pakistani": Culture("western", _names("Ayesha, Fatima, Sana, Mehwish, Nida, Saira"),
                         _names("Imran, Bilal, Asad, Faisal, Usman, Kamran"),
                         _names("Khan, Qureshi, Siddiqui, Malik, Chaudhry, Shah, Hussain")),
    "indonesian": Culture("western", _names("Dewi, Sri, Rina, Putri, Ayu, Indah"),
                          _names("Budi, Agus, Eko, Rizki, Hendra, Arif"),
                          _names("Santoso, Wijaya, Pratama, Hidayat, Kusuma, Saputra, Nugroho")),
    "filipino": Culture("western", _names("Maria Cristina, Joy, Rowena, Liza, Angelica"),
                        _names("Jose, Mark Anthony, Ramon, Carlo, Paolo"),
                        _names("Santos, Reyes, dela Cruz, Bautista, Garcia, Mendoza, Aquino")),
    "pacific": Culture("western", _names("Salote, Mere, Litia, Vasiti, Ana"),
                       _names("Jone, Semi, Tevita, Sitiveni, Epeli"),
                       _names("Naivalu, Vunibola, Waqa, Koroi, Tuicakau, Naidu, Ratuva")),
    "aotearoa": Culture("western", _names("Aroha, Sarah, Hannah, Mereana, Kate"),
                        _names("Tama, James, Wiremu, Liam, Hemi"),
                        _names("Ngata, Walker, Parata, Tipene, Wilson, Te Huia, Campbell")),
    "french": Culture("western",
                      _names("Camille, Claire, Élodie, Sophie, Mathilde, Nathalie, Hélène, "
                             "Juliette"),
                      _names("Julien, Nicolas, Thomas, Pierre, Mathieu, Olivier, Antoine, "
                             "François"),
                      _names("Martin, Bernard, Dubois, Lefèvre, Moreau, Girard, Fontaine, "
                             "Rousseau, Perrin, Chevalier, Lambert, Mercier")),
    "swiss": Culture("western", _names("Léa, Chantal, Nadia, Sandrine, Céline"),
                     _names("Luca, Yves, Stéphane, Marco, Reto"),
                     _names("Favre, Rochat, Bianchi, Keller, Perret, Rey, Bovet")),
    "german": Culture("western", _names("Anna, Katharina, Julia, Sabine, Lena, Birgit"),
                      _names("Jonas, Matthias, Stefan, Felix, Andreas, Tobias"),
                      _names("Müller, Schmidt, Schneider, Fischer, Weber, Becker, Hoffmann, "
                             "Wagner, Schäfer")),
    "slovene": Culture("western", _names("Nina, Maja, Petra, Mojca, Tjaša"),
                       _names("Matej, Luka, Jure, Gregor, Rok"),
                       _names("Novak, Horvat, Kovačič, Krajnc, Zupančič, Potočnik, Vidmar")),
    "russian": Culture("russian", _names("Natalia, Olga, Ekaterina, Anastasia, Irina, Svetlana"),
                       _names("Dmitry, Alexey, Sergey, Andrei, Mikhail, Ivan"),
                       _names("Ivanov/Ivanova, Smirnov/Smirnova, Kuznetsov/Kuznetsova, "
                              "Popov/Popova, Sokolov/Sokolova, Volkov/Volkova")),
    "spanish": Culture("hispanic", _names("Lucía, Carmen, Elena, Marta, Pilar, Laura"),
                       _names("Javier, Alejandro, Pablo, Sergio, Miguel, David"),
                       _names("García, Fernández, López, Martínez, Sánchez, Romero, Navarro, "
                              "Torres, Ruiz, Moreno, Gil")),
    "latin_american": Culture("hispanic",
                              _names("María José, Valentina, Camila, Daniela, Gabriela, "
                                     "Carolina, Paula, Ximena, Florencia"),
                              _names("Juan Pablo, Andrés, Santiago, Diego, Felipe, Mateo, "
                                     "Sebastián, Rodrigo, Esteban"),
                              _names("González, Rodríguez, Pérez, Herrera, Rojas, Castro, "
                                     "Vargas, Morales, Ramírez, Flores, Silva, Jiménez, Quispe, "
                                     "Álvarez")),
    "brazilian": Culture("western", _names("Ana Paula, Juliana, Fernanda, Mariana, Beatriz"),
                         _names("João, Rafael, Lucas, Gustavo, Thiago, Marcelo"),
                         _names("Silva, Santos, Oliveira, Souza, Costa, Pereira, Almeida, "
                                "Carvalho, Ribeiro")),
    "caribbean": Culture("western", _names("Shanice, Keisha, Alicia, Natalie, Simone"),
                         _names("Andre, Marlon, Damian, Kevin, Dwayne"),
                         _names("Clarke, Campbell, Brathwaite, Williams, Gittens, Thompson, "
                                "Greaves, Forde")),
    "anglophone": Culture("western", _names("Emily, Sarah, Jennifer, Rachel, Megan, Siobhan"),
                          _names("Michael, David, Daniel, Ryan, Patrick, Brian"),
                          _names("Johnson, Miller, Davis, O'Brien, Anderson, Murphy, Walsh, "
                                 "Taylor, Robinson, MacDonald")),
}

CULTURE_OF_COUNTRY = {
    "MG": "malagasy", "ZA": "southern_africa", "NA": "southern_africa", "KE": "east_africa",
    "TZ": "east_africa", "SN": "west_africa", "CI": "west_africa", "NG": "nigeria",
    "TN": "maghreb", "MA": "maghreb", "EG": "mashreq", "PS": "mashreq", "JO": "mashreq",
    "LB": "mashreq", "AE": "mashreq", "SA": "mashreq", "TH": "thai", "KR": "korean",
    "CN": "chinese", "VN": "vietnamese", "IN": "indian", "PK": "pakistani", "ID": "indonesian",
    "PH": "filipino", "FJ": "pacific", "NZ": "aotearoa", "FR": "french", "CH": "swiss",
    "DE": "german", "SI": "slovene", "RU": "russian", "ES": "spanish", "US": "anglophone",
    "CA": "anglophone", "IE": "anglophone", "BR": "brazilian", "CO": "latin_american",
    "VE": "latin_american", "CL": "latin_american", "CR": "latin_american",
    "UY": "latin_american", "MX": "latin_american", "AR": "latin_american",
    "PE": "latin_american", "BB": "caribbean", "JM": "caribbean",
}
ANY_COUNTRY = tuple(sorted(CULTURE_OF_COUNTRY))

# Self-declared, so not every field is filled: a few people prefer not to say, some skip it.
GENDER_WEIGHTS = ((W, 46), (M, 40), (NB, 3), (PNTS, 5), ("", 6))

JOIN_REQUEST_MESSAGES = (
    "Our team is preparing a national OER strategy and would like to share and learn.",
    "We run training for teachers on open licensing and would be glad to contribute.",
    "I coordinate our institution's repository and would like to join the discussions.",
    "Nous souhaitons contribuer aux travaux du groupe et partager notre expérience.",
    "Nos gustaría compartir nuestra experiencia con REA en lenguas indígenas.",
    "We would like to present our translation of open licences into local languages.",
)

PENDING_APPLICATIONS = (
    ApplicationSpec(
        "nolnet", "Ndapewa Shikongo", "n.shikongo@example.org", "Network Coordinator",
        "NOLNet brings together Namibia's open and distance learning institutions. We would "
        "like to share our experience of adapting OER for learners in rural areas.",
        "en", datetime(2023, 2, 20, 10, 5, tzinfo=UTC),
    ),
    ApplicationSpec(
        "um5-rabat", "Leila Bennani", "l.bennani@example.org",
        "Vice-doyenne chargée du numérique",
        "تعمل جامعتنا على إنتاج مقررات مفتوحة باللغتين العربية والفرنسية، ونرغب في المساهمة في "
        "فريق العمل المعني بالموارد التعليمية المفتوحة الشاملة والمنصفة.",
        "ar", datetime(2023, 3, 1, 14, 30, tzinfo=UTC),
    ),
    ApplicationSpec(
        "royal-university-of-bhutan", "Karma Wangmo", "k.wangmo@example.org",
        "Director of Academic Affairs",
        "Our colleges are moving their teacher-education courses to open licences and would "
        "welcome the Coalition's peer networks.",
        "en", datetime(2023, 3, 6, 8, 0, tzinfo=UTC),
    ),
    ApplicationSpec(
        "minedu-peru", "Rosa Quispe Huamán", "r.quispe@example.org",
        "Directora de Innovación Tecnológica en Educación",
        "El Ministerio desea compartir su experiencia con recursos educativos abiertos en "
        "quechua y aimara y aprender de otros Estados miembros.",
        "es", datetime(2023, 3, 9, 16, 45, tzinfo=UTC),
    ),
)

DECLINED_APPLICATION = ApplicationSpec(
    "globaled-marketplace", "Jordan Blake", "j.blake@example.org", "Head of Sales",
    "We would like to present our catalogue of course packs to Coalition members.",
    "en", datetime(2021, 5, 3, 9, 0, tzinfo=UTC),
    status=MembershipApplication.Status.DECLINED,
    decided_at=datetime(2021, 5, 17, 11, 0, tzinfo=UTC),
    decision_reason="The Coalition brings together organizations that create or share "
                    "openly licensed resources; your catalogue is sold under proprietary "
                    "licences. You are welcome to apply again if you release open resources.",
)


# fmt: on

# --- The dataset, built once from the seed ---------------------------------------------


@dataclass
class Dataset:
    organizations: list
    descriptions: dict  # slug -> {language: html}
    joined_on: dict  # slug -> date or None
    people: list = field(default_factory=list)
    affiliations: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    group_organizations: dict = field(default_factory=dict)  # group slug -> [org slugs]
    applications: list = field(default_factory=list)


def _at(day, hour=9, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _random_day(rng, start, end):
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class _Builder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.orgs = {spec.slug: spec for spec in ORGANIZATIONS}
        self.people = {}  # slug -> PersonSpec, in creation order
        self.names = set()
        self.affiliations = []
        self.primary_org = {}  # person slug -> org slug
        self.seeded = set()  # people of the seed documents and of the demo accounts

    def build(self):
        joined_on = self._joined_dates()
        groups_of_org = self._organization_groups()
        descriptions = {
            spec.slug: self._description(spec, groups_of_org[spec.slug]) for spec in ORGANIZATIONS
        }
        data = Dataset(list(ORGANIZATIONS), descriptions, joined_on)
        self._add_seed_people(joined_on)
        self._add_generated_people(joined_on)
        data.affiliations = self.affiliations
        data.group_organizations = {
            GROUP_SLUGS[number]: [
                slug
                for slug, numbers in groups_of_org.items()
                if number in numbers and self.orgs[slug].status == MEMBER
            ]
            for number in GROUP_SLUGS
        }
        data.memberships = self._memberships(groups_of_org)
        data.people = list(self.people.values())  # after the officers' profiles were opened
        data.applications = self._applications(joined_on)
        return data

    # Organizations

    def _joined_dates(self):
        joined = {}
        for spec in ORGANIZATIONS:
            if spec.status == APPLIED or spec.slug == DECLINED_APPLICATION.organization:
                joined[spec.slug] = None
            elif spec.joined:
                joined[spec.slug] = spec.joined
            elif self.rng.random() < 0.15:
                joined[spec.slug] = LAUNCH  # founding members, at the launch
            else:
                joined[spec.slug] = _random_day(self.rng, LAUNCH, date(2023, 2, 28))
        return joined

    def _organization_groups(self):
        groups = {}
        for spec in ORGANIZATIONS:
            if spec.groups:
                groups[spec.slug] = spec.groups
                continue
            numbers = [PREFERRED_GROUP[spec.type]]
            others = [n for n in GROUP_SLUGS if n not in numbers]
            extra = self.rng.choices((0, 1, 2), weights=(35, 50, 15))[0]
            numbers += self.rng.sample(others, extra)
            groups[spec.slug] = tuple(numbers)
        return groups

    def _description(self, spec, group_numbers):
        if spec.description:
            return {lang: sanitize_html(html) for lang, html in spec.description.items()}
        languages = [spec.lang if spec.lang in DESCRIPTION_TEMPLATES else "en"]
        # About half the organizations also describe themselves in English; the others
        # show the reader a marked fallback.
        if languages[0] != "en" and self.rng.random() < 0.5:
            languages.append("en")
        descriptions = {}
        for lang in languages:
            templates = DESCRIPTION_TEMPLATES[lang]
            name = spec.names.get(lang)
            name_html = name or f'<span lang="en">{spec.names["en"]}</span>'
            sentences = [
                templates[spec.type].format(name=name_html),
                templates["group"].format(group=ACTION_AREA_SHORT_TITLES[group_numbers[0]][lang]),
            ]
            if lang == "ar" and spec.type == T.CATEGORY_2_CENTRE:
                sentences[1] = sentences[1].replace("تشارك", "يشارك")  # a centre is masculine
            if spec.native:
                native_lang, native_name = spec.native
                sentences.append(
                    templates["native"].format(
                        native=f'<span lang="{native_lang}">{native_name}</span>'
                    )
                )
            descriptions[lang] = sanitize_html(f"<p>{' '.join(sentences)}</p>")
        return descriptions

    # People

    def _add_person(self, name, country, gender, created_at, account=""):
        base = slugify(name)
        slug, n = base, 2
        while slug in self.people:
            slug, n = f"{base}-{n}", n + 1
        email = account or f"{slug.replace('-', '.')}@example.org"
        public = True if account else self.rng.random() < 0.85
        self.people[slug] = PersonSpec(
            slug, name, country, gender, email, public, created_at, account
        )
        self.names.add(name)
        return slug

    def _affiliate(self, person, organization, role_title, focal=False):
        self.affiliations.append(AffiliationSpec(person, organization, role_title, focal))
        self.primary_org.setdefault(person, organization)

    def _add_seed_people(self, joined_on):
        for seed in SEED_PEOPLE + ACCOUNT_PEOPLE:
            first_org = seed.affiliations[0][0]
            slug = self._add_person(
                seed.name,
                seed.country,
                seed.gender,
                _at(joined_on[first_org] or LAUNCH, 10),
                seed.account,
            )
            # Speakers at public webinars and demo accounts: their profile is public.
            self.people[slug] = replace(self.people[slug], public_profile=True)
            self.seeded.add(slug)
            for org_slug, role_title, focal in seed.affiliations:
                self._affiliate(slug, org_slug, role_title, focal)

    def _generated_name(self, country, gender):
        culture = CULTURES[CULTURE_OF_COUNTRY[country]]
        feminine = gender == W or (gender not in (W, M) and self.rng.random() < 0.5)
        for _attempt in range(50):
            given = self.rng.choice(culture.women if feminine else culture.men)
            family = self.rng.choice(culture.families)
            if culture.style == "russian":
                family = family.split("/")[1 if feminine else 0]
            if culture.style == "eastern":
                name = f"{family} {given}"
            elif culture.style == "hispanic":
                second = self.rng.choice([f for f in culture.families if f != family])
                name = f"{given} {family} {second}"
            else:
                name = f"{given} {family}"
            if name not in self.names:
                return name
        raise RuntimeError(f"Name pool exhausted for {country}")

    def _new_generated_person(self, spec, joined):
        staff = spec.staff or (spec.country,)
        country = self.rng.choice(ANY_COUNTRY if staff == ("*",) else staff)
        genders, weights = zip(*GENDER_WEIGHTS, strict=True)
        gender = self.rng.choices(genders, weights=weights)[0]
        name = self._generated_name(country, gender)
        last = max(joined, min(joined + timedelta(days=30), DEMO_TODAY - timedelta(days=14)))
        created = _at(_random_day(self.rng, joined, last), 8 + self.rng.randrange(9))
        return self._add_person(name, country, gender, created)

    def _add_generated_people(self, joined_on):
        by_org = {}
        for affiliation in self.affiliations:
            by_org.setdefault(affiliation.organization, []).append(affiliation)
        for spec in ORGANIZATIONS:
            joined = joined_on[spec.slug]
            if joined is None:
                continue  # applicants' people arrive when the secretariat approves them
            titles = list(ROLE_TITLES[spec.type])
            self.rng.shuffle(titles)
            existing = by_org.get(spec.slug, [])
            if not any(a.is_focal_point for a in existing):
                person = self._new_generated_person(spec, joined)
                self._affiliate(person, spec.slug, titles[0], focal=True)
            extra = self.rng.choice((1, 1, 2, 2, 2, 3)) - max(0, len(existing) - 1)
            for i in range(max(0, extra)):
                person = self._new_generated_person(spec, joined)
                self._affiliate(person, spec.slug, titles[(i + 1) % len(titles)])
        # About one person in six also works with a second member organization of their region.
        member_orgs = [s for s in ORGANIZATIONS if s.status == MEMBER]
        for slug in list(self.people):
            if slug in self.seeded or self.rng.random() >= 0.17:
                continue
            primary = self.orgs[self.primary_org[slug]]
            region = region_for_country(primary.country)
            choices = [
                s
                for s in member_orgs
                if s.slug != primary.slug and region_for_country(s.country) == region
            ]
            if choices:
                second = self.rng.choice(choices)
                self._affiliate(slug, second.slug, self.rng.choice(SECOND_ROLE_TITLES))

    # Working groups

    def _memberships(self, groups_of_org):
        rng = self.rng
        people = self.people
        # The secretariat supports the groups rather than chairing them; real people from
        # the seeds keep the roles the documents give them.
        unesco_staff = {a.person for a in self.affiliations if a.organization == "unesco"}
        member_account = _slug_of_account(people, DEMO_ACCOUNTS["member"])
        chair_account = _slug_of_account(people, DEMO_ACCOUNTS["working-group chair"])
        candidates = [
            slug
            for slug in people
            if slug not in unesco_staff
            and slug not in self.seeded
            and self.orgs[self.primary_org[slug]].status == MEMBER
        ]
        fixed = {
            "capacity-building": {"chair": [chair_account]},
            "international-cooperation": {"rapporteur": [slugify("Neil Butcher")]},
        }
        rapporteur_genders = (W, M, W, NB, M)
        region_load = dict.fromkeys(Region.values, 0)
        officers = {}
        taken = set()

        def region_of(slug):
            return region_for_country(people[slug].country)

        def pick(gender, used_regions):
            pool = [s for s in candidates if s not in taken and people[s].gender == gender]
            if not pool:  # nobody left who declared this gender: any declared woman or man
                pool = [s for s in candidates if s not in taken and people[s].gender in (W, M)]
            for relax in (False, True):
                eligible = [s for s in pool if relax or region_of(s) not in used_regions]
                if eligible:
                    least = min(region_load[region_of(s)] for s in eligible)
                    eligible = [s for s in eligible if region_load[region_of(s)] == least]
                    return rng.choice(sorted(eligible))
            raise RuntimeError(f"No candidate left for a {gender} officer")

        for index, group in enumerate(GROUP_SLUGS.values()):
            chosen = {
                "chair": list(fixed.get(group, {}).get("chair", [])),
                "rapporteur": list(fixed.get(group, {}).get("rapporteur", [])),
            }
            used = {region_of(s) for role in chosen.values() for s in role}
            for slug in chosen["chair"] + chosen["rapporteur"]:
                taken.add(slug)
                region_load[region_of(slug)] += 1
            # Gender balance: one woman and one man chair each group.
            while len(chosen["chair"]) < 2:
                have = {people[s].gender for s in chosen["chair"]}
                gender = W if W not in have else M
                slug = pick(gender, used)
                chosen["chair"].append(slug)
                taken.add(slug)
                used.add(region_of(slug))
                region_load[region_of(slug)] += 1
            if not chosen["rapporteur"]:
                slug = pick(rapporteur_genders[index], used)
                chosen["rapporteur"].append(slug)
                taken.add(slug)
                region_load[region_of(slug)] += 1
            officers[group] = chosen
        # Chairs and rapporteurs speak for their groups in public: their profiles are public.
        for slug in taken:
            people[slug] = replace(people[slug], public_profile=True)

        memberships = []
        in_group = {group: set() for group in GROUP_SLUGS.values()}

        def add(group, slug, role, status=WorkingGroupMembership.Status.ACTIVE, message=""):
            start = max(people[slug].created_at.date(), CONSULTATIONS)
            if status == WorkingGroupMembership.Status.REQUESTED:
                requested = _at(
                    _random_day(rng, date(2023, 3, 1), DEMO_TODAY - timedelta(days=1)),
                    8 + rng.randrange(10),
                    rng.randrange(60),
                )
                decided = None
            else:
                requested = _at(
                    _random_day(rng, start, max(start, date(2023, 2, 15))),
                    8 + rng.randrange(10),
                    rng.randrange(60),
                )
                decided = min(requested + timedelta(days=1 + rng.randrange(10)), _at(DEMO_TODAY))
            memberships.append(
                MembershipSpec(group, slug, role, status, requested, decided, message)
            )
            in_group[group].add(slug)

        for group, chosen in officers.items():
            for role, slugs in chosen.items():
                for slug in slugs:
                    add(group, slug, role)
        for group in ("capacity-building", "inclusive-equitable-quality-oer"):
            add(group, member_account, WorkingGroupMembership.Role.MEMBER)

        for slug in people:
            if people[slug].account or slug not in self.primary_org:
                continue
            roll = rng.random()
            count = 0 if roll < 0.2 else 1 if roll < 0.85 else 2
            org_groups = [GROUP_SLUGS[n] for n in groups_of_org[self.primary_org[slug]]]
            for _ in range(count):
                options = [
                    g
                    for g in (org_groups if rng.random() < 0.7 else GROUP_SLUGS.values())
                    if slug not in in_group[g]
                ]
                if options:
                    add(rng.choice(options), slug, WorkingGroupMembership.Role.MEMBER)

        # A few pending requests, two of them for the chair account's own group.
        requesters = [s for s in candidates if s not in taken]
        pending_groups = ["capacity-building", "capacity-building", *list(GROUP_SLUGS.values())[1:]]
        for number, group in enumerate(pending_groups):
            options = sorted(s for s in requesters if s not in in_group[group])
            slug = rng.choice(options)
            add(
                group,
                slug,
                WorkingGroupMembership.Role.MEMBER,
                WorkingGroupMembership.Status.REQUESTED,
                JOIN_REQUEST_MESSAGES[number % len(JOIN_REQUEST_MESSAGES)],
            )
        return memberships

    # Applications

    def _applications(self, joined_on):
        applications = [*PENDING_APPLICATIONS, DECLINED_APPLICATION]
        # The three most recent members joined through the application form: their focal
        # point applied and the secretariat approved.
        seed_slugs = {spec.slug for spec in SEED_ORGANIZATIONS}
        recent = sorted(
            (day, slug)
            for slug, day in joined_on.items()
            if day and slug not in seed_slugs and self.orgs[slug].status == MEMBER
        )[-3:]
        focal = {a.organization: a for a in self.affiliations if a.is_focal_point}
        for day, slug in recent:
            person = self.people[focal[slug].person]
            submitted = _at(day - timedelta(days=12), 10, 15)
            applications.append(
                ApplicationSpec(
                    slug,
                    person.name,
                    person.email,
                    focal[slug].role_title,
                    "We would like to join the Coalition's working groups and share our OER work.",
                    self.orgs[slug].lang
                    if self.orgs[slug].lang in ("en", "fr", "es", "ar")
                    else "en",
                    submitted,
                    status=MembershipApplication.Status.APPROVED,
                    decided_at=_at(day, 11),
                )
            )
        return applications


def _slug_of_account(people, email):
    return next(slug for slug, person in people.items() if person.account == email)


@cache
def demo_dataset():
    """The whole demo, computed from the seed alone: the same on every machine and run."""
    return _Builder().build()


# --- Loading ---------------------------------------------------------------------------


@dataclass
class DemoSummary:
    created: dict
    totals: dict

    def __str__(self):
        t = self.totals
        return (
            f"Demo data: {t['organizations']} organizations ({t['applied']} applied, "
            f"{t['inactive']} inactive) in {t['regions']} regions, {t['people']} people, "
            f"{t['affiliations']} affiliations, {t['memberships']} working-group memberships "
            f"({t['requests']} pending requests), {t['pending_applications']} pending "
            f"applications, {t['accounts']} demo accounts; "
            f"{sum(self.created.values())} objects created."
        )


def load_demo_data():
    """Create whatever part of the demo is missing, in one transaction; return a summary."""
    data = demo_dataset()
    # Writing `name` fills the column of the active language: English is the reference.
    with translation.override("en"), transaction.atomic():
        created = {}
        services.sync_working_groups()
        created["working group descriptions"] = _describe_working_groups()
        secretariat_group = _secretariat_group()
        users, created["accounts"] = _accounts(secretariat_group)
        orgs, created["organizations"] = _organizations(data)
        people, created["people"] = _people(data, users)
        created["affiliations"] = _affiliations(data, orgs, people)
        groups = {g.slug: g for g in WorkingGroup.objects.all()}
        created["memberships"] = _memberships(data, groups, people)
        for slug, org_slugs in data.group_organizations.items():
            groups[slug].organizations.add(*[orgs[s] for s in org_slugs if s in orgs])
        created["applications"] = _applications(data, orgs, users.get(DEMO_ACCOUNTS["secretariat"]))
    return DemoSummary(created=created, totals=_totals(data))


def _describe_working_groups():
    """Fill the descriptions the migrations leave blank; never replace one that was written."""
    changed = 0
    for group in WorkingGroup.objects.filter(slug__in=WORKING_GROUP_DESCRIPTIONS):
        texts = WORKING_GROUP_DESCRIPTIONS[group.slug]
        fields = [
            f"description_{lang}"
            for lang in texts
            if not (getattr(group, f"description_{lang}") or "").strip()
        ]
        for name in fields:
            setattr(group, name, texts[name.removeprefix("description_")])
        if fields:
            group.save(update_fields=fields)
            changed += 1
    return changed


def _secretariat_group():
    """Model permissions for the Hub's own apps, so the admin is useful to the secretariat.

    Changing accounts stays with superusers: the secretariat must not grant itself or
    others superuser status.
    """
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    labels = [
        config.label for config in apps.get_app_configs() if config.name.startswith("coalition.")
    ]
    permissions = Permission.objects.filter(content_type__app_label__in=labels).exclude(
        content_type__app_label="members",
        codename__in=["add_user", "change_user", "delete_user"],
    )
    missing = permissions.exclude(pk__in=group.permissions.values("pk"))
    if missing.exists():
        group.permissions.add(*missing)
    return group


def _accounts(secretariat_group):
    emails = list(DEMO_ACCOUNTS.values())
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    new = [email for email in emails if email not in users]
    if new:
        # One hash for the four accounts: the password is published anyway, and hashing it
        # four times would dominate the loading time.
        password = make_password(DEMO_PASSWORD)
        for index, email in enumerate(new):
            is_secretariat = email == DEMO_ACCOUNTS["secretariat"]
            users[email] = User.objects.create(
                email=email,
                password=password,
                is_secretariat=is_secretariat,
                is_staff=is_secretariat,
                date_joined=_at(LAUNCH, 9, index),
                preferred_language={
                    "focal.madagascar@example.org": "fr",
                    "member@example.org": "es",
                }.get(email, "en"),
            )
    from allauth.account.models import EmailAddress

    verified = set(
        EmailAddress.objects.filter(user__in=users.values()).values_list("email", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=email, verified=True, primary=True)
            for email, user in users.items()
            if email not in verified
        ]
    )
    secretariat = users[DEMO_ACCOUNTS["secretariat"]]
    if not secretariat.groups.filter(pk=secretariat_group.pk).exists():
        secretariat.groups.add(secretariat_group)
    return users, len(new)


def _organizations(data):
    existing = set(
        Organization.objects.filter(slug__in=[s.slug for s in data.organizations]).values_list(
            "slug", flat=True
        )
    )
    new = []
    for spec in data.organizations:
        if spec.slug in existing:
            continue
        joined = data.joined_on[spec.slug]
        application = next((a for a in data.applications if a.organization == spec.slug), None)
        created_at = application.submitted_at if application else _at(joined, 8)
        fields = {f"name_{lang.replace('-', '_')}": name for lang, name in spec.names.items()}
        fields.update(
            {
                f"description_{lang.replace('-', '_')}": html
                for lang, html in data.descriptions[spec.slug].items()
            }
        )
        new.append(
            Organization(
                slug=spec.slug,
                acronym=spec.acronym,
                stakeholder_type=spec.type,
                country=spec.country,
                region=region_for_country(spec.country),
                website=spec.website,
                status=spec.status,
                joined_on=joined,
                created_at=created_at,
                **fields,
            )
        )
    Organization.objects.bulk_create(new)
    orgs = {
        o.slug: o
        for o in Organization.objects.filter(slug__in=[s.slug for s in data.organizations])
    }
    return orgs, len(new)


def _people(data, users):
    slugs = [p.slug for p in data.people]
    existing = {p.slug: p for p in Person.objects.filter(slug__in=slugs)}
    linked = set(Person.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    new = []
    for spec in data.people:
        user = users.get(spec.account) if spec.account else None
        if spec.slug in existing:
            person = existing[spec.slug]
            # Heal a demo account that lost its person, without taking anyone's place.
            if user and person.user_id is None and user.pk not in linked:
                person.user = user
                person.save(update_fields=["user"])
            continue
        new.append(
            Person(
                slug=spec.slug,
                name=spec.name,
                country=spec.country,
                gender=spec.gender,
                email=spec.email,
                public_profile=spec.public_profile,
                created_at=spec.created_at,
                user=user if user and user.pk not in linked else None,
            )
        )
    Person.objects.bulk_create(new)
    people = dict(Person.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return people, len(new)


def _affiliations(data, orgs, people):
    existing = set(
        Affiliation.objects.filter(person_id__in=people.values()).values_list(
            "person_id", "organization_id"
        )
    )
    with_focal_point = set(
        Affiliation.objects.filter(organization__in=orgs.values(), is_focal_point=True).values_list(
            "organization_id", flat=True
        )
    )
    new = []
    for spec in data.affiliations:
        key = (people.get(spec.person), getattr(orgs.get(spec.organization), "pk", None))
        if None in key or key in existing:
            continue
        # One focal point per organization, even if someone changed it since the last load.
        focal = spec.is_focal_point and key[1] not in with_focal_point
        new.append(
            Affiliation(
                person_id=key[0],
                organization_id=key[1],
                role_title=spec.role_title,
                is_focal_point=focal,
            )
        )
        existing.add(key)
    Affiliation.objects.bulk_create(new)
    return len(new)


def _memberships(data, groups, people):
    existing = set(
        WorkingGroupMembership.objects.filter(person_id__in=people.values()).values_list(
            "working_group_id", "person_id"
        )
    )
    new = []
    for spec in data.memberships:
        key = (groups[spec.group].pk, people.get(spec.person))
        if key[1] is None or key in existing:
            continue
        new.append(
            WorkingGroupMembership(
                working_group_id=key[0],
                person_id=key[1],
                role=spec.role,
                status=spec.status,
                message=spec.message,
                requested_at=spec.requested_at,
                decided_at=spec.decided_at,
            )
        )
        existing.add(key)
    WorkingGroupMembership.objects.bulk_create(new)
    return len(new)


def _applications(data, orgs, secretariat):
    existing = set(
        MembershipApplication.objects.filter(organization__in=orgs.values()).values_list(
            "organization_id", flat=True
        )
    )
    new = []
    for spec in data.applications:
        organization = orgs.get(spec.organization)
        if organization is None or organization.pk in existing:
            continue
        decided = spec.status != MembershipApplication.Status.PENDING
        new.append(
            MembershipApplication(
                organization=organization,
                applicant_name=spec.applicant_name,
                applicant_email=spec.applicant_email,
                applicant_role_title=spec.applicant_role_title,
                motivation=spec.motivation,
                language=spec.language,
                privacy_consent_at=spec.submitted_at,
                submitted_at=spec.submitted_at,
                status=spec.status,
                decided_at=spec.decided_at,
                decided_by=secretariat if decided else None,
                decision_reason=spec.decision_reason,
            )
        )
    MembershipApplication.objects.bulk_create(new)
    return len(new)


def _totals(data):
    org_slugs = [s.slug for s in data.organizations]
    organizations = Organization.objects.filter(slug__in=org_slugs)
    people = Person.objects.filter(slug__in=[p.slug for p in data.people])
    memberships = WorkingGroupMembership.objects.filter(person__in=people)
    return {
        "organizations": organizations.count(),
        "applied": organizations.filter(status=APPLIED).count(),
        "inactive": organizations.filter(status=INACTIVE).count(),
        "regions": organizations.exclude(region="").values("region").distinct().count(),
        "people": people.count(),
        "affiliations": Affiliation.objects.filter(person__in=people).count(),
        "memberships": memberships.count(),
        "requests": memberships.filter(status=WorkingGroupMembership.Status.REQUESTED).count(),
        "pending_applications": MembershipApplication.objects.filter(
            organization__in=organizations, status=MembershipApplication.Status.PENDING
        ).count(),
        "accounts": User.objects.filter(email__in=list(DEMO_ACCOUNTS.values())).count(),
    }
