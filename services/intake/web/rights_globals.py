"""What every page's templates may use of the rights guide and the letter builder (rendering.py adds these to
each language's Jinja environment): `r_` for the `rights` wording, and the links from a plan's steps and warnings
to the guide's topics (domain/rights_links.py) and to the letter form."""
import functools
import re

from libs.contracts.explanation_texts import ENGLISH
from services.intake.domain.rights_links import TOPIC_OF_WARNING, topic_of_channel, topics_for_answers
from services.intake.use_cases import letters
from services.intake.use_cases.rights_guide import load_guide

from .catalogues import translations_for
from .rights_catalogues import template_gettext

_PLACEHOLDER = re.compile(r"%\(\w+\)s")


@functools.lru_cache(maxsize=None)
def _warning_patterns(lang):
    """(pattern, topic) for each warning a topic explains, as the options page words it in `lang`: the pages
    receive a plan's warnings as sentences (plan_texts.py), so the code is found again from the wording."""
    gettext = translations_for(lang).gettext
    patterns = []
    for code, topic in TOPIC_OF_WARNING.items():
        worded = gettext(ENGLISH[code]).replace("%%", "%")
        parts = _PLACEHOLDER.split(worded)
        patterns.append((re.compile("^" + ".+?".join(re.escape(part) for part in parts) + "$", re.S), topic))
    return tuple(patterns)


def topic_url(lang, topic_id):
    return f"/{lang}/rights/{load_guide().topic(topic_id).slug}" if topic_id else None


def rights_globals(lang):
    def title(topic_id):
        return template_gettext(lang)(load_guide().topic(topic_id).title)

    def channel_topic(channel_id):
        return topic_of_channel(channel_id or "", letters.ombudsman_ids())

    def warning_topic(warning):
        text = str(warning)
        return next((topic for pattern, topic in _warning_patterns(lang) if pattern.match(text)), None)

    def writes_letter(channel_id):
        return bool(channel_id) and letters.family_of(channel_id) is not None

    return {
        "r_": template_gettext(lang),
        "rights_url": f"/{lang}/rights",
        "letter_url": f"/{lang}/letter",
        "rights_topic_url": lambda topic_id: topic_url(lang, topic_id),
        "rights_title": title,
        "rights_channel_topic": channel_topic,
        "rights_warning_topic": warning_topic,
        "rights_answer_topics": topics_for_answers,
        "writes_letter": writes_letter,
    }
