"""Staff accounts: added by an administrator with a one-time setup code; the member sets their own password (which
locks their new key pair) and second factor. Disabling, resetting a second factor or a forgotten password end every
session of the account. Each change is in the audit log, and one that changes who can read new cases publishes the
key directory (key_directory.py)."""
import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, update

from libs.contracts.sealing import key_id
from libs.kit.blocking import run_blocking
from services.casework.domain import passwords, roles, second_factor, staff_keys
from services.casework.domain.server_keys import ServerKeys
from services.casework.tables import accounts, sessions
from services.casework.use_cases import audit, key_directory

SETUP_VALIDITY = timedelta(days=7)


class AccountError(ValueError):
    """A clear reason an account action was refused (shown to staff; never contains a password or a code)."""


@dataclass(frozen=True)
class Setup:
    account_id: int
    setup_code: str  # shown once to the administrator, handed to the member out of band


def _now(now):
    return now or datetime.now(timezone.utc)


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def _new_setup_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(15)).decode().lower()  # 120 bits
    return "-".join(raw[i:i + 6] for i in range(0, 24, 6))


def find_by_email(session, email):
    return session.execute(select(accounts).where(accounts.c.email == email.strip().lower())).first()


def get(session, account_id):
    return session.execute(select(accounts).where(accounts.c.id == account_id)).first()


def add(session, email: str, display_name: str, role: str, actor: str, mediator_id: str | None = None,
        now=None) -> Setup:
    now = _now(now)
    email = email.strip().lower()
    if role not in roles.ROLES:
        raise AccountError(f"role must be one of {', '.join(roles.ROLES)}")
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise AccountError("a work e-mail address is needed")
    if (role == roles.MEDIATOR) != bool(mediator_id):
        raise AccountError("a mediator account needs the mediator's registry id (and only a mediator has one)")
    if find_by_email(session, email) is not None:
        raise AccountError("an account with this e-mail exists")
    code = _new_setup_code()
    result = session.execute(accounts.insert().values(
        email=email, display_name=display_name.strip()[:120] or email, role=role, active=True,
        mediator_id=mediator_id, setup_code_hash=_code_hash(code), setup_expires_at=now + SETUP_VALIDITY,
        recovery_code_hashes=[], totp_last_step=0, second_factor_confirmed=False, created_at=now, updated_at=now))
    account_id = result.inserted_primary_key[0]
    audit.append(session, actor, "account.added", role=role, account=account_id)
    session.commit()
    return Setup(account_id, code)


def complete_setup(session, server: ServerKeys, email: str, code: str, password: str, now=None):
    """The member chooses a password: a new key pair is locked under it and a second factor secret is made (not yet
    confirmed). Returns (account row, unlocked private key, TOTP secret). The old key, if any, is replaced."""
    now = _now(now)
    account = find_by_email(session, email)
    if (account is None or not account.active or account.setup_code_hash is None
            or not secrets.compare_digest(account.setup_code_hash, _code_hash(code))
            or account.setup_expires_at is None or _aware(account.setup_expires_at) < now):
        raise AccountError("this setup code is not valid (expired, used, or for another address)")
    passwords.check_rule(password, account.email)
    private_key, locked = run_blocking(staff_keys.new_locked_key, password)
    password_hash = run_blocking(passwords.hash_password, password)
    totp_secret = second_factor.new_secret()
    session.execute(update(accounts).where(accounts.c.id == account.id).values(
        password_hash=password_hash, public_key=base64.b64encode(locked.public_key).decode(),
        key_id=key_id(locked.public_key), sealed_private_key=locked.sealed_private_key,
        totp_secret_sealed=server.seal_totp(totp_secret), totp_last_step=0, second_factor_confirmed=False,
        recovery_code_hashes=[], setup_code_hash=None, setup_expires_at=None, updated_at=now))
    session.execute(delete(sessions).where(sessions.c.account_id == account.id))
    audit.append(session, f"account:{account.id}", "account.setup_completed", account=account.id)
    session.commit()
    return get(session, account.id), private_key, totp_secret


def confirm_second_factor(session, server: ServerKeys, account_id: int, code: str, settings, now=None) -> list:
    """The first code from the member's app confirms their second factor; returns the recovery codes (shown once).
    The account is now a reader of new cases (if its role reads cases): the key directory is published."""
    now = _now(now)
    account = get(session, account_id)
    secret = server.open_totp(account.totp_secret_sealed)
    step = second_factor.accepted_step(secret, code, account.totp_last_step, now.timestamp())
    if step is None:
        raise AccountError("that code is not right; check the time on your phone and try the next code")
    codes = second_factor.new_recovery_codes()
    session.execute(update(accounts).where(accounts.c.id == account_id).values(
        totp_last_step=step, second_factor_confirmed=True, updated_at=now,
        recovery_code_hashes=[second_factor.recovery_code_hash(server.recovery_pepper, c) for c in codes]))
    audit.append(session, f"account:{account_id}", "account.second_factor_confirmed", account=account_id)
    key_directory.publish_if_changed(session, settings, now)
    session.commit()
    return codes


def disable(session, account_id: int, actor: str, settings, now=None):
    now = _now(now)
    if get(session, account_id) is None:
        raise AccountError("no such account")
    session.execute(update(accounts).where(accounts.c.id == account_id).values(active=False, updated_at=now))
    session.execute(delete(sessions).where(sessions.c.account_id == account_id))
    audit.append(session, actor, "account.disabled", account=account_id)
    key_directory.publish_if_changed(session, settings, now)
    session.commit()


def reset_second_factor(session, server: ServerKeys, account_id: int, actor: str, now=None):
    """A lost phone: a new second-factor secret, to be set up at the next sign-in (the password is still asked)."""
    now = _now(now)
    if get(session, account_id) is None:
        raise AccountError("no such account")
    session.execute(update(accounts).where(accounts.c.id == account_id).values(
        totp_secret_sealed=server.seal_totp(second_factor.new_secret()), totp_last_step=0,
        second_factor_confirmed=False, recovery_code_hashes=[], updated_at=now))
    session.execute(delete(sessions).where(sessions.c.account_id == account_id))
    audit.append(session, actor, "account.second_factor_reset", account=account_id)
    session.commit()


def new_setup_code(session, account_id: int, actor: str, now=None) -> Setup:
    """A forgotten password: a new setup code. The member's old key cannot be unlocked without the old password, so
    the new setup makes a new key pair; cases reach it again through a colleague's session or the recovery
    ceremony (docs/keys.md)."""
    now = _now(now)
    if get(session, account_id) is None:
        raise AccountError("no such account")
    code = _new_setup_code()
    session.execute(update(accounts).where(accounts.c.id == account_id).values(
        setup_code_hash=_code_hash(code), setup_expires_at=now + SETUP_VALIDITY, updated_at=now))
    session.execute(delete(sessions).where(sessions.c.account_id == account_id))
    audit.append(session, actor, "account.setup_code_issued", account=account_id)
    session.commit()
    return Setup(account_id, code)


def change_password(session, account_id: int, old_password: str, new_password: str, keep_token_hash: str,
                    now=None):
    """Re-lock the same key under the new password; every other session of the account ends."""
    now = _now(now)
    account = get(session, account_id)
    if not run_blocking(passwords.verify, account.password_hash, old_password):
        raise AccountError("the current password is not right")
    passwords.check_rule(new_password, account.email)
    locked = staff_keys.LockedKey(base64.b64decode(account.public_key), account.sealed_private_key)
    relocked = run_blocking(staff_keys.change_password, locked, old_password, new_password)
    session.execute(update(accounts).where(accounts.c.id == account_id).values(
        password_hash=run_blocking(passwords.hash_password, new_password),
        sealed_private_key=relocked.sealed_private_key, updated_at=now))
    session.execute(delete(sessions).where(sessions.c.account_id == account_id,
                                           sessions.c.token_hash != keep_token_hash))
    audit.append(session, f"account:{account_id}", "account.password_changed", account=account_id)
    session.commit()


def listing(session):
    return session.execute(select(accounts.c.id, accounts.c.email, accounts.c.display_name, accounts.c.role,
                                  accounts.c.active, accounts.c.mediator_id, accounts.c.key_id,
                                  accounts.c.second_factor_confirmed).order_by(accounts.c.id)).fetchall()


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite returns naive datetimes
