"""docs/events.md is generated from the catalogue and the services' @consumes tables, and stays in step; the
privacy rule on sealed contacts holds in the tables themselves."""
import warnings

from libs.contracts.events import CATALOGUE, CONTACT_EVENTS, SEALED_EVENTS
from support.paths import REPO_ROOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from devtools.event_map import render, service_tables


def test_docs_events_md_is_up_to_date():
    expected = render(service_tables())
    assert (REPO_ROOT / "docs" / "events.md").read_text() == expected, \
        "run: .venv/bin/python -m devtools.event_map > docs/events.md"


def test_every_consumed_event_is_in_the_catalogue_and_sealed_events_reach_their_service_only():
    for service, table in service_tables().items():
        assert set(table) <= set(CATALOGUE), service
        for event_type, only_for in SEALED_EVENTS.items():
            assert event_type not in table or service == only_for, f"{service} must not consume {event_type}"
        if service not in ("notification", "casework"):  # who sends messages, and the desk that must not contact
            assert not set(table) & set(CONTACT_EVENTS), f"{service} must not consume contact events"
