import re
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.tools import html2plaintext

# subjects of automatic answers, in the languages recruiters meet most
AUTO_REPLY_SUBJECT_RE = re.compile(
    r"^\s*(auto(matic)?[\s_-]*(reply|response|antwort|answer)\b|auto:|autoreply|"
    r"out of (the )?office|on vacation|on leave|away from (the )?office|"
    r"abwesenheit|automatische antwort|nicht im büro|"
    r"réponse automatique|absence|absent du bureau|"
    r"respuesta automática|fuera de la oficina|ausente|"
    r"risposta automatica|fuori ufficio|"
    r"automatisch antwoord|afwezig|"
    r"resposta automática|fora do escritório|"
    r"frånvaro|automatiskt svar|fravær|automatisk svar|poza biurem|autoodpowiedź)",
    re.IGNORECASE,
)
AUTO_REPLY_PRECEDENCE = ("auto_reply", "bulk", "junk")
MONTHS = {
    # en, fr, de, es, it, nl, pt: first letters are enough to tell them apart
    **dict.fromkeys(
        (
            "jan",
            "january",
            "janv",
            "januar",
            "janvier",
            "enero",
            "ene",
            "gennaio",
            "gen",
            "januari",
            "janeiro",
        ),
        1,
    ),
    **dict.fromkeys(
        (
            "feb",
            "february",
            "févr",
            "fevr",
            "februar",
            "février",
            "febrero",
            "febbraio",
            "februari",
            "fev",
            "fevereiro",
        ),
        2,
    ),
    **dict.fromkeys(
        ("mar", "march", "mars", "märz", "marz", "marzo", "maart", "março", "marco"), 3
    ),
    **dict.fromkeys(("apr", "april", "avr", "avril", "abril", "abr", "aprile"), 4),
    **dict.fromkeys(("may", "mai", "mayo", "maggio", "mag", "mei", "maio"), 5),
    **dict.fromkeys(("jun", "june", "juin", "juni", "junio", "giugno", "giu", "junho"), 6),
    **dict.fromkeys(
        ("jul", "july", "juil", "juillet", "juli", "julio", "luglio", "lug", "julho"), 7
    ),
    **dict.fromkeys(("aug", "août", "aout", "august", "agosto", "ago", "augustus"), 8),
    **dict.fromkeys(
        ("sep", "sept", "september", "septembre", "septiembre", "settembre", "set", "setembro"), 9
    ),
    **dict.fromkeys(
        (
            "oct",
            "october",
            "octobre",
            "oktober",
            "okt",
            "octubre",
            "ottobre",
            "ott",
            "outubro",
            "out",
        ),
        10,
    ),
    **dict.fromkeys(("nov", "novembre", "november", "noviembre", "novembro"), 11),
    **dict.fromkeys(
        (
            "dec",
            "déc",
            "décembre",
            "decembre",
            "dezember",
            "dez",
            "diciembre",
            "dic",
            "dicembre",
            "december",
            "dezembro",
        ),
        12,
    ),
}
MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
DATE_PATTERNS = (
    # 2027-03-15
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    # 15/03/2027, 15.03.2027, 15-03-27 (day first: most of the world)
    (re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b"), ("d", "m", "y")),
    # 15 March 2027, 15. März, 15 de marzo de 2027
    (
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?({MONTH_NAMES})\.?(?:\s+(?:de\s+)?(\d{{4}}))?\b",
            re.IGNORECASE,
        ),
        ("d", "M", "y"),
    ),
    # March 15, 2027
    (
        re.compile(
            rf"\b({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b",
            re.IGNORECASE,
        ),
        ("M", "d", "y"),
    ),
)
# an out-of-office return date further away than this is not believed
RETURN_DATE_MAX_DAYS = 366


def is_auto_reply(message, subject):
    """Whether an incoming email (email.message.Message) is an automatic answer."""
    auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Autoresponse"):
        return True
    if (message.get("Precedence") or "").strip().lower() in AUTO_REPLY_PRECEDENCE:
        return True
    return bool(AUTO_REPLY_SUBJECT_RE.match(subject or ""))


def _to_date(parts, order, today):
    values = dict(zip(order, parts, strict=True))
    month = values["m"] if "m" in values else MONTHS.get(values["M"].lower().rstrip("."))
    try:
        day, month = int(values["d"]), int(month)
        year = int(values["y"]) if values.get("y") else today.year
        if year < 100:
            year += 2000
        found = date(year, month, day)
    except (TypeError, ValueError):
        return None
    if not values.get("y") and found < today:
        try:
            found = found.replace(year=today.year + 1)
        except ValueError:
            return None
    return found


def parse_return_date(text, today):
    """The latest plausible future date mentioned in an out-of-office text (the return
    date: 'away from 3 to 15 March' returns 15 March), or None."""
    found = []
    for pattern, order in DATE_PATTERNS:
        for match in pattern.finditer(text or ""):
            parsed = _to_date(match.groups(), order, today)
            if parsed and today < parsed <= today + timedelta(days=RETURN_DATE_MAX_DAYS):
                found.append(parsed)
    return max(found, default=None)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        subject = message_dict.get("subject") or ""
        if is_auto_reply(message, subject):
            text = f"{subject}\n{html2plaintext(message_dict.get('body') or '')}"
            until = parse_return_date(text, fields.Date.context_today(self))
            self = self.with_context(outreach_auto_reply={"until": until})
        return super()._message_route_process(message, message_dict, routes)
