"""Deterministic demo activities: the seed documents' events and calls, and a few hundred more.

The March 2023 Update (seed 000) and the OE Global 2021 webinar page (seed 004) come first,
with their own texts, dates and people. Around them, a seeded generator adds about three
hundred activities of every kind, action area, region and language, written in one or two
of the Hub's content languages so that fallbacks show, and a moderation queue for the
secretariat to work through.

The content is computed from the seed alone. Dates are not: the seed items keep their
historic dates, while the generated ones are placed relative to the day of loading, so
that lists of upcoming events and open calls are never empty however late someone runs
`make run`. Loading is idempotent: an activity whose slug exists is left alone, and
nothing it owns is added or changed.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import markdown
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django_countries import countries

from coalition.core.richtext import sanitize_html
from coalition.members import demo as members_demo
from coalition.members.models import Organization, Person, User, WorkingGroup
from coalition.recommendation.action_areas import ACTION_AREA_TITLES
from coalition.recommendation.models import Language
from coalition.recommendation.regions import Region, region_for_country

from .clocks import to_utc
from .models import (
    Activity,
    Coverage,
    EventFormat,
    Kind,
    Link,
    Material,
    ModerationEntry,
    Post,
    Presentation,
    ProgrammeRole,
    Registration,
    State,
    Submission,
)
from .services import moderation as services
from .snapshot import translated_columns

SEED = 20230309
CONTENT_LANGUAGES = ("en", "fr", "ar", "es", "ru", "zh-hans")
SECRETARIAT = members_demo.DEMO_ACCOUNTS["secretariat"]
FOCAL_POINT = members_demo.DEMO_ACCOUNTS["focal point (Madagascar)"]
CHAIR = members_demo.DEMO_ACCOUNTS["working-group chair"]
MEMBER = members_demo.DEMO_ACCOUNTS["member"]
GROUP_SLUGS = members_demo.GROUP_SLUGS  # action area number -> working-group slug
PARIS = "Europe/Paris"

# How many generated activities of each kind (and format); with DST_EVENTS, 300 in all.
PLAN = (
    (Kind.EVENT, EventFormat.WEBINAR, 64),
    (Kind.EVENT, EventFormat.WORKSHOP, 30),
    (Kind.EVENT, EventFormat.MEETING, 24),
    (Kind.EVENT, EventFormat.CONFERENCE_SESSION, 24),
    (Kind.INITIATIVE, "", 38),
    (Kind.PUBLICATION, "", 44),
    (Kind.CALL, "", 32),
    (Kind.NEWS, "", 36),
)
# Events that span a daylight-saving change, in zones that have one: (org, direction).
DST_EVENTS = (
    ("france-natcom", "next"),
    ("oe-global", "next"),
    ("aotearoa-open-textbooks", "next"),
    ("chile-natcom", "next"),
    ("cdp-nantes", "previous"),
    ("creative-commons", "previous"),
    ("aotearoa-open-textbooks", "previous"),
    ("chile-natcom", "previous"),
)


def _t(en, fr, es, ar, ru, zh):
    return {"en": en, "fr": fr, "es": es, "ar": ar, "ru": ru, "zh-hans": zh}


# --- Vocabulary for the generated activities, in the six content languages ---------------
# fmt: off

# Topics of each action area, as noun phrases that read after "on", "sur", "sobre", "حول",
# inside «…» in Russian, and before "的" in Chinese.
TOPICS = {
    1: (
        _t("open licensing for teachers", "les licences ouvertes pour les enseignants",
           "licencias abiertas para docentes", "التراخيص المفتوحة للمعلمين",
           "открытые лицензии для учителей", "面向教师的开放许可"),
        _t("creating and adapting OER with students",
           "la création et l'adaptation de REL avec les étudiants",
           "la creación y adaptación de REA con estudiantes",
           "إنشاء الموارد التعليمية المفتوحة وتكييفها مع الطلاب",
           "создание и адаптация ОР вместе со студентами", "与学生共同创建和改编开放式教育资源"),
        _t("copyright basics for librarians",
           "les bases du droit d'auteur pour les bibliothécaires",
           "nociones básicas de derecho de autor para bibliotecarios",
           "أساسيات حق المؤلف لأمناء المكتبات", "основы авторского права для библиотекарей",
           "面向图书馆员的版权基础知识"),
        _t("finding and re-using quality OER",
           "la recherche et la réutilisation de REL de qualité",
           "la búsqueda y reutilización de REA de calidad",
           "البحث عن موارد تعليمية مفتوحة جيدة وإعادة استخدامها",
           "поиск и повторное использование качественных ОР",
           "查找和重复使用优质开放式教育资源"),
        _t("digital skills for open educational practices",
           "les compétences numériques pour les pratiques éducatives ouvertes",
           "competencias digitales para las prácticas educativas abiertas",
           "المهارات الرقمية للممارسات التعليمية المفتوحة",
           "цифровые навыки для открытых образовательных практик", "开放教育实践所需的数字技能"),
    ),
    2: (
        _t("national OER policies", "les politiques nationales en matière de REL",
           "políticas nacionales de REA", "السياسات الوطنية بشأن الموارد التعليمية المفتوحة",
           "национальная политика в области ОР", "国家开放式教育资源政策"),
        _t("institutional open education strategies",
           "les stratégies institutionnelles d'éducation ouverte",
           "estrategias institucionales de educación abierta",
           "الاستراتيجيات المؤسسية للتعليم المفتوح",
           "институциональные стратегии открытого образования", "院校开放教育战略"),
        _t("open licences for publicly funded materials",
           "les licences ouvertes pour les ressources financées sur fonds publics",
           "licencias abiertas para materiales financiados con fondos públicos",
           "التراخيص المفتوحة للمواد الممولة من الأموال العامة",
           "открытые лицензии для материалов, созданных на государственные средства",
           "公共资金资助材料的开放许可"),
        _t("privacy and data protection in OER platforms",
           "la protection de la vie privée et des données dans les plateformes de REL",
           "privacidad y protección de datos en las plataformas de REA",
           "الخصوصية وحماية البيانات في منصات الموارد التعليمية المفتوحة",
           "конфиденциальность и защита данных на платформах ОР",
           "开放式教育资源平台中的隐私与数据保护"),
        _t("monitoring the 2019 Recommendation",
           "le suivi de la mise en œuvre de la Recommandation de 2019",
           "el seguimiento de la aplicación de la Recomendación de 2019",
           "رصد تنفيذ توصية عام 2019", "мониторинг выполнения Рекомендации 2019 года",
           "2019年《建议书》的实施监测"),
    ),
    3: (
        _t("OER in local languages", "les REL en langues locales", "REA en lenguas locales",
           "الموارد التعليمية المفتوحة باللغات المحلية", "ОР на местных языках",
           "本土语言开放式教育资源"),
        _t("accessible OER for learners with disabilities",
           "des REL accessibles aux apprenants en situation de handicap",
           "REA accesibles para estudiantes con discapacidad",
           "موارد تعليمية مفتوحة ميسّرة للمتعلمين ذوي الإعاقة",
           "доступные ОР для учащихся с инвалидностью", "面向残障学习者的无障碍开放式教育资源"),
        _t("gender-sensitive learning materials",
           "des ressources pédagogiques sensibles au genre",
           "materiales educativos con perspectiva de género",
           "مواد تعليمية مراعية للمنظور الجنساني",
           "учебные материалы с учётом гендерных аспектов", "具有性别敏感性的学习材料"),
        _t("quality assurance of open textbooks", "l'assurance qualité des manuels libres",
           "el aseguramiento de la calidad de los libros de texto abiertos",
           "ضمان جودة الكتب المدرسية المفتوحة", "обеспечение качества открытых учебников",
           "开放教材的质量保障"),
        _t("OER for rural and remote schools", "des REL pour les écoles rurales et isolées",
           "REA para escuelas rurales y remotas",
           "الموارد التعليمية المفتوحة للمدارس الريفية والنائية",
           "ОР для сельских и отдалённых школ", "面向农村和偏远学校的开放式教育资源"),
    ),
    4: (
        _t("sustainable funding for OER repositories",
           "le financement durable des dépôts de REL",
           "la financiación sostenible de los repositorios de REA",
           "التمويل المستدام لمستودعات الموارد التعليمية المفتوحة",
           "устойчивое финансирование репозиториев ОР", "开放式教育资源库的可持续资金"),
        _t("open textbook business models", "les modèles économiques des manuels libres",
           "modelos de negocio de los libros de texto abiertos",
           "نماذج الأعمال للكتب المدرسية المفتوحة", "бизнес-модели открытых учебников",
           "开放教材的商业模式"),
        _t("translating open licences faithfully", "la traduction fidèle des licences ouvertes",
           "la traducción fiel de las licencias abiertas", "الترجمة الأمينة للتراخيص المفتوحة",
           "точный перевод открытых лицензий", "开放许可的忠实翻译"),
        _t("communities that maintain open courseware",
           "les communautés qui font vivre les cours libres",
           "comunidades que mantienen cursos abiertos",
           "المجتمعات التي تتولى صيانة المقررات المفتوحة",
           "сообщества, поддерживающие открытые курсы", "维护开放课件的社区"),
        _t("open source platforms for OER", "les plateformes libres pour les REL",
           "plataformas de código abierto para REA",
           "المنصات مفتوحة المصدر للموارد التعليمية المفتوحة",
           "платформы с открытым исходным кодом для ОР", "开放式教育资源开源平台"),
    ),
    5: (
        _t("regional cooperation on OER", "la coopération régionale en matière de REL",
           "cooperación regional en materia de REA",
           "التعاون الإقليمي بشأن الموارد التعليمية المفتوحة",
           "региональное сотрудничество в области ОР", "开放式教育资源区域合作"),
        _t("peer networks of OER practitioners", "les réseaux de pairs des praticiens des REL",
           "redes de pares de profesionales de los REA",
           "شبكات الأقران للعاملين في مجال الموارد التعليمية المفتوحة",
           "сети обмена опытом специалистов по ОР", "开放式教育资源从业者同行网络"),
        _t("sharing OER across borders", "le partage des REL par-delà les frontières",
           "el intercambio de REA más allá de las fronteras",
           "تقاسم الموارد التعليمية المفتوحة عبر الحدود", "обмен ОР через границы",
           "跨境共享开放式教育资源"),
        _t("South–South partnerships for open education",
           "les partenariats Sud-Sud pour l'éducation ouverte",
           "alianzas Sur-Sur para la educación abierta",
           "شراكات بين بلدان الجنوب من أجل التعليم المفتوح",
           "партнёрства Юг–Юг в интересах открытого образования",
           "促进开放教育的南南合作伙伴关系"),
        _t("the OER Dynamic Coalition's working groups",
           "les groupes de travail de la Coalition dynamique pour les REL",
           "los grupos de trabajo de la Coalición Dinámica sobre REA",
           "أفرقة العمل التابعة للائتلاف الديناميكي للموارد التعليمية المفتوحة",
           "рабочие группы Динамической коалиции по ОР", "开放式教育资源动态联盟的工作组"),
    ),
}

# Title prefixes; the same position means the same thing in every language.
PREFIXES = {
    EventFormat.WEBINAR: (
        _t("Webinar", "Webinaire", "Seminario web", "ندوة عبر الإنترنت", "Вебинар", "网络研讨会"),
        _t("Online seminar", "Séminaire en ligne", "Seminario en línea", "حلقة دراسية عبر الإنترنت",
           "Онлайн-семинар", "在线研讨会"),
        _t("Webinar series", "Cycle de webinaires", "Ciclo de seminarios web",
           "سلسلة ندوات عبر الإنترنت", "Цикл вебинаров", "系列网络研讨会"),
    ),
    EventFormat.WORKSHOP: (
        _t("Workshop", "Atelier", "Taller", "ورشة عمل", "Семинар-практикум", "工作坊"),
        _t("Hands-on workshop", "Atelier pratique", "Taller práctico", "ورشة عمل تطبيقية",
           "Практический семинар", "实践工作坊"),
        _t("Training workshop", "Atelier de formation", "Taller de formación", "ورشة تدريبية",
           "Учебный семинар", "培训工作坊"),
    ),
    EventFormat.MEETING: (
        _t("Working meeting", "Réunion de travail", "Reunión de trabajo", "اجتماع عمل",
           "Рабочее совещание", "工作会议"),
        _t("Regional meeting", "Réunion régionale", "Reunión regional", "اجتماع إقليمي",
           "Региональное совещание", "区域会议"),
        _t("Expert meeting", "Réunion d'experts", "Reunión de expertos", "اجتماع خبراء",
           "Совещание экспертов", "专家会议"),
    ),
    EventFormat.CONFERENCE_SESSION: (
        _t("Conference session", "Session de conférence", "Sesión de conferencia",
           "جلسة مؤتمر", "Сессия конференции", "会议分论坛"),
        _t("Round table", "Table ronde", "Mesa redonda", "مائدة مستديرة", "Круглый стол",
           "圆桌会议"),
        _t("Panel", "Panel", "Panel", "حلقة نقاش", "Панельная дискуссия", "专题讨论"),
    ),
    Kind.INITIATIVE: (
        _t("Project", "Projet", "Proyecto", "مشروع", "Проект", "项目"),
        _t("Initiative", "Initiative", "Iniciativa", "مبادرة", "Инициатива", "倡议"),
        _t("Programme", "Programme", "Programa", "برنامج", "Программа", "计划"),
    ),
    Kind.PUBLICATION: (
        _t("Guide", "Guide", "Guía", "دليل", "Руководство", "指南"),
        _t("Report", "Rapport", "Informe", "تقرير", "Доклад", "报告"),
        _t("Toolkit", "Boîte à outils", "Caja de herramientas", "مجموعة أدوات",
           "Набор инструментов", "工具包"),
        _t("Policy brief", "Note d'orientation", "Nota de política", "موجز سياساتي",
           "Аналитическая записка", "政策简报"),
        _t("Case studies", "Études de cas", "Estudios de caso", "دراسات حالة",
           "Тематические исследования", "案例研究"),
    ),
    Kind.CALL: (
        _t("Call for proposals", "Appel à propositions", "Convocatoria de propuestas",
           "دعوة لتقديم مقترحات", "Приём заявок", "征集提案"),
        _t("Call for contributions", "Appel à contributions", "Convocatoria de contribuciones",
           "دعوة لتقديم مساهمات", "Приём материалов", "征稿"),
        _t("Call for case studies", "Appel à études de cas", "Convocatoria de estudios de caso",
           "دعوة لتقديم دراسات حالة", "Сбор примеров практики", "征集案例"),
        _t("Call for participants", "Appel à participation", "Convocatoria de participantes",
           "دعوة للمشاركة", "Набор участников", "招募参与者"),
    ),
    Kind.NEWS: (
        _t("News", "Actualité", "Noticia", "خبر", "Новости", "新闻"),
        _t("Highlights", "Temps forts", "Aspectos destacados", "أبرز ما جرى", "Главное", "要闻"),
        _t("Report back", "Compte rendu", "Crónica", "تقرير موجز", "Итоги", "回顾"),
        _t("Milestone", "Étape franchie", "Un hito", "إنجاز", "Важный шаг", "里程碑"),
    ),
}
SEPARATOR = _t(": ", " : ", ": ", ": ", ": ", "：")
PLACE = _t(" — {}", " — {}", " — {}", " — {}", " — {}", "（{}）")
EDITION = _t(" (edition {})", " ({}e édition)", " ({}.ª edición)", " (الدورة {})",
             " ({}-й выпуск)", "（第{}期）")

REGION_NAMES = {
    Region.AFRICA: _t("Africa", "Afrique", "África", "أفريقيا", "Африка", "非洲"),
    Region.ARAB_STATES: _t("Arab States", "États arabes", "Estados Árabes", "الدول العربية",
                           "Арабские государства", "阿拉伯国家"),
    Region.ASIA_PACIFIC: _t("Asia and the Pacific", "Asie et Pacifique", "Asia y el Pacífico",
                            "آسيا والمحيط الهادئ", "Азия и Тихий океан", "亚洲及太平洋"),
    Region.EUROPE_NORTH_AMERICA: _t("Europe and North America", "Europe et Amérique du Nord",
                                    "Europa y América del Norte", "أوروبا وأمريكا الشمالية",
                                    "Европа и Северная Америка", "欧洲和北美"),
    Region.LATIN_AMERICA_CARIBBEAN: _t("Latin America and the Caribbean",
                                       "Amérique latine et Caraïbes",
                                       "América Latina y el Caribe",
                                       "أمريكا اللاتينية والبحر الكاريبي",
                                       "Латинская Америка и Карибский бассейн",
                                       "拉丁美洲和加勒比"),
}

# Plural groups of people: after "les" in French, and as the accusative (which is also the
# genitive of these animate plurals) in Russian.
AUDIENCES = (
    _t("teachers and teacher educators", "enseignants et formateurs d'enseignants",
       "docentes y formadores de docentes", "المعلمين ومدربي المعلمين",
       "учителей и преподавателей педагогических вузов", "教师和教师培训者"),
    _t("librarians and repository managers", "bibliothécaires et gestionnaires de dépôts",
       "bibliotecarios y gestores de repositorios", "أمناء المكتبات ومديري المستودعات",
       "библиотекарей и администраторов репозиториев", "图书馆员和资源库管理者"),
    _t("policy makers", "décideurs politiques", "responsables de políticas", "صانعي السياسات",
       "лиц, определяющих политику", "政策制定者"),
    _t("university staff and students", "personnels et étudiants des universités",
       "personal universitario y estudiantes", "موظفي الجامعات وطلابها",
       "сотрудников и студентов университетов", "高校教职员工和学生"),
    _t("ministry officials", "agents des ministères", "funcionarios de los ministerios",
       "موظفي الوزارات", "сотрудников министерств", "各部委官员"),
    _t("civil society organizations", "organisations de la société civile",
       "organizaciones de la sociedad civil", "منظمات المجتمع المدني",
       "представителей организаций гражданского общества", "民间社会组织"),
)

SUMMARIES = {
    EventFormat.WEBINAR: _t(
        "{org} invites {audience} to a webinar on {topic}. Speakers share what worked in their "
        "institutions and the resources they have opened, and then answer questions from "
        "participants.",
        "{org} invite les {audience} à un webinaire sur {topic}. Les intervenants présentent ce "
        "qui a fonctionné dans leurs institutions et les ressources qu'ils ont ouvertes, puis "
        "répondent aux questions des participants.",
        "{org} invita a {audience} a un seminario web sobre {topic}. Los ponentes comparten lo "
        "que ha funcionado en sus instituciones y los recursos que han abierto, y luego "
        "responden a las preguntas de los participantes.",
        "تدعو {org} {audience} إلى ندوة عبر الإنترنت حول {topic}. يعرض المتحدثون ما نجح في "
        "مؤسساتهم والموارد التي أتاحوها، ثم يجيبون عن أسئلة المشاركين.",
        "{org} приглашает {audience} на вебинар, посвящённый теме «{topic}». Докладчики "
        "расскажут, что оказалось успешным в их учреждениях и какие ресурсы они открыли, а "
        "затем ответят на вопросы участников.",
        "{org}诚邀{audience}参加关于{topic}的网络研讨会。演讲者将分享其所在机构的成功经验和已开放"
        "的资源，并回答参与者的提问。",
    ),
    EventFormat.WORKSHOP: _t(
        "A hands-on workshop for {audience} on {topic}, organized by {org}. Participants work "
        "in small groups on their own materials and leave with a plan for their institution.",
        "Un atelier pratique pour les {audience} sur {topic}, organisé par {org}. Les "
        "participants travaillent en petits groupes sur leurs propres ressources et repartent "
        "avec un plan d'action pour leur institution.",
        "Un taller práctico para {audience} sobre {topic}, organizado por {org}. Los "
        "participantes trabajan en pequeños grupos con sus propios materiales y se llevan un "
        "plan de acción para su institución.",
        "ورشة عمل تطبيقية موجهة إلى {audience} حول {topic}، تنظمها {org}. يعمل المشاركون في "
        "مجموعات صغيرة على موادهم الخاصة، ويخرجون بخطة عمل لمؤسساتهم.",
        "Практический семинар на тему «{topic}» для {audience}. Организатор — {org}. Участники "
        "работают в небольших группах над собственными материалами и уходят с планом действий "
        "для своего учреждения.",
        "由{org}主办、面向{audience}的实践工作坊，主题为{topic}。参与者分小组处理各自的材料，"
        "最终为本机构制定行动计划。",
    ),
    EventFormat.MEETING: _t(
        "{org} brings together {audience} to take stock of {topic} and agree on the next "
        "steps. Working documents are shared with participants before the meeting.",
        "{org} réunit les {audience} pour faire le point sur {topic} et convenir des prochaines "
        "étapes. Les documents de travail sont communiqués aux participants avant la réunion.",
        "{org} reúne a {audience} para debatir sobre {topic} y acordar los próximos pasos. Los "
        "documentos de trabajo se comparten con los participantes antes de la reunión.",
        "تجمع {org} {audience} لتقييم ما تحقق في مجال {topic} والاتفاق على الخطوات التالية. "
        "تُرسل وثائق العمل إلى المشاركين قبل الاجتماع.",
        "{org} собирает {audience}, чтобы подвести итоги работы по теме «{topic}» и согласовать "
        "дальнейшие шаги. Рабочие документы направляются участникам до совещания.",
        "{org}召集{audience}，总结{topic}方面的进展并商定下一步工作。会议文件将在会前发送给"
        "与会者。",
    ),
    EventFormat.CONFERENCE_SESSION: _t(
        "A conference session on {topic}, proposed by {org}. Panellists from different regions "
        "compare their approaches, and the session ends with an open discussion.",
        "Une session de conférence sur {topic}, proposée par {org}. Des intervenants de "
        "différentes régions comparent leurs approches, et la session se termine par une "
        "discussion ouverte.",
        "Una sesión de conferencia sobre {topic}, propuesta por {org}. Panelistas de distintas "
        "regiones comparan sus enfoques y la sesión termina con un debate abierto.",
        "جلسة ضمن مؤتمر حول {topic}، تقترحها {org}. يقارن المتحدثون من مناطق مختلفة بين "
        "نُهُجهم، وتُختتم الجلسة بنقاش مفتوح.",
        "Сессия конференции на тему «{topic}», предложенная организацией {org}. Участники "
        "дискуссии из разных регионов сравнивают свои подходы, а в завершение проходит открытое "
        "обсуждение.",
        "由{org}提议的会议分论坛，主题为{topic}。来自不同地区的发言者将比较各自的做法，会议最后"
        "进行开放讨论。",
    ),
    Kind.INITIATIVE: _t(
        "{org} runs a project on {topic}. It develops openly licensed materials with partner "
        "institutions and publishes what it learns along the way.",
        "{org} mène un projet sur {topic}. Le projet développe des ressources sous licence "
        "ouverte avec des institutions partenaires et publie au fur et à mesure les "
        "enseignements tirés.",
        "{org} lleva a cabo un proyecto sobre {topic}. El proyecto desarrolla materiales con "
        "licencia abierta junto con instituciones asociadas y publica lo que va aprendiendo.",
        "تنفذ {org} مشروعاً حول {topic}. ويطوّر المشروع مواد مرخّصة ترخيصاً مفتوحاً مع مؤسسات "
        "شريكة، وينشر الدروس المستفادة أولاً بأول.",
        "{org} реализует проект по теме «{topic}». В рамках проекта вместе с партнёрскими "
        "учреждениями создаются материалы под открытыми лицензиями, а полученный опыт "
        "публикуется по ходу работы.",
        "{org}正在开展一个关于{topic}的项目。该项目与合作机构共同开发采用开放许可的材料，并随时"
        "公布所取得的经验。",
    ),
    Kind.PUBLICATION: _t(
        "{org} publishes a resource on {topic}, written for {audience}. It is released under "
        "an open licence: you may share and adapt it, with attribution.",
        "{org} publie une ressource sur {topic}, destinée aux {audience}. Elle est diffusée "
        "sous licence ouverte : vous pouvez la partager et l'adapter en citant la source.",
        "{org} publica un recurso sobre {topic}, dirigido a {audience}. Se difunde con licencia "
        "abierta: puede compartirlo y adaptarlo citando la fuente.",
        "تنشر {org} مورداً حول {topic} موجهاً إلى {audience}. وهو متاح بترخيص مفتوح: يمكنكم "
        "تقاسمه وتكييفه مع ذكر المصدر.",
        "{org} публикует материал по теме «{topic}», предназначенный для {audience}. Он "
        "распространяется под открытой лицензией: его можно распространять и адаптировать с "
        "указанием источника.",
        "{org}发布了一份关于{topic}的资源，面向{audience}。该资源采用开放许可发布：注明出处即可"
        "分享和改编。",
    ),
    Kind.CALL: _t(
        "{org} invites {audience} to send proposals on {topic}. Selected contributions will be "
        "shared with the Coalition's working groups and published under an open licence.",
        "{org} invite les {audience} à soumettre des propositions sur {topic}. Les "
        "contributions retenues seront partagées avec les groupes de travail de la Coalition "
        "et publiées sous licence ouverte.",
        "{org} invita a {audience} a enviar propuestas sobre {topic}. Las contribuciones "
        "seleccionadas se compartirán con los grupos de trabajo de la Coalición y se publicarán "
        "con licencia abierta.",
        "تدعو {org} {audience} إلى تقديم مقترحات حول {topic}. وستُعرض المساهمات المختارة على "
        "أفرقة العمل التابعة للائتلاف وتُنشر بترخيص مفتوح.",
        "{org} приглашает {audience} представить предложения по теме «{topic}». Отобранные "
        "материалы будут переданы рабочим группам Коалиции и опубликованы под открытой "
        "лицензией.",
        "{org}邀请{audience}就{topic}提交提案。入选的稿件将提交联盟各工作组，并以开放许可发布。",
    ),
    Kind.NEWS: _t(
        "{org} shares news of its work on {topic}: what has been achieved, who took part, and "
        "what comes next.",
        "{org} partage des nouvelles de ses travaux sur {topic} : ce qui a été accompli, qui y "
        "a participé et quelles sont les prochaines étapes.",
        "{org} comparte novedades de su trabajo sobre {topic}: lo que se ha logrado, quiénes "
        "participaron y cuáles son los próximos pasos.",
        "تشارك {org} آخر أخبار عملها في مجال {topic}: ما تحقق، ومن شارك فيه، وما هي الخطوات "
        "القادمة.",
        "{org} рассказывает о своей работе по теме «{topic}»: что уже сделано, кто принял "
        "участие и каковы дальнейшие шаги.",
        "{org}介绍其在{topic}方面的工作：取得了哪些成果、有哪些参与者以及下一步计划。",
    ),
}
AREA_SENTENCE = _t(
    "It serves action area {n} of the 2019 UNESCO Recommendation on OER: {title}.",
    "Cette activité relève du domaine d'action {n} de la Recommandation de l'UNESCO de 2019 "
    "sur les REL : {title}.",
    "Esta actividad corresponde al ámbito de acción {n} de la Recomendación de la UNESCO de "
    "2019 sobre los REA: {title}.",
    "يندرج هذا النشاط في مجال العمل {n} من توصية اليونسكو لعام 2019 بشأن الموارد التعليمية "
    "المفتوحة: {title}.",
    "Эта деятельность относится к направлению {n} Рекомендации ЮНЕСКО об открытых "
    "образовательных ресурсах 2019 года: {title}.",
    "该活动属于2019年教科文组织《关于开放式教育资源的建议书》的第{n}个行动领域：{title}。",
)
REGISTRATION_SENTENCE = _t(
    " Registration is required.", " Inscription obligatoire.", " Inscripción obligatoria.",
    " التسجيل إلزامي.", " Требуется предварительная регистрация.", "须提前报名。",
)
# The summaries' verbs agree with a feminine organization (منظمة، جامعة، وزارة، لجنة); a
# regional centre (مركز) takes the masculine.
ARABIC_MASCULINE = (
    ("تدعو ", "يدعو "), ("تجمع ", "يجمع "), ("تنفذ ", "ينفذ "), ("تنشر ", "ينشر "),
    ("تشارك ", "يشارك "), ("تقترحها", "يقترحها"), ("تنظمها", "ينظمها"),
    ("أخبار عملها", "أخبار عمله"),
)
LINK_LABELS = {
    Kind.EVENT: _t("Programme", "Programme", "Programa", "البرنامج", "Программа", "议程"),
    Kind.INITIATIVE: _t("Project website", "Site du projet", "Sitio web del proyecto",
                        "الموقع الإلكتروني للمشروع", "Сайт проекта", "项目网站"),
    Kind.PUBLICATION: _t("Download the publication", "Télécharger la publication",
                         "Descargar la publicación", "تنزيل المنشور", "Скачать публикацию",
                         "下载出版物"),
    Kind.CALL: _t("Guidelines for submissions", "Modalités de soumission",
                  "Bases de la convocatoria", "إرشادات تقديم المساهمات", "Условия участия",
                  "投稿指南"),
    Kind.NEWS: _t("Read more", "En savoir plus", "Más información", "اقرأ المزيد", "Подробнее",
                  "了解更多"),
}
PRESENTATION_TITLES = (
    _t("Lessons learned: {topic}", "Leçons tirées : {topic}", "Lecciones aprendidas: {topic}",
       "الدروس المستفادة: {topic}", "Извлечённые уроки: {topic}", "经验教训：{topic}"),
    _t("From pilot to policy: {topic}", "Du projet pilote à la politique : {topic}",
       "Del piloto a la política: {topic}", "من المشروع التجريبي إلى السياسة: {topic}",
       "От пилотного проекта к политике: {topic}", "从试点到政策：{topic}"),
    _t("What the data says: {topic}", "Ce que disent les données : {topic}",
       "Lo que dicen los datos: {topic}", "ما تقوله البيانات: {topic}",
       "Что говорят данные: {topic}", "数据揭示了什么：{topic}"),
)
MATERIAL_TITLES = {
    Material.Kind.LINK: _t("Slides", "Diapositives", "Diapositivas", "الشرائح", "Слайды",
                           "演示文稿"),
    Material.Kind.RECORDING: _t("Recording of the session", "Enregistrement de la séance",
                                "Grabación de la sesión", "تسجيل الجلسة", "Запись сессии",
                                "会议录像"),
}

# Where each organization meets, and the zone of its clock.
TIME_ZONES = {
    "MG": "Indian/Antananarivo", "ZA": "Africa/Johannesburg", "NA": "Africa/Windhoek",
    "KE": "Africa/Nairobi", "TZ": "Africa/Dar_es_Salaam", "SN": "Africa/Dakar",
    "CI": "Africa/Abidjan", "NG": "Africa/Lagos", "TN": "Africa/Tunis", "MA": "Africa/Casablanca",
    "EG": "Africa/Cairo", "PS": "Asia/Hebron", "JO": "Asia/Amman", "LB": "Asia/Beirut",
    "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "TH": "Asia/Bangkok", "KR": "Asia/Seoul",
    "CN": "Asia/Shanghai", "VN": "Asia/Ho_Chi_Minh", "IN": "Asia/Kolkata", "PK": "Asia/Karachi",
    "ID": "Asia/Jakarta", "PH": "Asia/Manila", "FJ": "Pacific/Fiji", "NZ": "Pacific/Auckland",
    "BT": "Asia/Thimphu", "FR": PARIS, "CH": "Europe/Zurich", "DE": "Europe/Berlin",
    "SI": "Europe/Ljubljana", "RU": "Europe/Moscow", "ES": "Europe/Madrid",
    "US": "America/New_York", "CA": "America/Toronto", "IE": "Europe/Dublin",
    "BR": "America/Sao_Paulo", "CO": "America/Bogota", "VE": "America/Caracas",
    "CL": "America/Santiago", "CR": "America/Costa_Rica", "UY": "America/Montevideo",
    "MX": "America/Mexico_City", "AR": "America/Argentina/Buenos_Aires", "PE": "America/Lima",
    "BB": "America/Barbados",
}
ORGANIZATION_TIME_ZONES = {"col": "America/Vancouver", "creative-commons": "America/Los_Angeles"}
CITIES = {
    "MG": "Antananarivo", "ZA": "Pretoria", "NA": "Windhoek", "KE": "Nairobi",
    "TZ": "Dar es Salaam", "SN": "Dakar", "CI": "Abidjan", "NG": "Abuja", "TN": "Tunis",
    "MA": "Rabat", "EG": "Cairo", "PS": "Ramallah", "JO": "Amman", "LB": "Beirut",
    "AE": "Dubai", "SA": "Riyadh", "TH": "Bangkok", "KR": "Seoul", "CN": "Beijing",
    "VN": "Hanoi", "IN": "New Delhi", "PK": "Islamabad", "ID": "Jakarta", "PH": "Manila",
    "FJ": "Suva", "NZ": "Wellington", "BT": "Thimphu", "FR": "Paris", "CH": "Geneva",
    "DE": "Bonn", "SI": "Ljubljana", "RU": "Moscow", "ES": "Madrid", "US": "Boston",
    "CA": "Burnaby", "IE": "Dublin", "BR": "Brasília", "CO": "Bogotá", "VE": "Caracas",
    "CL": "Santiago", "CR": "San José", "UY": "Montevideo", "MX": "Mexico City",
    "AR": "Buenos Aires", "PE": "Lima", "BB": "Bridgetown",
}
ORGANIZATION_CITIES = {
    "cdp-nantes": "Nantes", "oer-africa": "Johannesburg", "uct-libraries": "Cape Town",
    "imo-learning": "Lagos", "bibliotheca-alexandrina": "Alexandria", "keris": "Daegu",
    "universitas-terbuka": "South Tangerang", "creative-commons": "San Francisco",
    "cetic-br": "São Paulo",
}
LOCAL_HOURS = (8, 9, 9, 10, 10, 11, 12, 13, 14, 14, 15, 16, 17)

# --- The seed documents --------------------------------------------------------------------
# Texts as the March 2023 Update and the OE Global 2021 page give them. Only the Arabic
# edition's mixed-script "динاميكي" (an encoding accident for "الديناميكي", which the same
# edition spells correctly elsewhere) is repaired.

OEW_SPEAKERS = (
    ("tawfik-jelassi", "Assistant Director General for Communication and Information, UNESCO"),
    ("nivo-ralamboranto", "Chief of Service of Technological Innovations, Ministry of "
                          "Education, Madagascar"),
    ("arnold-magdelaine", "Director of the Pedagogical Development Centre (CDP) at Nantes "
                          "University"),
    ("barbara-class", "Research Professor, University of Geneva"),
)

OEW_WEBINAR = {
    "titles": {
        "en": "OER Dynamic Coalition webinar for Open Education Week 2023",
        "fr": "Wébinaire de la Coalition dynamique des REL pour la Semaine de l'éducation "
              "ouverte 2023",
        "ar": "الندوة المنعقدة عبر الإنترت للتحالف الديناميكي للموارد التعليمية المفتوحة "
              "للأسبوع التعليمي المفتوح لعام 2023",
    },
    "summaries": {
        "en": "<p>Don't miss out on the chance to join the Open Educational (OER) Dynamic "
              "Coalition for Open Education Week 2023! Discover the best practices for open "
              "education at the governmental and institutional level during this webinar "
              "hosted by UNESCO.</p>"
              "<p>As we celebrate Open Education Week, take part in a global community that "
              "promotes open practices in education !</p>"
              "<p>Discover how governments and institutions are successfully implementing the "
              "OER Recommendation. Let us celebrate Open Education Week and learn about the "
              "latest achievements in Open Education worldwide!</p>",
        "fr": "<p>Rejoignez la Coalition dynamique pour les ressources éducatives libres (REL) "
              "à l'occasion de la Semaine de l'éducation ouverte 2023 ! Découvrez les "
              "meilleures pratiques en matière d'éducation ouverte au niveau gouvernemental et "
              "institutionnel lors de ce webinar organisé par l'Unesco.</p>"
              "<p>Alors que nous célébrons la Semaine de l'éducation ouverte, prenez part à une "
              "communauté mondiale qui promeut les pratiques ouvertes dans l'éducation !</p>"
              "<p>Découvrez comment les gouvernements et les institutions mettent en œuvre avec "
              "succès la Recommandation sur les REL. Célébrons la Semaine de l'éducation "
              "ouverte et découvrons les dernières réalisations en matière d'éducation ouverte "
              "dans le monde !</p>",
        "ar": "<p>لا تفوتوا فرصة الانضمام إلى التحالف الديناميكي للموارد التعليمية المفتوحة من "
              "أجل الأسبوع التعليمي المفتوح لعام 2023! اكتشفوا أفضل الممارسات للتعليم المفتوح "
              "على المستويين الحكومي والمؤسسي خلال هذه الندوة عبر الإنترت التي تستضيفها "
              "اليونسكو.</p>"
              "<p>باحتفالنا بأسبوع التعليم المفتوح، شاركوا في مجتمع عالمي يعزز الممارسات المفتوحة "
              "في التعليم. اكتشفوا طريقة تنفيذ الحكومات والمؤسسات بنجاح لتوصيات الموارد "
              "التعليمية المفتوحة. ولنحتفل بأسبوع التعليم المفتوح ونعلم المزيد عن أحد الإنجازات "
              "في التعليم المفتوح حول العالم.</p>",
    },
}

WSIS_SESSION = {
    "titles": {
        "en": "WSIS Action Lines C7: e-Learning: Implementation of the UNESCO OER "
              "Recommendation",
        "fr": "Lignes d'action C7 du SMSI : E-Learning : Mise en œuvre de la Recommandation de "
              "l'Unesco sur les REL",
        "ar": "خطة عمل القمة العالمية حول مجتمع المعلومات C7: التعلم الإلكتروني: تنفيذ توصيات "
              "اليونسكو بشأن الموارد التعليمية المفتوحة",
    },
    "summaries": {
        "en": "<p>Join us for a discussion on the implementation of the UNESCO OER "
              "Recommendation during the WSIS Forum 2023 Open Consultation Process.</p>"
              "<p>Discover the international collaboration established in the framework of "
              "Action Line C4 on e-learning through a discussion on the implementation of the "
              "UNESCO OER Recommendation on openly licensed digital content and related "
              "platforms to support knowledge sharing and learning for human development.</p>"
              "<p>This session would highlight the international collaboration established in "
              "the framework of the OER Recommendation to ensure a robust ecosystem in support "
              "of knowledge sharing and creation through openly licensed learning materials "
              "focusing on the 5 areas of action of this UN Normative instrument: capacity "
              "building; policy support; inclusive, multilingual quality content; "
              "sustainability and international collaboration.</p>"
              "<p>Don't miss this opportunity to engage with stakeholders and contribute to the "
              "preparatory process of the WSIS Forum 2023.</p>",
        "fr": "<p>Rejoignez-nous pour une discussion sur la mise en œuvre de la Recommandation "
              "de l'Unesco sur les ressources éducatives libres (REL) pendant le processus de "
              "consultation ouverte du Forum SMSI 2023.</p>"
              "<p>Venez découvrir la collaboration internationale établie dans le cadre de la "
              "ligne d'action C4 sur l'apprentissage en ligne à travers une discussion sur la "
              "mise en œuvre de la Recommandation de l'Unesco sur les REL sur le contenu "
              "numérique sous licence ouverte et les plates-formes connexes pour soutenir le "
              "partage des connaissances et l'apprentissage.</p>"
              "<p>Cette session mettra en lumière la collaboration internationale établie dans "
              "le cadre de la Recommandation de l'Unesco sur les REL afin d'assurer un "
              "écosystème solide en faveur du partage et de la création de connaissances par "
              "le biais de matériels d'apprentissage sous licence ouverte, en se concentrant "
              "sur les 5 domaines d'action de cet instrument normatif de l'ONU : renforcement "
              "des capacités, soutien politique, contenu de qualité inclusif et multilingue, "
              "durabilité et coopération internationale.</p>",
        "ar": "<p>انضموا لنا في حلقة النقاش المنعقدة بشأن تنفيذ توصيات اليونسكو المتعلقة "
              "بالموارد التعليمية المفتوحة خلال عملية الاستشارة المفتوحة للقمة العالمية حول "
              "مجتمع المعلومات لعام 2023.</p>"
              "<p>اكتشفوا التعاون الدولي المحدد في إطار خطة العمل C4 بشأن التعلم الإلكتروني عبر "
              "نقاش بشأن تنفيذ توصيات اليونسكو بشأن الموارد التعليمية المفتوحة لعام 2019 بشأن "
              "المحتوى الرقمي المرخص بشكل مفتوح والمنصات ذات الصلة لدعم مشاركة المعرفة والتعلم "
              "للتطوير البشري.</p>"
              "<p>وسوف تلقي هذه الجلسة الضوء على التعاون الدولي المحدد في إطار عمل توصيات "
              "الموارد التعليمية المفتوحة لليونسكو لضمان نظام بيئي قوي لدعم مشاركة المعرفة "
              "والإنشاء عبر مواد تعلم مرخصة بشكل مفتوح مع التركيز على 5 مجالات إجراءات للأداة "
              "المعيارية للأمم المتحدة هذه: بناء القدرات، ودعم السياسات، والشمول ومحظوظ الجودة "
              "متعدد اللغات، والاستدامة والتعاون الدولي.</p>"
              "<p>وسوف تسمع عن أفضل الممارسات من الاستبيان العالمي الأخير بشأن تنفيذ هذه الأداء "
              "المعيارية للأمم المتحدة الفريدة الذي سيتم مشاركته في مهمة القمة العالمية حول "
              "مجتمع المعلومات مع إلقاء الضوء على الدروس المستفادة من جائحة فيروس كورونا "
              "المستجد وأثارها.</p>"
              "<p>ولا تفوتوا فرصة الاشتراك مع الأطراف المعنية والمساهمة في العملية التحضيرية "
              "لمنتدى القمة العالمية حول مجتمع المعلومات لعام 2023.</p>",
    },
}

DPG_URL = "https://digitalpublicgoods.net/blog/dpgs-information-integrity/"
DPG_CALL = {
    "titles": {
        "en": "UNDP and Digital Public Goods Alliance: call for submissions on open-source "
              "solutions for information integrity",
        "fr": "PNUD et Alliance pour les biens publics numériques : appel à soumissions sur les "
              "solutions à code source ouvert en faveur de l'intégrité de l'information",
        "ar": "برنامج الأمم المتحدة الإنمائي وتحالف السلع العامة الرقمية: دعوة لتقديم حلول "
              "مفتوحة المصدر لسلامة المعلومات",
    },
    "summaries": {
        "en": "<p>UNDP and Digital Public Goods Alliance have launched a call for submissions "
              "on open-source solutions for information integrity (Deadline 2 April 2023).</p>"
              f'<p>For more information: <a href="{DPG_URL}">{DPG_URL}</a></p>',
        "fr": "<p>Le PNUD et l'Alliance pour les biens publics numériques ont lancé un appel à "
              "soumissions sur les solutions à code source ouvert en faveur de l'intégrité de "
              "l'information (date limite : 2 avril 2023).</p>"
              f'<p>Pour plus d\'informations : <a href="{DPG_URL}">{DPG_URL}</a></p>',
        "ar": "<p>أطلق برنامج الأمم المتحدة الإنمائي وتحالف السلع العامة الرقمية دعوة لتقديم "
              "حلول مفتوحة المصدر لسلامة المعلومات (الموعد النهائي 2 أبريل 2023)</p>"
              f'<p>للمزيد من المعلومات: <a href="{DPG_URL}">{DPG_URL}</a></p>',
    },
}

NATIONAL_REPORTS = {
    "titles": {
        "en": "National reports on the implementation of the OER Recommendation!",
        "fr": "Rapports nationaux sur la mise en œuvre de la Recommandation REL !",
        "ar": "التقارير الدولية بشأن تنفيذ توصيات الموارد التعليمية المفتوحة",
    },
    "summaries": {
        "en": "<p>Many of you have submitted your national reports on the implementation of "
              "the 2019 OER Recommendation. We greatly appreciate your contribution, which is "
              "crucial for the state-of-the-art on OER!</p>"
              "<p>The Secretariat will subsequently prepare a synthesis report covering the "
              "period from November 2019 to 2023. The first synthesis report will be "
              "considered by the Executive Board at its 217th session in autumn 2023 and then "
              "by the General Conference at its 42nd session.</p>",
        "fr": "<p>Vous avez été nombreux à soumettre vos rapports nationaux sur la mise en "
              "œuvre de la Recommandation REL de 2019. Nous apprécions grandement votre "
              "contribution, qui est cruciale pour faire état de l'art sur les REL !</p>"
              "<p>Le Secrétariat préparera ensuite un rapport de synthèse couvrant la période "
              "de novembre 2019 à 2023. Le premier rapport de synthèse sera examiné par le "
              "Conseil exécutif lors de sa 217e session à l'automne 2023, puis par la "
              "Conférence générale lors de sa 42e session.</p>",
        "ar": "<p>لقد قدم الكثير منكم تقاريرهم الوطنية بشأن تنفيذ توصيات الموارد التعليمية "
              "المفتوحة لعام 2019. وقدر مساهمتكم تقديرًا كبيرًا، إذ أنه مهمًا لتوفير "
              "المستحدثات بشأن الموارد التعليمية المفتوحة. وسوف تعد الأمانة العامة لاحقًا "
              "تقريرًا توليقيًا لتفصيل الفترة من نوفمبر 2019 إلى 2023. وسوف ينظر المجلس "
              "التنفيذي في التقرير التوليقي الأول في جلسته السابعة عشر بعد المائتين في خريف "
              "2023 ثم المؤتمر العام في الجلسة الثانية والأربعين.</p>",
    },
}

BROCHURE = {
    "titles": {
        "en": "Discover the UNESCO 2019 Recommendation on OER and the ICT Competency Framework "
              "for Teachers project: Empowering Teachers with Digital Skills through OER!",
        "fr": "Découvrez la Recommandation 2019 de l'UNESCO sur les ressources éducatives "
              "libres (REL) et le projet de Référentiel de compétences en TIC pour les "
              "enseignants : donner aux enseignants les moyens d'acquérir des compétences "
              "numériques grâce aux REL !",
        "ar": "اكتشفوا توصيات اليونسكو لعام 2019 بشأن الموارد التعليمية المفتوحة والمشروع "
              "الإطاري لكفاءة تكنولوجيا المعلومات والاتصالات للمدرسين: تمكين المدرسين بمهارات "
              "رقمية عبر الموارد التعليمية المفتوحة",
    },
    "summaries": {
        "en": "<p>The UNESCO 2019 OER Recommendation brochure is now available in six "
              "languages: Arabic, English, Chinese, French, Spanish, and Russian. Find out how "
              "this groundbreaking normative instrument can transform education and "
              "strengthen access to information!</p>"
              "<p>Additionally, explore the ICT Competency Framework for Teachers Harnessing "
              "OER Project that leverages OER to enhance teachers' digital skills.</p>"
              "<p>Join the movement to equip teachers with the skills they need to thrive in "
              "the 21st-century classroom!</p>",
        "fr": "<ul><li>La brochure sur la Recommandation de l'UNESCO 2019 sur les REL est "
              "désormais disponible en six langues : anglais, arabe, chinois, français, "
              "espagnol et russe. Découvrez comment cet instrument normatif novateur peut "
              "transformer l'éducation !</li>"
              "<li>En outre, découvrez le Projet Référentiel de compétences en TIC pour les "
              "enseignants qui s'appuie sur les REL pour améliorer les compétences numériques "
              "des enseignants. Rejoignez le mouvement visant à doter les enseignants des "
              "compétences dont ils ont besoin pour s'épanouir dans les classes du XXIe "
              "siècle.</li></ul>",
        "ar": "<p>توصيات اليونسكو لعام 2019 بشأن الموارد التعليمية المفتوحة متاحة حالياً بست "
              "لغات هي: العربية والإنجليزية والصينية والفرنسية والإسبانية والروسية. تعرفوا على "
              "طريقة تحويل هذه الأداة المعاصرة الرائدة للتعليم وتعزيزها لإمكانية الوصول إلى "
              "المعلومات. كما يمكنكم استكشاف مشروع إطار عمل كفاءة تكنولوجيا المعلومات "
              "والاتصالات للمدرسين لتسخير الموارد التعليمية المفتوحة الذي يفيد الموارد "
              "التعليمية المفتوحة لتحسين المهارات الرقمية للمدرسين. وانضموا إلى الحركة لتجهيز "
              "المدرسين بمهارات التي يحتاجوها للنجاح في الفصول الدراسية للقرن الحادي "
              "والعشرين.</p>",
    },
}

SHARE_CALL = {
    "titles": {
        "en": "Share information on your organization's upcoming OER activities!",
        "fr": "Partagez des informations sur les prochaines activités REL de votre "
              "organisation!",
        "ar": "شاركونا المعلومات بشأن أنشطة الموارد التعليمية المفتوحة القادمة لمؤسسة!",
    },
    "summaries": {
        "en": "<p>Would you like to publish information on upcoming OER events, initiatives, "
              "activities or publication? Please contact the OER Dynamic Coalition Team at "
              '<a href="mailto:oerrecomendation@unesco.org">oerrecomendation@unesco.org</a> '
              "before Monday, 20 March 2023 to be included in the upcoming OER Dynamic "
              "Coalition Update.</p>",
        "fr": "<p>Souhaitez-vous publier des informations sur les prochains événements, "
              "initiative, activité, ou publication sur les REL? Veuillez contacter l'équipe "
              "de la Coalition Dynamique REL à "
              '<a href="mailto:oerrecomendation@unesco.org">oerrecomendation@unesco.org</a> '
              "avant le lundi, 20 mars 2023 pour pouvoir les inclure dans notre prochain "
              "bulletin!</p>",
        "ar": "<p>هل تودون نشر المعلومات بشأن الفعاليات أو المدارس أو الأنشطة أو المنشورات "
              "للموارد التعليمية المفتوحة القادمة؟ يرجى الاتصال بفريق التحالف الديناميكي "
              "للموارد التعليمية المفتوحة عبر عنوان البريد الإلكتروني: "
              '<a href="mailto:oerrecommendation@unesco.org">oerrecommendation@unesco.org</a> '
              "قبل يوم الإثنين الموافق 20 مارس 2023 لضمها إلى المستحدثات القادمة للتحالف "
              "الديناميكي للموارد التعليمية المفتوحة.</p>",
    },
}

# "News from recent events": titles only, as the Update lists them; dates are the events'.
RECENT_NEWS = (
    ("asia-pacific-regional-consultation-oer-recommendation", datetime(2023, 2, 20, 9, tzinfo=UTC),
     (2, 5), (), (Region.ASIA_PACIFIC,), {
        "en": "Awareness is important but action is essential: Asia-Pacific Regional "
              "Consultation on the Open Education Resources Recommendation",
        "fr": "La sensibilisation est importante mais l'action est essentielle : Consultation "
              "régionale sur la Recommandation sur les ressources éducatives libres dans la "
              "région Asie-Pacifique.",
        "ar": "التوعية مهمة ولكن العمل أساسى: الاستشارة الإقليمية لآسيا - المحيط الهادئ بشأن "
              "توصيات الموارد التعليمية المفتوحة",
    }),
    ("oer-recommendation-caribbean-region-assessment", datetime(2023, 2, 10, 9, tzinfo=UTC),
     (2,), (), (Region.LATIN_AMERICA_CARIBBEAN,), {
        "en": "The Recommendation on Open Educational Resources in the Caribbean Region: "
              "assessment overview/of the status of its implementation and steps towards "
              "effective involvement in the monitoring exercise",
        "fr": "La Recommandation sur les ressources éducatives libres dans la région Caraïbes : "
              "évaluation de l'état d'avancement de sa mise en œuvre et étapes vers une "
              "participation effective à l'exercice de suivi.",
        "ar": "التوصيات بشأن الموارد التعليمية المفتوحة في منطقة الكاريبي: نظرة عامة تقسمها "
              "لحالة تنفيذها والخطوات نحو الإشراك الفعال في ممارسة الرصد",
    }),
    ("oer-dynamic-coalition-dialogue-access-to-information", datetime(2022, 11, 30, 9, tzinfo=UTC),
     (5,), (), (), {
        "en": "Open Educational Resources Dynamic Coalition engages a dialogue on the potential "
              "of OER for access to information",
        "fr": "La Coalition dynamique pour les ressources éducatives libres engage un dialogue "
              "sur le potentiel des REL pour l'accès à l'information",
        "ar": "اشتراك التحالف الديناميكي للموارد التعليمية المفتوحة في حوار بشأن إمكانات "
              "الموارد التعليمية المفتوحة للوصول إلى المعلومات.",
    }),
    ("spotlight-oer-transforming-education-summit", datetime(2022, 9, 21, 9, tzinfo=UTC),
     (5,), (), (), {
        "en": "Spotlight on Open Educational Resources at Transforming Education Summit",
        "fr": "Pleins feux sur les ressources éducatives libres au sommet sur la Transformation "
              "de l'éducation",
        "ar": "تسليط الضوء على الموارد التعليمية المفتوحة في قمة تحويل التعليم",
    }),
    ("transforming-education-pre-summit-oer-dynamic-coalition",
     datetime(2022, 7, 1, 9, tzinfo=UTC), (5,), (), (), {
        "en": "Transforming Education Pre-Summit: Open Educational Resources through the work "
              "of OER Dynamic Coalition highlighted",
        "fr": "Pré-sommet sur la transformation de l'éducation : Ressources éducatives libres "
              "mises en lumière par le travail de la Coalition dynamique pour les REL",
        "ar": "ما قبل قمة تحويل التعليم: إبراز الموارد التعليمية المفتوحة عبر عمل التحالف "
              "الديناميكي للموارد التعليمية المفتوحة",
    }),
)

WEBINAR_17 = {
    "titles": {
        "fr": "OE Global 2021 – Webinar 17 : REL inclusives et équitables, Faciliter la "
              "coopération internationale",
    },
    "summaries": {
        "fr": "<p>Les bibliothèques universitaires créent, accompagnent la création et "
              "travaillent à l’indexation et au signalement des ressources éducatives libres. "
              "Intégrées dans l’écosystème de l’enseignement supérieur, elles peuvent être une "
              "force motrice du développement de projets liés à l’éducation ouverte. Mais "
              "surtout, les bibliothèques universitaires fonctionnent en réseaux "
              "internationaux, à travers des associations, des coalitions et des groupes de "
              "travail, qui permettent à la fois le retour d’expérience et de partager une "
              "réflexion sur des enjeux communs. En liant les approches institutionnelles, "
              "nationales et internationales, les bibliothèques peuvent être actrices et "
              "facilitatrices de la coopération internationale pour le développement de "
              "l’éducation ouverte et des RELs.</p>",
        "en": "<p>University libraries create, help create, index and share open educational "
              "resources. Integrated into the higher education ecosystem, they can be a "
              "driving force in the development of projects related to open education. But "
              "above all, university libraries operate in international networks, through "
              "associations, coalitions and working groups, which allow peers to give feedback "
              "on ongoing projects and share the reflection on common issues. By linking "
              "institutional, national and international approaches, libraries can be actors "
              "and facilitators of an international cooperation towards the development of "
              "Open Education and OERs.</p>",
    },
    "presentation": "Les bibliothèques universitaires, actrices de la coopération internationale "
                    "pour le développement des Ressources Éducatives Libres (University "
                    "libraries : acting towards international cooperation in the development "
                    "of Open Educational Resources)",
}

WEBINAR_17_POSTS = (
    (FOCAL_POINT, datetime(2021, 9, 30, 16, 40, tzinfo=UTC), True,
     "Merci pour cette présentation très claire. Comment les bibliothèques universitaires "
     "peuvent-elles aider un ministère à **signaler** les REL produites localement ? À "
     "Madagascar, nous cherchons à relier notre plateforme nationale aux catalogues des "
     "bibliothèques."),
    (MEMBER, datetime(2021, 9, 30, 17, 5, tzinfo=UTC), True,
     "Great talk. At UNED the library runs the institutional repository, and we found that "
     "*Dublin Core* plus a licence field was enough to start. Is there a shared metadata "
     "profile among French university libraries?"),
    (CHAIR, datetime(2021, 10, 1, 8, 30, tzinfo=UTC), True,
     "For those who missed the session, the recording is listed under the presentation. The "
     "capacity-building working group would welcome a short write-up of the networks you "
     "mentioned:\n\n- library associations\n- coalitions\n- working groups"),
    (SECRETARIAT, datetime(2021, 10, 1, 9, 15, tzinfo=UTC), False,
     "Merci à toutes et à tous. Les bibliothèques ont toute leur place dans la Coalition "
     "dynamique : le domaine d'action 5 de la Recommandation, *faciliter la coopération "
     "internationale*, passe aussi par leurs réseaux."),
)

UPCOMING_POSTS = (
    (MEMBER, -2, "Will the slides be shared after the webinar? Several colleagues in our "
                 "faculty cannot attend at this time."),
    (CHAIR, -1, "Thank you for organizing this. The capacity-building working group will "
                "relay the invitation to its members."),
)

# The secretariat's messages to the focal point, for the items it sent back or declined.
CHANGES_REQUESTED = (
    "Please give the time of the workshop in Antananarivo time and say in which languages it "
    "will be held; the summary could also say who can take part.",
    "Please add a link to the publication and check that it is released under an open "
    "licence (for example CC BY 4.0).",
)
DECLINED = (
    "This webinar was already shared by its co-organizer, and the published announcement "
    "covers it. Please ask them to add your ministry as an organizer rather than sharing it a "
    "second time."
)
# fmt: on


# --- The dataset ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rel:
    """A wall-clock time `day` days after the day of loading (or after a DST change)."""

    day: int
    hour: int = 9
    minute: int = 0


@dataclass(frozen=True)
class RegistrationSpec:
    person: str  # person slug
    status: str
    at: float  # where between publication and the start (or today) it was made, 0..1
    share_contact: bool = False


@dataclass(frozen=True)
class RoleSpec:
    person: str
    role: str
    title: str
    presentation: int | None = None  # index in ActivitySpec.presentations


@dataclass(frozen=True)
class MaterialSpec:
    kind: str
    title: str
    url: str
    language: str
    presentation: int | None = None


@dataclass(frozen=True)
class PostSpec:
    author: str  # demo account e-mail
    body: str
    at: object  # datetime, or days before the day of loading
    presentation: int | None = None


@dataclass
class ActivitySpec:
    slug: str
    kind: str
    titles: dict
    summaries: dict
    organizations: tuple  # slugs; the first is the one it is submitted for
    event_format: str = ""
    action_areas: tuple = ()
    working_groups: tuple = ()
    languages: tuple = ()
    countries: tuple = ()
    regions: tuple = ()
    links: tuple = ()  # (label, url)
    time_zone: str = ""
    location: str = ""
    is_online: bool = False
    registration_required: bool = False
    registration_open: bool = True
    capacity: int | None = None
    access_url: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_is_public: bool = False
    # Fixed datetimes for the seed items; Rel for generated ones.
    start: object = None
    end: object = None
    dst: str = ""  # "next" / "previous": the event spans the nearest change of its zone
    published: object = None  # datetime, Rel, or days before the start (events)
    deadline: object = None
    review_hours: int = 24  # between submission and approval
    upcoming: bool | None = None  # for generated events
    series: tuple = ()  # generated activities with the same title are editions of a series
    submitter: str = SECRETARIAT
    flow: str = "published"  # published, pending, changes-requested, declined, pending-edit
    message: str = ""
    edit: dict = field(default_factory=dict)
    asked_hours: int = 0  # for the moderation queue: how long ago it was submitted
    is_cancelled: bool = False
    registrations: tuple = ()
    presentations: tuple = ()  # (title, minutes after the start or None)
    programme: tuple = ()
    materials: tuple = ()
    posts: tuple = ()


@dataclass
class ActivitiesDataset:
    activities: list

    def by_slug(self, slug):
        return next(spec for spec in self.activities if spec.slug == slug)


def _paragraphs(*texts):
    return sanitize_html("".join(f"<p>{text}</p>" for text in texts if text))


def _language_code(content_language):
    """Content languages are Django's codes; the languages of an activity are ISO 639-1."""
    return content_language.split("-")[0]


class _Builder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.members = members_demo.demo_dataset()
        self.orgs = {spec.slug: spec for spec in self.members.organizations}
        self.member_orgs = [s for s in self.members.organizations if s.status == "member"]
        self.people = {person.slug: person for person in self.members.people}
        self.staff = defaultdict(list)  # org slug -> person slugs
        self.first_org = {}
        self.focal_point = {}
        for affiliation in self.members.affiliations:
            self.staff[affiliation.organization].append(affiliation.person)
            self.first_org.setdefault(affiliation.person, affiliation.organization)
            if affiliation.is_focal_point:
                self.focal_point.setdefault(affiliation.organization, affiliation.person)
        self.role_titles = {
            (a.person, a.organization): a.role_title for a in self.members.affiliations
        }
        self.areas_of = defaultdict(list)
        for number, slug in GROUP_SLUGS.items():
            for org in self.members.group_organizations.get(slug, []):
                self.areas_of[org].append(number)
        self.account_of_org = {}
        for person in self.members.people:
            if person.account and person.slug in self.first_org:
                self.account_of_org.setdefault(self.first_org[person.slug], person.account)
        self.person_of_account = {p.account: p.slug for p in self.members.people if p.account}
        self.countries_of_region = defaultdict(list)
        for code in members_demo.ANY_COUNTRY:
            self.countries_of_region[region_for_country(code)].append(code)
        with translation.override("en"):
            self.country_names = {code: str(countries.name(code)) for code in TIME_ZONES}
        self.slugs = set()

    def build(self):
        seeds = self._seed_items()
        generated = self._generated_items()
        self._registrations(generated)
        self._programmes(generated)
        moderated = self._moderation_queue()
        self._number_editions(generated + moderated)
        return ActivitiesDataset(seeds + generated + moderated)

    # Helpers

    def _slug(self, text):
        base = slugify(text)[:80].rstrip("-")
        if "-" in base and len(slugify(text)) > 80:
            base = base.rsplit("-", 1)[0]
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def _person(self, name):
        return next(p for p in self.members.people if p.name == name)

    def _contact(self, name, email):
        # The address the Update publishes, moved to the demo domain; never the person
        # record's own e-mail, which stays private.
        return {"contact_name": self._person(name).name, "contact_email": email}

    def _org_name(self, slug, lang):
        names = self.orgs[slug].names
        if names.get(lang):
            return escape(names[lang])
        fallback = "en" if names.get("en") else next(iter(names))
        return f'<span lang="{_language_code(fallback)}">{escape(names[fallback])}</span>'

    def _english_org_name(self, slug):
        names = self.orgs[slug].names
        return names.get("en") or next(iter(names.values()))

    def _sample_people(self, count, exclude=()):
        pool = sorted(s for s in self.people if s not in exclude and not self.people[s].account)
        return self.rng.sample(pool, min(count, len(pool)))

    # The seed documents

    def _seed_items(self):
        update = datetime(2023, 3, 3, 9, 0, tzinfo=UTC)
        items = [
            ActivitySpec(
                slug="oer-dynamic-coalition-webinar-open-education-week-2023",
                kind=Kind.EVENT,
                event_format=EventFormat.WEBINAR,
                titles=OEW_WEBINAR["titles"],
                summaries=OEW_WEBINAR["summaries"],
                organizations=("unesco",),
                action_areas=(1, 2, 5),
                working_groups=(GROUP_SLUGS[1], GROUP_SLUGS[2]),
                languages=("en",),
                time_zone=PARIS,
                is_online=True,
                registration_required=True,
                registration_open=False,
                access_url="https://meet.example.org/oer-dc-open-education-week-2023",
                contact_is_public=True,
                start=to_utc(datetime(2023, 3, 9, 16, 0), PARIS),
                end=to_utc(datetime(2023, 3, 9, 17, 0), PARIS),
                published=update,
                programme=tuple(
                    RoleSpec(person, "speaker", title) for person, title in OEW_SPEAKERS
                ),
                **self._contact("Aissatou Dabo", "aa.dabo@unesco.example.org"),
            ),
            ActivitySpec(
                slug="wsis-action-line-c7-e-learning-oer-recommendation-2023",
                kind=Kind.EVENT,
                event_format=EventFormat.CONFERENCE_SESSION,
                titles=WSIS_SESSION["titles"],
                summaries=WSIS_SESSION["summaries"],
                organizations=("unesco",),
                action_areas=(1, 2, 3, 4, 5),
                working_groups=(GROUP_SLUGS[5],),
                languages=("en",),
                time_zone=PARIS,
                is_online=True,
                contact_is_public=True,
                start=to_utc(datetime(2023, 3, 16, 15, 0), PARIS),
                end=to_utc(datetime(2023, 3, 16, 16, 30), PARIS),
                published=update,
                **self._contact("Eleni Boursinou", "e.boursinou@unesco.example.org"),
            ),
            ActivitySpec(
                slug="undp-dpga-call-open-source-solutions-information-integrity",
                kind=Kind.CALL,
                titles=DPG_CALL["titles"],
                summaries=DPG_CALL["summaries"],
                organizations=("unesco",),
                action_areas=(4, 5),
                working_groups=(GROUP_SLUGS[4],),
                languages=("en",),
                links=(("Digital Public Goods Alliance: DPGs for information integrity", DPG_URL),),
                time_zone=PARIS,
                deadline=to_utc(datetime(2023, 4, 2, 23, 59), PARIS),
                published=update,
            ),
            ActivitySpec(
                slug="national-reports-implementation-oer-recommendation",
                kind=Kind.NEWS,
                titles=NATIONAL_REPORTS["titles"],
                summaries=NATIONAL_REPORTS["summaries"],
                organizations=("unesco",),
                action_areas=(2,),
                working_groups=(GROUP_SLUGS[2],),
                languages=("en", "fr", "ar"),
                contact_is_public=True,
                published=update,
                **self._contact("Zeynep Varoglu", "z.varoglu@unesco.example.org"),
            ),
            ActivitySpec(
                slug="unesco-2019-oer-recommendation-brochure-six-languages",
                kind=Kind.PUBLICATION,
                titles=BROCHURE["titles"],
                summaries=BROCHURE["summaries"],
                organizations=("unesco",),
                action_areas=(1, 2, 3, 4, 5),
                languages=("ar", "en", "zh", "fr", "es", "ru"),
                published=update,
            ),
            ActivitySpec(
                slug="share-your-oer-activities-before-20-march-2023",
                kind=Kind.CALL,
                titles=SHARE_CALL["titles"],
                summaries=SHARE_CALL["summaries"],
                organizations=("unesco",),
                action_areas=(5,),
                languages=("en", "fr", "ar"),
                time_zone=PARIS,
                deadline=to_utc(datetime(2023, 3, 20, 23, 59), PARIS),
                contact_name="OER Dynamic Coalition team",
                contact_is_public=True,
                published=update,
            ),
            self._webinar_17(),
        ]
        for slug, published, areas, countries_, regions, titles in RECENT_NEWS:
            items.append(
                ActivitySpec(
                    slug=slug,
                    kind=Kind.NEWS,
                    titles=titles,
                    summaries={},
                    organizations=("unesco",),
                    action_areas=areas,
                    countries=countries_,
                    regions=regions,
                    languages=("en", "fr", "ar"),
                    published=published,
                )
            )
        oew = items[0]
        oew.registrations = self._past_registrations(36)
        for item in items:
            self.slugs.add(item.slug)
            item.titles = {k: v for k, v in item.titles.items() if v}
            item.summaries = {k: sanitize_html(v) for k, v in item.summaries.items()}
        return items

    def _webinar_17(self):
        start = datetime(2021, 9, 30, 14, 0, tzinfo=UTC)
        vincent = self._person("Vincent de Lavenne de la Montoise").slug
        return ActivitySpec(
            slug="oe-global-2021-webinar-17-rel-inclusives-cooperation-internationale",
            kind=Kind.EVENT,
            event_format=EventFormat.WEBINAR,
            titles=WEBINAR_17["titles"],
            summaries=WEBINAR_17["summaries"],
            organizations=("oe-global", "bibliotheque-sorbonne-nouvelle"),
            action_areas=(3, 5),
            working_groups=(GROUP_SLUGS[3], GROUP_SLUGS[5]),
            languages=("fr",),
            time_zone=PARIS,
            is_online=True,
            registration_required=True,
            registration_open=False,
            access_url="https://meet.example.org/oeglobal21-webinar-17",
            start=start,
            end=start + timedelta(hours=2, minutes=30),
            published=datetime(2021, 9, 15, 9, 0, tzinfo=UTC),
            presentations=((WEBINAR_17["presentation"], 0),),
            programme=(
                RoleSpec(vincent, "speaker", "Université Sorbonne Nouvelle", presentation=0),
            ),
            materials=(
                MaterialSpec(
                    Material.Kind.RECORDING,
                    "Presentation Recording",
                    "https://media.example.org/oeglobal21/webinar-17/bibliotheques-universitaires",
                    "fr",
                    presentation=0,
                ),
            ),
            posts=tuple(
                PostSpec(author, body, at, presentation=0 if on_presentation else None)
                for author, at, on_presentation, body in WEBINAR_17_POSTS
            ),
            registrations=self._past_registrations(24),
        )

    def _past_registrations(self, count):
        people = self._sample_people(count)
        fractions = sorted(self.rng.random() for _ in people)
        return tuple(
            RegistrationSpec(slug, Registration.Status.CONFIRMED, at, self.rng.random() < 0.4)
            for slug, at in zip(people, fractions, strict=True)
        )

    # Generated activities

    def _generated_items(self):
        rng = self.rng
        plan = [(kind, fmt) for kind, fmt, count in PLAN for _ in range(count)]
        rng.shuffle(plan)
        # Every member organization shares at least two activities; UNESCO more than others.
        owners = [spec.slug for spec in self.member_orgs] * 2
        weights = [3 if spec.slug == "unesco" else 1 for spec in self.member_orgs]
        while len(owners) < len(plan):
            owners.append(rng.choices(self.member_orgs, weights=weights)[0].slug)
        rng.shuffle(owners)
        items = [
            self._generated(owner, kind, fmt)
            for owner, (kind, fmt) in zip(owners, plan, strict=True)
        ]
        for org, direction in DST_EVENTS:
            fmt = EventFormat.CONFERENCE_SESSION if direction == "next" else EventFormat.WORKSHOP
            items.append(self._generated(org, Kind.EVENT, fmt, dst=direction))
        return items

    def _areas(self, org):
        rng = self.rng
        preferred = self.areas_of.get(org) or [5]
        first = rng.choice(preferred) if rng.random() < 0.85 else rng.randint(1, 5)
        areas = [first]
        if rng.random() < 0.35:
            areas.append(rng.choice([n for n in range(1, 6) if n != first]))
        return areas

    def _content_languages(self, org):
        rng = self.rng
        own = self.orgs[org].lang
        if own != "en":
            return [own, "en"] if rng.random() < 0.45 else [own]
        if rng.random() < 0.2:
            return ["en", rng.choice(("fr", "es", "ar"))]
        return ["en"]

    def _coverage(self, org):
        rng = self.rng
        country = self.orgs[org].country
        region = region_for_country(country)
        roll = rng.random()
        if roll < 0.55:
            chosen = [country]
            if rng.random() < 0.25:
                others = [c for c in self.countries_of_region[region] if c != country]
                chosen += rng.sample(others, min(len(others), rng.randint(1, 2)))
            return tuple(sorted(chosen)), ()
        if roll < 0.8:
            return (), (region,)
        return (), ()

    def _generated(
        self,
        org,
        kind,
        fmt="",
        *,
        dst="",
        upcoming=None,
        flow="published",
        languages=None,
        partners=(),
    ):
        rng = self.rng
        spec = self.orgs[org]
        areas = self._areas(org)
        topic_index = rng.randrange(len(TOPICS[areas[0]]))
        topic = TOPICS[areas[0]][topic_index]
        prefix_kind = fmt or kind
        prefix_index = rng.randrange(len(PREFIXES[prefix_kind]))
        prefix = PREFIXES[prefix_kind][prefix_index]
        audience = rng.choice(AUDIENCES)
        countries_, regions = self._coverage(org)
        place = regions[0] if regions else ""
        if not place and countries_ and rng.random() < 0.3:
            place = region_for_country(countries_[0])
        langs = languages or self._content_languages(org)

        titles, summaries = {}, {}
        for lang in langs:
            subject = topic[lang][0].upper() + topic[lang][1:] if lang == "en" else topic[lang]
            title = prefix[lang] + SEPARATOR[lang] + subject
            if place:
                title += PLACE[lang].format(REGION_NAMES[place][lang])
            titles[lang] = title
        slug = self._slug(
            " ".join([prefix["en"], topic["en"], REGION_NAMES[place]["en"] if place else ""])
        )

        organizations = [org, *partners]
        if not partners and rng.random() < 0.15:
            region = region_for_country(spec.country)
            partner_pool = [
                s.slug
                for s in self.member_orgs
                if s.slug != org and region_for_country(s.country) == region
            ]
            if partner_pool:
                organizations.append(rng.choice(partner_pool))

        item = ActivitySpec(
            slug=slug,
            kind=kind,
            event_format=fmt,
            titles=titles,
            summaries={},
            organizations=tuple(organizations),
            action_areas=tuple(sorted(areas)),
            working_groups=tuple(GROUP_SLUGS[n] for n in sorted(areas))
            if rng.random() < 0.7
            else (),
            countries=countries_,
            regions=regions,
            submitter=self.account_of_org.get(org, SECRETARIAT),
            flow=flow,
            review_hours=rng.randint(6, 96),
            series=(prefix_kind, prefix_index, areas[0], topic_index, place),
        )
        held = [_language_code(lang) for lang in langs]
        if spec.native and rng.random() < (0.9 if spec.native[0] == "pt" else 0.5):
            held.append(spec.native[0])
        if spec.country in ("KE", "TZ") and "sw" not in held and rng.random() < 0.4:
            held.append("sw")
        item.languages = tuple(dict.fromkeys(held))
        focal = self.focal_point.get(org)
        if focal and rng.random() < 0.85:
            item.contact_name = self.people[focal].name
            item.contact_is_public = rng.random() < 0.4
            # A public contact gets the organization's address: a person's own e-mail is
            # private, and the secretariat alone sees a private contact.
            item.contact_email = (
                f"oer@{org}.example.org" if item.contact_is_public else self.people[focal].email
            )
        zone = ORGANIZATION_TIME_ZONES.get(org) or TIME_ZONES.get(spec.country, "UTC")

        if kind == Kind.EVENT:
            self._schedule(item, org, zone, dst=dst, upcoming=upcoming)
        elif kind == Kind.CALL:
            item.time_zone = zone
            if upcoming if upcoming is not None else rng.random() < 0.45:
                deadline_day = rng.randint(5, 120)
            else:
                deadline_day = -rng.randint(1, 600)
            item.deadline = Rel(deadline_day, 23, 59)
            item.published = Rel(min(deadline_day - rng.randint(21, 90), -1), rng.randint(7, 16))
        else:
            item.published = Rel(-rng.randint(1, 720), rng.randint(7, 16))

        if kind != Kind.NEWS and rng.random() < (0.8 if kind == Kind.PUBLICATION else 0.4):
            item.links = ((LINK_LABELS[kind][langs[0]], f"https://{org}.example.org/oer/{slug}"),)
        for lang in langs:
            area_title = ACTION_AREA_TITLES[areas[0]][lang]
            body = SUMMARIES[prefix_kind][lang].format(
                org=self._org_name(org, lang),
                audience=audience[lang],
                topic=topic[lang],
            )
            if item.registration_required:
                body += REGISTRATION_SENTENCE[lang]
            if lang == "ar" and spec.type == members_demo.T.CATEGORY_2_CENTRE:
                for feminine, masculine in ARABIC_MASCULINE:
                    body = body.replace(feminine, masculine)
            summaries[lang] = _paragraphs(
                body, AREA_SENTENCE[lang].format(n=areas[0], title=area_title)
            )
        item.summaries = summaries
        return item

    def _schedule(self, item, org, zone, *, dst="", upcoming=None):
        rng = self.rng
        fmt = item.event_format
        country = self.orgs[org].country
        city = ORGANIZATION_CITIES.get(org) or CITIES.get(country, "")
        place = f"{city}, {self.country_names[country]}" if city else ""
        item.time_zone = zone
        if fmt == EventFormat.WEBINAR:
            online, in_person = True, False
        else:
            roll = rng.random()
            online = roll < {EventFormat.MEETING: 0.5, EventFormat.WORKSHOP: 0.2}.get(fmt, 0.35)
            in_person = not online or roll > 0.85  # hybrid
            online = online or roll > 0.85
        item.is_online = online
        item.location = place if in_person else ""

        days = 1
        if dst:
            days = 3
        elif fmt == EventFormat.WORKSHOP and rng.random() < 0.4:
            days = rng.randint(2, 3)
        elif fmt == EventFormat.CONFERENCE_SESSION and rng.random() < 0.1:
            days = 2
        if upcoming is None:
            upcoming = dst == "next" or (not dst and rng.random() < 0.45)
        item.upcoming = upcoming
        day = 0 if dst else rng.randint(2, 270) if upcoming else -rng.randint(days + 4, 720)
        if days > 1:
            item.start, item.end = Rel(day, 9, 0), Rel(day + days - 1, 17, 0)
        else:
            hour, minute = rng.choice(LOCAL_HOURS), rng.choice((0, 0, 30))
            minutes = {
                EventFormat.WEBINAR: (60, 60, 90, 120),
                EventFormat.WORKSHOP: (180, 180, 240),
                EventFormat.MEETING: (90, 120),
                EventFormat.CONFERENCE_SESSION: (60, 90),
            }[fmt]
            end = hour * 60 + minute + rng.choice(minutes)
            item.start, item.end = Rel(day, hour, minute), Rel(day, end // 60, end % 60)
        item.dst = dst
        item.published = rng.randint(10, 45)  # days before the start

        registration = {
            EventFormat.WEBINAR: 0.75,
            EventFormat.WORKSHOP: 0.8,
            EventFormat.MEETING: 0.3,
            EventFormat.CONFERENCE_SESSION: 0.2,
        }[fmt]
        if rng.random() < registration:
            item.registration_required = True
            if rng.random() < (0.7 if fmt == EventFormat.WORKSHOP else 0.35):
                item.capacity = rng.choice((30, 40, 50, 60))
            if online:
                item.access_url = f"https://meet.example.org/{item.slug}"
            item.registration_open = upcoming

    def _number_editions(self, items):
        """Activities that share a title are editions of a series, numbered by date."""

        def day(item):
            moment = item.start or item.deadline or item.published
            if item.dst:
                return 30 if item.dst == "next" else -30
            return moment.day

        series = defaultdict(list)
        for item in items:
            series[item.series].append(item)
        for members in series.values():
            for number, item in enumerate(sorted(members, key=day)[1:], start=2):
                item.titles = {
                    lang: title + EDITION[lang].format(number)
                    for lang, title in item.titles.items()
                }

    def _registrations(self, items):
        """Registrations, full events with waiting lists, a few closed or cancelled events."""
        rng = self.rng
        events = [s for s in items if s.kind == Kind.EVENT and s.flow == "published"]
        upcoming = [s for s in events if s.upcoming and s.registration_required and not s.dst]
        with_capacity = [s for s in upcoming if s.capacity]
        full = with_capacity[:4]
        for item in full:
            item.capacity = rng.choice((20, 25, 30))
        rest = [s for s in upcoming if s not in full]
        for item in rest[:3]:
            item.registration_open = False
        open_events = rest[3:]
        cancelled = [s for s in events if s.upcoming and not s.registration_required][:2]
        cancelled += [s for s in events if not s.upcoming and not s.dst][:1]
        for item in cancelled:
            item.is_cancelled = True

        member = self.person_of_account[MEMBER]
        chair = self.person_of_account[CHAIR]
        accounts = defaultdict(list)  # slug -> [(person, status)]
        for item in open_events[:3]:
            accounts[item.slug].append((member, Registration.Status.CONFIRMED))
        for item in open_events[3:5]:
            accounts[item.slug].append((chair, Registration.Status.CONFIRMED))
        if full:
            accounts[full[0].slug].append((member, Registration.Status.WAITING))

        for item in events:
            if not item.registration_required:
                continue
            if item in full:
                confirmed, waiting = item.capacity, rng.randint(2, 5)
            elif item.capacity:
                share = rng.uniform(0.5, 1.0) if not item.upcoming else rng.uniform(0.2, 0.9)
                confirmed, waiting = int(item.capacity * share), 0
            else:
                confirmed, waiting = rng.randint(3, 25), 0
            own = accounts.get(item.slug, [])
            confirmed -= sum(1 for _, status in own if status == Registration.Status.CONFIRMED)
            waiting -= sum(1 for _, status in own if status == Registration.Status.WAITING)
            people = self._sample_people(confirmed + max(waiting, 0) + 2)
            fractions = sorted(rng.random() for _ in people)
            registrations = []
            for index, slug in enumerate(people):
                if index < confirmed:
                    status = Registration.Status.CONFIRMED
                elif index < confirmed + max(waiting, 0):
                    status = Registration.Status.WAITING
                else:
                    # A place given back: it does not count against the capacity.
                    status = Registration.Status.CANCELLED
                registrations.append(
                    RegistrationSpec(slug, status, fractions[index], rng.random() < 0.4)
                )
            for slug, status in own:
                registrations.append(RegistrationSpec(slug, status, rng.random(), True))
            item.registrations = tuple(registrations)

    def _programmes(self, items):
        """Speakers and moderators; for a few events presentations, slides and recordings."""
        rng = self.rng
        events = [
            s
            for s in items
            if s.kind == Kind.EVENT
            and s.event_format in (EventFormat.WEBINAR, EventFormat.CONFERENCE_SESSION)
        ]
        with_presentations = 0
        posted = False
        for item in events:
            if rng.random() >= 0.4:
                if not item.upcoming and rng.random() < 0.3:
                    item.materials = (self._recording(item),)
                continue
            lang = next(iter(item.titles))
            org = item.organizations[0]
            region = region_for_country(self.orgs[org].country)
            colleagues = sorted(
                {p for o in item.organizations for p in self.staff[o] if not self.people[p].account}
            )
            peers = sorted(
                s
                for s, p in self.people.items()
                if not p.account and region_for_country(p.country) == region
            )
            count = rng.randint(1, 3)
            speakers = rng.sample(colleagues, min(len(colleagues), rng.randint(1, count)))
            speakers += rng.sample([p for p in peers if p not in speakers], count - len(speakers))
            roles = []
            presentations = ()
            if with_presentations < 12 and len(speakers) >= 2:
                with_presentations += 1
                area = item.action_areas[0]
                topics = rng.sample(TOPICS[area], len(speakers))
                patterns = rng.sample(PRESENTATION_TITLES, len(speakers))
                presentations = tuple(
                    (pattern[lang].format(topic=topic[lang]), 15 + 20 * i)
                    for i, (pattern, topic) in enumerate(zip(patterns, topics, strict=True))
                )
            for i, person in enumerate(speakers):
                roles.append(
                    RoleSpec(
                        person,
                        "speaker",
                        self._programme_title(person),
                        presentation=i if presentations else None,
                    )
                )
            others = [p for p in colleagues + peers if p not in speakers]
            if others and rng.random() < 0.5:
                roles.append(RoleSpec(rng.choice(others), "moderator", ""))
            if item.event_format == EventFormat.CONFERENCE_SESSION:
                others = [p for p in others if p not in {r.person for r in roles}]
                if others and rng.random() < 0.6:
                    roles.append(RoleSpec(rng.choice(others), "chair", ""))
                if others and rng.random() < 0.3:
                    roles.append(RoleSpec(rng.choice(others), "rapporteur", ""))
            item.programme = tuple(roles)
            item.presentations = presentations
            materials = [
                MaterialSpec(
                    Material.Kind.LINK,
                    MATERIAL_TITLES[Material.Kind.LINK][lang],
                    f"https://docs.example.org/{item.slug}/slides-{i + 1}.pdf",
                    item.languages[0],
                    presentation=i,
                )
                for i in range(len(presentations))
            ]
            if not item.upcoming:
                materials.append(self._recording(item))
            item.materials = tuple(materials)
            if item.upcoming and not posted and not item.is_cancelled:
                posted = True
                item.posts = tuple(
                    PostSpec(author, body, at) for author, at, body in UPCOMING_POSTS
                )

    def _recording(self, item):
        lang = next(iter(item.titles))
        return MaterialSpec(
            Material.Kind.RECORDING,
            MATERIAL_TITLES[Material.Kind.RECORDING][lang],
            f"https://media.example.org/{item.slug}/recording",
            item.languages[0],
        )

    def _programme_title(self, person):
        org = self.first_org.get(person)
        if not org:
            return ""
        role = self.role_titles.get((person, org), "")
        name = self._english_org_name(org)
        return f"{role}, {name}" if role else name

    # The moderation queue: the Madagascar focal point's submissions

    def _moderation_queue(self):
        org, partners = "men-madagascar", ("uvs", "unesco", "adea", "african-virtual-university")
        plan = (
            ("pending", Kind.EVENT, EventFormat.WEBINAR),
            ("pending", Kind.EVENT, EventFormat.WORKSHOP),
            ("pending", Kind.EVENT, EventFormat.MEETING),
            ("pending", Kind.EVENT, EventFormat.CONFERENCE_SESSION),
            ("pending", Kind.PUBLICATION, ""),
            ("pending", Kind.CALL, ""),
            ("pending", Kind.INITIATIVE, ""),
            ("pending", Kind.NEWS, ""),
            ("changes-requested", Kind.EVENT, EventFormat.WORKSHOP),
            ("changes-requested", Kind.PUBLICATION, ""),
            ("declined", Kind.EVENT, EventFormat.WEBINAR),
            ("pending-edit", Kind.EVENT, EventFormat.WEBINAR),
            ("pending-edit", Kind.PUBLICATION, ""),
        )
        items = []
        messages = iter(CHANGES_REQUESTED)
        for index, (flow, kind, fmt) in enumerate(plan):
            with_partner = flow == "declined" or index % 3 == 1
            item = self._generated(
                org,
                kind,
                fmt,
                upcoming=True,
                flow=flow,
                languages=["fr", "en"] if index % 2 else ["fr"],
                partners=(partners[index % len(partners)],) if with_partner else (),
            )
            item.submitter = FOCAL_POINT
            item.asked_hours = 5 + 19 * index
            if flow == "changes-requested":
                item.message = next(messages)
            elif flow == "declined":
                item.message = DECLINED
            elif flow == "pending-edit" and kind == Kind.EVENT:
                item.edit = {"shift_minutes": 60}
            elif flow == "pending-edit":
                item.edit = {
                    "links": [
                        {
                            "label": LINK_LABELS[kind]["fr"],
                            "url": f"https://{org}.example.org/oer/{item.slug}.pdf",
                        }
                    ]
                }
            items.append(item)
        return items


@cache
def activities_dataset():
    """The whole demo, computed from the seed alone: the same on every machine and every day."""
    return _Builder().build()


# --- From the dataset to dates --------------------------------------------------------------


@dataclass(frozen=True)
class Moments:
    starts_at: datetime | None
    ends_at: datetime | None
    deadline: datetime | None
    published_at: datetime | None
    submitted_at: datetime | None


def _dst_base(zone_name, today, direction):
    """The day before the zone's nearest clock change (after or before today): a 3-day event
    starting then spans the change."""
    zone = ZoneInfo(zone_name)

    def offset(day):
        return datetime.combine(day, time(12), zone).utcoffset()

    step = 1 if direction == "next" else -1
    day = today + timedelta(days=14 * step)
    for _ in range(400):
        following = day + timedelta(days=step)
        if offset(day) != offset(following):
            return max(day, following) - timedelta(days=1)
        day = following
    return today + timedelta(days=30 * step)  # a zone without daylight-saving time


def _weekday_shift(day, upcoming):
    """Moves a generated event off the weekend: forwards if upcoming, back if past."""
    if day.weekday() < 5:
        return 0
    return (7 - day.weekday()) if upcoming else (4 - day.weekday())


def _wall(rel, zone, base, shift=0):
    local = datetime.combine(base + timedelta(days=rel.day + shift), time(rel.hour, rel.minute))
    return to_utc(local, zone)


def moments(spec, today):
    zone = spec.time_zone or "UTC"
    starts_at = ends_at = None
    if isinstance(spec.start, datetime):
        starts_at, ends_at = spec.start, spec.end
    elif spec.start is not None:
        base = _dst_base(zone, today, spec.dst) if spec.dst else today
        shift = 0
        if not spec.dst:
            shift = _weekday_shift(base + timedelta(days=spec.start.day), spec.upcoming)
        starts_at = _wall(spec.start, zone, base, shift)
        ends_at = _wall(spec.end, zone, base, shift)
    deadline = spec.deadline
    if isinstance(deadline, Rel):
        deadline = _wall(deadline, zone, today)
    published = spec.published
    if isinstance(published, Rel):
        published = _wall(published, "UTC", today)
    elif isinstance(published, int):
        day = min(starts_at.date() - timedelta(days=published), today - timedelta(days=1))
        published = datetime.combine(day, time(7 + published % 9, 30), UTC)
    submitted = published - timedelta(hours=spec.review_hours) if published else None
    return Moments(starts_at, ends_at, deadline, published, submitted)


# --- Loading ------------------------------------------------------------------------------


@dataclass
class ActivitiesSummary:
    created: dict
    totals: dict

    def __str__(self):
        t = self.totals
        return (
            f"Demo activities: {t['activities']} activities ({t['events']} events, "
            f"{t['upcoming']} upcoming), {t['queue']} awaiting moderation, "
            f"{t['registrations']} registrations; {sum(self.created.values())} objects created."
        )


class _References:
    """The members demo's rows, by slug and e-mail, as the database holds them now."""

    def __init__(self, dataset):
        specs = dataset.activities
        org_slugs = {slug for spec in specs for slug in spec.organizations}
        self.orgs = {o.slug: o for o in Organization.objects.filter(slug__in=org_slugs)}
        people = {r.person for s in specs for r in s.registrations}
        people |= {r.person for s in specs for r in s.programme}
        self.people = {
            p["slug"]: p
            for p in Person.objects.filter(slug__in=people).values(
                "slug", "pk", "name", "email", "user_id"
            )
        }
        self.accounts = {
            u.email: u for u in User.objects.filter(email__in=members_demo.DEMO_ACCOUNTS.values())
        }
        self.groups = dict(WorkingGroup.objects.values_list("slug", "pk"))
        self.languages = set(Language.objects.values_list("code", flat=True))
        members = members_demo.demo_dataset()
        org_names = {
            o.slug: o.names.get("en") or next(iter(o.names.values())) for o in members.organizations
        }
        first_org = {}
        for affiliation in members.affiliations:
            first_org.setdefault(affiliation.person, affiliation.organization)
        self.organization_name = {p: org_names[o] for p, o in first_org.items()}

    @property
    def secretariat(self):
        return self.accounts[SECRETARIAT]

    def account(self, email):
        return self.accounts.get(email) or self.secretariat


def snapshot(spec, refs, when):
    """The spec as a Submission snapshot, in the format of snapshot.snapshot_of()."""
    data = {}
    for column in translated_columns():
        name, _, code = column.partition("_")
        texts = spec.titles if name == "title" else spec.summaries
        data[column] = texts.get(code.replace("_", "-"), "")
    data.update(
        kind=spec.kind,
        event_format=spec.event_format,
        time_zone=spec.time_zone,
        location=spec.location,
        is_online=spec.is_online,
        registration_required=spec.registration_required,
        registration_open=spec.registration_open,
        capacity=spec.capacity,
        access_url=spec.access_url,
        contact_name=spec.contact_name,
        contact_email=spec.contact_email,
        contact_is_public=spec.contact_is_public,
        starts_at=when.starts_at.isoformat() if when.starts_at else None,
        ends_at=when.ends_at.isoformat() if when.ends_at else None,
        deadline=when.deadline.isoformat() if when.deadline else None,
        organizations=sorted(refs.orgs[s].pk for s in spec.organizations if s in refs.orgs),
        action_areas=sorted(spec.action_areas),
        working_groups=sorted(refs.groups[s] for s in spec.working_groups if s in refs.groups),
        languages=sorted(code for code in spec.languages if code in refs.languages),
        countries=sorted(spec.countries),
        regions=sorted(spec.regions),
        links=[{"label": label, "url": url} for label, url in spec.links],
    )
    return data


def _title_language(spec):
    """The language apply_snapshot() takes the base title from: English, else the first."""
    if spec.titles.get("en"):
        return "en"
    return next(code for code in CONTENT_LANGUAGES if spec.titles.get(code))


def _translated_fields(spec):
    fields = {}
    for column in translated_columns():
        name, _, code = column.partition("_")
        texts = spec.titles if name == "title" else spec.summaries
        fields[column] = texts.get(code.replace("_", "-"), "")
    return fields


# Demo submissions recreate past history: nobody is to be e-mailed about them.
QUIET_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def load_demo_activities(today=None):
    """Create whatever part of the demo activities is missing, in one transaction.

    The members demo is loaded first (it is idempotent too): activities need its
    organizations, people and accounts.
    """
    members_demo.load_demo_data()
    today = today or timezone.localdate()
    now = timezone.now()
    dataset = activities_dataset()
    created = Counter()
    with (
        translation.override("en"),
        override_settings(TASKS=QUIET_TASKS),
        transaction.atomic(),
    ):
        refs = _References(dataset)
        existing = set(
            Activity.objects.filter(slug__in=[s.slug for s in dataset.activities]).values_list(
                "slug", flat=True
            )
        )
        new = [
            spec
            for spec in dataset.activities
            if spec.slug not in existing and spec.organizations[0] in refs.orgs
        ]
        made = _create_published([s for s in new if s.flow == "published"], refs, today, created)
        made.update(
            _submit_moderated([s for s in new if s.flow != "published"], refs, today, now, created)
        )
        _create_programmes(new, made, refs, created)
        _create_registrations(new, made, refs, today, created)
        _create_posts(new, made, refs, today, created)
    return ActivitiesSummary(created=dict(created), totals=_totals(dataset, now))


def _bulk_link(field_name, pairs):
    """Rows of a many-to-many table, straight into its through model."""
    field_ = Activity._meta.get_field(field_name)
    through = field_.remote_field.through
    source, target = field_.m2m_field_name(), field_.m2m_reverse_field_name()
    rows = [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in pairs]
    through.objects.bulk_create(rows)
    return len(rows)


def _create_published(specs, refs, today, created):
    """Published activities in bulk, each with its approved submission and audit log."""
    secretariat = refs.secretariat
    rows, whens = [], []
    for spec in specs:
        when = moments(spec, today)
        fields = _translated_fields(spec)
        rows.append(
            Activity(
                slug=spec.slug,
                kind=spec.kind,
                event_format=spec.event_format,
                title=fields[f"title_{_title_language(spec).replace('-', '_')}"],
                summary=fields[f"summary_{_title_language(spec).replace('-', '_')}"],
                **fields,
                time_zone=spec.time_zone,
                location=spec.location,
                is_online=spec.is_online,
                registration_required=spec.registration_required,
                registration_open=spec.registration_open,
                capacity=spec.capacity,
                access_url=spec.access_url,
                contact_name=spec.contact_name,
                contact_email=spec.contact_email,
                contact_is_public=spec.contact_is_public,
                starts_at=when.starts_at,
                ends_at=when.ends_at,
                deadline=when.deadline,
                state=State.PUBLISHED,
                published_at=when.published_at,
                is_cancelled=spec.is_cancelled,
                sequence=1 if spec.is_cancelled else 0,
                created_by=refs.account(spec.submitter),
                created_at=when.submitted_at,
            )
        )
        whens.append(when)
    Activity.objects.bulk_create(rows)
    created["activities"] += len(rows)
    pairs = list(zip(specs, rows, whens, strict=True))
    created["links between tables"] += sum(
        (
            _bulk_link(
                "organizations",
                [
                    (a.pk, refs.orgs[s].pk)
                    for spec, a, _ in pairs
                    for s in spec.organizations
                    if s in refs.orgs
                ],
            ),
            _bulk_link(
                "action_areas", [(a.pk, n) for spec, a, _ in pairs for n in spec.action_areas]
            ),
            _bulk_link(
                "working_groups",
                [
                    (a.pk, refs.groups[g])
                    for spec, a, _ in pairs
                    for g in spec.working_groups
                    if g in refs.groups
                ],
            ),
            _bulk_link(
                "languages",
                [(a.pk, c) for spec, a, _ in pairs for c in spec.languages if c in refs.languages],
            ),
        )
    )
    coverage = [
        Coverage(activity_id=a.pk, country=c, region=region_for_country(c))
        for spec, a, _ in pairs
        for c in spec.countries
    ] + [Coverage(activity_id=a.pk, region=r) for spec, a, _ in pairs for r in spec.regions]
    Coverage.objects.bulk_create(coverage)
    links = [
        Link(activity_id=a.pk, label=label, url=url)
        for spec, a, _ in pairs
        for label, url in spec.links
    ]
    Link.objects.bulk_create(links)
    created["coverage and links"] += len(coverage) + len(links)

    submissions = [
        Submission(
            activity_id=a.pk,
            on_behalf_of_id=refs.orgs[spec.organizations[0]].pk,
            data=snapshot(spec, refs, when),
            status=Submission.Status.APPROVED,
            submitted_by=refs.account(spec.submitter),
            submitted_at=when.submitted_at,
            decided_by=secretariat,
            decided_at=when.published_at,
        )
        for spec, a, when in pairs
    ]
    Submission.objects.bulk_create(submissions)
    log = []
    for (spec, activity, when), submission in zip(pairs, submissions, strict=True):
        log += [
            ModerationEntry(
                activity_id=activity.pk,
                submission_id=submission.pk,
                actor=refs.account(spec.submitter),
                action="submitted",
                to_state=State.SUBMITTED,
                at=when.submitted_at,
            ),
            ModerationEntry(
                activity_id=activity.pk,
                submission_id=submission.pk,
                actor=secretariat,
                action="approved",
                from_state=State.SUBMITTED,
                to_state=State.PUBLISHED,
                at=when.published_at,
            ),
        ]
        if spec.is_cancelled:
            # Called off some time after publication (and, for a past event, before it).
            end = min(when.starts_at, datetime.combine(today, time(0), UTC))
            log.append(
                ModerationEntry(
                    activity_id=activity.pk,
                    actor=secretariat,
                    action="cancelled",
                    from_state=State.PUBLISHED,
                    to_state=State.PUBLISHED,
                    at=when.published_at + (end - when.published_at) / 2,
                )
            )
    ModerationEntry.objects.bulk_create(log)
    created["submissions"] += len(submissions)
    created["log entries"] += len(log)
    return {spec.slug: (activity, when) for spec, activity, when in pairs}


def _edited(data, edit):
    data = dict(data)
    if minutes := edit.get("shift_minutes"):
        for name in ("starts_at", "ends_at"):
            moment = datetime.fromisoformat(data[name]) + timedelta(minutes=minutes)
            data[name] = moment.isoformat()
    data.update({key: value for key, value in edit.items() if key != "shift_minutes"})
    return data


def _submit_moderated(specs, refs, today, now, created):
    """The moderation queue, through the services, so that it is exactly what a user's
    submission leaves behind; then dated back to when it would have happened."""
    secretariat = refs.secretariat
    made = {}
    for spec in specs:
        when = moments(spec, today)
        user = refs.account(spec.submitter)
        organization = refs.orgs[spec.organizations[0]]
        data = snapshot(spec, refs, when)
        asked = now - timedelta(hours=spec.asked_hours)
        # apply_snapshot() writes the base title through the active language: activate the
        # one it takes the title from, so that no other language's column receives a copy.
        with translation.override(_title_language(spec)):
            activity = services.submit_activity(user=user, organization=organization, data=data)
            first = activity.submissions.get()
            times, second = [asked], None
            if spec.flow == "changes-requested":
                services.request_changes(first, by=secretariat, message=spec.message)
                times.append(asked + timedelta(hours=30))
            elif spec.flow == "declined":
                services.decline_submission(first, by=secretariat, reason=spec.message)
                times.append(asked + timedelta(hours=30))
            elif spec.flow == "pending-edit":
                services.approve_submission(first, by=secretariat)
                published = asked - timedelta(days=40)
                times = [published - timedelta(hours=spec.review_hours), published, asked]
                second = services.propose_change(
                    activity, user=user, organization=organization, data=_edited(data, spec.edit)
                )
        Submission.objects.filter(pk=first.pk).update(
            submitted_at=times[0], decided_at=times[1] if len(times) > 1 else None
        )
        if second is not None:
            Submission.objects.filter(pk=second.pk).update(submitted_at=times[2])
        for entry, at in zip(activity.log.order_by("pk"), times, strict=True):
            ModerationEntry.objects.filter(pk=entry.pk).update(at=at)
        updates = {"slug": spec.slug, "created_at": times[0]}
        if spec.flow == "pending-edit":
            updates["published_at"] = times[1]
        Activity.objects.filter(pk=activity.pk).update(**updates)
        activity.slug = spec.slug
        made[spec.slug] = (activity, replace(when, published_at=updates.get("published_at")))
        created["activities"] += 1
        created["submissions"] += 2 if second else 1
        created["log entries"] += len(times)
    return made


def _create_programmes(specs, made, refs, created):
    presentations, keys = [], []
    for spec in specs:
        if spec.slug not in made:
            continue
        activity, when = made[spec.slug]
        for index, (title, minutes) in enumerate(spec.presentations):
            starts_at = when.starts_at + timedelta(minutes=minutes) if minutes is not None else None
            presentations.append(
                Presentation(
                    activity_id=activity.pk, title=title, starts_at=starts_at, order=index + 1
                )
            )
            keys.append((spec.slug, index))
    Presentation.objects.bulk_create(presentations)
    presentation_pk = {key: p.pk for key, p in zip(keys, presentations, strict=True)}

    roles, materials = [], []
    for spec in specs:
        if spec.slug not in made:
            continue
        activity, when = made[spec.slug]
        for order, role in enumerate(spec.programme):
            person = refs.people.get(role.person)
            if person is None:
                continue
            roles.append(
                ProgrammeRole(
                    activity_id=activity.pk,
                    presentation_id=presentation_pk.get((spec.slug, role.presentation)),
                    person_id=person["pk"],
                    role=role.role,
                    title_on_programme=role.title,
                    order=order,
                )
            )
        for material in spec.materials:
            if material.kind == Material.Kind.RECORDING:
                at = when.ends_at + timedelta(days=1)  # recordings are only on past events
            else:
                at = when.published_at + (when.starts_at - when.published_at) * 0.8
            materials.append(
                Material(
                    activity_id=activity.pk,
                    presentation_id=presentation_pk.get((spec.slug, material.presentation)),
                    kind=material.kind,
                    title=material.title,
                    url=material.url,
                    language_id=material.language if material.language in refs.languages else None,
                    uploaded_by=refs.account(spec.submitter),
                    created_at=min(at, timezone.now()),
                )
            )
    ProgrammeRole.objects.bulk_create(roles)
    Material.objects.bulk_create(materials)
    created["presentations, people on programmes and materials"] += (
        len(presentations) + len(roles) + len(materials)
    )


def _create_registrations(specs, made, refs, today, created):
    midnight = datetime.combine(today, time(0), UTC)
    rows = []
    for spec in specs:
        if spec.slug not in made or not spec.registrations:
            continue
        activity, when = made[spec.slug]
        opened = when.published_at
        closed = min(when.starts_at, midnight)
        for registration in spec.registrations:
            person = refs.people.get(registration.person)
            if person is None:
                continue
            at = opened + (closed - opened) * registration.at
            cancelled = registration.status == Registration.Status.CANCELLED
            rows.append(
                Registration(
                    activity_id=activity.pk,
                    user_id=person["user_id"],
                    name=person["name"],
                    email=person["email"].lower(),
                    organization_name=refs.organization_name.get(registration.person, ""),
                    share_contact=registration.share_contact,
                    status=registration.status,
                    created_at=at,
                    cancelled_at=at + (closed - at) / 2 if cancelled else None,
                )
            )
    Registration.objects.bulk_create(rows)
    created["registrations"] += len(rows)


def _render(body):
    return sanitize_html(markdown.markdown(body))


def _create_posts(specs, made, refs, today, created):
    rows = []
    for spec in specs:
        if spec.slug not in made or not spec.posts:
            continue
        activity, _ = made[spec.slug]
        presentations = list(activity.presentations.order_by("order").values_list("pk", flat=True))
        for post in spec.posts:
            if isinstance(post.at, datetime):
                at = post.at
            else:
                at = datetime.combine(today + timedelta(days=post.at), time(10), UTC)
            rows.append(
                Post(
                    activity_id=activity.pk,
                    presentation_id=presentations[post.presentation]
                    if post.presentation is not None
                    else None,
                    author=refs.account(post.author),
                    body=post.body,
                    body_html=_render(post.body),
                    created_at=at,
                )
            )
    Post.objects.bulk_create(rows)
    created["discussion posts"] += len(rows)


def _totals(dataset, now):
    activities = Activity.objects.filter(slug__in=[s.slug for s in dataset.activities])
    events = activities.filter(kind=Kind.EVENT)
    return {
        "activities": activities.count(),
        "events": events.count(),
        "upcoming": events.published().filter(ends_at__gte=now).count(),
        "queue": Submission.objects.filter(
            activity__in=activities, status=Submission.Status.PENDING
        ).count(),
        "registrations": Registration.objects.filter(activity__in=activities).count(),
    }
