"""Demo accounts for `make run` (CASEWORK_DEMO_ACCOUNTS; local runs only): one of each role, set up with a known
password and second-factor secret written to var/demo-accounts.json, so a developer can sign in at once
(`voorportaal-casework demo-code EMAIL` prints the current code). Never enable this in production."""
import json
import os
from datetime import datetime, timezone

from libs.kit import config
from services.casework.domain.second_factor import code_at
from services.casework.use_cases import accounts

DEMO_PASSWORD = "demo desk password"  # noqa: S105 - a published demo password, local runs only
DEMO_ACCOUNTS = (
    ("handler@voorportaal.test", "Demo case handler", "case_handler", None),
    ("coordinator@voorportaal.test", "Demo coordinator", "coordinator", None),
    ("mediator.amsterdam@voorportaal.test", "Demo mediator Amsterdam", "mediator", "med-amsterdam-1"),
    ("admin@voorportaal.test", "Demo administrator", "administrator", None),
)
DEMO_FILE = "demo-accounts.json"


def demo_file():
    return config.VAR_DIR / DEMO_FILE


def ensure(session, server, settings) -> list:
    """Create the demo accounts that do not exist yet; returns the e-mails created."""
    created, secrets_by_email = [], _read()
    for email, name, role, mediator_id in DEMO_ACCOUNTS:
        if accounts.find_by_email(session, email) is not None:
            continue
        setup = accounts.add(session, email, name, role, "system:demo", mediator_id)
        _account, _key, secret = accounts.complete_setup(session, server, email, setup.setup_code, DEMO_PASSWORD)
        now = datetime.now(timezone.utc)
        accounts.confirm_second_factor(session, server, setup.account_id, code_at(secret, now.timestamp()),
                                       settings, now)
        secrets_by_email[email] = {"password": DEMO_PASSWORD, "totp_secret": secret, "role": role}
        created.append(email)
    if created:
        path = demo_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(secrets_by_email, handle, indent=1)
    return created


def _read() -> dict:
    path = demo_file()
    return json.loads(path.read_text()) if path.exists() else {}


def secret_of(email) -> str | None:
    entry = _read().get(email.strip().lower())
    return entry["totp_secret"] if entry else None
