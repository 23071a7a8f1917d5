"""Independent harvesters take the Hub's whole catalogue over HTTP: no duplicate, no error.

Sickle and oaipmh-scythe (from PyPI) are the independent clients; the Hub's own
harvester, registered on the Hub's own /oai, is the third.
"""

import pytest
from oaipmh_scythe import Scythe
from sickle import Sickle

from coalition.catalogue.models import Record, Source, Work
from coalition.catalogue.services.harvesting import harvest_source
from coalition.catalogue.services.records import Incoming, store_items
from coalition.catalogue.services.sources import register_source

from .factories import make_record, make_source

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def served(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.CATALOGUE_OAI_RECORDS_PAGE = 10
    settings.CATALOGUE_OAI_IDENTIFIERS_PAGE = 25
    settings.CATALOGUE_OAI_ADMIN_EMAIL = "secretariat@hub.example.org"
    source = make_source("Library", country="SN")
    for n in range(45):
        make_record(source, f"id:{n}", title=f"Libre ressource {n}", languages=["fr"],
                    licence_class="open", creators=[{"name": f"Auteur {n}", "orcid": ""}],
                    urls=[f"https://oer.example/{n}"])  # fmt: skip
    store_items(source, [Incoming("id:7", None, True)])
    return live_server.url + "/oai"


def test_sickle_takes_every_record_once(served):
    harvester = Sickle(served, max_retries=0)
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    identifiers = [record.header.identifier for record in records]
    assert len(identifiers) == len(set(identifiers)) == Work.objects.count() == 45
    assert sum(record.deleted for record in records) == 1
    live = next(record for record in records if not record.deleted)
    assert live.metadata["title"][0].startswith("Libre ressource")


def test_oaipmh_scythe_takes_every_record_and_identifier_once(served):
    with Scythe(served) as scythe:
        records = list(scythe.list_records(metadata_prefix="oai_dc"))
        headers = list(scythe.list_identifiers(metadata_prefix="oai_dc"))
        identify = scythe.identify()
    identifiers = [record.header.identifier for record in records]
    assert len(identifiers) == len(set(identifiers)) == 45
    assert len({header.identifier for header in headers}) == len(headers) == 45
    assert identify.deletedRecord == "persistent"


def test_the_hub_harvests_itself(served):
    hub = make_source("Hub", country="FR")  # the organization running the Hub
    source = register_source(hub.organization, served, name="The Hub itself", harvest_now=False)
    run = harvest_source(source.pk)
    assert run.status == "succeeded", run.error
    assert (run.added, run.skipped) == (44, 0)  # the deleted work has nothing to add
    copies = Record.objects.filter(source=source)
    assert copies.count() == 44
    original = Record.objects.get(source__slug="library", identifier="id:0")
    copy = copies.get(title="Libre ressource 0")
    assert copy.work_id == original.work_id  # one OER, one entry: same URL, title, creator
    assert Source.objects.get(pk=source.pk).granularity == "YYYY-MM-DDThh:mm:ssZ"
