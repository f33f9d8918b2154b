"""The boundaries of docs/architecture.md, checked on the import statements of every module (also imports inside
functions): services do not import each other, libraries do not import services, nameko stays in the adapters,
and domain code imports no framework."""
import ast
from pathlib import Path

import pytest

from support.paths import REPO_ROOT

SERVICES = sorted(p.name for p in (REPO_ROOT / "services").iterdir() if (p / "service.py").exists())
SHAPE = {"__init__.py", "__main__.py", "service.py", "settings.py", "tables.py", "metrics.py", "cli.py",
         "use_cases", "domain", "migrations"}  # migrations: the service's Alembic environment (libs/kit/migrations.py)
OPTIONAL = {"web", "data", "translations"}
FRAMEWORKS = ("nameko", "eventlet", "sqlalchemy", "pika", "werkzeug", "kombu")
# modules that may import nameko inside a service: the adapter and the entry point
ADAPTERS = {"service.py", "__main__.py"}
# libraries that are domain code: no framework, no I/O machinery
PURE_LIBRARIES = ("contracts", "referral_rules", "reference", "i18n")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def python_files(folder: Path):
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def offending(files, forbidden):
    found = []
    for path in files:
        for module in imported_modules(path):
            if any(module == name or module.startswith(name + ".") for name in forbidden):
                found.append(f"{path.relative_to(REPO_ROOT)} imports {module}")
    return found


def test_there_are_services_to_check():
    assert {"intake", "routing", "notification", "analytics"} <= set(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_top_level_names(service):
    names = {p.name for p in (REPO_ROOT / "services" / service).iterdir() if p.name != "__pycache__"}
    assert SHAPE <= names, f"missing: {sorted(SHAPE - names)}"
    assert names <= SHAPE | OPTIONAL, f"not part of the shape: {sorted(names - SHAPE - OPTIONAL)}"


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service):
    others = [f"services.{other}" for other in SERVICES if other != service]
    assert offending(python_files(REPO_ROOT / "services" / service), others) == []


def test_libraries_import_no_service():
    assert offending(python_files(REPO_ROOT / "libs"), ["services", "devtools"]) == []


@pytest.mark.parametrize("service", SERVICES)
def test_nameko_is_imported_only_by_the_adapter(service):
    package = REPO_ROOT / "services" / service
    files = [p for p in python_files(package) if p.relative_to(package).as_posix() not in ADAPTERS]
    assert offending(files, ["nameko", "eventlet"]) == []


@pytest.mark.parametrize("service", SERVICES)
def test_domain_code_imports_no_framework(service):
    assert offending(python_files(REPO_ROOT / "services" / service / "domain"), FRAMEWORKS) == []


@pytest.mark.parametrize("library", PURE_LIBRARIES)
def test_pure_libraries_import_no_framework(library):
    assert offending(python_files(REPO_ROOT / "libs" / library), FRAMEWORKS) == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    """Guards the check itself: a domain module importing nameko inside a function is caught."""
    module = tmp_path / "sneaky.py"
    module.write_text("def f():\n    from nameko.timer import timer\n    import sqlalchemy.orm\n")
    found = list(imported_modules(module))
    assert found == ["nameko.timer", "sqlalchemy.orm"]
