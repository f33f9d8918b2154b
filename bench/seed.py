"""Seed a platform database with N complaints, straight into the five services' tables (no HTTP, no broker):

    .venv/bin/python bench/seed.py postgresql://postgres@127.0.0.1:5432/DB [--complaints 1000000] [--workers 2]

What one complaint leaves behind once it has gone through the platform, N times, spread over the last 700 days
(intake's retention is 730): intake's complaint, case keys, read model, inbox and published outbox rows;
routing's plan, partner case (half of them consent to referral), inbox and outbox; notification's complainant row,
inbox, and for the one in seven who wanted mediation an assignment, its sent deliveries and outbox rows;
analytics' facts, clocks, plan steps and inbox; casework's case, sealed items, key wrap, history and inbox.
Categories cycle through the catalogue's institution types, issues, languages and the 342 municipalities; cases
older than 90 days are closed. Inbox and published outbox rows are kept, as the platform keeps them (nothing prunes
them today), so the 1M database has the tables' real proportions.

Templates: JSON documents (plans, read models) and event bodies are copied from a complaint the running platform
filed itself (the newest in intake_complaints), with its reference and event id replaced; sealed fields are dummy
base64 of the real fields' lengths. So the database must hold at least one complaint filed through the platform
(make bench posts its warm-up before seeding). Rows are generated in PostgreSQL (INSERT … SELECT over
generate_series, chunks of 250,000 per statement in
key order, `--workers` connections in parallel), then VACUUM ANALYZE (a
database that grew over two years has been vacuumed and analysed by autovacuum) and a CHECKPOINT.

Seeded references are `VP-U…` (U is not in the reference alphabet: no collision with a real one).
"""
import argparse
import sys
import threading
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from libs.contracts.events import INSTITUTION_TYPES, ISSUES  # noqa: E402
from libs.reference.municipalities import municipalities  # noqa: E402

CHUNK = 250_000
SPAN_DAYS = 700
LANGUAGES = ("nl", "nl", "nl", "nl", "en", "en", "es", "ro", "bg", "pl")
STAGES = ("not_filed", "filed_waiting", "answered", "final_answer", "escalation_available")
OPEN_STATUSES = ("new", "in_progress", "waiting_person", "waiting_institution", "referred")
CLOSURE_REASONS = ("resolved", "referred_on", "no_contact", "outside_remit")


def _array(values):
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def setup_sql(n):
    """Per-connection helpers in pg_temp: the i-th seeded complaint's derived values, dummy base64, uuids."""
    codes = list(municipalities())
    provinces = [municipalities()[code]["province"] for code in codes]
    return f"""
CREATE FUNCTION pg_temp.b64(n int, s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT left(translate(encode(decode(repeat(md5(s), n / 21 + 1), 'hex'), 'base64'), E'\\n', ''), n) $$;
CREATE FUNCTION pg_temp.uid(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT md5(s)::uuid::text $$;
CREATE FUNCTION pg_temp.g(lo int, hi int) RETURNS TABLE(
    i int, ref text, at timestamptz, day date, month text, quarter text, inst text, issue text, muni text,
    province text, lang text, mediation bool, contact bool, referral bool, old bool)
LANGUAGE sql STABLE AS $$
  SELECT i, ref, at, at::date, to_char(at, 'YYYY-MM'), to_char(at, 'YYYY-"Q"Q'), inst, issue, muni, province,
         lang, mediation, contact, referral, at < now() - interval '90 days'
  FROM (SELECT i,
          'VP-U' || substr(h, 1, 3) || '-' || substr(h, 4, 4) AS ref,
          now() - make_interval(secs => ({n} - i)::float8 * {SPAN_DAYS * 86400} / {n} + 3600) AS at,
          ({_array(INSTITUTION_TYPES)})[1 + mod(i, {len(INSTITUTION_TYPES)})] AS inst,
          ({_array(ISSUES)})[1 + mod(i * 7, {len(ISSUES)})] AS issue,
          ({_array(codes)})[1 + mod(i * 31, {len(codes)})] AS muni,
          ({_array(provinces)})[1 + mod(i * 31, {len(codes)})] AS province,
          ({_array(LANGUAGES)})[1 + mod(i, {len(LANGUAGES)})] AS lang,
          mod(i, 7) = 0 AS mediation, mod(i, 3) = 0 AS contact, mod(i, 2) = 0 AS referral
        FROM (SELECT i, lpad(upper(to_hex(i)), 7, '0') AS h FROM generate_series(lo, hi) AS i) numbered) derived
$$;
"""


def _inbox(table, prefix, handlers):
    """One inbox row per (complaint, handler) whose condition holds."""
    parts = [f"SELECT pg_temp.uid('{prefix}{k}:' || i), '{handler}', at FROM pg_temp.g(%(lo)s, %(hi)s) "
             f"WHERE {condition}" for k, (handler, condition) in enumerate(handlers)]
    # in key order: the inbox key is a random uuid, and sorted inserts touch each index page once per chunk
    return f"INSERT INTO {table} (event_id, handler, processed_at) " + " UNION ALL ".join(parts) + " ORDER BY 1"


def _outbox(table, template_key, condition="true"):
    """Published outbox rows from a template event: its id and the template's reference replaced."""
    return (f"INSERT INTO {table} (event_id, exchange, routing_key, content_type, body, created_at, published_at, "
            f"next_attempt_at, attempts) SELECT pg_temp.uid('{table}:{template_key}:' || i), t.exchange, "
            f"t.routing_key, t.content_type, replace(replace(t.body, t.event_id, "
            f"pg_temp.uid('{table}:{template_key}:' || i)), %(tref)s, ref), at, at + interval '20 ms', at, 0 "
            f"FROM pg_temp.g(%(lo)s, %(hi)s), (SELECT exchange, routing_key, content_type, body, event_id "
            f"FROM {table} WHERE id = %({template_key})s) t "
            f"WHERE {condition}")


MEDIATION_HANDLERS = [("on_mediation_assigned", "mediation"), ("on_mediation_outcome_recorded", "mediation AND old")]

STATEMENTS = {  # table → INSERT … SELECT for the chunk [lo, hi]
    "intake_complaints": """
INSERT INTO intake_complaints (reference, receipt_hash, status, institution_type, issue, municipality, language,
    reporter_role, wants_mediation, consent, received_at)
SELECT ref, md5(ref) || md5(ref || 'r'), 'planned', inst, issue, muni, lang, 'sex_worker', mediation,
    json_build_object('referral', referral, 'share_description', false, 'contact', contact,
                      'share_with_mediator', false, 'wording_version', '2026-11-v1', 'given_at', at), at
FROM pg_temp.g(%(lo)s, %(hi)s)""",
    "intake_case_keys": """
INSERT INTO intake_case_keys (reference, case_public_key, receipt_wrap, created_at)
SELECT ref, pg_temp.b64(43, 'k' || i) || '=', pg_temp.b64(%(receipt_wrap_len)s, 'w' || i), at
FROM pg_temp.g(%(lo)s, %(hi)s)""",
    "intake_case_status": """
INSERT INTO intake_case_status (reference, plan, directory_version, mediator_assigned_on, mediation_outcome,
    updated_at)
SELECT ref, t.plan, t.directory_version, CASE WHEN mediation THEN day + 2 END,
    CASE WHEN mediation AND old THEN 'resolved' END, at
FROM pg_temp.g(%(lo)s, %(hi)s),
    (SELECT plan, directory_version FROM intake_case_status WHERE reference = %(tref)s) t""",
    "intake_inbox": _inbox("intake_inbox", "ii", [("on_referral_planned", "true"), *MEDIATION_HANDLERS]),
    "intake_outbox:received": _outbox("intake_outbox", "intake_received"),
    "intake_outbox:sealed": _outbox("intake_outbox", "intake_sealed"),
    "routing_plans": """
INSERT INTO routing_plans (case_ref, facts, consent, language, plan, directory_version, status, fired_clocks,
    created_at, updated_at, next_clock_on, overdue_deadlines)
SELECT ref, json_build_object('case_ref', ref, 'received_on', day, 'institution_type', inst, 'issue', issue,
        'municipality', muni, 'capacity', 'private', 'incident_date', null, 'prior_complaint', null,
        'language', lang, 'reporter_role', 'sex_worker', 'wants_mediation', mediation, 'has_contact', contact),
    json_build_object('referral', referral, 'share_description', false, 'contact', contact,
                      'share_with_mediator', false),
    lang, t.plan, t.directory_version, CASE WHEN old THEN 'closed' ELSE 'open' END, '[]', at, at,
    t.next_clock_on, t.overdue_deadlines
FROM pg_temp.g(%(lo)s, %(hi)s),
    (SELECT plan, directory_version, next_clock_on, overdue_deadlines FROM routing_plans WHERE case_ref = %(tref)s) t""",
    "routing_partner_cases": """
INSERT INTO routing_partner_cases (case_ref, partner_id, subject, created_at)
SELECT ref, 'kifid', md5('s' || i), at FROM pg_temp.g(%(lo)s, %(hi)s) WHERE referral""",
    "routing_inbox": _inbox("routing_inbox", "ri", [("on_complaint_received", "true")]),
    "routing_outbox:planned": _outbox("routing_outbox", "routing_planned"),
    "routing_outbox:partner": _outbox("routing_outbox", "routing_partner", "referral"),
    "notification_complainants": """
INSERT INTO notification_complainants (case_ref, channel, language, sealed_address, key_id, open_steps, updated_at)
SELECT ref, CASE WHEN contact THEN 'email' END, CASE WHEN contact THEN lang END,
    CASE WHEN contact THEN pg_temp.b64(120, 'a' || i) END, CASE WHEN contact THEN 'seedseedseedseed' END,
    '["internal:bank"]', at
FROM pg_temp.g(%(lo)s, %(hi)s)""",
    "notification_inbox": _inbox("notification_inbox", "ni", [("on_referral_planned", "true")]),
    "notification_assignments": """
INSERT INTO notification_assignments (case_ref, mediator_id, status, institution_type, assigned_on, assigned_at,
    issue, language, municipality, reminders_sent, reassignments, previous_mediators, reacted_at, closed_at)
SELECT ref, 'med-amsterdam-1', CASE WHEN old THEN 'closed' ELSE 'accepted' END, inst, day, at, issue, lang, muni,
    0, 0, '[]', at + interval '3 hours', CASE WHEN old THEN at + interval '30 days' END
FROM pg_temp.g(%(lo)s, %(hi)s) WHERE mediation""",
    "notification_deliveries": """
INSERT INTO notification_deliveries (idempotency_key, case_ref, channel, recipient_id, template, context, status,
    attempts, next_attempt_at, sent_at)
SELECT 'mediation-request:' || ref || ':med-amsterdam-1', ref, 'email', 'med-amsterdam-1', 'mediation_request',
    json_build_object('reference', ref, 'institution_type', inst, 'issue', issue, 'language', lang)::text,
    'sent', 1, at, at FROM pg_temp.g(%(lo)s, %(hi)s) WHERE mediation
UNION ALL
SELECT 'complainant-plan:' || ref || ':' || left(md5(ref), 16), ref, 'email', 'complainant', 'complainant_plan',
    json_build_object('reference', ref, 'language', lang)::text, 'sent', 1, at, at
FROM pg_temp.g(%(lo)s, %(hi)s) WHERE contact""",
    "notification_outbox": """
INSERT INTO notification_outbox (event_id, exchange, routing_key, content_type, body, created_at, published_at,
    next_attempt_at, attempts)
SELECT pg_temp.uid('no:' || i), 'notification.events', 'mediation.assigned', 'application/json',
    json_build_object('specversion', '1.0', 'id', pg_temp.uid('no:' || i), 'source', 'urn:voorportaal:notification',
        'type', 'nl.voorportaal.mediation.assigned.v1', 'time', at, 'datacontenttype', 'application/json',
        'subject', null, 'correlationid', ref,
        'data', json_build_object('case_ref', ref, 'mediator_id', 'med-amsterdam-1', 'assigned_on', day))::text,
    at, at + interval '20 ms', at, 0
FROM pg_temp.g(%(lo)s, %(hi)s) WHERE mediation""",
    "analytics_case_facts": f"""
INSERT INTO analytics_case_facts (pseudonym, received, month, quarter, province, institution_type, issue,
    reporter_role, capacity, had_prior_complaint, signal, wants_mediation, plan_count, first_plan_month,
    deadline_due_count, stage, mediation, mediation_unmatched, mediation_outcome, days_to_referral,
    days_to_mediator, days_to_outcome, reopen_requested)
SELECT md5('p' || i), true, month, quarter, province, inst, issue, 'sex_worker', 'private', false, false, mediation,
    1, month, 0, ({_array(STAGES)})[1 + mod(i, {len(STAGES)})],
    CASE WHEN NOT mediation THEN 'not_requested' WHEN old THEN 'closed' ELSE 'assigned' END, false,
    CASE WHEN mediation AND old THEN 'resolved' END, 0, CASE WHEN mediation THEN 1 END,
    CASE WHEN mediation AND old THEN 30 END, false
FROM pg_temp.g(%(lo)s, %(hi)s) ORDER BY 1""",
    "analytics_case_clocks": """
INSERT INTO analytics_case_clocks (pseudonym, received_on, first_plan_on, plan_as_of, assigned_on, outcome_on,
    last_event_on)
SELECT md5('p' || i), day, day, day, CASE WHEN mediation THEN day + 1 END,
    CASE WHEN mediation AND old THEN day + 30 END,
    CASE WHEN mediation AND old THEN day + 30 ELSE day END
FROM pg_temp.g(%(lo)s, %(hi)s) ORDER BY 1""",
    "analytics_plan_steps": """
INSERT INTO analytics_plan_steps (pseudonym, position, channel_id, kind, status)
SELECT md5('p' || i), 0, 'internal:bank', 'first_line', 'available_now' FROM pg_temp.g(%(lo)s, %(hi)s)
UNION ALL
SELECT md5('p' || i), 1, 'kifid', 'second_line', 'after_previous_step' FROM pg_temp.g(%(lo)s, %(hi)s)
ORDER BY 1, 2""",
    "analytics_inbox": _inbox("analytics_inbox", "ai", [("on_complaint_received", "true"),
                                                        ("on_referral_planned", "true"), *MEDIATION_HANDLERS]),
    "casework_cases": f"""
INSERT INTO casework_cases (case_ref, received_on, institution_type, issue, municipality, province, language,
    reporter_role, wants_mediation, has_contact, consent, status, closure_reason, plan, directory_version, progress,
    mediation, next_due, case_public_key, first_action_on, closed_on, created_at, updated_at)
SELECT ref, day, inst, issue, muni, province, lang, 'sex_worker', mediation, contact,
    json_build_object('referral', referral, 'share_description', false, 'contact', contact,
                      'share_with_mediator', false),
    CASE WHEN old THEN 'closed' ELSE ({_array(OPEN_STATUSES)})[1 + mod(i, {len(OPEN_STATUSES)})] END,
    CASE WHEN old THEN ({_array(CLOSURE_REASONS)})[1 + mod(i, {len(CLOSURE_REASONS)})] END,
    t.plan, t.directory_version, '[]',
    CASE WHEN mediation THEN json_build_object('mediator_id', 'med-amsterdam-1', 'assigned_on', day + 1)
         ELSE '{{}}'::json END,
    CASE WHEN NOT old THEN day + 3 + mod(i, 20) END, pg_temp.b64(43, 'k' || i) || '=',
    CASE WHEN NOT old AND mod(i, 5) > 0 THEN day + 1 WHEN old THEN day + 1 END,
    CASE WHEN old THEN day + 30 END, at, at
FROM pg_temp.g(%(lo)s, %(hi)s), (SELECT plan, directory_version FROM casework_cases WHERE case_ref = %(tref)s) t""",
    "casework_case_items": """
INSERT INTO casework_case_items (case_ref, kind, sealed, created_at)
SELECT ref, 'description', pg_temp.b64(%(item_len)s, 'd' || i), at FROM pg_temp.g(%(lo)s, %(hi)s)
UNION ALL
SELECT ref, 'contact', pg_temp.b64(152, 'c' || i), at FROM pg_temp.g(%(lo)s, %(hi)s) WHERE contact""",
    "casework_key_wraps": """
INSERT INTO casework_key_wraps (case_ref, key_id, wrapped, purpose, created_at)
SELECT ref, t.key_id, pg_temp.b64(%(wrap_len)s, 'r' || i), t.purpose, at
FROM pg_temp.g(%(lo)s, %(hi)s), (SELECT key_id, purpose FROM casework_key_wraps WHERE case_ref = %(tref)s) t""",
    "casework_history": """
INSERT INTO casework_history (case_ref, at, action, detail)
SELECT ref, at, t.action, t.detail
FROM pg_temp.g(%(lo)s, %(hi)s), (SELECT action, detail FROM casework_history WHERE case_ref = %(tref)s) t""",
    "casework_inbox": _inbox("casework_inbox", "ci", [("on_complaint_sealed", "true"),
                                                      ("on_referral_planned", "true"), *MEDIATION_HANDLERS]),
}


# foreign keys: a chunk of these tables goes in after the same chunk of its parent
PARENTS = {"analytics_case_clocks": "analytics_case_facts", "analytics_plan_steps": "analytics_case_facts",
           "casework_case_items": "casework_cases", "casework_key_wraps": "casework_cases",
           "casework_history": "casework_cases"}


def templates(conn):
    """The newest complaint the platform filed (not seeded) and the ids/lengths the statements copy."""
    row = conn.execute("SELECT reference FROM intake_complaints WHERE reference NOT LIKE 'VP-U%%' "
                       "AND reference IN (SELECT case_ref FROM casework_cases) "
                       "AND reference IN (SELECT case_ref FROM routing_partner_cases) "
                       "ORDER BY received_at DESC LIMIT 1").fetchone()
    if row is None:
        raise SystemExit("seed: no complaint filed through the platform (with a plan, a partner referral and a "
                         "case) to copy from; post one first")
    tref = row[0]

    def outbox_id(table, routing_key, needle):
        found = conn.execute(f"SELECT id FROM {table} WHERE routing_key = %s AND body LIKE %s ORDER BY id DESC "
                             "LIMIT 1", (routing_key, f"%{needle}%")).fetchone()
        if found is None:
            raise SystemExit(f"seed: no {routing_key} in {table} for the template complaint")
        return found[0]
    subject = conn.execute("SELECT subject FROM routing_partner_cases WHERE case_ref = %s", (tref,)).fetchone()[0]
    return {
        "tref": tref,
        "intake_received": outbox_id("intake_outbox", "complaint.received", tref),
        "intake_sealed": outbox_id("intake_outbox", "complaint.sealed", tref),
        "routing_planned": outbox_id("routing_outbox", "referral.planned", tref),
        "routing_partner": outbox_id("routing_outbox", "referral.kifid.created", subject),
        "receipt_wrap_len": conn.execute("SELECT length(receipt_wrap) FROM intake_case_keys WHERE reference = %s",
                                         (tref,)).fetchone()[0],
        "item_len": conn.execute("SELECT max(length(sealed)) FROM casework_case_items WHERE case_ref = %s",
                                 (tref,)).fetchone()[0],
        "wrap_len": conn.execute("SELECT max(length(wrapped)) FROM casework_key_wraps WHERE case_ref = %s",
                                 (tref,)).fetchone()[0],
    }


def seed(conninfo, complaints, workers=2, progress=lambda line: None):
    """Seed `complaints` complaints; returns {"seconds", "insert_s", "vacuum_s", "rows": {table: rows}}."""
    started = time.monotonic()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        params = templates(conn)
        if conn.execute("SELECT 1 FROM intake_complaints WHERE reference LIKE 'VP-U%%' LIMIT 1").fetchone():
            raise SystemExit("seed: this database is seeded already")
    jobs = [(name, lo, min(lo + CHUNK - 1, complaints)) for name in STATEMENTS
            for lo in range(1, complaints + 1, CHUNK)]
    rows, failures, done, lock = {}, [], set(), threading.Lock()

    def next_job():
        """The first job whose parent chunk (a foreign key's table) is in; None: wait, or nothing left."""
        for job in jobs:
            parent = PARENTS.get(job[0])
            if parent is None or (parent, job[1]) in done:
                jobs.remove(job)
                return job
        return None

    def work():
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("SET synchronous_commit = off")
            conn.execute(setup_sql(complaints))
            while True:
                with lock:
                    if not jobs or failures:
                        return
                    job = next_job()
                if job is None:
                    time.sleep(0.2)
                    continue
                name, lo, hi = job
                job_started = time.monotonic()
                try:
                    count = conn.execute(STATEMENTS[name], dict(params, lo=lo, hi=hi)).rowcount
                except Exception as exc:  # noqa: BLE001 - reported once, the other worker stops too
                    with lock:
                        failures.append(f"{name}: {type(exc).__name__}: {exc}")
                    return
                table = name.split(":")[0]
                with lock:
                    rows[table] = rows.get(table, 0) + count
                    done.add((name, lo))
                progress(f"seed: {name} {lo}-{hi}: {count} rows in {time.monotonic() - job_started:.1f} s "
                         f"({time.monotonic() - started:.0f} s)")

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError("seed failed: " + "; ".join(failures))
    inserted = time.monotonic()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in sorted(rows):
            conn.execute(f"VACUUM (ANALYZE) {table}")
        conn.execute("CHECKPOINT")  # the seed's dirty pages are written now, not during the next measurement
    done = time.monotonic()
    return {"complaints": complaints, "seconds": round(done - started, 1), "insert_s": round(inserted - started, 1),
            "vacuum_s": round(done - inserted, 1), "rows": dict(sorted(rows.items())),
            "rows_total": sum(rows.values())}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="postgresql://user@host:port/database (libpq form)")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    result = seed(args.database_url.replace("postgresql+psycopg://", "postgresql://"), args.complaints,
                  args.workers, progress=print)
    print(result)


if __name__ == "__main__":
    main()
