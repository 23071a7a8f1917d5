"""The layout rules of design.md §2, checked on the source so they hold after every change.

- `core` (the ground floor) imports no domain app; domain apps never import `site` (the roof).
- No suffixed siblings (`views_events.py`, `registration_tasks.py`): a module that grows
  becomes a package named by nouns (`views/events.py`).
- One `tasks.py` and one `urls.py` per app.
- Services never import a tasks or views module (they enqueue tasks by name, on commit).
- No product module over 600 lines (migrations aside).
- No import circle between product modules, lazy imports inside functions included (a module
  importing its own package, as `api/events.py` does `from . import router`, is not a circle).
"""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "coalition"
DOMAIN_APPS = (
    "recommendation",
    "members",
    "activities",
    "updates",
    "catalogue",
    "monitoring",
    "consultations",
)
LAYERS = ("views", "forms", "services", "tasks", "urls", "api", "schemas", "selectors", "admin")
SUFFIXED = re.compile(rf"^(({'|'.join(LAYERS)})_\w+|\w+_({'|'.join(LAYERS)}))\.py$")
MAX_LINES = 600


def product_modules():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_modules(path):
    """The absolute names of the modules `path` imports (relative imports resolved)."""
    package = ".".join(("coalition", *path.relative_to(SRC).parent.parts))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def app_of(path):
    return path.relative_to(SRC).parts[0]


def name(path):
    return str(path.relative_to(SRC))


def test_core_imports_no_domain_app():
    wrong = [
        (name(path), module)
        for path in product_modules()
        if app_of(path) == "core"
        for module in imported_modules(path)
        if module.split(".")[:2] in (["coalition", app] for app in (*DOMAIN_APPS, "site"))
    ]
    assert wrong == []


def test_domain_apps_never_import_site():
    wrong = [
        (name(path), module)
        for path in product_modules()
        if app_of(path) in DOMAIN_APPS
        for module in imported_modules(path)
        if module.startswith("coalition.site")
    ]
    assert wrong == []


def test_services_never_import_tasks_or_views():
    wrong = [
        (name(path), module)
        for path in product_modules()
        if "services" in path.relative_to(SRC).parts or path.name == "services.py"
        for module in imported_modules(path)
        if re.search(r"\.(tasks|views)(\.|$)", module)
    ]
    assert wrong == []


def test_no_suffixed_siblings():
    wrong = [
        name(path)
        for path in product_modules()
        if SUFFIXED.match(path.name) and "management" not in path.parts
    ]
    assert wrong == []


@pytest.mark.parametrize("layer", ["tasks", "urls"])
def test_one_module_per_app_for(layer):
    wrong = [name(path) for path in SRC.glob(f"*/{layer}/*.py")]
    assert wrong == []


def test_no_product_module_over_600_lines():
    long = {
        name(path): lines
        for path in product_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def module_name(path):
    parts = ("coalition", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph():
    """Product module -> the product modules it imports (a name resolved to its module)."""
    paths = {module_name(path): path for path in product_modules()}
    graph = {}
    for module, path in paths.items():
        graph[module] = set()
        for imported in imported_modules(path):
            while imported and imported not in paths:
                imported = imported.rpartition(".")[0]
            if imported and imported != module and not module.startswith(f"{imported}."):
                graph[module].add(imported)
    return graph


def circles(graph):
    """Every import circle, as the list of modules around it (depth-first, each found once)."""
    found, done = [], set()

    def visit(module, trail):
        if module in trail:
            found.append(trail[trail.index(module) :])
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_no_import_circle():
    assert circles(import_graph()) == []


def test_a_circle_would_be_seen():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_rules_see_the_code():
    # A rule that reads nothing passes for nothing: the walk must find the apps' modules.
    modules = {name(path) for path in product_modules()}
    assert {"core/queue.py", "activities/services/moderation.py", "updates/tasks.py"} <= modules
    assert "coalition.core.queue" in set(
        imported_modules(SRC / "activities/services/moderation.py")
    )
    assert "coalition.core.queue" in import_graph()["coalition.activities.services.moderation"]
