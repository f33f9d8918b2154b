"""The synthetic generator emits valid catalogue events, deterministically, covering every event type."""
from collections import Counter

from libs.contracts.events import CONTACT_EVENTS, SEALED_EVENTS, validate_data
from services.analytics.use_cases.synthetic import synthetic_stream, wire_form


def test_every_generated_event_validates_against_the_catalogue_schema_and_round_trips():
    events = synthetic_stream(400, seed=11)
    for event_type, data, occurred_at in events:
        loaded = validate_data(event_type, wire_form(data))  # raises on any schema violation
        assert loaded == data, event_type
        assert occurred_at.tzinfo is not None


def test_the_stream_covers_every_event_type_including_withdrawals():
    counts = Counter(event_type for event_type, _data, _at in synthetic_stream(1500, seed=3))
    # every case event analytics consumes (its @consumes table), and no other: never a contact or sealed content;
    # the coordinators' observations are not case events (tests/unit/analytics/test_analytics_signal_observations.py)
    from services.analytics.service import AnalyticsService
    assert set(counts) == set(AnalyticsService.consumed_events) - {"signal.observation_written"}
    assert not set(counts) & (set(CONTACT_EVENTS) | set(SEALED_EVENTS))
    assert counts["complaint.received"] == 1500


def test_same_seed_same_stream_other_seed_other_stream():
    assert synthetic_stream(50, seed=5) == synthetic_stream(50, seed=5)
    assert synthetic_stream(50, seed=5) != synthetic_stream(50, seed=6)


def test_stream_is_time_ordered_and_nothing_follows_a_withdrawal():
    events = synthetic_stream(800, seed=9)
    times = [at for _type, _data, at in events]
    assert times == sorted(times)
    withdrawn_at = {data["case_ref"]: at for event_type, data, at in events if event_type == "complaint.withdrawn"}
    assert withdrawn_at
    for event_type, data, at in events:
        if data["case_ref"] in withdrawn_at and event_type != "complaint.withdrawn":
            assert at < withdrawn_at[data["case_ref"]]
