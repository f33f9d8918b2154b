"""make bench's statement table: a handled event is counted by its inbox claim, the plain INSERT and the claim that
takes the handler's lock in the same statement (a data-modifying WITH, as SQLAlchemy renders it) alike."""
import importlib.util

from support.paths import REPO_ROOT

# loaded from its file: bench/ on sys.path would shadow other tests' modules with its infra, seed, tools ...
_spec = importlib.util.spec_from_file_location("bench_statements", REPO_ROOT / "bench" / "statements.py")
statements = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(statements)


def test_both_shapes_of_an_inbox_claim_count_as_events_and_nothing_else_does():
    rows = [
        ("routing", "INSERT INTO routing_inbox (event_id, handler, processed_at) VALUES ($1, $2, $3)", 10, 1.0, 1),
        ("casework", "WITH claimed AS \n(INSERT INTO casework_inbox (event_id, handler, processed_at) VALUES ($1, $2, "
                     "$3) ON CONFLICT DO NOTHING RETURNING casework_inbox.event_id)\n SELECT claimed.event_id, "
                     "pg_advisory_xact_lock(hashtextextended($4, $5))", 20, 1.0, 2),
        ("casework", "SELECT casework_inbox.event_id FROM casework_inbox WHERE event_id = $1", 5, 1.0, 3),
        ("casework", "BEGIN", 20, 0.1, 4),
    ]
    summary = statements.summarise(rows, items=10, seconds=1)
    assert summary["by_role"]["routing"]["events_per_item"] == 1.0
    assert summary["by_role"]["casework"]["events_per_item"] == 2.0
    assert summary["by_role"]["casework"]["per_event"] == 2.2  # (20 + 5 + 20) / 10 complaints / 2 events
