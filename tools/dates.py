"""The dates a text names ('back on 15 March', 'try again in June'), in seven languages.
Plain functions, no ORM: the out-of-office reading and the reply classification call them."""

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .text import normalize_text

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
