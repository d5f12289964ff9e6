"""Automatic answers (RFC 3834): is an incoming email an out-of-office or another auto-reply.
Plain functions, no ORM: the mail gateway calls them, the tests feed them a corpus."""

import re

from .text import normalize_text

# Subject prefixes automatic answers put before the original subject (accent-free, lower
# case). STRONG ones are phrases nobody uses to start a reply of their own: they count when
# followed by a colon, a closing bracket, a dash or the end of the subject. WEAK ones are plain
# words a person may start a subject with ("Absence of salary range in your offer", "On leave
# until June - but yes"): they count only as a whole prefix followed by a colon or a bracket
# ("Absent: back on Monday", "[Abwesend] ...").
AUTO_REPLY_STRONG_SUBJECTS = (
    # en
    "automatic reply",
    "automatic response",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "autoresponse",
    "out of office",
    "out of the office",
    "out of office autoreply",
    "out of office reply",
    "away from the office",
    # fr
    "reponse automatique",
    "message d'absence",
    "absence du bureau",
    "absent du bureau",
    "absente du bureau",
    "hors du bureau",
    # de
    "abwesenheitsnotiz",
    "automatische antwort",
    "nicht im buro",
    # es
    "respuesta automatica",
    "fuera de la oficina",
    "fuera de oficina",
    # it, nl, pt, nordic, pl
    "risposta automatica",
    "fuori ufficio",
    "automatisch antwoord",
    "resposta automatica",
    "fora do escritorio",
    "automatiskt svar",
    "automatisk svar",
    "autoodpowiedz",
    "poza biurem",
)
AUTO_REPLY_WEAK_SUBJECTS = (
    "auto",
    "ooo",
    "absent",
    "absente",
    "absence",
    "en conge",
    "en conges",
    "abwesend",
    "abwesenheit",
    "ausente",
    "ausencia",
    "assente",
    "afwezig",
    "franvaro",
    "on leave",
    "on vacation",
    "on holiday",
)


def _subject_alternatives(markers):
    return "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))


AUTO_REPLY_SUBJECT_RE = re.compile(
    r"^\s*[\[(]?\s*(?:"
    rf"(?:{_subject_alternatives(AUTO_REPLY_STRONG_SUBJECTS)})\s*(?:[:\])]|-|$)"
    rf"|(?:{_subject_alternatives(AUTO_REPLY_WEAK_SUBJECTS)})\s*[:\])]"
    r")"
)
# 'Precedence: auto_reply' is written only by automatic responders (vacation programs);
# 'bulk', 'list' and 'junk' are written by mailing lists and by some mail clients on a person's
# own messages: they say nothing about who wrote the message
AUTO_REPLY_PRECEDENCE = ("auto_reply",)
# headers of responders that predate RFC 3834 (any value but a negative one)
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponse")
# Exchange asks not to be answered by an automatic answer with this header on its own
# out-of-office answers ('All'); the values that mean "I am an automatic answer" are these
AUTO_RESPONSE_SUPPRESS_VALUES = {"all", "oof", "autoreply"}
NEGATIVE_HEADER_VALUES = {"", "no", "false", "0"}


def _header(headers, name):
    value = headers.get(name) if headers is not None else None
    return str(value or "").strip().lower()


def is_auto_reply(headers, subject):
    """Whether an incoming email is an automatic answer (out of office, vacation responder).

    :param headers: the email's headers, an ``email.message.Message`` or a dict
    :param subject: the decoded subject
    Only the headers (RFC 3834 ``Auto-Submitted`` other than ``no``, ``X-Autoreply``,
    ``X-Autorespond``, Exchange's ``X-Auto-Response-Suppress``, ``Precedence: auto_reply``)
    and the subject prefixes of known responders decide; words of the body never do."""
    if _header(headers, "Auto-Submitted") not in NEGATIVE_HEADER_VALUES:
        return True
    if any(_header(headers, name) not in NEGATIVE_HEADER_VALUES for name in AUTO_REPLY_HEADERS):
        return True
    suppress = _header(headers, "X-Auto-Response-Suppress")
    if {value.strip() for value in suppress.split(",")} & AUTO_RESPONSE_SUPPRESS_VALUES:
        return True
    if _header(headers, "Precedence") in AUTO_REPLY_PRECEDENCE:
        return True
    return bool(AUTO_REPLY_SUBJECT_RE.match(normalize_text(subject)))
