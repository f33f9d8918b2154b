"""Plans and the follow-up actions in the page's language: no English plan text on a non-English page."""
import datetime
import re

import pytest

from services.intake.web import labels, pages
from services.intake.web.catalogues import translations_for
from services.intake.web.follow_up_actions import parse_progress
from services.intake.web.labels import STATUS_LABELS
from libs.contracts.explanation_texts import ENGLISH
from web_sample_pages import BIG_PLANS, CSRF, STATUS, action_pages, coded_plan

OTHER_LANGUAGES = [lang for lang in pages.SUPPORTED_LANGUAGES if lang != "en"]
PLAN_STATUSES = ("available_now", "after_previous_step", "deadline_passed", "not_applicable")
# the start of every English sentence, up to its first parameter: enough to recognise it on a page
ENGLISH_STARTS = {code: re.split(r"%\(\w+\)s", text)[0][:40] for code, text in ENGLISH.items()}


def _visible(html):
    return re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&amp;", "&")


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
@pytest.mark.parametrize("plan_name", sorted(BIG_PLANS))
def test_a_plan_on_a_non_english_page_has_no_english_sentence_or_status_code(lang, plan_name):
    plan = coded_plan(**BIG_PLANS[plan_name])
    text = _visible(pages.render_route_explorer(lang, CSRF, {}, plan, {}))
    leftovers = [code for code, start in ENGLISH_STARTS.items() if len(start) > 12 and start in text]
    assert leftovers == []
    for status in PLAN_STATUSES:
        assert status not in text and STATUS_LABELS[status] not in text
    shown = {step["status"] for step in plan["steps"]}
    gettext = translations_for(lang).gettext
    assert all(gettext(STATUS_LABELS[status]) in text for status in shown)


def test_the_english_page_shows_the_plain_status_words():
    plan = coded_plan(**BIG_PLANS["discrimination_by_municipality"])
    text = _visible(pages.render_route_explorer("en", CSRF, {}, plan, {}))
    assert "You can do this now" in text and "After the previous step" in text and "available_now" not in text


def test_a_warning_that_names_channels_names_them_in_the_page_language():
    plan = coded_plan(institution_type="police", issue="privacy")
    text = _visible(pages.render_route_explorer("nl", CSRF, {}, plan, {}))
    assert "Deze nemen geen anonieme klachten aan: Klachtenprocedure van de politie" in text


def test_a_plan_without_codes_is_shown_as_given():
    plan = {"steps": [{"order": 1, "name": "Kifid", "why": "As given.", "status": "available_now", "dates": {}}],
            "support": ["Someone"], "warnings": ["A warning."], "signal": False}
    text = _visible(pages.render_route_explorer("pl", CSRF, {}, plan, {}))
    assert "As given." in text and "A warning." in text and "Możesz to zrobić teraz" in text


@pytest.mark.parametrize("lang", pages.SUPPORTED_LANGUAGES)
def test_follow_up_actions_carry_the_receipt_only_in_hidden_fields_and_translate_the_step_status(lang):
    html = action_pages(lang)["follow_up_progress_errors"]
    # the action forms: write to the desk, report progress, withdraw (and the lookup form without a receipt)
    assert html.count('<input type="hidden" name="receipt" value="ab12-cd34-ef56-gh78-ij90">') == 3
    assert "ab12-cd34-ef56-gh78-ij90" not in _visible(html)
    assert 'name="action" value="progress"' in html and 'name="action" value="withdraw"' in html
    assert 'name="action" value="write_message"' in html and 'enctype="multipart/form-data"' in html
    assert 'href="#f-progress_kind"' in html and 'href="#f-progress_on"' in html
    # four forms on the case; each written-complaint step also has a form that opens the letter builder
    assert html.count('name="csrf_token"') - html.count(f'action="/{lang}/letter"') == 4


STOP_BUTTON = {"en": "Stop messages to me", "nl": "Stuur mij geen berichten meer", "es": "No enviarme más mensajes",
               "ro": "Nu-mi mai trimiteți mesaje", "bg": "Не ми изпращайте повече съобщения",
               "pl": "Nie wysyłajcie mi więcej wiadomości"}


@pytest.mark.parametrize("lang", pages.SUPPORTED_LANGUAGES)
def test_a_person_who_asked_for_messages_can_stop_them_in_their_language(lang):
    shown = action_pages(lang)
    with_messages = shown["follow_up_with_messages"]
    assert 'name="action" value="stop_messages"' in with_messages and STOP_BUTTON[lang] in _visible(with_messages)
    # the stop form carries the receipt in a hidden field like every other action, never in the URL
    assert with_messages.count('<input type="hidden" name="receipt" value="ab12-cd34-ef56-gh78-ij90">') == 4
    # without consent to be contacted there is nothing to stop
    assert 'value="stop_messages"' not in shown["follow_up_progress_errors"]
    stopped = _visible(shown["follow_up_messages_stopped"])
    assert translations_for(lang).gettext(labels.FOLLOW_UP_NOTICES["messages_stopped"]) in stopped
    if lang != "en":
        assert "Stop messages" not in stopped + _visible(with_messages)


def test_the_mediator_line_promises_contact_only_to_a_person_who_asked_for_it():
    """"They will contact you" to someone who chose no contact, or stopped it, would have them wait for a call
    that cannot come; and "you did not ask" would be wrong for someone who asked and then stopped."""
    shown = action_pages("en")
    assert "They will contact you in the way you chose" in _visible(shown["follow_up_with_messages"])
    without = _visible(shown["follow_up_progress_errors"])
    assert "They will contact you" not in without
    assert "We will not contact you, so news about the mediation appears on this page" in without


def test_withdrawal_asks_for_confirmation_and_offers_a_way_back():
    html = action_pages("es")["follow_up_confirm_withdraw"]
    assert 'value="withdraw_confirmed"' in html and 'value="show"' in html
    assert 'name="reference" value="VP-7KQ2-M9XD"' in html and 'id="f-receipt"' not in html


def test_the_follow_up_status_translates_plan_step_statuses():
    status = dict(STATUS, steps=[dict(STATUS["steps"][0], status="after_previous_step",
                                      channel_id="internal:bank",
                                      channel_name="The bank's internal complaint procedure (IKP)")])
    text = _visible(pages.render_follow_up("ro", CSRF, status, None, receipt="x"))
    assert "După pasul anterior" in text and "Procedura internă de plângeri a băncii (IKP)" in text


TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize("form,expected", [
    ({"progress_kind": "filed_with_institution", "progress_on": "02-11-2026"},
     {"kind": "filed_with_institution", "on": datetime.date(2026, 11, 2)}),
    ({"progress_kind": "final_answer_received", "progress_on": "2026-11-30"},
     {"kind": "final_answer_received", "on": datetime.date(2026, 11, 30)}),
    ({"progress_kind": "no_answer_yet", "progress_on": ""}, {"kind": "no_answer_yet", "on": TODAY}),
])
def test_progress_reports_become_the_api_update(form, expected):
    assert parse_progress(form, TODAY)[0] == expected


@pytest.mark.parametrize("form,errors", [
    ({}, {"progress_kind": "required_choice"}),
    ({"progress_kind": "filed_with_institution"}, {"progress_on": "required"}),
    ({"progress_kind": "filed_with_institution", "progress_on": "02-12-2026"}, {"progress_on": "future_date"}),
    ({"progress_kind": "answer", "progress_on": "31-02-2026"},
     {"progress_kind": "invalid_choice", "progress_on": "invalid_date"}),
])
def test_progress_reports_with_mistakes_are_refused(form, errors):
    update, _values, found = parse_progress(form, TODAY)
    assert update is None and found == errors


def test_unknown_actions_just_show_the_status():
    assert pages.chosen_action({"action": "drop table"}) == "show"
    assert pages.chosen_action({}) == "show"


def test_the_follow_up_page_says_why_each_step_is_there_in_the_page_language():
    """From routing's plan through `referral.planned` and intake's read model to the page: the reason travels as
    a code and is worded in the person's language (no English sentence on a Spanish page)."""
    import json

    from libs.contracts.events import internal_event, read_internal_event
    from services.intake.web.page_data import follow_up_status
    from libs.referral_rules.facts import ComplaintFacts
    from libs.referral_rules.planner import make_plan
    from services.routing.use_cases.referrals import step_summary

    plan = make_plan(ComplaintFacts(institution_type="bank", issue="account_refused_or_closed",
                                    capacity="private"), datetime.date(2026, 11, 28)).to_dict()
    _type, data = read_internal_event(json.loads(json.dumps(internal_event("referral.planned", {
        "case_ref": "VP-7KQ2-M9XD", "directory_version": plan["directory_version"], "institution_type": "bank",
        "issue": "account_refused_or_closed", "municipality": None, "language": "es", "wants_mediation": False,
        "steps": [step_summary(step) for step in plan["steps"]], "partner_referrals": []}))))
    assert [step["why_message"]["code"] for step in data["steps"]][1] == "kifid.why"
    stored = json.loads(json.dumps(data["steps"], default=str))  # as intake's read model keeps it (JSON)
    status = follow_up_status({"reference": "VP-7KQ2-M9XD", "status": "planned", "mediator": {}, "plan": stored})
    text = _visible(pages.render_follow_up("es", CSRF, status, None, receipt="x"))
    spanish = translations_for("es").gettext(ENGLISH["kifid.why"])
    assert spanish != ENGLISH["kifid.why"] and spanish in text
    assert ENGLISH_STARTS["kifid.why"] not in text
