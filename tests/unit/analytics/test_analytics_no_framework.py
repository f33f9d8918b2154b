"""Everything of analytics but its adapter runs without nameko or eventlet, also through what it imports.

tests/unit/test_boundaries.py checks each module's own import statements; this checks what importing them
actually loads, so a use case that pulled nameko in through a library (libs.kit.dependencies, say) is caught too.
The CLI (`voorportaal-report`, `voorportaal-synthetic`) depends on it: it runs where no broker is.
"""
import subprocess
import sys

from support.paths import REPO_ROOT

ANALYTICS = REPO_ROOT / "services" / "analytics"
ADAPTER_FILES = {"service.py", "__main__.py"}


def _modules():
    for path in sorted(ANALYTICS.rglob("*.py")):
        relative = path.relative_to(ANALYTICS)
        if "__pycache__" in relative.parts or relative.as_posix() in ADAPTER_FILES:
            continue
        if relative.parts[0] == "migrations":
            continue  # Alembic's scripts: loaded by path during a migration (libs/kit/migrations.py), never imported
        parts = ("services", "analytics", *relative.with_suffix("").parts)
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_importing_everything_but_the_adapter_loads_no_framework():
    modules = list(_modules())
    assert "services.analytics.cli" in modules and "services.analytics.use_cases.record" in modules
    code = (f"import importlib, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nameko', 'eventlet')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=REPO_ROOT)
    assert result.stdout.strip() == "[]"
