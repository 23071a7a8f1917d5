"""schema.org `LearningResource` of a work, for its page (JSON-LD) and the API.

The licence is the canonical licence's URL (`license`), and the Hub's reading of it is
given in words (`conditionsOfAccess`: the class and why), so that a search engine or a
person reading the markup learns what the record page says. Every source's copy is
named (`subjectOf`: the source's record, its organization and identifier).
"""

import json

from django.utils.safestring import mark_safe

from .licences import read_rights


def licence_reading(record):
    return read_rights((record.rights_statement or "").split("\n"))


def learning_resource(work, absolute_url):
    record = work.primary_record
    reading = licence_reading(record)
    data = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "@id": absolute_url(work.get_absolute_url()),
        "identifier": [
            str(work.hub_id),
            *([f"https://doi.org/{record.doi}"] if record.doi else []),
        ],
        "name": record.title,
        "inLanguage": record.languages
        or ([record.title_language] if record.title_language else []),
    }
    if record.description:
        data["description"] = record.description
    if record.creators:
        data["author"] = [_person(person) for person in record.creators]
    if record.publisher:
        data["publisher"] = {"@type": "Organization", "name": record.publisher}
    if record.date_created:
        data["dateCreated"] = record.date_created.isoformat()
    if record.date_modified:
        data["dateModified"] = record.date_modified.isoformat()
    if record.keywords:
        data["keywords"] = record.keywords
    if record.subjects:
        data["about"] = [{"@type": "Thing", "name": subject} for subject in record.subjects]
    if record.learning_resource_type:
        data["learningResourceType"] = record.learning_resource_type
    if record.educational_level:
        data["educationalLevel"] = record.educational_level
    if record.audience:
        data["audience"] = {"@type": "EducationalAudience", "educationalRole": record.audience}
    if record.urls:
        data["url"] = record.urls[0]
        if len(record.urls) > 1:
            data["sameAs"] = record.urls[1:]
    if record.media_format:
        data["encodingFormat"] = record.media_format
    if record.licence_url or reading.url:
        data["license"] = record.licence_url or reading.url
    data["conditionsOfAccess"] = f"{reading.class_label}. {reading.reason}"
    data["isAccessibleForFree"] = record.licence_class in ("open", "open-nc")
    if record.accessibility:
        data["accessibilitySummary"] = record.accessibility
    if record.action_areas.all():
        data["educationalAlignment"] = [
            {
                "@type": "AlignmentObject",
                "alignmentType": "educationalSubject",
                "educationalFramework": "UNESCO Recommendation on OER (2019)",
                "targetName": str(area),
            }
            for area in record.action_areas.all()
        ]
    data["subjectOf"] = [
        {
            "@type": "DataCatalog" if copy.source.kind == "oai" else "CreativeWork",
            "name": copy.source.name,
            "identifier": copy.identifier,
            "provider": {"@type": "Organization", "name": str(copy.source.organization)},
        }
        for copy in getattr(work, "copies", [record])
    ]
    return data


def _person(person):
    out = {"@type": "Person", "name": person.get("name", "")}
    if person.get("orcid"):
        out["identifier"] = f"https://orcid.org/{person['orcid']}"
    return out


def as_script(data):
    """A `<script type="application/ld+json">` safe inside HTML (no `</script>` escape)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
