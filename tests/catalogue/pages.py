"""Hand-made OAI-PMH pages for the tests (real responses come from the shared fixtures)."""

from xml.sax.saxutils import escape

HEAD = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    "<responseDate>2024-05-01T10:00:00Z</responseDate>"
    '<request verb="{verb}">http://example.org/oai</request>'
)


def record(number, *, title=None, deleted=False, lang="en", rights="CC BY 4.0", extra=""):
    identifier = f"oai:example.org:{number}"
    if deleted:
        return (
            f'<record><header status="deleted"><identifier>{identifier}</identifier>'
            "<datestamp>2024-04-02T00:00:00Z</datestamp></header></record>"
        )
    title = escape(title or f"Open textbook number {number}")
    return (
        f"<record><header><identifier>{identifier}</identifier>"
        "<datestamp>2024-04-01T12:00:00Z</datestamp><setSpec>oer</setSpec></header>"
        '<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title xml:lang="{lang}">{title}</dc:title>'
        f"<dc:creator>Author {number}</dc:creator>"
        f"<dc:description>Description of resource {number}.</dc:description>"
        f"<dc:date>2020-01-{(number % 28) + 1:02d}</dc:date><dc:type>Text</dc:type>"
        f"<dc:identifier>https://example.org/oer/{number}</dc:identifier>"
        f"<dc:language>{lang}</dc:language><dc:rights>{escape(rights)}</dc:rights>{extra}"
        "</oai_dc:dc></metadata></record>"
    )


def list_records(records, *, token=None, cursor=None, size=None, encoding="UTF-8"):
    body = HEAD.format(encoding=encoding, verb="ListRecords") + "<ListRecords>"
    body += "".join(records)
    if token is not None:
        attributes = ""
        if cursor is not None:
            attributes += f' cursor="{cursor}"'
        if size is not None:
            attributes += f' completeListSize="{size}"'
        body += f"<resumptionToken{attributes}>{escape(token)}</resumptionToken>"
    body += "</ListRecords></OAI-PMH>"
    return body


def error(code, message=""):
    return (
        HEAD.format(encoding="UTF-8", verb="ListRecords")
        + f'<error code="{code}">{escape(message)}</error></OAI-PMH>'
    )


def identify(granularity="YYYY-MM-DDThh:mm:ssZ", deleted="persistent"):
    return (
        HEAD.format(encoding="UTF-8", verb="Identify")
        + "<Identify><repositoryName>Example OER</repositoryName>"
        "<baseURL>http://example.org/oai</baseURL><protocolVersion>2.0</protocolVersion>"
        "<adminEmail>oai@example.org</adminEmail>"
        "<earliestDatestamp>2001-01-01T00:00:00Z</earliestDatestamp>"
        f"<deletedRecord>{deleted}</deletedRecord><granularity>{granularity}</granularity>"
        "</Identify></OAI-PMH>"
    )


def list_metadata_formats(*prefixes):
    formats = "".join(
        f"<metadataFormat><metadataPrefix>{prefix}</metadataPrefix>"
        f"<schema>http://example.org/{prefix}.xsd</schema>"
        f"<metadataNamespace>http://example.org/{prefix}/</metadataNamespace></metadataFormat>"
        for prefix in prefixes or ("oai_dc",)
    )
    return (
        HEAD.format(encoding="UTF-8", verb="ListMetadataFormats")
        + f"<ListMetadataFormats>{formats}</ListMetadataFormats></OAI-PMH>"
    )
