"""Is a contact e-mail address exactly one plain mailbox? (issue 19, finding 4)

The desk sends status messages to the address a person gives. Anything that a mail library could read as more
than one recipient (a comma or semicolon list), as a display name ("Name <a@b>"), a comment or an extra header
(a line break) would let someone make the desk mail people who never asked for it. So only `local@domain` is
accepted: one @, no white space or control characters, no list or angle-bracket characters, a local part of dot-
separated atoms and a domain of at least two dot-separated labels. No e-mail validation library is a dependency;
stdlib `email.utils.getaddresses` confirms the mail parser reads the text as this one address and nothing else.
"""
import re
from email.utils import getaddresses

MAX_LENGTH = 254
MAX_LOCAL_LENGTH = 64
MAX_LABEL_LENGTH = 63
# RFC 5322 atext (letters and digits of any script are allowed too: SMTPUTF8 mailboxes exist)
_ATOM = re.compile(r"^[\w!#$%&'*+/=?^`{|}~-]+$")
_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")
# characters that separate or decorate addresses in a header: never part of one plain mailbox
_FORBIDDEN = set(",;<>()[]\\\":")


def looks_like_several(text: str) -> bool:
    """More than one address, as a person would write them: a list separator, a space, or more than one @.
    (The form names this mistake on its own: "give one e-mail address".)"""
    stripped = (text or "").strip()
    return any(sep in stripped for sep in ",;") or stripped.count("@") > 1 or (
        "@" in stripped and any(ch.isspace() for ch in stripped) and "<" not in stripped)


def is_single_mailbox(text: str) -> bool:
    if not text or len(text) > MAX_LENGTH:
        return False
    if any(ch.isspace() or not ch.isprintable() or ch in _FORBIDDEN for ch in text):
        return False
    if text.count("@") != 1:
        return False
    local, domain = text.split("@")
    if not (0 < len(local) <= MAX_LOCAL_LENGTH) or not all(_ATOM.match(atom) for atom in local.split(".")):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    if not all(len(label) <= MAX_LABEL_LENGTH and _LABEL.match(label) for label in labels):
        return False
    # the stdlib mail parser must read exactly this one address, without a display name
    return getaddresses([text]) == [("", text)]
