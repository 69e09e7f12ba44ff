"""The rooms of the house keep their doors: no two packages under app/ import
each other (directly or round a cycle), lower layers never import a screen,
other packages come in through their service.py only, and the rules run
without Flask. Read from the import statements with `ast`, so a violation
fails here before it ships."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
PACKAGES = sorted(p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists())
SCREENS = {"wizard", "review", "admin", "web", "verify", "guide"}
LOWER = {"lang", "specs", "rules", "documents", "cases", "publishing", "auth", "sms", "seals"}


def _imports(path):
    """(module names imported by the file at `path`) with relative imports resolved."""
    module = ".".join(path.relative_to(APP.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _package_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "app" and parts[1] in PACKAGES else None


def _edges():
    """{package: {(imported module, importing file)}} for imports of other packages."""
    edges = {}
    for package in PACKAGES:
        for path in (APP / package).rglob("*.py"):
            for module in _imports(path):
                target = _package_of(module)
                if target and target != package:
                    edges.setdefault(package, set()).add((module, path.relative_to(APP.parent).as_posix()))
    return edges


def _graph():
    return {package: {_package_of(m) for m, _ in found} for package, found in _edges().items()}


def _in_cycles(graph):
    """The packages that reach themselves through imports."""

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n))) for n in graph.get(start, ()))

    return sorted(p for p in graph if reaches(p, p))


def test_the_cycle_check_sees_cycles():
    assert _in_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c"]
    assert _in_cycles({"a": {"b"}, "b": set()}) == []


def test_no_two_packages_import_each_other():
    cycles = _in_cycles(_graph())
    assert cycles == [], f"packages in an import cycle: {cycles}"


def test_lower_layers_never_import_a_screen():
    wrong = sorted((package, module, where) for package, found in _edges().items() if package in LOWER
                   for module, where in found if _package_of(module) in SCREENS)
    assert wrong == []


def test_documents_is_a_pure_engine():
    imported = {_package_of(m) for m, _ in _edges().get("documents", ())}
    assert imported <= {"lang"}, imported


def test_other_packages_come_in_through_their_service_module():
    # app/models.py lists every table for Alembic; it is not a package.
    wrong = sorted((module, where) for found in _edges().values() for module, where in found
                   if module.split(".")[2:3] and module.split(".")[2] != "service")
    assert wrong == []


def test_the_rules_run_without_flask():
    found = sorted({(m, p.name) for p in (APP / "rules").rglob("*.py") for m in _imports(p)
                    if m.split(".")[0] in {"flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug"}})
    assert found == []


def test_every_package_says_what_it_owns_and_has_one_public_face():
    for package in PACKAGES:
        docstring = ast.get_docstring(ast.parse((APP / package / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and len(docstring) > 60, f"app/{package}/__init__.py: say what it owns and may import"
        if package not in SCREENS - {"web"}:
            assert (APP / package / "service.py").exists(), f"app/{package} has no service.py"
