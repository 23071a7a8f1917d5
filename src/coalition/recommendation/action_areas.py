"""The five action areas of the 2019 UNESCO Recommendation on OER, in the six UN languages.

Titles follow the Recommendation's official language versions (section II, "Areas of
action"). They are content, not interface strings: they live here rather than in the
gettext catalogues so that the official wording cannot drift with a translator's edit.
"""

ACTION_AREA_TITLES = {
    1: {
        "en": "Building capacity of stakeholders to create, access, re-use, adapt and "
        "redistribute OER",
        "fr": "Renforcer les capacités des parties prenantes à créer, consulter, réutiliser, "
        "adapter et redistribuer des REL",
        "ar": "بناء قدرات أصحاب المصلحة على إنشاء الموارد التعليمية المفتوحة والنفاذ إليها "
        "وإعادة استخدامها وتكييفها وإعادة توزيعها",
        "es": "Desarrollar la capacidad de las partes interesadas para crear REA, acceder a "
        "ellos, reutilizarlos, adaptarlos y redistribuirlos",
        "ru": "Укрепление потенциала заинтересованных сторон в области создания, "
        "использования, повторного использования, адаптации и распространения ОР",
        "zh-hans": "增强利益攸关方创建、获取、重复使用、改编和重新发布开放式教育资源的能力",
    },
    2: {
        "en": "Developing supportive policy",
        "fr": "Élaborer des politiques de soutien",
        "ar": "وضع سياسات داعمة",
        "es": "Elaborar políticas de apoyo",
        "ru": "Разработка политики поддержки",
        "zh-hans": "制定支持性政策",
    },
    3: {
        "en": "Encouraging inclusive and equitable quality OER",
        "fr": "Favoriser des REL de qualité inclusives et équitables",
        "ar": "تشجيع إتاحة موارد تعليمية مفتوحة جيدة وشاملة للجميع ومنصفة",
        "es": "Fomentar REA de calidad que sean inclusivos y equitativos",
        "ru": "Поощрение инклюзивных и справедливых качественных ОР",
        "zh-hans": "鼓励具有包容性和公平性的优质开放式教育资源",
    },
    4: {
        "en": "Nurturing the creation of sustainability models for OER",
        "fr": "Favoriser la création de modèles de durabilité pour les REL",
        "ar": "تعزيز إنشاء نماذج لاستدامة الموارد التعليمية المفتوحة",
        "es": "Propiciar la creación de modelos de sostenibilidad para los REA",
        "ru": "Содействие созданию моделей устойчивости ОР",
        "zh-hans": "促进创建开放式教育资源可持续性模式",
    },
    5: {
        "en": "Facilitating international cooperation",
        "fr": "Promouvoir et renforcer la coopération internationale",
        "ar": "تيسير التعاون الدولي",
        "es": "Facilitar la cooperación internacional",
        "ru": "Содействие международному сотрудничеству",
        "zh-hans": "促进国际合作",
    },
}

# Short names, as the Coalition uses them for its working groups.
ACTION_AREA_SHORT_TITLES = {
    1: {
        "en": "Capacity building",
        "fr": "Renforcement des capacités",
        "ar": "بناء القدرات",
        "es": "Desarrollo de capacidades",
        "ru": "Укрепление потенциала",
        "zh-hans": "能力建设",
    },
    2: {
        "en": "Supportive policy",
        "fr": "Politiques de soutien",
        "ar": "السياسات الداعمة",
        "es": "Políticas de apoyo",
        "ru": "Политика поддержки",
        "zh-hans": "支持性政策",
    },
    3: {
        "en": "Inclusive and equitable quality OER",
        "fr": "REL de qualité inclusives et équitables",
        "ar": "موارد تعليمية مفتوحة جيدة وشاملة ومنصفة",
        "es": "REA de calidad inclusivos y equitativos",
        "ru": "Инклюзивные и справедливые качественные ОР",
        "zh-hans": "包容公平的优质开放式教育资源",
    },
    4: {
        "en": "Sustainability models",
        "fr": "Modèles de durabilité",
        "ar": "نماذج الاستدامة",
        "es": "Modelos de sostenibilidad",
        "ru": "Модели устойчивости",
        "zh-hans": "可持续性模式",
    },
    5: {
        "en": "International cooperation",
        "fr": "Coopération internationale",
        "ar": "التعاون الدولي",
        "es": "Cooperación internacional",
        "ru": "Международное сотрудничество",
        "zh-hans": "国际合作",
    },
}
