"""Realistic scenarios, one row each: who the complaint is about, what happened, when, and what the plan must say.

Expected dates are worked out by hand in the comments (Awb 9:11: 6 weeks = 42 days; 9:24: one year after the
end of handling; Kifid: 8 weeks, then 3 months after the final answer or 1 year after the first complaint).
"""
from datetime import date as d

import pytest

from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan

A, W, P, N = "available_now", "after_previous_step", "deadline_passed", "not_applicable"
TODAY = d(2026, 11, 28)
CARE_SUPPORT = ("juridisch-loket", "klachtenloket-zorg", "landelijk-meldpunt-zorg")
SIGNAL_STEPS = [("politie-melding", A), ("meld-misdaad-anoniem", A), ("comensha", A), ("arbeidsinspectie", A)]


def row(name, facts, steps, today=TODAY, dates=None, warnings=(), no_warnings=(), signal=False,
        unconfirmed=None, support=("juridisch-loket",)):
    return pytest.param(facts, today, steps, dates or {}, set(warnings), set(no_warnings), signal,
                        unconfirmed or {}, support, id=name)


def muni(code, **extra):
    return dict(institution_type="municipality", issue="rude_treatment", municipality=code, **extra)


FILED_ANSWERED = dict(prior_complaint_filed_on=d(2026, 9, 1), prior_final_answer_on=d(2026, 10, 15))

SCENARIOS = [
    # ---- municipality, Awb 9.1 then the ombudsman for that municipality ------------------------------------
    row("amsterdam-not-filed-yet", muni("GM0363", incident_date=d(2026, 10, 1)),
        [("internal:municipality", A), ("ombudsman-metropool-amsterdam", W)],
        dates={"internal:municipality": {"file_by": d(2027, 10, 1), "answer_due": None}}),
    # filed 1 Oct 2026: answer due 12 Nov (42 days), extension limit 10 Dec; ombudsman opens 13 Nov
    row("amsterdam-answer-due-today", muni("GM0363", prior_complaint_filed_on=d(2026, 10, 1)),
        [("internal:municipality", A), ("ombudsman-metropool-amsterdam", W)], today=d(2026, 11, 12),
        dates={"internal:municipality": {"answer_due": d(2026, 11, 12), "extension_limit": d(2026, 12, 10)},
               "ombudsman-metropool-amsterdam": {"escalate_from": d(2026, 11, 13)}}),
    row("amsterdam-day-after-answer-due", muni("GM0363", prior_complaint_filed_on=d(2026, 10, 1)),
        [("internal:municipality", A), ("ombudsman-metropool-amsterdam", A)], today=d(2026, 11, 13),
        dates={"ombudsman-metropool-amsterdam": {"escalate_from": d(2026, 11, 13),
                                                 "escalate_by": d(2027, 11, 12)}}),
    # answered 10 Mar 2026: the ombudsman window closes 10 Mar 2027
    row("rotterdam-ombudsman-day-before-year", muni("GM0599", prior_complaint_filed_on=d(2026, 2, 1),
                                                    prior_final_answer_on=d(2026, 3, 10)),
        [("internal:municipality", A), ("ombudsman-rotterdam", A)], today=d(2027, 3, 9),
        dates={"ombudsman-rotterdam": {"escalate_from": d(2026, 3, 10), "escalate_by": d(2027, 3, 10)}}),
    row("rotterdam-ombudsman-last-day", muni("GM0599", prior_complaint_filed_on=d(2026, 2, 1),
                                             prior_final_answer_on=d(2026, 3, 10)),
        [("internal:municipality", A), ("ombudsman-rotterdam", A)], today=d(2027, 3, 10),
        no_warnings={"second_line_window_closed"}),
    row("rotterdam-ombudsman-day-after-year", muni("GM0599", prior_complaint_filed_on=d(2026, 2, 1),
                                                   prior_final_answer_on=d(2026, 3, 10)),
        [("internal:municipality", A), ("ombudsman-rotterdam", P)], today=d(2027, 3, 11),
        warnings={"second_line_window_closed"}),
    # Awb 9:8: conduct more than a year before the complaint may be refused
    row("den-haag-conduct-exactly-a-year-ago", muni("GM0518", incident_date=d(2025, 11, 28)),
        [("internal:municipality", A), ("ombudsman-den-haag", W)],
        dates={"internal:municipality": {"file_by": d(2026, 11, 28)}}, no_warnings={"conduct_older_than_a_year"}),
    row("den-haag-conduct-a-year-and-a-day-ago", muni("GM0518", incident_date=d(2025, 11, 27)),
        [("internal:municipality", P), ("ombudsman-den-haag", W)], warnings={"conduct_older_than_a_year"}),
    row("den-haag-conduct-a-day-under-a-year", muni("GM0518", incident_date=d(2025, 11, 29)),
        [("internal:municipality", A), ("ombudsman-den-haag", W)]),
    row("groningen-leap-day-incident", muni("GM0014", incident_date=d(2024, 2, 29)),
        [("internal:municipality", P), ("ombudsman-groningen", W)],
        dates={"internal:municipality": {"file_by": d(2025, 2, 28)}}),
    # the other LPP municipalities, each answered 15 Oct 2026 → window until 15 Oct 2027
    row("utrecht-answered", muni("GM0344", **FILED_ANSWERED),
        [("internal:municipality", A), ("ombudsman-utrecht", A)],
        dates={"ombudsman-utrecht": {"escalate_by": d(2027, 10, 15)}}, unconfirmed={"ombudsman-utrecht": False}),
    row("nijmegen-answered", muni("GM0268", **FILED_ANSWERED),
        [("internal:municipality", A), ("ombudsman-nijmegen", A)]),
    row("den-bosch-answered", muni("GM0796", **FILED_ANSWERED),
        [("internal:municipality", A), ("ombudscommissie-den-bosch", A)]),
    row("arnhem-unconfirmed-national-ombudsman", muni("GM0202", **FILED_ANSWERED),
        [("internal:municipality", A), ("nationale-ombudsman", A)],
        warnings={"check_with_municipality"}, unconfirmed={"nationale-ombudsman": True}),
    row("leeuwarden-unconfirmed", muni("GM0080", **FILED_ANSWERED),
        [("internal:municipality", A), ("nationale-ombudsman", A)],
        warnings={"check_with_municipality"}, unconfirmed={"nationale-ombudsman": True}),
    row("tilburg-unconfirmed", muni("GM0855", **FILED_ANSWERED),
        [("internal:municipality", A), ("nationale-ombudsman", A)],
        warnings={"check_with_municipality"}, unconfirmed={"nationale-ombudsman": True}),
    row("schiedam-confirmed-national", muni("GM0606", **FILED_ANSWERED),
        [("internal:municipality", A), ("nationale-ombudsman", A)],
        no_warnings={"check_with_municipality"}, unconfirmed={"nationale-ombudsman": False}),
    row("eindhoven-own-commission", muni("GM0772"), [("internal:municipality", A), ("ombudscommissie-eindhoven", W)]),
    # Capelle is a confirmed ORR member since the 2026-12-03 research; Voorne aan Zee (merged 2023) is not confirmed
    row("capelle-rotterdam-confirmed", muni("GM0502"), [("internal:municipality", A), ("ombudsman-rotterdam", W)],
        no_warnings={"check_with_municipality"}, unconfirmed={"ombudsman-rotterdam": False}),
    row("voorne-aan-zee-rotterdam-unconfirmed", muni("GM1992"),
        [("internal:municipality", A), ("ombudsman-rotterdam", W)],
        warnings={"check_with_municipality"}, unconfirmed={"ombudsman-rotterdam": True}),
    row("municipality-unknown", muni(None), [("internal:municipality", A), ("nationale-ombudsman", W)],
        warnings={"municipality_unknown"}, unconfirmed={"nationale-ombudsman": True}),
    row("amsterdam-permit-decision", dict(muni("GM0363"), issue="permit"),
        [("internal:municipality", A), ("ombudsman-metropool-amsterdam", W)], warnings={"decision_needs_objection"}),
    row("support-worker-reports-for-someone", dict(muni("GM0363"), reporter_role="support_worker"),
        [("internal:municipality", A), ("ombudsman-metropool-amsterdam", W)], warnings={"person_concerned"}),
    # ---- violence / exploitation: signal channels only --------------------------------------------------------
    # violence by a municipal boa is the municipality's conduct (Awb 9:1 lid 2): its complaint route stays visible
    row("amsterdam-boa-violence", dict(muni("GM0363"), issue="violence"),
        SIGNAL_STEPS + [("internal:municipality", A), ("ombudsman-metropool-amsterdam", W)], signal=True,
        warnings={"signal_not_passed_on", "report_may_pause_complaint"}),
    row("rotterdam-exploitation", dict(muni("GM0599"), issue="exploitation"), SIGNAL_STEPS, signal=True,
        support=("juridisch-loket", "fairwork")),
    row("operator-exploitation", dict(institution_type="employer_or_operator", issue="exploitation"),
        SIGNAL_STEPS, signal=True, support=("juridisch-loket", "fairwork")),
    row("police-violence", dict(institution_type="police", issue="violence", incident_date=d(2026, 11, 1)),
        SIGNAL_STEPS + [("politie-klachten", A), ("nationale-ombudsman", W)], signal=True),
    # ---- police: own procedure, then the Nationale ombudsman --------------------------------------------------
    row("police-rude-not-filed", dict(institution_type="police", issue="rude_treatment",
                                      incident_date=d(2026, 6, 1)),
        [("politie-klachten", A), ("nationale-ombudsman", W)], warnings={"not_anonymous"},
        dates={"politie-klachten": {"file_by": d(2027, 6, 1)}}, unconfirmed={"politie-klachten": True}),
    row("police-answered", dict(institution_type="police", issue="rude_treatment", **FILED_ANSWERED),
        [("politie-klachten", A), ("nationale-ombudsman", A)],
        dates={"nationale-ombudsman": {"escalate_from": d(2026, 10, 15), "escalate_by": d(2027, 10, 15)}}),
    row("police-discrimination", dict(institution_type="police", issue="discrimination"),
        [("politie-klachten", A), ("nationale-ombudsman", W), ("discriminatie-nl", A), ("college-rechten-mens", N)]),
    # ---- banks and insurers: IKP → Kifid (consumers only) ----------------------------------------------------
    # filed 1 Sep 2026: 8 weeks = 27 Oct; Kifid opens 28 Oct; closes 1 Sep 2027 (1 year after the complaint)
    row("bank-private-8-weeks-not-yet", dict(institution_type="bank", issue="account_refused_or_closed",
                                             capacity="private", prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:bank", A), ("kifid", W)], today=d(2026, 10, 27),
        dates={"internal:bank": {"answer_due": d(2026, 10, 27), "extension_limit": None}},
        warnings={"basic_account_right"}),
    row("bank-private-8-weeks-passed", dict(institution_type="bank", issue="account_refused_or_closed",
                                            capacity="private", prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:bank", A), ("kifid", A)], today=d(2026, 10, 28),
        dates={"kifid": {"escalate_from": d(2026, 10, 28), "escalate_by": d(2027, 9, 1)}}),
    # answered 10 Oct 2026, filed 1 Sep 2026: the later of 10 Jan 2027 and 1 Sep 2027
    row("bank-answered-year-limit-wins", dict(institution_type="bank", issue="refused_service", capacity="private",
                                              prior_complaint_filed_on=d(2026, 9, 1),
                                              prior_final_answer_on=d(2026, 10, 10)),
        [("internal:bank", A), ("kifid", A)], dates={"kifid": {"escalate_by": d(2027, 9, 1)}}),
    # filed 1 Sep 2025, answered 10 Oct 2026: the later of 10 Jan 2027 and 1 Sep 2026 → 10 Jan 2027
    row("bank-3-months-last-day", dict(institution_type="bank", issue="refused_service", capacity="private",
                                       prior_complaint_filed_on=d(2025, 9, 1), prior_final_answer_on=d(2026, 10, 10)),
        [("internal:bank", A), ("kifid", A)], today=d(2027, 1, 10), dates={"kifid": {"escalate_by": d(2027, 1, 10)}}),
    row("bank-3-months-day-after", dict(institution_type="bank", issue="refused_service", capacity="private",
                                        prior_complaint_filed_on=d(2025, 9, 1), prior_final_answer_on=d(2026, 10, 10)),
        [("internal:bank", A), ("kifid", P)], today=d(2027, 1, 11)),
    # 30 Nov + 3 months: there is no 30 February, so the window closes on 28 February
    row("bank-answer-on-30-november", dict(institution_type="bank", issue="refused_service",
                                           capacity="private", prior_final_answer_on=d(2026, 11, 30)),
        [("internal:bank", A), ("kifid", A)], today=d(2026, 12, 1), dates={"kifid": {"escalate_by": d(2027, 2, 28)}}),
    row("bank-zzp-business-account", dict(institution_type="bank", issue="account_refused_or_closed",
                                          capacity="business", prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:bank", A), ("kifid", N), ("afm-meldpunt", A)],
        warnings={"kifid_not_for_business", "juridisch_loket_not_for_business"},
        no_warnings={"basic_account_right"}, dates={"kifid": {"escalate_by": None}}, support=()),
    row("bank-capacity-unknown", dict(institution_type="bank", issue="refused_service"),
        [("internal:bank", A), ("kifid", W)], warnings={"capacity_unknown"}),
    row("insurer-private", dict(institution_type="insurer", issue="refused_service", capacity="private",
                                prior_complaint_filed_on=d(2026, 8, 1), prior_final_answer_on=d(2026, 9, 20)),
        [("internal:insurer", A), ("kifid", A)], dates={"kifid": {"escalate_by": d(2027, 8, 1)}}),
    row("insurer-business", dict(institution_type="insurer", issue="refused_service", capacity="business"),
        [("internal:insurer", A), ("kifid", N), ("afm-meldpunt", A)], support=()),
    # ---- health insurer → SKGZ, never Kifid -----------------------------------------------------------------
    # the insurer's 6 weeks are sourced now (SKGZ); SKGZ also takes it when the insurer never answered
    row("health-insurer-not-filed", dict(institution_type="health_insurer", issue="refused_service"),
        [("internal:health_insurer", A), ("skgz", W)], unconfirmed={"internal:health_insurer": False, "skgz": True}),
    row("health-insurer-waiting", dict(institution_type="health_insurer", issue="refused_service",
                                       prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:health_insurer", A), ("skgz", A)],
        dates={"internal:health_insurer": {"answer_due": d(2026, 10, 13)}, "skgz": {"escalate_from": d(2026, 10, 14)}}),
    row("health-insurer-answered", dict(institution_type="health_insurer", issue="rude_treatment",
                                        capacity="private", **FILED_ANSWERED),
        [("internal:health_insurer", A), ("skgz", A)]),
    # ---- care providers: complaint officer (6 + 4 weeks) → dispute body (1 year after the complaint) ------------
    # filed 1 Sep 2026: answer due 13 Oct, extension limit 10 Nov, dispute body from 14 Oct until 1 Sep 2027
    row("care-answer-due-day", dict(institution_type="care_provider", issue="rude_treatment",
                                    prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:care_provider", A), ("geschilleninstantie-zorg", W)], today=d(2026, 10, 13),
        dates={"internal:care_provider": {"answer_due": d(2026, 10, 13), "extension_limit": d(2026, 11, 10)},
               "geschilleninstantie-zorg": {"escalate_from": d(2026, 10, 14), "escalate_by": d(2027, 9, 1)}},
        support=CARE_SUPPORT),
    row("care-day-after-due", dict(institution_type="care_provider", issue="rude_treatment",
                                   prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:care_provider", A), ("geschilleninstantie-zorg", A)], today=d(2026, 10, 14), support=CARE_SUPPORT),
    row("care-dispute-year-passed", dict(institution_type="care_provider", issue="refused_service",
                                         prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:care_provider", A), ("geschilleninstantie-zorg", P)], today=d(2027, 9, 2), support=CARE_SUPPORT),
    row("care-dispute-last-day", dict(institution_type="care_provider", issue="refused_service",
                                      prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:care_provider", A), ("geschilleninstantie-zorg", A)], today=d(2027, 9, 1), support=CARE_SUPPORT),
    # ---- national government bodies: Awb 9.1 → Nationale ombudsman ----------------------------------------------
    row("tax-authority-answered", dict(institution_type="tax_authority", issue="rude_treatment", **FILED_ANSWERED),
        [("internal:tax_authority", A), ("nationale-ombudsman", A)],
        dates={"nationale-ombudsman": {"escalate_by": d(2027, 10, 15)}}),
    row("uwv-waiting", dict(institution_type="uwv", issue="refused_service", prior_complaint_filed_on=d(2026, 11, 1)),
        [("internal:uwv", A), ("nationale-ombudsman", W)],
        dates={"internal:uwv": {"answer_due": d(2026, 12, 13), "extension_limit": d(2027, 1, 10)}}),
    row("svb-late-answer", dict(institution_type="svb", issue="other", prior_complaint_filed_on=d(2026, 9, 1)),
        [("internal:svb", A), ("nationale-ombudsman", A)],
        dates={"nationale-ombudsman": {"escalate_from": d(2026, 10, 14), "escalate_by": d(2027, 10, 13)}}),
    row("kvk-refused-registration-service", dict(institution_type="kvk", issue="refused_service"),
        [("internal:kvk", A), ("nationale-ombudsman", W)], unconfirmed={"internal:kvk": True}),
    # ---- landlords → Huurcommissie ---------------------------------------------------------------------------------
    # the corporation's committee (if the landlord may be a corporation), the Huurcommissie's sourced scope, and the
    # municipal reporting point under the Wet goed verhuurderschap
    row("landlord-not-raised", dict(institution_type="landlord", issue="other"),
        [("internal:landlord", A), ("klachtencommissie-woningcorporatie", W), ("huurcommissie", W),
         ("meldpunt-goed-verhuurderschap", A)]),
    row("landlord-raised", dict(institution_type="landlord", issue="other", prior_complaint_filed_on=d(2026, 10, 1)),
        [("internal:landlord", A), ("klachtencommissie-woningcorporatie", A), ("huurcommissie", A),
         ("meldpunt-goed-verhuurderschap", A)], unconfirmed={"huurcommissie": False},
        dates={"klachtencommissie-woningcorporatie": {"escalate_from": d(2026, 11, 13)}}),
    row("landlord-discrimination", dict(institution_type="landlord", issue="discrimination"),
        [("internal:landlord", A), ("klachtencommissie-woningcorporatie", W), ("meldpunt-goed-verhuurderschap", A),
         ("discriminatie-nl", A), ("college-rechten-mens", A)]),
    # ---- privacy: the organisation (its FG) → Autoriteit Persoonsgegevens --------------------------------------------
    row("municipality-privacy", dict(muni("GM0363"), issue="privacy"),
        [("internal:municipality", A), ("autoriteit-persoonsgegevens", W)], warnings={"not_anonymous"}),
    row("health-insurer-privacy-answered", dict(institution_type="health_insurer", issue="privacy",
                                                **FILED_ANSWERED),
        [("internal:health_insurer", A), ("autoriteit-persoonsgegevens", A), ("skgz", A)]),
    # ---- discrimination and the rest ---------------------------------------------------------------------------------
    row("bank-discrimination", dict(institution_type="bank", issue="discrimination", capacity="private"),
        [("internal:bank", A), ("kifid", W), ("discriminatie-nl", A), ("college-rechten-mens", A)]),
    row("operator-rude", dict(institution_type="employer_or_operator", issue="rude_treatment"),
        [("internal:employer_or_operator", A), ("arbeidsinspectie", A)], support=("juridisch-loket", "fairwork")),
    row("other-organisation", dict(institution_type="other", issue="refused_service"), [("internal:other", A)]),
]


@pytest.mark.parametrize("facts, today, steps, dates, warnings, no_warnings, signal, unconfirmed, support",
                         SCENARIOS)
def test_scenario(facts, today, steps, dates, warnings, no_warnings, signal, unconfirmed, support):
    plan = make_plan(ComplaintFacts(**facts), today)

    assert [(step.channel_id, step.status) for step in plan.steps] == steps
    assert [step.order for step in plan.steps] == list(range(1, len(steps) + 1))
    assert plan.signal is signal
    for channel_id, expected in dates.items():
        actual = plan.step_for(channel_id).dates
        for key, value in expected.items():
            assert getattr(actual, key) == value, f"{channel_id}.{key}"
    codes = {warning.code for warning in plan.warnings}
    assert warnings <= codes
    assert not (no_warnings & codes)
    for channel_id, flag in unconfirmed.items():
        assert plan.step_for(channel_id).unconfirmed is flag, channel_id
    assert [option.channel_id for option in plan.support] == list(support)


def test_there_are_at_least_forty_scenarios():
    assert len(SCENARIOS) >= 40


def test_kifid_is_never_offered_for_a_health_insurer():
    for issue in ("refused_service", "rude_treatment", "privacy", "discrimination", "other"):
        plan = make_plan(ComplaintFacts("health_insurer", issue, capacity="private"), TODAY)
        assert "kifid" not in plan.channel_ids()


def test_business_kifid_step_explains_why():
    plan = make_plan(ComplaintFacts("bank", "account_refused_or_closed", capacity="business"), TODAY)
    assert "consumers" in plan.step_for("kifid").why


def test_privacy_plan_says_the_authority_takes_no_anonymous_complaints():
    plan = make_plan(ComplaintFacts("bank", "privacy", capacity="private"), TODAY)
    step = plan.step_for("autoriteit-persoonsgegevens")
    assert "anonymous" in step.why and any("anonymous" in text for text in step.preconditions)
    assert any("data protection officer (FG)" in text for text in plan.steps[0].preconditions)
