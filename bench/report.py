"""The printed table and the JSON file of one run."""

import json
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_DIR / "var" / "bench"


def results_path(vendor):
    return RESULTS_DIR / f"members-{vendor}.json"


def write_json(result):
    path = results_path(result["database"]["vendor"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _ms(value):
    return f"{value:8.2f}"


COLUMNS = (
    f"{'scenario':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50':>8} {'CPU p95':>8}"
    f" {'SQL p50':>8} {'queries':>8} {'bytes':>8} {'p95/floor':>9}"
)
NOTES = [
    "Times are server times in ms. CPU = this process's CPU time (other processes competing",
    "for the CPU do not count; on PostgreSQL the database server's own work does not either).",
    "SQL = time inside cursor.execute (on SQLite, fetching the rows comes after it).",
]
BUSY_WARNING = [
    "WARNING: other processes kept the machine busy during the run; wall times include",
    "waiting for a CPU. Compare the CPU columns, or run again on a quiet machine.",
]


def _ms(value):
    return f"{value:8.2f}"


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def busy(environment):
    """Whether something besides this run (which keeps one CPU busy) competed for the CPUs."""
    cpus = environment.get("cpus") or 1
    return max(environment["load_before"], environment["load_after"]) > max(cpus - 0.5, 1.5)


def _heading(result):
    database, bench = result["database"], result["bench"]
    sizes, environment = result["sizes"], result["environment"]
    return [
        "",
        f"== Member directory benchmark on {database['vendor']} {database['version']} ==",
        f"Data: {sizes['organizations']} organizations, {sizes['people']} people "
        f"(seed {sizes['seed']}), generated in {result['generation']['total']:.1f} s",
        "Rows: " + ", ".join(f"{table} {count}" for table, count in result["rows"].items()),
        f"Search: region={bench['search']['region']} q={bench['search']['term']!r} matches "
        f"{result['search_matches']} member organizations",
        f"Requests: {bench['requests']} per scenario after {bench['warmup']} warm-up, "
        f"interleaved; load average {environment['load_before']:.2f} before, "
        f"{environment['load_after']:.2f} after, on {environment['cpus']} CPUs",
    ]


def _row(row):
    if not row["available"]:
        return f"{row['label']:<44} API not available (GET {row['path']} answered 404)"
    queries = str(row["queries"])
    if not row["queries_constant"]:
        queries = f"{row['queries_min']}-{row['queries_max']}!"
    size = str(row["bytes"]) if row["bytes_min"] == row["bytes_max"] else f"~{row['bytes']}"
    return (
        f"{row['label']:<44} {_ms(row['p50_ms'])} {_ms(row['p95_ms'])} {_ms(row['max_ms'])} "
        f"{_ms(row['cpu_p50_ms'])} {_ms(row['cpu_p95_ms'])} {_ms(row['sql_p50_ms'])} "
        f"{queries:>8} {size:>8} {row['p95_vs_floor']:>8.1f}×"
    )


def _checks(bench):
    targets = bench["targets"]
    p95_limit, multiple = targets["p95_ms"], targets["floor_multiple"]
    floor_limit = multiple * bench["floor_p95_ms"]
    lines = [
        f"Targets: p95 < {p95_limit:.0f} ms, and p95 within {multiple:.0f}× the floor's p95 "
        f"({bench['floor_p95_ms']:.2f} ms, so < {floor_limit:.2f} ms)",
    ]
    for check in bench["checks"]:
        line = (
            f"  {check['key']:<26} p95 {check['p95_ms']:7.2f} ms: "
            f"< {p95_limit:.0f} ms {_verdict(check['p95_ok'])}, "
            f"within {multiple:.0f}× floor {_verdict(check['floor_ok'])}"
        )
        if not check["queries_constant"]:
            line += ", query count VARIES between requests"
        if check["kind"] == "api":
            line += "  (for information: the targets are the directory's)"
        if check["kind"] == "directory-rendered":
            line += "  (rendered anew: the time target applies)"
        lines.append(line)
    lines.append(
        "Directory pages are kept for anonymous visitors until the members change; 'rendered'"
        " is timed with them switched off."
    )
    return lines


def format_run(result):
    lines = [*_heading(result), "", COLUMNS]
    lines += [_row(row) for row in result["bench"]["scenarios"]]
    lines += ["", *_checks(result["bench"])]
    lines.append(
        f"Directory verdict on {result['database']['vendor']}: {result['bench']['verdict']}"
    )
    if busy(result["environment"]):
        lines += BUSY_WARNING
    return "\n".join([*lines, *NOTES])


def format_summary(results):
    lines = [
        "",
        "== Summary ==",
        f"{'database':<20} {'scenario':<26} {'p50 ms':>8} {'p95 ms':>8} {'CPU p95':>8} "
        f"{'queries':>8} {'p95/floor':>9}",
    ]
    for result in results:
        database = f"{result['database']['vendor']} {result['database']['version']}"
        for row in result["bench"]["scenarios"]:
            if row["kind"] == "reference":
                continue
            if not row["available"]:
                lines.append(f"{database:<20} {row['key']:<20} API not available")
                continue
            lines.append(
                f"{database:<20} {row['key']:<26} {_ms(row['p50_ms'])} {_ms(row['p95_ms'])} "
                f"{_ms(row['cpu_p95_ms'])} {row['queries']:>8} {row['p95_vs_floor']:>8.1f}×"
            )
        verdict = result["bench"]["verdict"]
        if busy(result["environment"]):
            verdict += " (machine busy: see the warning above)"
        lines.append(f"{database:<20} directory verdict: {verdict}")
    return "\n".join(lines)
