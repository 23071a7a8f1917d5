"""The demo benchmark times what `make run` loads, no less."""

import re
from pathlib import Path

from bench import demo

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def makefile_demo_commands():
    target = re.search(r"^demo:.*?\n((?:\t.*\n)+)", MAKEFILE.read_text(), re.MULTILINE)
    return tuple(re.findall(r"manage\.py (load_demo\w*)", target.group(1)))


def test_the_benchmark_loads_every_demo_command_the_makefile_runs_in_its_order():
    assert makefile_demo_commands() == demo.COMMANDS
    assert len(demo.COMMANDS) == 6
