"""Casework's rules: staff keys under passwords, sessions, second factors without replay, throttling without
lock-out, statuses, due dates and the audit chain."""
from datetime import date, datetime, timedelta, timezone

import pytest
from nacl.public import PrivateKey

from services.casework.domain import audit_chain, due_dates, passwords, second_factor, sessions, staff_keys, throttle
from services.casework.domain import statuses
from services.casework.domain.server_keys import ServerKeys


@pytest.mark.real_argon2
def test_the_real_parameters_are_argon2id_with_64_mib():
    _key, locked = staff_keys.new_locked_key("correct horse battery")
    assert '"ops":3' in locked.sealed_private_key and f'"mem":{64 * 1024 * 1024}' in locked.sealed_private_key
    assert passwords.hash_password("a long enough password").startswith("$argon2id$v=19$m=65536,t=3")


def test_a_staff_key_opens_only_with_its_password_and_survives_a_password_change():
    private_key, locked = staff_keys.new_locked_key("correct horse battery")
    assert bytes(staff_keys.unlock(locked, "correct horse battery")) == bytes(private_key)
    with pytest.raises(staff_keys.WrongPassword):
        staff_keys.unlock(locked, "wrong password here")
    relocked = staff_keys.change_password(locked, "correct horse battery", "a new long password")
    assert bytes(staff_keys.unlock(relocked, "a new long password")) == bytes(private_key)
    with pytest.raises(staff_keys.WrongPassword):
        staff_keys.unlock(relocked, "correct horse battery")
    assert bytes(private_key) not in locked.sealed_private_key.encode()


def test_a_key_swapped_in_the_database_is_refused_even_with_its_own_password():
    _mine, locked = staff_keys.new_locked_key("my own password 1")
    _theirs, other = staff_keys.new_locked_key("my own password 1")
    swapped = staff_keys.LockedKey(locked.public_key, other.sealed_private_key)
    with pytest.raises(staff_keys.WrongPassword):
        staff_keys.unlock(swapped, "my own password 1")


def test_a_session_key_needs_the_token_which_only_the_cookie_holds():
    private_key = PrivateKey.generate()
    made = sessions.new_session(private_key)
    assert bytes(sessions.session_key(made.token, made.sealed_private_key)) == bytes(private_key)
    other = sessions.new_session(None)
    with pytest.raises(sessions.SessionInvalid):
        sessions.session_key(other.token, made.sealed_private_key)
    assert made.token_hash == sessions.token_hash(made.token) and made.token not in made.token_hash


def test_sessions_time_out_when_idle_or_too_old():
    start = datetime(2026, 12, 3, 9, tzinfo=timezone.utc)
    assert not sessions.expired(start, start + timedelta(minutes=29), start + timedelta(minutes=30))
    assert sessions.expired(start, start, start + timedelta(minutes=31))
    assert sessions.expired(start, start + timedelta(hours=10), start + timedelta(hours=10, minutes=1))


def test_csrf_tokens_belong_to_their_session():
    a, b = sessions.new_session(None), sessions.new_session(None)
    assert sessions.csrf_ok(a.csrf_secret, sessions.csrf_token(a.csrf_secret))
    assert not sessions.csrf_ok(a.csrf_secret, sessions.csrf_token(b.csrf_secret))
    assert not sessions.csrf_ok(a.csrf_secret, None)


def test_a_totp_code_is_accepted_once_and_only_near_its_time():
    secret = second_factor.new_secret()
    now = 1_800_000_000.0
    code = second_factor.code_at(secret, now)
    step = second_factor.accepted_step(secret, code, 0, now)
    assert step == int(now // 30)
    assert second_factor.accepted_step(secret, code, step, now) is None  # replayed
    assert second_factor.accepted_step(secret, code, 0, now + 120) is None  # too late
    assert second_factor.accepted_step(secret, "12345", 0, now) is None and \
        second_factor.accepted_step(secret, "abcdef", 0, now) is None


def test_recovery_codes_are_random_and_compared_by_keyed_hash():
    codes = second_factor.new_recovery_codes()
    assert len(set(codes)) == 10 and all(len(c) == 11 and c[5] == "-" for c in codes)
    pepper = b"p" * 32
    assert second_factor.recovery_code_hash(pepper, codes[0].upper().replace("-", " ")) == \
        second_factor.recovery_code_hash(pepper, codes[0])
    assert second_factor.recovery_code_hash(b"q" * 32, codes[0]) != second_factor.recovery_code_hash(pepper, codes[0])


def test_failures_cost_the_guessing_client_time_never_a_lock_for_others():
    assert throttle.verdict(2, 0, 2).allowed
    blocked = throttle.verdict(5, 1, 5)
    assert not blocked.allowed and 0 < blocked.retry_after <= throttle.MAX_DELAY_SECONDS
    assert throttle.verdict(5, throttle.delay_after(5) + 1, 5).allowed  # waited long enough
    assert throttle.verdict(0, 0, 0).allowed  # another client: its own, empty bucket
    assert not throttle.verdict(0, 0, throttle.CLIENT_FAILURES_PER_HOUR).allowed


def test_passwords_need_twelve_characters_and_verify_with_argon2id():
    for weak, code in (("short", "too_short"), ("anna.jansen rules!", "contains_name")):
        with pytest.raises(passwords.WeakPassword, match=code):
            passwords.check_rule(weak, "anna.jansen@desk.test")
    hashed = passwords.hash_password("a long enough password")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "a long enough password") and not passwords.verify(hashed, "wrong")


def test_server_keys_seal_second_factor_secrets_and_name_buckets_without_values():
    keys = ServerKeys(b"s" * 32)
    sealed = keys.seal_totp("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed and keys.open_totp(sealed) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(ValueError):
        ServerKeys(b"t" * 32).open_totp(sealed)
    assert "10.0.0.1" not in keys.bucket("client", "10.0.0.1")


@pytest.mark.parametrize("current,new,reason,allowed", [
    ("new", "in_progress", None, True), ("in_progress", "closed", "resolved", True),
    ("in_progress", "closed", None, False), ("closed", "in_progress", None, True),
    ("closed", "referred", None, False), ("new", "in_progress", "resolved", False)])
def test_status_transitions(current, new, reason, allowed):
    if allowed:
        statuses.check_transition(current, new, reason)
    else:
        with pytest.raises(statuses.TransitionRefused):
            statuses.check_transition(current, new, reason)


def test_the_next_date_is_the_earliest_of_the_desks_term_and_the_open_legal_clocks():
    steps = [{"status": "available_now", "answer_due": "2026-12-20", "escalate_by": None},
             {"status": "not_applicable", "answer_due": "2026-12-05", "escalate_by": None},
             {"status": "after_previous_step", "answer_due": None, "escalate_by": "2027-01-10"}]
    assert due_dates.next_due(date(2026, 12, 1), None, steps, 3) == date(2026, 12, 4)
    assert due_dates.next_due(date(2026, 12, 1), date(2026, 12, 2), steps, 3) == date(2026, 12, 20)
    assert due_dates.urgency(date(2026, 12, 2), date(2026, 12, 3)) == "overdue"
    assert due_dates.urgency(date(2026, 12, 9), date(2026, 12, 3)) == "due_soon"
    assert due_dates.urgency(date(2026, 12, 30), date(2026, 12, 3)) is None


def _chain(n):
    rows, previous = [], audit_chain.GENESIS
    for seq in range(1, n + 1):
        entry = audit_chain.Entry(seq, f"2026-12-03T10:00:{seq:02d}+00:00", "account:1", "case.opened",
                                  "VP-AAAA-BBBB", {"items": seq})
        previous = audit_chain.entry_hash(previous, entry)
        rows.append((entry, previous))
    return rows


def test_the_audit_chain_detects_a_changed_removed_or_truncated_entry():
    rows = _chain(5)
    assert audit_chain.verify(rows).ok
    changed = list(rows)
    entry, stored = changed[2]
    changed[2] = (audit_chain.Entry(entry.seq, entry.at, "account:2", entry.action, entry.case_ref, entry.detail),
                  stored)
    assert audit_chain.verify(changed).problem == "entry 3: hash does not match"
    assert not audit_chain.verify(rows[:2] + rows[3:]).ok  # removed
    anchors = [(5, rows[4][1])]
    assert audit_chain.verify(rows, anchors).ok
    assert audit_chain.verify(rows[:4], anchors).problem.startswith("anchor at entry 5")  # truncated after anchoring
