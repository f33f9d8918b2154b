"""`make audit`: pip-audit over the lock files, with the exceptions recorded in audit-exceptions.toml.

Exit 0 only when every locked package was looked up in a vulnerability database and no finding is left that
an unexpired exception does not cover. Exit 1 for findings (or a broken/expired exception), exit 2 when the
audit could not be done (no database reachable, a package not found there): that is never a pass. pip-audit
itself exits 0 when its database does not know a package (it only "skips" it); this script does not.

    python deploy/supply-chain/audit.py [--service pypi|osv] [LOCK ...]
"""
import argparse
import datetime
import json
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXCEPTIONS = HERE / "audit-exceptions.toml"
DEFAULT_LOCKS = ("requirements/test.txt", "requirements/tools.txt")  # test.txt includes base and analytics
REQUIRED_FIELDS = ("id", "package", "reason", "expires", "approved_by")


def load_exceptions(path=None, today=None):
    """(valid ids, problems): an exception needs every field and an expiry date that has not passed."""
    path = path or EXCEPTIONS
    today = today or datetime.date.today()
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("exception", [])
    valid, problems = set(), []
    for entry in entries:
        missing = [name for name in REQUIRED_FIELDS if not entry.get(name)]
        if missing:
            problems.append(f"exception {entry.get('id', '?')}: missing {', '.join(missing)}")
            continue
        if not isinstance(entry["expires"], datetime.date):
            problems.append(f"exception {entry['id']}: expires must be a date (YYYY-MM-DD)")
        elif entry["expires"] < today:
            problems.append(f"exception {entry['id']} ({entry['package']}) expired on {entry['expires']}: "
                            "review it, then renew or remove it")
        else:
            valid.add(entry["id"])
    return valid, problems


def run_pip_audit(lock, service, pip_audit):
    command = [pip_audit, "--requirement", str(ROOT / lock), "--require-hashes", "--disable-pip",
               "--vulnerability-service", service, "--format", "json", "--progress-spinner", "off",
               "--timeout", "20"]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        return None, f"pip-audit failed on {lock} (exit {result.returncode}): {last}"
    return report, None


def judge(reports, excepted):
    """(not audited, findings not covered, findings covered) over pip-audit JSON reports."""
    skipped, open_findings, covered = [], [], []
    for lock, report in reports:
        for dependency in report.get("dependencies", []):
            if "skip_reason" in dependency:
                skipped.append(f"{lock}: {dependency['skip_reason']}")
                continue
            for vuln in dependency.get("vulns", []):
                ids = {vuln["id"], *vuln.get("aliases", [])}
                line = f"{dependency['name']} {dependency.get('version', '')}: {vuln['id']} " \
                       f"(fixed in {', '.join(vuln.get('fix_versions') or ['-'])})"
                (covered if ids & excepted else open_findings).append(line)
    return skipped, open_findings, covered


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("locks", nargs="*", default=list(DEFAULT_LOCKS))
    parser.add_argument("--service", default="pypi", choices=("pypi", "osv"),
                        help="vulnerability database: PyPI's JSON API (advisories from OSV) or OSV itself")
    parser.add_argument("--pip-audit", default=str(Path(sys.executable).with_name("pip-audit")))
    args = parser.parse_args(argv)

    excepted, exception_problems = load_exceptions()
    reports, failures = [], []
    for lock in args.locks:
        report, failure = run_pip_audit(lock, args.service, args.pip_audit)
        if failure:
            failures.append(failure)
        else:
            reports.append((lock, report))
    skipped, open_findings, covered = judge(reports, excepted)

    for line in covered:
        print(f"accepted (audit-exceptions.toml): {line}")
    for line in open_findings:
        print(f"VULNERABLE: {line}")
    for line in exception_problems:
        print(f"EXCEPTION: {line}")
    if failures or skipped:
        for line in failures:
            print(f"NOT AUDITED: {line}")
        if skipped:
            print(f"NOT AUDITED: {len(skipped)} locked package(s) could not be looked up in the vulnerability "
                  f"database ({args.service}); first: {skipped[0]}")
        print("AUDIT NOT DONE: no vulnerability database answered for every locked package, so nothing is known "
              "about their vulnerabilities. This is not a pass. Run `make audit` where the database is reachable "
              "(PyPI's JSON API per version, or api.osv.dev with --service osv).")
        return 2
    if open_findings or exception_problems:
        print(f"AUDIT FAILED: {len(open_findings)} finding(s) without an exception, "
              f"{len(exception_problems)} exception problem(s)")
        return 1
    print(f"AUDIT PASSED: {sum(len(r.get('dependencies', [])) for _, r in reports)} locked packages checked "
          f"({args.service}), {len(covered)} accepted finding(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
