"""One contact address is exactly one mailbox (issue 19, finding 4): a list, a display name or a header break in
the contact address would let the desk mail people who never asked for it. Checked alike by the API's schema and
the form's contact step, with the form's error translated."""
import pytest
from marshmallow import ValidationError

from services.intake.domain.contact_address import is_single_mailbox
from services.intake.web.api_schemas import ComplaintRequest
from services.intake.web.pages import next_step
from support.platform import complaint
from web_form_answers import COMPLETE

NOT_ONE_MAILBOX = [
    "victim@example.org,boss@example.com", "victim@example.org, boss@example.com", "victim@example.org;boss@x.nl",
    "victim@example.org boss@example.com", "Victim <victim@example.org>", "<victim@example.org>",
    '"Victim" victim@example.org', "victim@example.org\r\nBcc: boss@example.com", "victim@example.org\nx",
    "victim@example.org (comment)", "a@b", "a@b.", "a@.nl", "@example.org", "victim@", "victim@@example.org",
    "vic tim@example.org", "victim@exa mple.org", "victim@-example.org", "victim@example-.org", ".a@example.org",
    "a.@example.org", "a..b@example.org", "a@example..org", "victim@example.org\x00", "a@b.c@d.nl",
    "x" * 65 + "@example.org", "a@" + "b" * 64 + ".nl", "a@example.123", "",
]
ONE_MAILBOX = ["me@example.org", "first.last+desk@mail.example.nl", "x_y-z@sub.domain.example", "ĳsbrand@voorbeeld.nl",
               "me@xn--bcher-kva.example", "o'brien@example.ie"]


@pytest.mark.parametrize("text", NOT_ONE_MAILBOX)
def test_anything_but_one_mailbox_is_refused(text):
    assert not is_single_mailbox(text)


@pytest.mark.parametrize("text", ONE_MAILBOX)
def test_one_plain_mailbox_passes(text):
    assert is_single_mailbox(text)


def _api_body(address):
    return complaint(consent={"referral": True, "share_description": False, "contact": True},
                     contact={"method": "email", "address": address})


@pytest.mark.parametrize("text", ["victim@example.org,boss@example.com", "Victim <victim@example.org>",
                                  "victim@example.org\r\nBcc: boss@example.com", "victim@example.org;boss@x.nl"])
def test_the_api_refuses_more_than_one_mailbox(text):
    with pytest.raises(ValidationError) as refused:
        ComplaintRequest().load(_api_body(text))
    assert "address" in refused.value.messages["contact"]
    assert text not in str(refused.value.messages)  # never echoed


def test_the_api_accepts_one_mailbox():
    assert ComplaintRequest().load(_api_body("me@example.org"))["contact"]["address"] == "me@example.org"


@pytest.mark.parametrize("text, code", [("victim@example.org,boss@example.com", "one_email_only"),
                                        ("victim@example.org; boss@example.com", "one_email_only"),
                                        ("victim@example.org boss@example.com", "one_email_only"),
                                        ("Victim <victim@example.org>", "invalid_email"),
                                        ("a@b", "invalid_email")])
def test_the_form_refuses_more_than_one_mailbox(text, code):
    _, _, errors = next_step("contact", dict(COMPLETE, contact_method="email", contact_address=text))
    assert errors == {"contact_address": code}


def test_the_forms_one_email_only_error_is_translated_in_six_languages():
    from services.intake.web.catalogues import translations_for
    from services.intake.web.labels import ERROR_MESSAGES
    english = ERROR_MESSAGES["one_email_only"]
    for lang in ("nl", "es", "ro", "bg", "pl"):
        assert translations_for(lang).gettext(english) not in ("", english), lang
