"""The analytics domain, report and CLI run without nameko or eventlet (DESIGN.md §2)."""
import subprocess
import sys
from pathlib import Path
from support.paths import REPO_ROOT

ANALYTICS = REPO_ROOT / "services" / "analytics"
ADAPTER_FILES = {"service.py", "__main__.py"}


def test_no_framework_import_in_the_domain_files():
    for path in ANALYTICS.rglob("*.py"):
        if path.name in ADAPTER_FILES and path.parent == ANALYTICS:
            continue
        text = path.read_text(encoding="utf-8")
        assert "import nameko" not in text and "from nameko" not in text, path
        assert "eventlet" not in text, path


def test_importing_the_report_cli_loads_no_framework():
    code = ("import sys, services.analytics.report_cli, services.analytics.synthetic, services.analytics.store; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nameko', 'eventlet')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=ANALYTICS.parents[1])
    assert result.stdout.strip() == "[]"
