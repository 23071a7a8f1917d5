"""`python -m bench [NAME] [options]`: run one benchmark, or `make bench`'s two.

NAME is one of the modules below; without one, the member directory's benchmark runs and
then the activities'. Options go to the benchmark (`python -m bench activities --help`);
without a NAME, `--database`, `--quick` and `--check` go to both.
"""

import importlib
import sys

BENCHMARKS = {
    "members": "the member directory and its API (bench/members.py)",
    "activities": "activity and event lists, the iCal feed, the events API (bench/activities.py)",
    "updates": "sending one Update to many subscribers (bench/updates.py)",
    "demo": "loading the demo data, first and again (bench/demo.py)",
    "catalogue-harvest": "harvesting OAI-PMH pages, beside Sickle (bench/catalogue_harvest.py)",
    "catalogue-search": "catalogue search with facets (bench/catalogue_search.py)",
    "catalogue-pages": "the catalogue's search, record and export pages (bench/catalogue_pages.py)",
    "catalogue-oai": "the /oai provider's ListRecords (bench/catalogue_oai.py)",
    "monitoring": "the synthesis page, CSV and PDF over 193 countries (bench/monitoring.py)",
    "load": "50 clients on public pages and the API, gunicorn, beside the floor (bench/load.py)",
    "signup": "sign-up for a new address and for one with an account, timed (bench/signup.py)",
    "consultations": "survey results and the CSV export, 40 questions (bench/consultations.py)",
}
DEFAULT = ("members", "activities")
SHARED_OPTIONS = {"--quick", "--check", "--database"}


def _usage():
    names = "\n".join(f"  {name:<11} {what}" for name, what in BENCHMARKS.items())
    default = " then ".join(DEFAULT)
    return f"usage: python -m bench [NAME] [options]\n\nNAME (default: {default}):\n{names}\n"


def _shared(argv):
    """The options both default benchmarks understand, as given."""
    shared, rest = [], list(argv)
    while rest:
        option = rest.pop(0)
        name = option.split("=", 1)[0]
        if name not in SHARED_OPTIONS:
            raise SystemExit(f"{_usage()}\n{option}: give a NAME to pass other options")
        shared.append(option)
        if name == "--database" and "=" not in option and rest:
            shared.append(rest.pop(0))
    return shared


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in {"-h", "--help"}:
        sys.stdout.write(_usage())
        return 0
    if argv[:1] and argv[0] in BENCHMARKS:
        module = argv[0].replace("-", "_")
        return importlib.import_module(f"bench.{module}").main(argv[1:])
    shared = _shared(argv)
    status = 0
    for name in DEFAULT:
        # Each runs even when the one before missed its targets; a crash stops the run.
        outcome = importlib.import_module(f"bench.{name}").main(shared)
        if outcome not in (0, 1):
            return outcome
        status = status or outcome
    return status


if __name__ == "__main__":
    sys.exit(main())
