"""Plain functions that read incoming emails: is it an automatic answer, which dates does
it name, does it come from a known address. No ORM here: the models call these, and the
tests feed them a corpus of real-looking emails directly."""

import re
import unicodedata
from datetime import date, timedelta
from email.utils import getaddresses

from dateutil.relativedelta import relativedelta

# --- text -----------------------------------------------------------------------------------


def normalize_text(text):
    """Lower case, accents stripped, typographic apostrophes made plain: the form every
    keyword, subject marker and month name of this module is written in."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower().replace("\u2019", "'")


# --- automatic answers (RFC 3834) -----------------------------------------------------------

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


# --- dates ----------------------------------------------------------------------------------

# month names and abbreviations in en, fr, de, es, it, nl, pt (accent-free, lower case).
# Abbreviations that are also common words next to a number ("5 out of 6", "a set") are left
# out; 'may', 'mai' and 'mars' name a month on their own only after a preposition.
MONTHS = {
    **dict.fromkeys(
        ("january", "jan", "janv", "janvier", "januar", "enero", "ene", "gennaio", "gen")
        + ("januari", "janeiro"),
        1,
    ),
    **dict.fromkeys(
        ("february", "feb", "fevr", "fevrier", "februar", "febrero", "febbraio", "februari")
        + ("fev", "fevereiro"),
        2,
    ),
    **dict.fromkeys(("march", "mar", "mars", "marz", "marzo", "maart", "marco"), 3),
    **dict.fromkeys(("april", "apr", "avr", "avril", "abril", "abr", "aprile"), 4),
    **dict.fromkeys(("may", "mai", "mayo", "maggio", "mag", "mei", "maio"), 5),
    **dict.fromkeys(("june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho"), 6),
    **dict.fromkeys(("july", "jul", "juil", "juillet", "juli", "julio", "luglio", "julho"), 7),
    **dict.fromkeys(("august", "aug", "aout", "agosto", "ago", "augustus"), 8),
    **dict.fromkeys(
        ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"), 9
    ),
    **dict.fromkeys(
        ("october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro"),
        10,
    ),
    **dict.fromkeys(("november", "nov", "novembre", "noviembre", "novembro"), 11),
    **dict.fromkeys(
        ("december", "dec", "decembre", "dezember", "dez", "diciembre", "dic", "dicembre")
        + ("dezembro",),
        12,
    ),
}
MONTH_ABBREVIATIONS = {
    "jan", "janv", "ene", "gen", "feb", "fevr", "fev", "mar", "apr", "avr", "abr", "mag", "jun",
    "giu", "jul", "juil", "aug", "ago", "sep", "sept", "oct", "okt", "ott", "nov", "dec", "dez",
    "dic",
}  # fmt: skip
# names that are also everyday words or first names name a month alone only after a
# preposition ("I may", "Mars", "Marco"); abbreviations name one only next to a day
AMBIGUOUS_MONTHS = {"may", "mai", "mars", "marco"}
MONTH_PREPOSITIONS = (
    r"until|till|in|after|from|around|by|before|jusqu'en|jusqu'a|en|d'ici|apres|avant|des|"
    r"bis|ab|im|nach|vor|hasta|desde|despues de|antes de"
)
_ALL_MONTHS = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_FULL_MONTHS = "|".join(
    sorted((re.escape(m) for m in set(MONTHS) - MONTH_ABBREVIATIONS), key=len, reverse=True)
)
# (pattern, meaning of its groups), most precise first: a later pattern never reads a date
# inside the text an earlier one matched ("15 March 2027" is not also "March")
DATE_PATTERNS = (
    # 2027-03-15
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    # 15/03/2027, 15.03.2027, 15-03-27 (day first: most of the world)
    (re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b"), ("d", "m", "y")),
    # 15 March 2027, 15. März, 15 de marzo de 2027, 1er juin
    (
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?({_ALL_MONTHS})\b\.?"
            r"(?:\s+(?:de\s+)?(\d{4})\b)?"
        ),
        ("d", "M", "y"),
    ),
    # March 15, 2027
    (
        re.compile(
            rf"\b({_ALL_MONTHS})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{{4}})\b)?"
        ),
        ("M", "d", "y"),
    ),
    # until June, en septembre 2027, bis Juli
    (
        re.compile(
            rf"(?:\b({MONTH_PREPOSITIONS})\s+(?:the\s+|le\s+|mois\s+de\s+)?)?"
            rf"\b({_FULL_MONTHS})\b(?:\s+(\d{{4}})\b)?"
        ),
        ("p", "M", "y"),
    ),
    # in 3 months, dans 3 mois, in 3 Monaten, en 3 meses
    (
        re.compile(r"\b(?:in|dans|en|within)\s+(\d{1,2})\s+(?:months?|mois|monaten|meses)\b"),
        ("n",),
    ),
    # next year, l'année prochaine, nächstes Jahr, el próximo año, el año que viene
    (
        re.compile(
            r"(?:\bnext year|l'annee prochaine|\bnachstes jahr|\bel proximo ano"
            r"|\bel ano que viene)\b"
        ),
        (),
    ),
)
# an out-of-office return date further away than this is not believed
RETURN_DATE_MAX_DAYS = 366


def _resolve_date(values, today):
    """The date one match names (the next occurrence when no year is given), or None."""
    if "n" in values:
        return today + relativedelta(months=int(values["n"]))
    if not values:  # next year
        return date(today.year + 1, 1, 1)
    name = values.get("M")
    if name and name in AMBIGUOUS_MONTHS and "p" in values and not values["p"]:
        return None
    month = MONTHS[name] if name else int(values["m"])
    day = int(values.get("d") or 1)
    year = values.get("y")
    try:
        if year:
            year = int(year) + (2000 if len(year) == 2 else 0)
            return date(year, month, day)
        if "d" not in values:
            # a month alone: the next one to come ('in June' said in June is ambiguous)
            if month == today.month:
                return None
            return date(today.year + (month < today.month), month, 1)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def find_dates(text, today):
    """The future dates a text names, in the order it names them: full dates, a day and
    a month, a month alone (its first day), 'in N months', 'next year' in en/fr/de/es (and
    month names in it/nl/pt). Past dates and impossible ones are left out."""
    normalized = normalize_text(text)
    taken = []  # spans already read by a more precise pattern
    found = []
    for pattern, keys in DATE_PATTERNS:
        for match in pattern.finditer(normalized):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            values = dict(zip(keys, match.groups(), strict=True))
            values = {key: value for key, value in values.items() if value or key == "p"}
            parsed = _resolve_date(values, today)
            if parsed and parsed > today:
                found.append((start, parsed))
    return [parsed for _start, parsed in sorted(found, key=lambda item: item[0])]


def parse_return_date(text, today):
    """The return date of an out-of-office text: the latest future date it names within a
    year ('away from 3 to 15 March' returns 15 March), or None."""
    limit = today + timedelta(days=RETURN_DATE_MAX_DAYS)
    return max((found for found in find_dates(text, today) if found <= limit), default=None)


def find_reply_date(text, today):
    """The date a reply asks to be contacted again from ('not now, try in June'): the first
    future date it names, or None."""
    return next(iter(find_dates(text, today)), None)


# --- senders --------------------------------------------------------------------------------


def sender_address(email_from):
    """(display name, normalized address) of a From header value; ('', '') when unreadable.
    The name is cleaned of line breaks and angle brackets so it can be quoted in a summary."""
    pairs = [(name, address) for name, address in getaddresses([email_from or ""]) if address]
    if not pairs or "@" not in pairs[0][1]:
        return "", ""
    name, address = pairs[0]
    name = re.sub(r"[\s<>]+", " ", name).strip()
    return name, address.strip().lower()


def is_known_sender(email_from, known_addresses):
    """Whether the From header value `email_from` is one of `known_addresses` (normalized,
    lower case addresses): a reply from the candidate rather than from someone in copy."""
    address = sender_address(email_from)[1]
    return bool(address) and address in {a.lower() for a in known_addresses if a}
