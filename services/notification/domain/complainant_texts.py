"""What a status message to the person says, in their language.

Short and plain: the reference, what changed, a date where there is one, and the link to the public follow-up
page. Never the complaint text, the institution, the category or anything else about the person; never the
receipt (the follow-up page asks for it). Subjects are discreet: they are what a lock screen shows.
Wording follows the intake form's terms per language (kenmerk/bewijscode, referencia/comprobante, ...).

The English msgids are below, marked with `N_`; the wording in nl, en, es, ro, bg and pl is in the Babel
catalogues `services/notification/translations/<lang>/LC_MESSAGES/messages.po`, read through libs/i18n (the
package's own shipped files, compiled in memory on first use; nothing else is read). After changing a msgid run
`python -m services.notification.cli translations sync`, then translate the new entries in every language.
"""
from datetime import date
from pathlib import Path

from babel.dates import format_date

from libs.i18n import LANGUAGES, Catalogues

CATALOGUES = Catalogues(Path(__file__).resolve().parents[1] / "translations")
KINDS = ("plan", "deadline", "next_step", "mediator", "message", "feedback")
FALLBACK_LANGUAGE = "nl"


def N_(msgid: str) -> str:
    """Marks a msgid for `translations sync`; it is translated where it is used (email_text)."""
    return msgid


SUBJECTS = {
    "plan": N_("Voorportaal %(ref)s: a new step you can take"),
    "deadline": N_("Voorportaal %(ref)s: a date in your plan has come"),
    "next_step": N_("Voorportaal %(ref)s: the next step is open"),
    "mediator": N_("Voorportaal %(ref)s: a mediator has accepted your case"),
    "message": N_("Voorportaal %(ref)s: a message is waiting for you"),
    "feedback": N_("Voorportaal %(ref)s: did it help?"),
}
LEADS = {
    "plan": N_("There is a new step you can take in the plan for your case %(ref)s."),
    "deadline": N_("The answer to your complaint (case %(ref)s) was due on %(date)s. If you have not received it, "
                   "your follow-up page shows what you can do now."),
    "next_step": N_("From %(date)s you can take the next step in the plan for your case %(ref)s."),
    "mediator": N_("A mediator has accepted your case %(ref)s."),
    "message": N_("The desk has written to you about your case %(ref)s. You can read the message on your "
                  "follow-up page."),
    "feedback": N_("Your case %(ref)s has come to an end. Did it help? Please tell us on your follow-up page. It "
                   "takes one minute, and you can also ask the desk to look at your case again."),
}
# "Is it solved?": asked once, with the message of the clock that says the institution's answer is due
QUESTIONS = {
    "deadline": N_("Did the answer come, and did it solve your problem? Please tell us on your follow-up page."),
}
GREETING = N_("Hello,")
LINK = N_("Your follow-up page (you need your reference and your receipt):")
FOOTER = N_("This e-mail says nothing about the content of your complaint, and we never send your receipt. "
            "You get it because you asked to be kept informed. If you withdraw your complaint, these messages stop "
            "and your e-mail address is deleted.")
# translators: not words but how a date is written in your language, in CLDR letters (dd day, MM month,
# yyyy year), e.g. dd-MM-yyyy for 30-12-2026
DATE_PATTERN = N_("yyyy-MM-dd")


def email_text(kind: str, language: str, reference: str, follow_up_url: str, due_on: str | None = None):
    """(subject, body) of one status message; `due_on` an ISO date for `deadline` and `next_step`. An unknown
    language gets the Dutch wording."""
    if language not in LANGUAGES:
        language = FALLBACK_LANGUAGE
    gettext = CATALOGUES.gettext(language)
    shown = format_date(date.fromisoformat(due_on), gettext(DATE_PATTERN), locale=language) if due_on else ""
    subject = gettext(SUBJECTS[kind]) % {"ref": reference}
    lead = gettext(LEADS[kind]) % {"ref": reference, "date": shown}
    if kind in QUESTIONS:
        lead += "\n\n" + gettext(QUESTIONS[kind])
    body = (f"{gettext(GREETING)}\n\n{lead}\n\n{gettext(LINK)}\n{follow_up_url}\n\n"
            f"{gettext(FOOTER)}\n\nVoorportaal\n")
    return subject, body
