"""Signing in to the workspace: password (which also unlocks the member's key), then the second factor; sessions,
their timeouts, and signing out (here or everywhere).

Failures cost the guessing client time, never the member access (domain/throttle.py); an unknown e-mail takes as
long as a wrong password. The password step's session holds the unlocked key already, sealed under its token, but
opens nothing until the second factor is done; the complete sign-in gets a fresh token (no fixation).
"""
import base64
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, delete, func, select, update

from libs.kit.blocking import run_blocking
from services.casework.domain import passwords, second_factor, sessions as session_rules, staff_keys, throttle
from services.casework.domain.server_keys import ServerKeys
from services.casework.tables import accounts, sessions, signin_failures
from services.casework.use_cases import audit
from services.casework.use_cases.viewer import Viewer

SECOND_FACTOR, ENROL, FULL = "second_factor", "enrol", "full"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    token: str | None = None  # the new session's cookie value
    stage: str | None = None
    retry_after: int = 0  # seconds, when throttled
    reason: str | None = None  # "throttled", "wrong", "disabled", "no_key"


def _now(now):
    return now or datetime.now(timezone.utc)


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _throttle(session, server, client, email, now) -> throttle.Verdict:
    client_hash, account_hash = server.bucket("client", client), server.bucket("email", email)
    pair = session.execute(select(func.count(), func.max(signin_failures.c.at)).where(
        signin_failures.c.client_hash == client_hash, signin_failures.c.account_hash == account_hash,
        signin_failures.c.at > now - timedelta(days=1))).one()
    hour = session.execute(select(func.count()).where(
        signin_failures.c.client_hash == client_hash, signin_failures.c.at > now - timedelta(hours=1))).scalar()
    since = (now - _aware(pair[1])).total_seconds() if pair[1] else 10 ** 9
    return throttle.verdict(pair[0], since, hour)


def _record_failure(session, server, client, email, now):
    session.execute(signin_failures.insert().values(client_hash=server.bucket("client", client),
                                                    account_hash=server.bucket("email", email), at=now))
    session.execute(delete(signin_failures).where(signin_failures.c.at < now - timedelta(days=1)))
    session.commit()


def _forget_failures(session, server, client, email):
    session.execute(delete(signin_failures).where(and_(
        signin_failures.c.client_hash == server.bucket("client", client),
        signin_failures.c.account_hash == server.bucket("email", email))))


def _start_session(session, account_id, stage, private_key, now) -> str:
    made = session_rules.new_session(private_key)
    session.execute(sessions.insert().values(token_hash=made.token_hash, account_id=account_id, stage=stage,
                                             sealed_private_key=made.sealed_private_key,
                                             csrf_secret=made.csrf_secret, created_at=now, last_seen_at=now))
    return made.token


def with_password(session, server: ServerKeys, email: str, password: str, client: str, now=None) -> Outcome:
    now = _now(now)
    email = (email or "").strip().lower()[:254]
    verdict = _throttle(session, server, client, email, now)
    if not verdict.allowed:
        return Outcome(False, retry_after=verdict.retry_after, reason="throttled")
    account = session.execute(select(accounts).where(accounts.c.email == email)).first()
    stored_hash = account.password_hash if account is not None and account.password_hash else passwords.DUMMY_HASH
    if not run_blocking(passwords.verify, stored_hash, password or "") or account is None or not account.active:
        _record_failure(session, server, client, email, now)
        return Outcome(False, reason="wrong")
    locked = staff_keys.LockedKey(base64.b64decode(account.public_key), account.sealed_private_key)
    try:
        private_key = run_blocking(staff_keys.unlock, locked, password)
    except staff_keys.WrongPassword:
        # the password verified but does not open the key: the stored key was changed behind the member's back
        audit.append(session, f"account:{account.id}", "signin.key_mismatch", account=account.id)
        session.commit()
        return Outcome(False, reason="no_key")
    if passwords.needs_rehash(account.password_hash):
        session.execute(update(accounts).where(accounts.c.id == account.id)
                        .values(password_hash=run_blocking(passwords.hash_password, password)))
    _forget_failures(session, server, client, email)
    stage = SECOND_FACTOR if account.second_factor_confirmed else ENROL
    token = _start_session(session, account.id, stage, private_key, now)
    session.commit()
    return Outcome(True, token=token, stage=stage)


def with_second_factor(session, server: ServerKeys, token: str, code: str, client: str, now=None) -> Outcome:
    """A TOTP code (each accepted once) or a one-time recovery code completes the sign-in under a new token."""
    now = _now(now)
    row = _session_row(session, token, now)
    if row is None or row.stage != SECOND_FACTOR:
        return Outcome(False, reason="expired")
    account = session.execute(select(accounts).where(accounts.c.id == row.account_id)).first()
    verdict = _throttle(session, server, client, account.email, now)
    if not verdict.allowed:
        return Outcome(False, retry_after=verdict.retry_after, reason="throttled")
    how = _check_code(session, server, account, code, now)
    if how is None:
        _record_failure(session, server, client, account.email, now)
        return Outcome(False, reason="wrong")
    private_key = session_rules.session_key(token, row.sealed_private_key)
    session.execute(delete(sessions).where(sessions.c.token_hash == row.token_hash))
    new_token = _start_session(session, account.id, FULL, private_key, now)
    _forget_failures(session, server, client, account.email)
    audit.append(session, f"account:{account.id}", "signin.succeeded", account=account.id, second_factor=how)
    session.commit()
    return Outcome(True, token=new_token, stage=FULL)


def _check_code(session, server, account, code, now) -> str | None:
    code = (code or "").strip()
    secret = server.open_totp(account.totp_secret_sealed)
    step = second_factor.accepted_step(secret, code, account.totp_last_step, now.timestamp())
    if step is not None:
        # atomic: of two requests with one code, only one moves the step forward
        moved = session.execute(update(accounts).where(accounts.c.id == account.id,
                                                       accounts.c.totp_last_step < step)
                                .values(totp_last_step=step).returning(accounts.c.id)).first()
        return "totp" if moved else None
    hashed = second_factor.recovery_code_hash(server.recovery_pepper, code)
    if hashed in (account.recovery_code_hashes or []):
        remaining = [h for h in account.recovery_code_hashes if h != hashed]
        session.execute(update(accounts).where(accounts.c.id == account.id).values(recovery_code_hashes=remaining))
        return "recovery_code"
    return None


def enrolled(session, token: str, now=None) -> str | None:
    """After the member confirmed a new second factor in an `enrol` session: a full session under a new token."""
    now = _now(now)
    row = _session_row(session, token, now)
    if row is None or row.stage != ENROL:
        return None
    private_key = session_rules.session_key(token, row.sealed_private_key)
    session.execute(delete(sessions).where(sessions.c.token_hash == row.token_hash))
    new_token = _start_session(session, row.account_id, FULL, private_key, now)
    audit.append(session, f"account:{row.account_id}", "signin.succeeded", account=row.account_id,
                 second_factor="enrolled")
    session.commit()
    return new_token


def start_enrolment(session, account_id, private_key, now=None) -> str:
    """Right after setup: a session that may only confirm the new second factor."""
    token = _start_session(session, account_id, ENROL, private_key, _now(now))
    session.commit()
    return token


def _session_row(session, token, now):
    if not token or len(token) > 64:
        return None
    row = session.execute(select(sessions).where(sessions.c.token_hash == session_rules.token_hash(token))).first()
    if row is None:
        return None
    if session_rules.expired(_aware(row.created_at), _aware(row.last_seen_at), now):
        session.execute(delete(sessions).where(sessions.c.token_hash == row.token_hash))
        session.commit()
        return None
    return row


def viewer(session, token: str, now=None, touch=True) -> Viewer | None:
    """The signed-in member behind a cookie, with their unlocked key; None when there is no valid session."""
    now = _now(now)
    row = _session_row(session, token, now)
    if row is None:
        return None
    account = session.execute(select(accounts).where(accounts.c.id == row.account_id)).first()
    if account is None or not account.active:
        return None
    try:
        private_key = session_rules.session_key(token, row.sealed_private_key)
    except session_rules.SessionInvalid:
        return None
    if touch:
        session.execute(update(sessions).where(sessions.c.token_hash == row.token_hash).values(last_seen_at=now))
        session.commit()
    return Viewer(account.id, account.email, account.display_name, account.role, account.key_id, private_key,
                  row.csrf_secret, row.stage)


def sign_out(session, token: str):
    session.execute(delete(sessions).where(sessions.c.token_hash == session_rules.token_hash(token or "")))
    session.commit()


def sign_out_everywhere(session, account_id: int):
    session.execute(delete(sessions).where(sessions.c.account_id == account_id))
    audit.append(session, f"account:{account_id}", "signout.everywhere", account=account_id)
    session.commit()
