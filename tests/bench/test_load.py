"""The load benchmark's own bookkeeping (the run itself is `python -m bench load`)."""

from bench import load


def test_server_times_match_pages_asked_for_with_a_query_string(tmp_path):
    # gunicorn logs "%(U)s?%(q)s %(s)s %(D)s": the path, "?", the query (empty when none).
    log = tmp_path / "access.log"
    log.write_text(
        "/en/organizations/?region=africa&q=open 200 7000\n"
        "/en/ 200 2000\n"
        "/en/? 200 3000\n"
        "/elsewhere/? 200 9000\n",
        encoding="utf-8",
    )
    keys = {"/en/organizations/?region=africa&q=open": "directory-en", "/en/": "home-en"}
    times = load.server_times(log, keys)
    assert times == {"directory-en": [0.007], "home-en": [0.002, 0.003]}
