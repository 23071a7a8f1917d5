"""`python -m bench updates`: send one Update to many subscribers through a local SMTP sink.

The issue's target: send one edition to 100,000 subscribers in three languages; report
messages per second, total time and peak memory, and in the same run the rate of a bare
`smtplib` loop sending one pre-rendered message to the same sink (the floor). Targets:
at least 300 messages/s on a 2-core machine, at least half the floor's rate, and memory
flat in the number of subscribers.

One database per process (`python -m bench.updates --database sqlite`), in a throwaway
database (bench.databases). The run:

1. starts the SMTP sink in a process of its own (tests/updates/smtp_sink.py), which only
   counts messages and distinct Message-IDs;
2. migrates, and builds the March 2023 issue in English, French and Arabic the way the
   Hub builds it (approved activities, `create_draft`);
3. times the floor: one connection, one process, the English message as Django renders
   it for a subscriber, sent again and again;
4. for each size (default 20,000 then 100,000 subscribers, bulk-inserted, one language
   in three each), runs the real command, `manage.py send_update <slug> --workers 2 --yes`,
   which queues the outbox and starts two worker processes, and measures its wall time,
   the sink's first and last message, and the peak RSS of the command and of each worker
   (Linux /proc VmHWM while they run, and wait4's ru_maxrss for the whole tree);
5. checks that the sink received exactly one message per subscriber, each with its own
   Message-ID, and that the outbox says so too; then times the floor again.

Results are printed and written to var/bench/updates-<vendor>.json.
"""

import argparse
import json
import os
import platform
import resource
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import databases, process

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_DIR / "var" / "bench"
SITE_URL = "https://hub.example.org"

SIZES = (20_000, 100_000)
QUICK_SIZES = (300, 1_500)
FLOOR_MESSAGES = 10_000
QUICK_FLOOR_MESSAGES = 1_000
WORKERS = 2
TARGET_RATE = 300.0  # messages per second
TARGET_FLOOR_SHARE = 0.5  # of the bare smtplib loop's rate
# Peak RSS may grow at most this much from the smallest to the largest size ("flat").
TARGET_MEMORY_GROWTH = 1.25
POLL_SECONDS = 0.1
# CPUs kept busy by other processes during a send, above which the report warns.
BUSY_OTHERS = 0.3


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m bench updates",
        description="Send one Update issue to many subscribers through a local SMTP sink.",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        help="default: both if PostgreSQL is reachable, else sqlite",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(size) for size in text.split(",")),
        help=f"subscriber counts, comma-separated (default {','.join(map(str, SIZES))})",
    )
    parser.add_argument("--workers", type=int, default=WORKERS, help="sending processes")
    parser.add_argument(
        "--floor-messages", type=int, help=f"messages of each floor run (default {FLOOR_MESSAGES})"
    )
    parser.add_argument(
        "--sink",
        choices=["minimal", "aiosmtpd"],
        default="minimal",
        help="the SMTP server: a minimal asyncio responder (default) or aiosmtpd",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 unless every target is met"
    )
    return parser


# --- the orchestrator: one process per database ---------------------------------------------


def main(argv=None):
    args = build_parser().parse_args(argv)
    arguments = ["--workers", str(args.workers), "--sink", args.sink]
    if args.sizes:
        arguments += ["--sizes", ",".join(map(str, args.sizes))]
    if args.floor_messages:
        arguments += ["--floor-messages", str(args.floor_messages)]
    if args.quick:
        arguments.append("--quick")
    status, results = process.run_per_database(
        "bench.updates", args.database, arguments, results_path
    )
    if status:
        return status
    print(format_summary(results))
    if args.check and not all(result["verdict"] == "PASS" for result in results):
        return 1
    return 0


# --- one database, in this process ----------------------------------------------------------


def configure(database_url, workdir, sink_port):
    """Production settings, the throwaway database, e-mail to the sink; inherited by the
    `send_update` command and its workers."""
    process.configure(
        database_url,
        workdir,
        settings_module="coalition.settings",
        HUB_SITE_URL=SITE_URL,
        HUB_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        HUB_EMAIL_HOST="127.0.0.1",
        HUB_EMAIL_PORT=str(sink_port),
        HUB_UPDATE_SEND_RATE="0",
    )


def new_issue():
    """The March 2023 issue in English, French and Arabic, built as the Hub builds it, and
    scheduled for tomorrow: `send_update` sends no draft, and sends a scheduled issue now
    when told `--yes`."""
    from datetime import timedelta

    from django.test import override_settings
    from django.utils import timezone

    from coalition.updates.services import sending
    from tests.factories.updates import march_2023

    # The issue's activities come with accounts, whose password hashing would only slow
    # the set-up down, and with notices to their organizers, which must not reach the sink.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        issue = march_2023()
        tomorrow = timezone.now() + timedelta(days=1)
        return sending.schedule_sending(issue, by=None, send_at=tomorrow, time_zone="UTC")


def sample_message(issue, language="en"):
    """The bytes Django sends to one subscriber of the edition, for the floor."""
    from coalition.updates import messages
    from coalition.updates.models import OutboxMessage, Subscriber
    from coalition.updates.rendering import render_edition

    edition = issue.editions.get(language=language)
    reader = Subscriber(pk=0, email="floor@example.org", language=language, token="f" * 43)
    row = OutboxMessage(pk=0, edition=edition, subscriber=reader)
    message = messages.build_message(row, render_edition(edition))
    return message.message().as_bytes(linesep="\r\n")


def run_floor(port, data, count):
    """A bare smtplib loop: one connection, the same pre-rendered message `count` times."""
    client = smtplib.SMTP("127.0.0.1", port)
    try:
        client.ehlo()
        started = time.perf_counter()
        for n in range(count):
            client.sendmail("hub@localhost", [f"floor{n}@example.org"], data)
        seconds = time.perf_counter() - started
    finally:
        client.quit()
    return {"messages": count, "seconds": round(seconds, 3), "rate": round(count / seconds, 1)}


def _peak_rss_kib(pid):
    """VmHWM (peak resident set) of a live process from /proc, in KiB; None if gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _cpu_seconds(pid):
    """User + system CPU time of a live process from /proc/<pid>/stat; 0.0 if unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _machine_busy_seconds():
    """CPU-seconds the whole machine has spent not idle, from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children(pid):
    try:
        path = f"/proc/{pid}/task/{pid}/children"
        with open(path, encoding="ascii") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


def send_once(slug, size, sink, workers):
    """Run `send_update`, watching the sink and the processes' memory until it exits."""
    before_total, before_distinct = sink.total, sink.distinct
    sink_cpu_before = _cpu_seconds(sink.pid)
    machine_before = _machine_busy_seconds()
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    command = [sys.executable, "manage.py", "send_update", slug, "--workers", str(workers)]
    command += ["--no-progress", "--yes"]
    started = time.perf_counter()
    # The Hub's own command, with the environment configure() set up.
    sender = subprocess.Popen(  # noqa: S603
        command, cwd=REPO_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    first = last = None
    seen = before_total
    worker_peaks = {}
    command_peak = 0
    while True:
        done, status, usage = os.wait4(sender.pid, os.WNOHANG)
        now = time.perf_counter()
        total = sink.total
        if total > seen:
            first = first or now
            last, seen = now, total
        if done:
            break
        command_peak = max(command_peak, _peak_rss_kib(sender.pid) or 0)
        for child in _children(sender.pid):
            peak = _peak_rss_kib(child)
            if peak:
                worker_peaks[child] = max(worker_peaks.get(child, 0), peak)
        time.sleep(POLL_SECONDS)
    sender.returncode = os.waitstatus_to_exitcode(status)
    output = sender.stdout.read().decode(errors="replace")
    finished = time.perf_counter()
    if sender.returncode != 0:
        raise RuntimeError(f"send_update failed ({sender.returncode}):\n{output}")
    # The sink may count the last messages after the command saw its workers exit.
    deadline = time.monotonic() + 5
    while sink.total < before_total + size and time.monotonic() < deadline:
        time.sleep(0.01)
    if sink.total > seen:
        last = time.perf_counter()
    received = sink.total - before_total
    sink_cpu = _cpu_seconds(sink.pid) - sink_cpu_before
    command_cpu = usage.ru_utime + usage.ru_stime  # the command and its workers
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    bench_cpu = (own_after.ru_utime - own_before.ru_utime) + (
        own_after.ru_stime - own_before.ru_stime
    )
    wall = time.perf_counter() - started
    machine = (_machine_busy_seconds() - machine_before) / wall
    ours = (command_cpu + sink_cpu + bench_cpu) / wall
    total_seconds = finished - started
    sending_seconds = (last - first) if first and last and last > first else total_seconds
    return {
        "subscribers": size,
        "received": received,
        "distinct_message_ids": sink.distinct - before_distinct,
        "total_seconds": round(total_seconds, 2),
        "until_first_message_seconds": round((first or finished) - started, 2),
        "sending_seconds": round(sending_seconds, 2),
        "rate_total": round(size / total_seconds, 1),
        "rate_sending": round(size / sending_seconds, 1),
        # CPUs kept busy during the run: by the command, its workers, the sink and this
        # process; by everything else (on PostgreSQL, the database server included).
        "cpus_busy_ours": round(ours, 2),
        "cpus_busy_others": round(max(0.0, machine - ours), 2),
        "cpu_ms_per_message_command": round(command_cpu * 1000 / size, 3),
        "cpu_ms_per_message_sink": round(sink_cpu * 1000 / size, 3),
        # ru_maxrss of a waited-for child: the largest of the command and its workers.
        "peak_rss_tree_mib": round(usage.ru_maxrss / 1024, 1),
        "peak_rss_command_mib": round(command_peak / 1024, 1),
        "peak_rss_workers_mib": sorted(round(peak / 1024, 1) for peak in worker_peaks.values()),
        "command_output": output.strip().splitlines()[-3:],
    }


def outbox_counts(slug):
    from django.db.models import Count

    from coalition.updates.models import OutboxMessage, UpdateIssue

    issue = UpdateIssue.objects.get(slug=slug)
    counts = dict(
        OutboxMessage.objects.filter(edition__issue=issue)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    per_language = dict(
        OutboxMessage.objects.filter(edition__issue=issue)
        .values_list("edition__language")
        .annotate(n=Count("pk"))
        .values_list("edition__language", "n")
    )
    return {"issue_status": issue.status, "outbox": counts, "per_language": per_language}


def judge(result):
    runs = result["runs"]
    largest, smallest = runs[-1], runs[0]
    floor_rate = largest["floor_rate"]
    worker_peak = max(largest["peak_rss_workers_mib"] or [largest["peak_rss_tree_mib"]])
    small_worker_peak = max(smallest["peak_rss_workers_mib"] or [smallest["peak_rss_tree_mib"]])
    checks = {
        "exactly_one_each": all(
            run["received"] == run["subscribers"] == run["distinct_message_ids"]
            and run["outbox"] == {"sent": run["subscribers"]}
            and run["issue_status"] == "sent"
            for run in runs
        ),
        "rate": largest["rate_total"] >= TARGET_RATE,
        "floor_share": largest["rate_total"] >= TARGET_FLOOR_SHARE * floor_rate,
        "memory_flat": len(runs) < 2
        or (
            worker_peak <= TARGET_MEMORY_GROWTH * small_worker_peak
            and largest["peak_rss_tree_mib"] <= TARGET_MEMORY_GROWTH * smallest["peak_rss_tree_mib"]
        ),
    }
    result["floor_rate"] = floor_rate
    result["checks"] = checks
    result["verdict"] = "PASS" if all(checks.values()) else "FAIL"
    return result


def measure(args, sink):
    from django.core.management import call_command
    from django.db import connection

    from tests.factories.updates import bulk_subscribers

    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    floor_messages = args.floor_messages or (QUICK_FLOOR_MESSAGES if args.quick else FLOOR_MESSAGES)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"[{connection.vendor}] migrated in {time.perf_counter() - started:.1f} s", flush=True)

    issues = [new_issue() for _size in sizes]  # one issue per size, all sent to everyone
    sample = sample_message(issues[0])
    message_bytes = {
        language: len(sample_message(issues[0], language)) for language in ("en", "fr", "ar")
    }
    load_before = os.getloadavg()[0]

    def floor():
        measured = run_floor(sink.port, sample, floor_messages)
        print(f"[{connection.vendor}] floor: {measured['rate']:.0f} msg/s", flush=True)
        return measured

    # The floor just before each send and after the last, so that each send is compared
    # with the floor measured around it, in the same conditions.
    floors = []
    runs = []
    subscribers = 0
    for size, issue in zip(sorted(sizes), issues, strict=True):
        started = time.perf_counter()
        bulk_subscribers(size - subscribers, prefix=f"reader-{subscribers}-")
        subscribers = size
        insert_seconds = time.perf_counter() - started
        print(
            f"[{connection.vendor}] {size} subscribers (inserted in {insert_seconds:.1f} s); "
            f"sending…",
            flush=True,
        )
        floors.append(floor())
        run = send_once(issue.slug, size, sink, args.workers)
        run.update(outbox_counts(issue.slug))
        run.update(sending_page_reads(issue))
        run["insert_seconds"] = round(insert_seconds, 2)
        runs.append(run)
        print(
            f"[{connection.vendor}] {size}: {run['rate_total']:.0f} msg/s in "
            f"{run['total_seconds']:.1f} s",
            flush=True,
        )
    load_after = os.getloadavg()[0]
    floors.append(floor())
    for run, before, after in zip(runs, floors, floors[1:], strict=False):
        run["floor_rate"] = round((before["rate"] + after["rate"]) / 2, 1)

    import django

    return judge(
        {
            "database": {
                "vendor": connection.vendor,
                "version": process.database_version(connection),
            },
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sink": args.sink,
            "workers": args.workers,
            "message_bytes": message_bytes,
            "floors": floors,
            "runs": runs,
            "environment": {
                "python": platform.python_version(),
                "django": django.get_version(),
                "cpus": os.cpu_count(),
                "load_before": round(load_before, 2),
                "load_after": round(load_after, 2),
                "bench_process_peak_rss_mib": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
            },
            "targets": {
                "rate": TARGET_RATE,
                "floor_share": TARGET_FLOOR_SHARE,
                "memory_growth": TARGET_MEMORY_GROWTH,
            },
        }
    )


def sending_page_reads(issue):
    """What the secretariat's sending and progress pages read for this many subscribers
    (best of three): who receives each edition, and the counts per edition and state."""
    from coalition.updates import selectors

    timings = {}
    for name, read in (("audience", selectors.audience), ("progress", selectors.progress)):
        best = float("inf")
        for _n in range(3):
            started = time.perf_counter()
            read(issue)
            best = min(best, time.perf_counter() - started)
        timings[f"{name}_read_ms"] = round(best * 1000, 1)
    return timings


def run_one(args):
    from tests.support.smtp_sink import CountingSinkProcess

    with (
        tempfile.TemporaryDirectory(prefix="hub-bench-updates-") as workdir,
        databases.database(args.database, workdir) as url,
        CountingSinkProcess(kind=args.sink) as sink,
    ):
        configure(url, workdir, sink.port)
        from django.db import connections

        try:
            result = measure(args, sink)
        finally:
            connections.close_all()  # PostgreSQL drops no database with open connections
    path = results_path(result["database"]["vendor"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_run(result))
    print(f"Results written to {path.relative_to(REPO_DIR)}", flush=True)
    return 0


# --- the report ---------------------------------------------------------------------------------


def results_path(vendor):
    return RESULTS_DIR / f"updates-{vendor}.json"


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def format_run(result):
    database, environment = result["database"], result["environment"]
    sink = "minimal asyncio responder" if result["sink"] == "minimal" else "aiosmtpd"
    sizes = ", ".join(
        f"{language} {size / 1024:.1f} KiB" for language, size in result["message_bytes"].items()
    )
    floors = ", ".join(f"{floor['rate']:.0f}" for floor in result["floors"])
    lines = [
        "",
        f"== Update sending benchmark on {database['vendor']} {database['version']} ==",
        f"Edition: the March 2023 issue in en/fr/ar; one message is {sizes}",
        f"Sink: {sink} in its own process, counting messages and distinct Message-IDs",
        f"Sender: manage.py send_update --workers {result['workers']} (production settings)",
        f"Floor: a bare smtplib loop, 1 connection, one pre-rendered message, "
        f"{result['floors'][0]['messages']} messages before each send and after the last: "
        f"{floors} msg/s",
        f"Load average {environment['load_before']:.2f} before, "
        f"{environment['load_after']:.2f} after, on {environment['cpus']} CPUs",
        "",
        f"{'subscribers':>11} {'per lang':>20} {'total s':>8} {'to 1st s':>8} {'send s':>8} "
        f"{'msg/s':>7} {'msg/s*':>7} {'floor':>6} {'CPU ms':>11} {'CPUs':>9} {'RSS cmd':>8} "
        f"{'RSS workers':>12} {'RSS max':>8} {'received':>9} {'distinct':>9}",
    ]
    for run in result["runs"]:
        languages = "/".join(str(run["per_language"].get(code, 0)) for code in ("en", "fr", "ar"))
        workers = "/".join(f"{peak:.0f}" for peak in run["peak_rss_workers_mib"]) or "?"
        cpu = f"{run['cpu_ms_per_message_command']:.2f}/{run['cpu_ms_per_message_sink']:.2f}"
        cpus = f"{run['cpus_busy_ours']:.1f}+{run['cpus_busy_others']:.1f}"
        lines.append(
            f"{run['subscribers']:>11,} {languages:>20} {run['total_seconds']:>8.1f} "
            f"{run['until_first_message_seconds']:>8.1f} {run['sending_seconds']:>8.1f} "
            f"{run['rate_total']:>7.0f} {run['rate_sending']:>7.0f} {run['floor_rate']:>6.0f} "
            f"{cpu:>11} {cpus:>9} {run['peak_rss_command_mib']:>7.0f}M {workers + 'M':>12} "
            f"{run['peak_rss_tree_mib']:>7.0f}M {run['received']:>9,} "
            f"{run['distinct_message_ids']:>9,}"
        )
    lines.append("")
    lines.append("Sending page reads (best of 3): who receives each edition; progress per edition")
    for run in result["runs"]:
        lines.append(
            f"{run['subscribers']:>11,} subscribers: audience {run['audience_read_ms']:.1f} ms, "
            f"progress {run['progress_read_ms']:.1f} ms"
        )
    checks, largest = result["checks"], result["runs"][-1]
    floor_rate = result["floor_rate"]
    others = "everything else" + (
        ", PostgreSQL included" if database["vendor"] == "postgresql" else ""
    )
    lines += [
        "",
        "msg/s = subscribers / wall time of the command (queueing, rendering, start-ups included);",
        "msg/s* = subscribers / time from the sink's first message to its last;",
        "floor = the floor's rate, mean of its runs just before and just after this send;",
        "CPU ms = CPU time per message of the command and its workers / of the SMTP sink;",
        f"CPUs = CPUs kept busy during the send by the sender, sink and bench + by {others};",
        "RSS = peak resident memory (VmHWM) of the command and of each worker, and wait4's",
        "ru_maxrss over the command's process tree, in MiB.",
        "",
        f"Targets at {largest['subscribers']:,} subscribers:",
        f"  exactly one message per subscriber, distinct Message-IDs, outbox all sent: "
        f"{_verdict(checks['exactly_one_each'])}",
        f"  at least {TARGET_RATE:.0f} msg/s: {largest['rate_total']:.0f} "
        f"{_verdict(checks['rate'])}",
        f"  at least {TARGET_FLOOR_SHARE:.0%} of the floor ({floor_rate:.0f} msg/s): "
        f"{largest['rate_total'] / floor_rate:.0%} {_verdict(checks['floor_share'])}",
        f"  memory flat (peak RSS at most {TARGET_MEMORY_GROWTH:.2f}× that of the smallest size): "
        f"{_verdict(checks['memory_flat'])}",
        f"Verdict on {database['vendor']}: {result['verdict']}",
    ]
    if database["vendor"] == "sqlite" and any(
        run["cpus_busy_others"] > BUSY_OTHERS for run in result["runs"]
    ):
        lines.append(
            "WARNING: other processes kept part of the CPUs busy during the sends "
            "(CPUs column); rates are lower than on a quiet machine."
        )
    return "\n".join(lines)


def format_summary(results):
    lines = ["", "== Summary =="]
    for result in results:
        largest = result["runs"][-1]
        lines.append(
            f"{result['database']['vendor']:<12} {largest['subscribers']:>8,} subscribers: "
            f"{largest['rate_total']:.0f} msg/s ({largest['total_seconds']:.1f} s), floor "
            f"{result['floor_rate']:.0f} msg/s, workers' peak RSS "
            f"{max(largest['peak_rss_workers_mib'] or [0]):.0f} MiB: {result['verdict']}"
        )
    return "\n".join(lines)


def one(argv=None):
    """One database, in this process (started by `main`)."""
    parser = build_parser()
    parser.prog = "python -m bench.updates"
    args = parser.parse_args(argv)
    if args.database not in {"sqlite", "postgres"}:
        parser.error("one run needs --database sqlite or postgres")
    return run_one(args)


if __name__ == "__main__":
    sys.exit(one())
