"""`python -m bench catalogue-harvest`: harvest 200,000 oai_dc records from a local server.

The issue's target: harvest 200,000 `oai_dc` records in pages of 100 from a local HTTP
server, with every database write (records, works, deduplication lookups, search
index, checkpoints); report records/s and the peak memory of harvests of 20,000 and of
200,000 records; in the same run, Sickle iterating the same pages without storing
anything. Targets: at least Sickle's rate, memory flat.

Each measured thing runs in a process of its own, so that each peak RSS (ru_maxrss) is
its own: the page server (a separate process, so it takes no time from the harvester),
a harvest per size (`manage.py harvest` in a throwaway database: SQLite file, or a new
PostgreSQL database), and Sickle. Pages are generated deterministically: record n has
a title, two creators, a description, subjects, a date, a URL, a language and a rights
statement from a small rotating set (about 1.3 KB of XML per record).

Beside Sickle, the Hub's own client reads the same pages without storing, parsing only
and parsing + mapping, so the figures show where a harvest's time goes.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from . import databases

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_DIR / "var" / "bench"
PORT = 8311
PAGE = 100
SIZES = (20_000, 200_000)
QUICK_SIZES = (2_000, 10_000)

RIGHTS = [
    "https://creativecommons.org/licenses/by/4.0/",
    "CC BY-SA 4.0",
    "http://creativecommons.org/licenses/by-nc-sa/3.0/de/",
    "info:eu-repo/semantics/openAccess",
    "All rights reserved",
]
LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh"]
TITLES = {
    "en": "Introduction to open biology, part {n}",
    "fr": "Introduction à la biologie ouverte, partie {n}",
    "es": "Introducción a la biología abierta, parte {n}",
    "ar": "مقدمة في علم الأحياء المفتوح، الجزء {n}",
    "ru": "Введение в открытую биологию, часть {n}",
    "zh": "开放生物学导论 第{n}部分",
}
RECORD = (
    "<record><header><identifier>oai:bench.example.org:{n}</identifier>"
    "<datestamp>2024-03-{day:02d}T10:00:00Z</datestamp><setSpec>oer</setSpec></header>"
    '<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:title xml:lang="{lang}">{title}</dc:title>'
    "<dc:creator>Okafor, Ada {n}</dc:creator><dc:creator>Nguyen, An</dc:creator>"
    "<dc:subject>Biology</dc:subject><dc:subject>Open educational resources; science</dc:subject>"
    "<dc:description>A course module on cells, energy and ecosystems for secondary schools, "
    "with exercises and a teacher guide. Resource number {n} of the benchmark.</dc:description>"
    "<dc:publisher>Benchmark University Press</dc:publisher>"
    "<dc:date>20{year:02d}-01-15</dc:date><dc:type>Text</dc:type>"
    "<dc:format>application/pdf</dc:format>"
    "<dc:identifier>https://oer.bench.example.org/resources/{n}</dc:identifier>"
    "<dc:language>{lang}</dc:language><dc:rights>{rights}</dc:rights>"
    "</oai_dc:dc></metadata></record>"
)
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    "<responseDate>2024-05-01T10:00:00Z</responseDate>"
    '<request verb="{verb}">http://127.0.0.1/oai</request>'
)
IDENTIFY = (
    HEAD.format(verb="Identify") + "<Identify><repositoryName>Bench</repositoryName>"
    "<baseURL>http://127.0.0.1/oai</baseURL><protocolVersion>2.0</protocolVersion>"
    "<adminEmail>a@bench.example.org</adminEmail>"
    "<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp>"
    "<deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"
    "</Identify></OAI-PMH>"
)
FORMATS = (
    HEAD.format(verb="ListMetadataFormats") + "<ListMetadataFormats><metadataFormat>"
    "<metadataPrefix>oai_dc</metadataPrefix>"
    "<schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"
    "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace>"
    "</metadataFormat></ListMetadataFormats></OAI-PMH>"
)


def page_xml(page, total):
    first = page * PAGE
    records = []
    for n in range(first, min(first + PAGE, total)):
        lang = LANGUAGES[n % len(LANGUAGES)]
        records.append(
            RECORD.format(
                n=n, day=n % 28 + 1, lang=lang, title=TITLES[lang].format(n=n),
                year=n % 24, rights=RIGHTS[n % len(RIGHTS)],
            )
        )  # fmt: skip
    more = first + PAGE < total
    token = (
        f'<resumptionToken cursor="{first}" completeListSize="{total}">{page + 1}</resumptionToken>'
        if more
        else f'<resumptionToken cursor="{first}" completeListSize="{total}"/>'
    )
    return (
        HEAD.format(verb="ListRecords") + "<ListRecords>" + "".join(records) + token
        + "</ListRecords></OAI-PMH>"
    ).encode()  # fmt: skip


def serve(port, total):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            params = dict(parse_qsl(urlsplit(self.path).query))
            verb = params.get("verb")
            if verb == "Identify":
                body = IDENTIFY.encode()
            elif verb == "ListMetadataFormats":
                body = FORMATS.encode()
            else:
                body = page_xml(int(params.get("resumptionToken") or 0), total)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def start_server(port, total):
    process = subprocess.Popen(  # noqa: S603 - this interpreter on this module
        [sys.executable, "-m", "bench.catalogue_harvest", "--serve", str(port), "--total",
         str(total)], cwd=REPO_DIR,
    )  # fmt: skip
    import socket

    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the page server did not start")


def child_env(database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_", "DJANGO_"))}
    # Not HUB_DEBUG: in debug mode Django keeps the SQL of the last 9,000 queries in memory.
    env.update(DATABASE_URL=database_url, HUB_DEBUG="0", HUB_SECRET_KEY=os.urandom(32).hex(),
               HUB_SECURE_SSL_REDIRECT="0", HUB_ALLOWED_HOSTS="testserver,127.0.0.1",
               HUB_LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="coalition.settings")  # fmt: skip
    return env


def harvest_in_child(database_url, url):
    """Migrate, register the source, harvest; returns the child's own figures."""
    env = child_env(database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                   cwd=REPO_DIR, env=env, check=True)  # fmt: skip
    completed = subprocess.run(  # noqa: S603 - this interpreter on this module
        [sys.executable, "-m", "bench.catalogue_harvest", "--child-harvest", url],
        cwd=REPO_DIR, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


def child_harvest(url):
    import django

    django.setup()
    from django.db import connection

    from coalition.catalogue.models import Record, SearchEntry
    from coalition.catalogue.services.harvesting import harvest_source
    from coalition.catalogue.services.sources import register_source
    from coalition.members.models import Organization

    organization = Organization.objects.create(
        name="Bench University", slug="bench", stakeholder_type="university", country="KE",
        status="member",
    )  # fmt: skip
    source = register_source(organization, url, name="bench", harvest_now=False)
    started = time.perf_counter()
    run = harvest_source(source.pk)
    elapsed = time.perf_counter() - started
    stored = Record.objects.count()
    print(json.dumps({
        "status": run.status, "error": run.error, "records": stored, "added": run.added,
        "pages": run.pages, "seconds": elapsed, "rate": stored / elapsed,
        "search_entries": SearchEntry.objects.count(), "vendor": connection.vendor,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))  # fmt: skip


def child_sickle(url):
    from sickle import Sickle

    started = time.perf_counter()
    count = 0
    for _record in Sickle(url).ListRecords(metadataPrefix="oai_dc"):
        count += 1
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "records": count, "seconds": elapsed, "rate": count / elapsed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))  # fmt: skip


def child_read(url, stage):
    """The Hub's own client over the same pages without storing: "parse" reads the items
    (streamed, as a harvest does), "map" also maps each record to its fields (oai.metadata)
    and computes what storing starts from (content hash, dedup keys). Beside Sickle's
    figure, this tells how much of a harvest's time is reading and how much is storing."""
    import django

    django.setup()
    from coalition.catalogue.dedup import keys_for
    from coalition.catalogue.oai.client import OAIClient
    from coalition.catalogue.oai.metadata import map_metadata
    from coalition.catalogue.oai.xml import Item, PageEnd
    from coalition.catalogue.services.records import content_hash

    client = OAIClient(url)
    started = time.perf_counter()
    count, arguments = 0, {"metadataPrefix": "oai_dc"}
    while True:
        end = None
        for item in client.items("ListRecords", **arguments):
            if isinstance(item, PageEnd):
                end = item
            elif isinstance(item, Item):
                count += 1
                if stage == "map" and item.metadata is not None:
                    fields = map_metadata(item.metadata)
                    content_hash(fields, item.header.set_specs)
                    keys_for(fields)
        if end is None or end.token is None or not end.token.value:
            break
        arguments = {"resumptionToken": end.token.value}
    elapsed = time.perf_counter() - started
    client.close()
    print(json.dumps({"records": count, "seconds": elapsed, "rate": count / elapsed}))


def read_in_child(database_url, url, stage):
    completed = subprocess.run(  # noqa: S603 - this interpreter on this module
        [sys.executable, "-m", "bench.catalogue_harvest", "--child-read", stage, url],
        cwd=REPO_DIR, env=child_env(database_url), check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


def sickle_in_child(url):
    completed = subprocess.run(  # noqa: S603 - this interpreter on this module
        [sys.executable, "-m", "bench.catalogue_harvest", "--child-sickle", url],
        cwd=REPO_DIR, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(completed.stdout.strip().splitlines()[-1])


def load_note():
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def run(database, sizes, port):
    results = {"database": database, "page_size": PAGE, "sizes": {}, "sickle": {}}
    print(f"catalogue harvest benchmark on {database}; {load_note()}")
    for size in sizes:
        page_bytes = len(page_xml(0, size))
        server = start_server(port, size)
        try:
            url = f"http://127.0.0.1:{port}/oai"
            with (
                tempfile.TemporaryDirectory() as workdir,
                databases.database(database, workdir) as database_url,
            ):
                figures = harvest_in_child(database_url, url)
                reading = {stage: read_in_child(database_url, url, stage)
                           for stage in ("parse", "map")}  # fmt: skip
            sickle = sickle_in_child(url)
        finally:
            server.terminate()
            server.wait()
        figures["page_bytes"] = page_bytes
        figures["read_only"] = reading
        results["sizes"][size] = figures
        results["sickle"][size] = sickle
        print(
            f"  {size:>9,} records ({size // PAGE:,} pages of {PAGE}, ~{page_bytes / 1024:.0f} KB "
            f"each): Hub {figures['rate']:,.0f} records/s, {figures['seconds']:.1f} s, "
            f"peak {figures['peak_rss_mb']:.0f} MB, status {figures['status']}, "
            f"{figures['records']:,} records and {figures['search_entries']:,} search entries "
            f"stored | Sickle (parse only) {sickle['rate']:,.0f} records/s, "
            f"peak {sickle['peak_rss_mb']:.0f} MB | the Hub's client without storing: parse "
            f"{reading['parse']['rate']:,.0f} records/s, parse + map "
            f"{reading['map']['rate']:,.0f} records/s"
        )
    small, large = (results["sizes"][size] for size in (sizes[0], sizes[-1]))
    sickle_rate = results["sickle"][sizes[-1]]["rate"]
    results["verdict"] = {
        "rate_vs_sickle": large["rate"] / sickle_rate,
        "memory_growth": large["peak_rss_mb"] / small["peak_rss_mb"],
    }
    print(
        f"  rate {large['rate'] / sickle_rate:.2f}x Sickle's (target >= 1); peak memory "
        f"{large['peak_rss_mb'] / small['peak_rss_mb']:.2f}x from {sizes[0]:,} to "
        f"{sizes[-1]:,} records (flat: about 1); {load_note()}"
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"catalogue-harvest-{database}.json").write_text(json.dumps(results, indent=2))
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench catalogue-harvest")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--sizes", type=lambda t: tuple(int(s) for s in t.split(",")))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--total", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-harvest", help=argparse.SUPPRESS)
    parser.add_argument("--child-sickle", help=argparse.SUPPRESS)
    parser.add_argument("--child-read", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve, args.total)
    if args.child_harvest:
        return child_harvest(args.child_harvest)
    if args.child_sickle:
        return child_sickle(args.child_sickle)
    if args.child_read:
        return child_read(args.child_read[1], args.child_read[0])
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    targets = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in targets:
        run(database, sizes, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
