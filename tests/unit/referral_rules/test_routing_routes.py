"""Routes added or corrected by issue 17 (sources: the research of issue 17, outside this repository; its section numbers below), with
dates at the edges: the day before and the day a window opens or closes."""
from datetime import date as d

import pytest

from libs.referral_rules.directory import load_directory
from libs.referral_rules.facts import ComplaintFacts
from libs.referral_rules.planner import make_plan

A, W, P, N = "available_now", "after_previous_step", "deadline_passed", "not_applicable"
DIRECTORY = load_directory()


def plan(today, *args, **facts):
    return make_plan(ComplaintFacts(*args, **facts), today)


def codes(step):
    return [message.code for message in step.precondition_messages]


def warning_codes(plan_):
    return {warning.code for warning in plan_.warnings}


# ---- SKGZ: also without an answer (3.1); the insurer's 6 weeks (3.2); 1 year after the decision (3.4) -----------
# filed 1 Sep 2026: the insurer's answer is due 13 Oct; SKGZ opens 14 Oct with no closing date (not confirmed)
@pytest.mark.parametrize("issue", ["refused_service", "privacy"])
@pytest.mark.parametrize("today, expected", [(d(2026, 10, 13), W), (d(2026, 10, 14), A)])
def test_skgz_opens_when_the_health_insurer_has_not_answered_in_six_weeks(issue, today, expected):
    plan_ = plan(today, "health_insurer", issue, prior_complaint_filed_on=d(2026, 9, 1))
    skgz = plan_.step_for("skgz")
    assert skgz.status == expected
    assert (skgz.dates.escalate_from, skgz.dates.escalate_by, skgz.unconfirmed) == (d(2026, 10, 14), None, True)
    assert plan_.steps[0].dates.answer_due == d(2026, 10, 13) and not plan_.steps[0].unconfirmed


@pytest.mark.parametrize("today, expected", [(d(2027, 10, 10), A), (d(2027, 10, 11), P)])
def test_skgz_closes_a_year_after_the_insurers_decision(today, expected):
    skgz = plan(today, "health_insurer", "refused_service", prior_complaint_filed_on=d(2026, 9, 1),
                prior_final_answer_on=d(2026, 10, 10)).step_for("skgz")
    assert (skgz.status, skgz.dates.escalate_from, skgz.dates.escalate_by) == (expected, d(2026, 10, 10),
                                                                              d(2027, 10, 10))
    assert not skgz.unconfirmed


def test_skgz_explains_its_terms_and_fee_and_the_insurer_its_term():
    plan_ = plan(d(2026, 12, 3), "health_insurer", "refused_service")
    assert codes(plan_.step_for("skgz")) == ["skgz.if.after_answer", "skgz.if.time_limit", "skgz.if.fee"]
    assert "within 6 weeks, unless your policy conditions" in plan_.steps[0].why
    skgz = DIRECTORY.channel("skgz")
    assert str(skgz.deadline("after_decision").period) == "P1Y" and skgz.deadline("after_decision").fact.confirmed
    assert str(skgz.deadline("not_referred_extra").period) == "P90D"
    assert not skgz.cost.confirmed  # €37 is from about 2020-2022
    assert skgz.contact["email"].value == "info@skgz.nl"


# ---- Autoriteit Persoonsgegevens: also without an answer, after 1 month (4.1, 4.3) -------------------------------
@pytest.mark.parametrize("filed, day_before, opens", [
    (d(2026, 9, 30), d(2026, 10, 30), d(2026, 10, 31)),
    (d(2027, 1, 31), d(2027, 2, 28), d(2027, 3, 1)),  # 31 Jan + 1 month = 28 Feb
])
def test_the_privacy_authority_opens_a_month_after_the_request_without_an_answer(filed, day_before, opens):
    for kind in ("bank", "municipality"):
        before = plan(day_before, kind, "privacy", prior_complaint_filed_on=filed).step_for(
            "autoriteit-persoonsgegevens")
        assert (before.status, before.dates.escalate_from, before.dates.escalate_by) == (W, opens, None)
        assert plan(opens, kind, "privacy", prior_complaint_filed_on=filed).step_for(
            "autoriteit-persoonsgegevens").status == A


def test_a_government_bodys_answer_about_your_data_is_a_decision():
    uwv = plan(d(2026, 12, 3), "uwv", "privacy").step_for("autoriteit-persoonsgegevens")
    assert "privacy_authority.if.government_decision" in codes(uwv) and uwv.unconfirmed  # law-firm sources only
    bank = plan(d(2026, 12, 3), "bank", "privacy", capacity="private").step_for("autoriteit-persoonsgegevens")
    assert "privacy_authority.if.government_decision" not in codes(bank) and not bank.unconfirmed
    assert "privacy_authority.if.one_month" in codes(bank)


# ---- landlords: the corporation's committee (5.6-5.8), the Huurcommissie's scope (5.9-5.11), the meldpunt (5.1-5.5)
def landlord(today=d(2026, 12, 3), issue="other", **facts):
    return plan(today, "landlord", issue, municipality="GM0599", **facts)


@pytest.mark.parametrize("today, expected", [(d(2026, 11, 12), W), (d(2026, 11, 13), A)])
def test_a_corporation_tenant_can_go_to_its_complaints_committee_after_six_weeks(today, expected):
    step = landlord(today, prior_complaint_filed_on=d(2026, 10, 1), housing_corporation=True).step_for(
        "klachtencommissie-woningcorporatie")
    assert (step.status, step.dates.escalate_from, step.dates.escalate_by) == (expected, d(2026, 11, 13), None)
    assert step.unconfirmed  # terms differ per committee (Arnhem: 3 weeks)
    assert codes(step) == ["klachtencommissie.if.terms"]


def test_the_committee_on_the_day_of_the_corporations_answer():
    step = landlord(d(2026, 10, 20), prior_complaint_filed_on=d(2026, 10, 1), prior_final_answer_on=d(2026, 10, 20),
                    housing_corporation=True).step_for("klachtencommissie-woningcorporatie")
    assert (step.status, step.dates.escalate_from) == (A, d(2026, 10, 20))


@pytest.mark.parametrize("corporation, issue, expected", [
    (True, "other", ["internal:landlord", "klachtencommissie-woningcorporatie", "huurcommissie",
                     "meldpunt-goed-verhuurderschap"]),
    (False, "other", ["internal:landlord", "huurcommissie", "meldpunt-goed-verhuurderschap"]),
    (None, "rude_treatment", ["internal:landlord", "klachtencommissie-woningcorporatie",
                              "meldpunt-goed-verhuurderschap"]),
    (False, "discrimination", ["internal:landlord", "meldpunt-goed-verhuurderschap", "discriminatie-nl",
                               "college-rechten-mens"]),
    (False, "privacy", ["internal:landlord", "autoriteit-persoonsgegevens"]),
    (False, "violence", ["politie-melding", "meld-misdaad-anoniem", "comensha", "arbeidsinspectie"]),
])
def test_landlord_routes(corporation, issue, expected):
    assert landlord(issue=issue, housing_corporation=corporation).channel_ids() == expected


def test_the_reporting_point_is_your_municipalitys_and_takes_anonymous_reports():
    step = landlord(issue="discrimination", housing_corporation=False).step_for("meldpunt-goed-verhuurderschap")
    assert step.kind == "signal" and step.status == A
    assert step.channel_name.startswith("Your municipality's reporting point")
    assert [(m.code, dict(m.params)) for m in step.precondition_messages] == [
        ("meldpunt.if.find_it_in", {"municipality": "Rotterdam"})]
    assert "anonymously" in step.why and "intimidation" in step.why and "discrimination" in step.why
    unknown = plan(d(2026, 12, 3), "landlord", "other").step_for("meldpunt-goed-verhuurderschap")
    assert codes(unknown) == ["meldpunt.if.find_it", "meldpunt.if.corporation"]
    assert DIRECTORY.channel("meldpunt-goed-verhuurderschap").accepts_anonymous.value is True


def test_the_huurcommissie_scope_in_the_free_sector_is_sourced():
    step = landlord(prior_complaint_filed_on=d(2026, 10, 1), housing_corporation=False).step_for("huurcommissie")
    assert codes(step)[-2:] == ["huurcommissie.if.starting_rent", "huurcommissie.if.free_sector_advice"]
    assert not step.unconfirmed
    assert DIRECTORY.channel("huurcommissie").deadline("starting_rent").fact.confirmed


# ---- Juridisch Loket: not for a person's own business (6.1); its real terms (6.2, 6.5) -------------------------------
@pytest.mark.parametrize("kind", ["bank", "insurer", "kvk", "municipality"])
def test_no_juridisch_loket_on_a_business_plan(kind):
    business = plan(d(2026, 12, 3), kind, "refused_service", capacity="business")
    assert "juridisch-loket" not in [option.channel_id for option in business.support]
    assert "juridisch_loket_not_for_business" in warning_codes(business)
    private = plan(d(2026, 12, 3), kind, "refused_service", capacity="private")
    assert "juridisch-loket" in [option.channel_id for option in private.support]
    assert "juridisch_loket_not_for_business" not in warning_codes(private)


def test_the_juridisch_loket_sentence_tells_the_costs_and_the_income_limit():
    option = plan(d(2026, 12, 3), "uwv", "other").support[0]
    assert "0900-8020 costs money" in option.why and "income and savings" in option.why
    loket = DIRECTORY.channel("juridisch-loket")
    assert "€31,100" in loket.cost.value and not loket.cost.confirmed  # 2024 limits; 2025/26 not found
    assert loket.deadline("email_reply").working_days


# ---- GGD: care under the Wkkgz, other conduct under Awb chapter 9 and an ombudsman (7.1-7.3) ---------------------
def ggd(today=d(2026, 12, 3), **facts):
    return plan(today, "care_provider", "rude_treatment", public_body=True, **facts)


def test_a_ggds_conduct_that_is_not_care_goes_through_the_awb():
    plan_ = ggd(municipality="GM0363", about_care=False)
    assert plan_.channel_ids() == ["internal:ggd", "ombudsman-metropool-amsterdam"]
    assert plan_.steps[0].why.startswith("Complain to the GGD itself first. By law it must answer within 6 weeks")
    ombudsman = plan_.steps[1]
    assert ombudsman.unconfirmed and codes(ombudsman)[-1] == "ombudsman.if.check_with_ggd"
    assert dict(ombudsman.precondition_messages[-1].params) == {"body": "Ombudsman Metropool Amsterdam"}
    assert [o.channel_id for o in plan_.support] == ["juridisch-loket"]
    assert "awb_anonymous" in warning_codes(plan_)


@pytest.mark.parametrize("today, expected", [(d(2026, 10, 13), W), (d(2026, 10, 14), A)])
def test_the_ggds_ombudsman_opens_after_its_six_weeks(today, expected):
    step = ggd(today, about_care=False, prior_complaint_filed_on=d(2026, 9, 1)).step_for("nationale-ombudsman")
    assert (step.status, step.dates.escalate_from, step.dates.escalate_by) == (expected, d(2026, 10, 14),
                                                                              d(2027, 10, 13))


def test_a_ggd_of_unknown_kind_gets_both_routes_and_care_only_the_care_route():
    both = ggd(municipality="GM0796")
    assert both.channel_ids() == ["internal:care_provider", "geschilleninstantie-zorg", "internal:ggd",
                                  "ombudscommissie-den-bosch"]
    assert codes(both.steps[0])[0] == "ggd.if.about_care" and codes(both.steps[2])[0] == "ggd.if.not_about_care"
    assert ggd(about_care=True).channel_ids() == ["internal:care_provider", "geschilleninstantie-zorg"]
    assert plan(d(2026, 12, 3), "care_provider", "rude_treatment", about_care=False).channel_ids() == [
        "internal:care_provider", "geschilleninstantie-zorg"]  # not a public body: the Wkkgz only


# ---- care dispute bodies' fees (10.3); the insurer's term (3.2) -----------------------------------------------------
def test_the_care_dispute_step_states_the_fee():
    step = plan(d(2026, 12, 3), "care_provider", "refused_service").step_for("geschilleninstantie-zorg")
    assert codes(step) == ["care_dispute.if.which_body", "care_dispute.if.time_limit", "care_dispute.if.fee"]
    assert "€52.50" in step.preconditions[-1]
    assert "€52.50" in DIRECTORY.channel("geschilleninstantie-zorg").cost.value


@pytest.mark.parametrize("today, expected", [(d(2026, 11, 10), W), (d(2026, 11, 11), A)])
def test_a_care_provider_that_extended_opens_the_dispute_body_after_ten_weeks(today, expected):
    # filed 1 Sep: 6 weeks = 13 Oct, extended by 4 = 10 Nov; the dispute body opens 11 Nov
    step = plan(today, "care_provider", "refused_service", prior_complaint_filed_on=d(2026, 9, 1),
                extension_notified=True).step_for("geschilleninstantie-zorg")
    assert (step.status, step.dates.escalate_from, step.dates.escalate_by) == (expected, d(2026, 11, 11),
                                                                              d(2027, 9, 1))


# ---- College voor de Rechten van de Mens: race/origin in benefits and allowances (8.1-8.3) -------------------------
@pytest.mark.parametrize("kind, expected", [
    ("uwv", "discrimination.if.social_protection"), ("svb", "discrimination.if.social_protection"),
    ("tax_authority", "discrimination.if.social_protection"), ("municipality", "discrimination.if.social_protection"),
    ("kvk", "discrimination.if.government"), ("bank", None)])
def test_the_college_can_judge_origin_discrimination_in_benefits_and_allowances(kind, expected):
    college = plan(d(2026, 12, 3), kind, "discrimination", capacity="private").step_for("college-rechten-mens")
    scope = [code for code in codes(college) if code.startswith("discrimination.if.") and code not in (
        "discrimination.if.listed_grounds", "discrimination.if.not_binding")]
    assert scope == ([expected] if expected else [])
    assert college.status == A
    if expected == "discrimination.if.social_protection":
        assert "race or origin" in college.preconditions[-1] and "Toeslagen" in college.preconditions[-1]


# ---- anonymity: every government body may refuse an anonymous written complaint (1.5, 1.10, 1.11) ------------------
@pytest.mark.parametrize("kind", ["municipality", "tax_authority", "uwv", "svb", "kvk"])
def test_every_government_body_may_refuse_an_anonymous_complaint_and_the_plan_says_what_helps(kind):
    plan_ = plan(d(2026, 12, 3), kind, "rude_treatment")
    warning = next(w for w in plan_.warnings if w.code == "awb_anonymous")
    assert dict(warning.params)["channel_ids"] == (f"internal:{kind}",)
    assert "anonymous_help" in warning_codes(plan_)
    assert "may refuse" in DIRECTORY.channel(f"internal:{kind}").accepts_anonymous.value


def test_the_police_refuse_anonymous_complaints_and_the_plan_says_what_helps():
    codes_ = warning_codes(plan(d(2026, 12, 3), "police", "rude_treatment"))
    assert {"not_anonymous", "anonymous_help"} <= codes_ and "awb_anonymous" not in codes_


def test_no_anonymity_warning_where_no_government_body_is_involved():
    codes_ = warning_codes(plan(d(2026, 12, 3), "bank", "refused_service", capacity="private"))
    assert not codes_ & {"awb_anonymous", "anonymous_help", "not_anonymous"}


# ---- violence by a municipal enforcement officer (boa) is a complaint about the municipality (9.1-9.5) --------------
def test_boa_violence_keeps_the_complaint_route_next_to_the_signals():
    plan_ = plan(d(2026, 12, 3), "municipality", "violence", municipality="GM0202", incident_date=d(2026, 11, 20))
    assert plan_.signal
    assert plan_.channel_ids()[-2:] == ["internal:municipality", "nationale-ombudsman"]
    assert "first_line.if.boa" in codes(plan_.step_for("internal:municipality"))
    assert {"signal_not_passed_on", "report_may_pause_complaint", "check_with_municipality"} <= warning_codes(plan_)
    assert "Arnhem" in plan_.step_for("nationale-ombudsman").preconditions[-1]


def test_exploitation_plans_stay_signal_only_even_about_a_municipality():
    plan_ = plan(d(2026, 12, 3), "municipality", "exploitation", municipality="GM0363")
    assert plan_.channel_ids() == ["politie-melding", "meld-misdaad-anoniem", "comensha", "arbeidsinspectie"]
    assert "report_may_pause_complaint" not in warning_codes(plan_)
