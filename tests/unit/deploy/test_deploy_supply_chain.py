"""Supply chain: the lock files match pyproject.toml and carry hashes; installs use them with --require-hashes;
every third-party image in deploy/ is pinned by digest; `make audit` never passes without a vulnerability
database (deploy/supply-chain/audit.py, with a stand-in for pip-audit)."""
import datetime
import json
import re
import stat
import sys
import tomllib

import pytest
from packaging.requirements import Requirement

from support.deploy_testlib import DEPLOY, ROOT, load_yaml_documents

REQUIREMENTS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# lock file -> the extras of pyproject.toml it is made from (Makefile, target lock)
LOCKS = {"base.txt": (), "analytics.txt": ("analytics",), "test.txt": ("analytics", "test")}
DIGEST_PINNED = re.compile(r"^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$")
OUR_IMAGES = ("voorportaal", "voorportaal-analytics")  # built here; the release pipeline pins them by digest


def locked(path):
    """{normalised name: (version, [hashes])} of a pip-compile --generate-hashes file."""
    entries, current = {}, None
    for line in path.read_text().splitlines():
        line = line.split(" #")[0].rstrip(" \\") if not line.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if line.startswith(" "):
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
            assert hashes and current, f"{path.name}: stray line {line!r}"
            entries[current][1].extend(hashes)
            continue
        name, _, version = line.partition("==")
        assert version, f"{path.name}: {line!r} is not pinned with =="
        current = re.sub(r"[-_.]+", "-", name.lower())
        entries[current] = (version, [])
    return entries


def normalise(name):
    return re.sub(r"[-_.]+", "-", name.lower())


@pytest.mark.parametrize("lock", [*LOCKS, "tools.txt"])
def test_deploy_lock_files_pin_every_package_with_hashes(lock):
    entries = locked(REQUIREMENTS / lock)
    assert entries
    for name, (version, hashes) in entries.items():
        assert hashes, f"{lock}: {name}=={version} has no hash"


@pytest.mark.parametrize("lock", LOCKS)
def test_deploy_lock_files_match_pyproject(lock):
    """Every direct dependency of pyproject.toml (and of the lock's extras) is in the lock with the version pinned
    there (a range: a version inside it); extras the lock is not made from stay out of it."""
    entries = locked(REQUIREMENTS / lock)
    wanted = list(PYPROJECT["dependencies"])
    for extra in LOCKS[lock]:
        wanted += PYPROJECT["optional-dependencies"][extra]
    for line in wanted:
        requirement = Requirement(line)
        name = normalise(requirement.name)
        assert name in entries, f"{lock}: {requirement.name} is missing: run `make lock`"
        version = entries[name][0]
        pinned = [s.version for s in requirement.specifier if s.operator == "=="]
        if pinned:
            assert version == pinned[0], f"{lock}: {name} {version}, pyproject.toml pins {pinned[0]}: run `make lock`"
        else:
            assert requirement.specifier.contains(version, prereleases=True), f"{lock}: {name} {version}"
    for extra, lines in PYPROJECT["optional-dependencies"].items():
        if extra not in LOCKS[lock]:
            for line in lines:
                name = normalise(Requirement(line).name)
                if not any(normalise(Requirement(l).name) == name for l in wanted):
                    assert name not in entries, f"{lock} has {name} of the extra {extra!r}"


def test_deploy_tools_lock_matches_its_input():
    entries = locked(REQUIREMENTS / "tools.txt")
    for line in (REQUIREMENTS / "tools.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (pin,) = [s.version for s in requirement.specifier]
            assert entries[normalise(requirement.name)][0] == pin, line


def test_deploy_the_plotting_stack_is_only_in_the_analytics_image():
    assert "matplotlib" not in locked(REQUIREMENTS / "base.txt")
    assert "numpy" not in locked(REQUIREMENTS / "base.txt")
    assert {"matplotlib", "numpy"} <= set(locked(REQUIREMENTS / "analytics.txt"))
    assert not any("matplotlib" in d or "numpy" in d for d in PYPROJECT["dependencies"])


def test_deploy_installs_use_the_lock_files_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r $(LOCK)" in makefile and "LOCK := requirements/test.txt" in makefile
    assert "--no-deps --no-build-isolation -e clients/partner" in makefile
    assert "--require-hashes -r requirements/tools.txt" in makefile
    containerfile = (DEPLOY / "compose" / "Containerfile").read_text()
    assert "--require-hashes" in containerfile
    assert "'.[test]'" not in makefile, "the platform is installed from the lock, not resolved"


def image_references():
    """(where, image) for every image in deploy/: compose, the Kubernetes manifests, the Containerfile."""
    found = []
    for path in sorted(DEPLOY.rglob("*.y*ml")):
        for document in load_yaml_documents(path):
            stack = [document]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    for key, value in node.items():
                        if key in ("image", "imageName") and isinstance(value, str):
                            found.append((str(path.relative_to(DEPLOY)), value))
                        else:
                            stack.append(value)
                elif isinstance(node, list):
                    stack.extend(node)
    text = (DEPLOY / "compose" / "Containerfile").read_text()
    for image in re.findall(r"^ARG PYTHON_IMAGE=(\S+)", text, re.M):
        found.append(("compose/Containerfile", image))
    for image in re.findall(r"^FROM (\S+)", text, re.M):
        assert image == "${PYTHON_IMAGE}", f"Containerfile: FROM {image} bypasses the pinned PYTHON_IMAGE"
    return found


def test_deploy_every_third_party_image_is_pinned_by_digest():
    references = image_references()
    kinds = {image.split("@")[0].split(":")[0].rsplit("/", 1)[-1] for _, image in references}
    assert {"python", "postgres", "postgresql", "rabbitmq", "prometheus", "alertmanager", "grafana",
            "mailpit"} <= kinds, kinds
    for where, image in references:
        bare = image.removeprefix("${VOORPORTAAL_IMAGE:-").removeprefix("${VOORPORTAAL_ANALYTICS_IMAGE:-").rstrip("}")
        if bare.split(":")[0] in OUR_IMAGES:
            continue
        assert DIGEST_PINNED.fullmatch(image), f"{where}: {image} is not name:tag@sha256:<64 hex>"


def test_deploy_digest_check_refuses_tags_alone():
    for image in ("postgres:16-bookworm", "rabbitmq:4.2-management", "python@sha256:" + "a" * 64,
                  "grafana/grafana:12.4.5@sha256:" + "a" * 63):
        assert not DIGEST_PINNED.fullmatch(image), image


# --- make audit ------------------------------------------------------------------------------------------------

sys.path.insert(0, str(DEPLOY / "supply-chain"))
import audit  # noqa: E402


def fake_pip_audit(tmp_path, report, exit_code=0):
    script = tmp_path / "pip-audit"
    script.write_text(f"#!/bin/sh\ncat <<'EOF'\n{json.dumps(report)}\nEOF\nexit {exit_code}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_deploy_audit_without_a_vulnerability_database_is_not_a_pass(tmp_path, capsys):
    """What pip-audit does here: PyPI answers no per-version JSON, so every package is 'skipped' and pip-audit
    exits 0. make audit must say so and fail."""
    report = {"dependencies": [{"name": "pika", "skip_reason": "Dependency not found on PyPI and could not be audited: pika (1.4.4)"}]}
    assert audit.main(["requirements/base.txt", "--pip-audit", fake_pip_audit(tmp_path, report)]) == 2
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out and "not a pass" in out and "PASSED" not in out


def test_deploy_audit_reports_a_broken_pip_audit_as_not_audited(tmp_path, capsys):
    script = tmp_path / "pip-audit"
    script.write_text("#!/bin/sh\necho 'ConnectionError: Failed to resolve api.osv.dev' >&2\nexit 1\n")
    script.chmod(0o755)
    assert audit.main(["requirements/base.txt", "--pip-audit", str(script)]) == 2
    assert "NOT AUDITED" in capsys.readouterr().out


def test_deploy_audit_fails_on_findings_and_accepts_recorded_exceptions(tmp_path, monkeypatch, capsys):
    report = {"dependencies": [{"name": "jinja2", "version": "3.1.6", "vulns": [
        {"id": "GHSA-test-0000-0001", "aliases": ["CVE-2099-0001"], "fix_versions": ["3.1.7"]}]}]}
    pip_audit = fake_pip_audit(tmp_path, report)
    assert audit.main(["requirements/base.txt", "--pip-audit", pip_audit]) == 1
    assert "VULNERABLE: jinja2 3.1.6: GHSA-test-0000-0001" in capsys.readouterr().out

    exceptions = tmp_path / "exceptions.toml"
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    exceptions.write_text(f'[[exception]]\nid = "CVE-2099-0001"\npackage = "jinja2"\nreason = "test"\n'
                          f'expires = {tomorrow.isoformat()}\napproved_by = "test"\n')
    monkeypatch.setattr(audit, "EXCEPTIONS", exceptions)
    assert audit.main(["requirements/base.txt", "--pip-audit", pip_audit]) == 0
    assert "accepted (audit-exceptions.toml): jinja2" in capsys.readouterr().out

    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    exceptions.write_text(exceptions.read_text().replace(tomorrow.isoformat(), yesterday.isoformat()))
    assert audit.main(["requirements/base.txt", "--pip-audit", pip_audit]) == 1
    assert "expired" in capsys.readouterr().out


def test_deploy_audit_exceptions_file_is_valid():
    valid, problems = audit.load_exceptions()
    assert not problems
