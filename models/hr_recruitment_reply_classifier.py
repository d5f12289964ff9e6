import re

from lxml import html as lxml_html

from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools.dates import find_reply_date
from ..tools.text import normalize_text

# Keyword rules per language, checked in this order of classes: the first class with a match
# wins ("not interested right now" is a 'not now', "not interested" beats "interested").
# Texts are lower-cased and stripped of accents before matching, so keywords are written
# without accents.
REPLY_CLASS_ORDER = ("unsubscribe", "wrong_person", "not_now", "not_interested", "interested")
REPLY_KEYWORDS = {
    "en": {
        "unsubscribe": [
            "unsubscribe",
            "remove me",
            "stop emailing",
            "stop contacting",
            "do not contact",
            "don't contact",
            "take me off",
            "opt out",
            "opt-out",
            "no more emails",
        ],
        "wrong_person": [
            "wrong person",
            "not the right person",
            "no longer work",
            "left the company",
            "no longer with",
            "you have the wrong",
        ],
        "not_now": [
            "not now",
            "not right now",
            "not at the moment",
            "maybe later",
            "ask me again",
            "reach out again",
            "try again",
            "check back",
            "next year",
            "in a few months",
            "later this year",
            "not the right time",
            "bad timing",
        ],
        "not_interested": [
            "not interested",
            "no thanks",
            "no thank you",
            "happy where i am",
            "not looking",
            "i'll pass",
            "i will pass",
            "not for me",
        ],
        "interested": [
            "interested",
            "let's talk",
            "lets talk",
            "happy to chat",
            "sounds good",
            "would love to",
            "tell me more",
            "set up a call",
            "schedule a call",
            "i'm open",
            "i am open",
        ],
    },
    "fr": {
        "unsubscribe": [
            "desinscri",
            "desabonn",
            "ne plus me contacter",
            "ne me contactez plus",
            "retirez-moi",
            "retirez moi",
            "supprimez mes donnees",
        ],
        "wrong_person": [
            "mauvaise personne",
            "ne travaille plus",
            "pas la bonne personne",
            "a quitte l'entreprise",
            "a quitte la societe",
        ],
        "not_now": [
            "pas maintenant",
            "pas pour le moment",
            "pas en ce moment",
            "plus tard",
            "recontactez-moi",
            "recontactez moi",
            "revenez vers moi",
            "l'annee prochaine",
            "dans quelques mois",
            "pas le bon moment",
        ],
        "not_interested": [
            "pas interesse",
            "non merci",
            "pas a la recherche",
            "ne suis pas interesse",
            "ca ne m'interesse pas",
        ],
        "interested": [
            "interesse",
            "volontiers",
            "avec plaisir",
            "discutons",
            "parlons-en",
            "parlons en",
            "je suis partant",
            "je suis partante",
        ],
    },
    "de": {
        "unsubscribe": [
            "abmelden",
            "austragen",
            "keine e-mails mehr",
            "nicht mehr kontaktieren",
            "entfernen sie mich",
        ],
        "wrong_person": ["falsche person", "nicht mehr bei", "arbeite nicht mehr"],
        "not_now": [
            "nicht jetzt",
            "momentan nicht",
            "derzeit nicht",
            "spater",
            "nachstes jahr",
            "in ein paar monaten",
            "melden sie sich wieder",
        ],
        "not_interested": ["kein interesse", "nicht interessiert", "nein danke"],
        "interested": ["interessiert", "gerne", "klingt gut", "lassen sie uns sprechen"],
    },
    "es": {
        "unsubscribe": ["darme de baja", "dar de baja", "no me contacten", "no me escriban"],
        "wrong_person": ["persona equivocada", "ya no trabajo"],
        "not_now": [
            "ahora no",
            "no por ahora",
            "mas adelante",
            "el proximo ano",
            "el ano que viene",
            "dentro de unos meses",
        ],
        "not_interested": ["no me interesa", "no estoy interesad", "no gracias"],
        "interested": ["me interesa", "interesad", "hablemos", "con gusto"],
    },
}
# lines from which the rest of a reply is the quoted original message
QUOTE_MARKERS = re.compile(
    r"^\s*(>|-----\s*original message|on .{0,80} wrote:|le .{0,80} a ecrit|am .{0,80} schrieb"
    r"|el .{0,80} escribio|from:|de :|von:|de:)",
    re.IGNORECASE,
)


class HrRecruitmentReplyClassifier(models.AbstractModel):
    """Keyword rules that suggest what a candidate's reply means; the recruiter decides."""

    _name = "hr.recruitment.reply.classifier"
    _description = "Candidate Reply Classifier"

    @api.model
    def _reply_text(self, body_html=None, text=None):
        """The candidate's own words: quoted earlier messages removed."""
        if body_html:
            try:
                tree = lxml_html.fromstring(body_html)
            except (ValueError, lxml_html.etree.ParserError):
                tree = None
            if tree is not None:
                for quote in tree.xpath("//blockquote"):
                    quote.drop_tree()
                body_html = lxml_html.tostring(tree, encoding="unicode")
            text = html2plaintext(body_html)
        lines = []
        for line in (text or "").splitlines():
            if QUOTE_MARKERS.match(normalize_text(line)):
                break
            lines.append(line)
        return "\n".join(lines)

    @api.model
    def _suggest(self, text, lang=None, today=None):
        """Suggest (reply class or False, date to come back or False) for a reply text.

        Rules of the candidate's language (`lang`, e.g. 'fr_FR') are tried first, then the
        others. A date ("until June", "dans 3 mois", "next year") without any other keyword
        suggests 'not_now'."""
        today = today or fields.Date.context_today(self)
        normalized = normalize_text(text)
        first = (lang or "")[:2]
        languages = sorted(REPLY_KEYWORDS, key=lambda code: code != first)
        reply_class = False
        for language in languages:
            reply_class = self._match_class(normalized, REPLY_KEYWORDS[language])
            if reply_class:
                break
        until = find_reply_date(normalized, today) or False
        if until and not reply_class:
            reply_class = "not_now"
        return reply_class, until

    @api.model
    def _match_class(self, normalized, keywords):
        for reply_class in REPLY_CLASS_ORDER:
            for keyword in keywords[reply_class]:
                if re.search(r"(?<!\w)" + re.escape(keyword), normalized):
                    return reply_class
        return False
