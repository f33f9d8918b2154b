"""The one table from channels, warnings, institution types and issues to the guide's topics holds to the directory,
the explanation codes and the event catalogue; the options page links steps and warnings to their topics."""
import re

import pytest

from libs.contracts.events import INSTITUTION_TYPES, ISSUES
from libs.contracts.explanation_texts import ENGLISH
from libs.referral_rules.directory import load_directory
from services.intake.domain import rights_links
from services.intake.domain.letters import letter_family
from services.intake.use_cases import letters
from services.intake.use_cases.rights_guide import load_guide
from services.intake.web import pages
from services.intake.web.page_data import plan_for_page

TOPICS = {topic.id for topic in load_guide().topics}


def test_every_key_is_real_and_every_value_a_topic():
    assert set(rights_links.TOPIC_OF_CHANNEL) <= set(load_directory().channels)
    assert set(rights_links.TOPIC_OF_WARNING) <= set(ENGLISH)
    assert set(rights_links.TOPIC_OF_INSTITUTION) == set(INSTITUTION_TYPES)
    assert set(rights_links.TOPIC_OF_ISSUE) == set(ISSUES)
    values = {*rights_links.TOPIC_OF_CHANNEL.values(), *rights_links.TOPIC_OF_WARNING.values(),
              *rights_links.TOPIC_OF_INSTITUTION.values(), *rights_links.TOPIC_OF_ISSUE.values(),
              rights_links.OMBUDSMAN_TOPIC} - {None}
    assert values <= TOPICS


def test_every_municipal_ombudsman_explains_itself_through_the_municipality_topic():
    ombudsmen = letters.ombudsman_ids()
    assert len(ombudsmen) > 20
    assert {rights_links.topic_of_channel(channel_id, ombudsmen) for channel_id in ombudsmen} == {"municipality"}
    assert all(letter_family(channel_id, ombudsmen) == "ombudsman" for channel_id in ombudsmen)


QUERY = {"institution_type": "bank", "issue": "account_refused_or_closed", "municipality": "GM0363",
         "incident_date": None, "capacity": None, "prior_complaint": None}


@pytest.mark.parametrize("lang", pages.SUPPORTED_LANGUAGES)
def test_the_options_page_links_steps_and_warnings_to_the_guide_and_offers_a_letter(lang):
    values = {k: v for k, v in QUERY.items() if v}
    html = pages.render_route_explorer(lang, "t" * 43, values, plan_for_page(QUERY), {})
    warnings = re.findall(r'<p class="warning">(.*?)</p>', html, re.S)
    assert warnings and all(f'href="/{lang}/rights/bank-account"' in warning for warning in warnings)
    assert f'action="/{lang}/letter"' in html                      # the bank's own procedure takes a letter
    assert '<input type="hidden" name="channel_id" value="internal:bank">' in html
    assert '<input type="hidden" name="issue" value="account_refused_or_closed">' in html
    assert f'href="/{lang}/rights"' in html


def test_a_warning_with_parameters_is_still_found():
    plan = plan_for_page({"institution_type": "police", "issue": "privacy", "municipality": None,
                          "incident_date": None, "capacity": None, "prior_complaint": None})
    html = pages.render_route_explorer("nl", "t" * 43, {}, plan, {})
    assert re.search(r'Deze nemen geen anonieme klachten aan: [^<]*<a href="/nl/rights/police">', html)


def test_the_follow_up_page_links_each_step():
    view = {"reference": "VP-AAAA-BBBB", "status": "planned", "mediator": {}, "progress": [], "messages": [],
            "contact_consent": False,
            "steps": [{"channel_id": "kifid", "channel_name": "Kifid", "status": "available_now"},
                      {"channel_id": "comensha", "channel_name": "CoMensha", "status": "available_now"}]}
    html = pages.render_follow_up("en", "t" * 43, view, None, receipt="r")
    assert html.count('href="/en/rights/bank-account"') == 1 and html.count('href="/en/rights/work-exploitation"') == 1
    assert html.count('action="/en/letter"') == 1                  # Kifid takes a letter, CoMensha does not
