"""SQL statements per complaint from pg_stat_statements (bench/infra.py preloads it in the bench's cluster).

pg_stat_statements keys on (user, database, normalised query): every process kind logs in as its own role
(`intake`, `intake_relay`, ..., `floor_consumer`), so the counts split by service and by relay. Counted: every
top-level statement the server executed in the window, BEGIN/COMMIT/ROLLBACK and pre-ping `SELECT 1` included
(each is a round trip and a parse/execute on the server). Query texts are normalised by PostgreSQL (constants
become $1, $2, ...): no data values leave the database.
"""
import re

import psycopg

KINDS = (  # the first match names a statement's kind (for the breakdown)
    ("transaction", re.compile(r"^(BEGIN|COMMIT|ROLLBACK)\b", re.I)),
    ("pre-ping", re.compile(r"^SELECT \$1$", re.I)),
    ("notify", re.compile(r"pg_notify|^NOTIFY|^LISTEN", re.I)),
    ("inbox", re.compile(r"_inbox\b", re.I)),
    ("outbox", re.compile(r"_outbox\b", re.I)),
    ("advisory lock", re.compile(r"pg_advisory", re.I)),
    ("read", re.compile(r"^SELECT", re.I)),
    ("write", re.compile(r"^(INSERT|UPDATE|DELETE)", re.I)),
)


def kind(query: str) -> str:
    for name, pattern in KINDS:
        if pattern.search(query.strip()):
            return name
    return "other"


def reset(conninfo):
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_statements_reset()")


def read(conninfo, database):
    """[(role, normalised query, calls, total exec ms, queryid)] of one database since the last reset."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        return conn.execute(
            "SELECT r.rolname, s.query, s.calls, s.total_exec_time, s.queryid FROM pg_stat_statements s "
            "JOIN pg_roles r ON r.oid = s.userid JOIN pg_database d ON d.oid = s.dbid "
            "WHERE d.datname = %s AND s.calls > 0 ORDER BY s.calls DESC", (database,)).fetchall()


def _short(query, width=110):
    query = " ".join(query.split())
    query = re.sub(r"SELECT (\w+\.\w+, ){3,}[^F]*FROM", "SELECT … FROM", query)  # long column lists
    return query if len(query) <= width else query[:width - 1] + "…"


def summarise(rows, items, seconds):
    """Statements per item (complaint), by role and kind, and each role's statements with calls per item.

    `inbox_claims` per role = INSERTs into its inbox per item = events it handled per complaint; `per_event` =
    the role's statements / those events."""
    items = max(items, 1)
    by_role, by_kind, statements = {}, {}, []
    for role, query, calls, total_ms, queryid in rows:
        by_role.setdefault(role, {"statements": 0, "exec_ms": 0.0, "events": 0})
        by_role[role]["statements"] += calls
        by_role[role]["exec_ms"] += total_ms
        # the claim, alone or with the handler's lock (WITH claimed AS (INSERT INTO …_inbox …) SELECT …)
        if re.match(r"(WITH\s+\w+\s+AS\s*\(\s*)?INSERT INTO \w+_inbox\b", query.strip(), re.I):
            by_role[role]["events"] += calls
        by_kind[kind(query)] = by_kind.get(kind(query), 0) + calls
        statements.append({"role": role, "queryid": queryid, "kind": kind(query), "per_item": round(calls / items, 3),
                           "calls": calls, "mean_ms": round(total_ms / calls, 3), "query": _short(query, 400)})
    total = sum(r["statements"] for r in by_role.values())
    roles = {}
    for role, figures in sorted(by_role.items(), key=lambda item: -item[1]["statements"]):
        events = figures["events"] / items
        roles[role] = {"per_item": round(figures["statements"] / items, 2),
                       "events_per_item": round(events, 2),
                       "per_event": round(figures["statements"] / items / events, 1) if events else None,
                       "exec_ms_per_item": round(figures["exec_ms"] / items, 3)}
    return {"items": items, "seconds": seconds, "total": total, "per_item": round(total / items, 1),
            "per_second": round(total / seconds, 1) if seconds else None, "by_role": roles,
            "by_kind": {k: round(v / items, 2) for k, v in sorted(by_kind.items(), key=lambda item: -item[1])},
            "statements": statements}


def idle_rate(rows, seconds):
    """Statements per second by role while nothing is posted (timers, relay polls and gauges)."""
    rates = {}
    for role, _query, calls, _ms, _id in rows:
        rates[role] = rates.get(role, 0) + calls
    return {role: round(calls / seconds, 1) for role, calls in sorted(rates.items(), key=lambda item: -item[1])}


def short(query, width=110):
    return _short(query, width)
