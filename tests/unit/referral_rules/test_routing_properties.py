"""Properties that must hold for any valid complaint: well-formed plans, safe signal routing, partner limits."""
import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from libs.contracts.events import CAPACITIES, INSTITUTION_TYPES, ISSUES, LANGUAGES, REPORTER_ROLES
from libs.referral_rules.channel_ids import SIGNAL_CHANNELS, first_line_channel
from libs.referral_rules.directory import load_directory
from libs.referral_rules.first_line import first_line_id
from libs.referral_rules.facts import ComplaintFacts
from libs.contracts.partner_events import ALLOWED_FIELDS
from services.routing.domain.partners import PartnerConfig, partner_referrals
from libs.referral_rules.plan import AVAILABLE_NOW, STATUSES
from libs.referral_rules.planner import make_plan

DIRECTORY = load_directory()
CODES = sorted(DIRECTORY.municipalities)
MUNICIPAL_BODIES = {m.ombudsman for m in DIRECTORY.municipalities.values()} - {"nationale-ombudsman"}
PROFILE = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARTNER_PROFILE = settings(PROFILE, max_examples=100)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def complaint_facts(draw):
    filed = draw(st.none() | days)
    answered = draw(st.none() | (st.just(None) if filed is None else
                                 st.integers(0, 400).map(lambda n: filed + timedelta(days=n))))
    if filed is None and draw(st.booleans()):
        answered = draw(st.none() | days)  # a final answer whose filing date the person does not know
    return ComplaintFacts(
        institution_type=draw(st.sampled_from(INSTITUTION_TYPES)), issue=draw(st.sampled_from(ISSUES)),
        municipality=draw(st.none() | st.sampled_from(CODES)), capacity=draw(st.none() | st.sampled_from(CAPACITIES)),
        incident_date=draw(st.none() | days), prior_complaint_filed_on=filed, prior_final_answer_on=answered,
        reporter_role=draw(st.sampled_from(REPORTER_ROLES)), wants_mediation=draw(st.booleans()),
        language=draw(st.none() | st.sampled_from(LANGUAGES)),
        first_complaint_unreasonable=draw(st.booleans()), advisory_committee=draw(st.none() | st.booleans()),
        extension_notified=draw(st.booleans()), public_body=draw(st.booleans()),
        about_care=draw(st.none() | st.booleans()), housing_corporation=draw(st.none() | st.booleans()))


@PROFILE
@given(complaint_facts(), days)
def test_every_plan_is_well_formed(facts, today):
    plan = make_plan(facts, today, DIRECTORY)
    assert plan.steps, "a plan always offers something"
    assert [s.order for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    assert len(set(plan.channel_ids())) == len(plan.steps)
    for step in plan.steps:
        channel = DIRECTORY.channel(step.channel_id)
        assert step.kind == channel.kind and step.channel_name == channel.name
        assert step.status in STATUSES and step.why.strip()
        dates = step.dates
        if dates.answer_due and dates.extension_limit:
            assert dates.answer_due < dates.extension_limit
        if step.status == AVAILABLE_NOW and dates.escalate_from:
            assert dates.escalate_from <= today
        if step.status == AVAILABLE_NOW and dates.escalate_by:
            assert today <= dates.escalate_by
    if not plan.signal:
        assert plan.steps[0].channel_id == first_line_id(facts)
    # the Juridisch Loket does not advise on a person's own business (FACTS 6.1)
    assert ("juridisch-loket" in [option.channel_id for option in plan.support]) is (facts.capacity != "business")
    as_json = json.loads(json.dumps(plan.to_dict()))  # JSON-serialisable, dates as ISO strings
    for step in as_json["steps"]:
        for value in step["dates"].values():
            assert value is None or date.fromisoformat(value)


@PROFILE
@given(complaint_facts(), days)
def test_signals_never_reach_a_municipality_or_municipal_ombudsman(facts, today):
    plan = make_plan(facts, today, DIRECTORY)
    assert plan.signal is (facts.issue in ("violence", "exploitation"))
    if plan.signal:
        ids = set(plan.channel_ids())
        if facts.institution_type == "municipality" and facts.issue == "violence":
            # a municipal boa's violence is a complaint about the municipality (Awb 9:1 lid 2): the route is shown,
            # as the person's choice, next to the signal channels; exploitation stays signal-only
            assert first_line_channel("municipality") in ids
        else:
            assert "internal:municipality" not in ids
            assert not ids & MUNICIPAL_BODIES
        assert "meldpunt-goed-verhuurderschap" not in ids
        assert set(SIGNAL_CHANNELS) <= ids


partner_configs = st.lists(
    st.builds(PartnerConfig,
              partner_id=st.sampled_from(["kifid", "nationale-ombudsman", "skgz", "ombudsman-den-haag", "comensha"]),
              channel_ids=st.lists(st.sampled_from(sorted(DIRECTORY.channels)), min_size=1, max_size=4).map(tuple),
              fields=st.lists(st.sampled_from(ALLOWED_FIELDS), min_size=1, unique=True).map(tuple)),
    max_size=5)


@PARTNER_PROFILE
@given(complaint_facts(), days, partner_configs)
def test_partner_payloads_stay_inside_each_allowlist(facts, today, partners):
    plan = make_plan(facts, today, DIRECTORY)
    referrals = partner_referrals(plan, {"referral": True}, partners, "CASE-1", b"k" * 32)
    by_id = {}
    for partner in partners:
        by_id.setdefault(partner.partner_id, []).append(partner)
    for referral in referrals:
        allowed = set().union(*(set(p.fields) for p in by_id[referral.partner_id]))
        assert set(referral.data) <= allowed <= set(ALLOWED_FIELDS)
        json.dumps(referral.data)
    for referral in referrals:  # only partners whose channel is in the plan
        assert any(set(p.channel_ids) & set(plan.channel_ids()) for p in by_id[referral.partner_id])


@PARTNER_PROFILE
@given(complaint_facts(), days, partner_configs,
       st.sampled_from([{}, {"referral": False}, {"referral": None}, {"referral": "true"}, {"referral": 1},
                        {"contact": True, "share_description": True, "referral": False}]))
def test_no_referral_without_consent(facts, today, partners, consent):
    plan = make_plan(facts, today, DIRECTORY)
    assert partner_referrals(plan, consent, partners, "CASE-1", b"k" * 32) == []
