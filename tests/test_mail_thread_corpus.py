"""A corpus of real-looking answers to outreach, in en/fr/de/es: out-of-office answers of
Outlook, Exchange, Gmail, Lotus and Sieve, real replies that mention an absence, a candidate
whose own client writes 'Precedence: bulk', a colleague in copy answering, a bounce.

Every email goes through the pure functions (auto-reply, return date, sender); a
representative subset goes through Odoo's mail gateway onto a passive talent in a drip."""

import email
import email.policy
from collections import namedtuple
from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.hr_recruitment_passive.tools.auto_reply import is_auto_reply
from odoo.addons.hr_recruitment_passive.tools.dates import parse_return_date
from odoo.addons.hr_recruitment_passive.tools.senders import is_known_sender

from .drip_common import DripCommon

NOW = datetime(2026, 12, 2, 10, 0)
TODAY = NOW.date()
CANDIDATE = "candidate"
COLLEAGUE = "Grace Hopper <grace.hopper@analytical-engines.example>"
# sender: CANDIDATE (the talent's own address) or the From of someone else; until: the
# return date read from an automatic answer; suggestion: the reply class suggested for it
Mail = namedtuple(
    "Mail", "key lang sender headers subject body auto until suggestion gateway", defaults=[False]
)
CORPUS = [
    # --- automatic answers -------------------------------------------------------------------
    Mail(
        "outlook_automatic_reply",
        "en",
        CANDIDATE,
        "Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n"
        "X-MS-Exchange-Inbox-Rules-Loop: {candidate}\n",
        "Automatic reply: A role you may like",
        "Thank you for your email. I am out of the office until Monday 14 December 2026 "
        "with no access to email. For urgent matters, contact my manager.",
        True,
        date(2026, 12, 14),
        False,
        True,
    ),
    Mail(
        "gmail_vacation_responder",
        "en",
        CANDIDATE,
        "Auto-Submitted: auto-replied\n",
        "Re: A role you may like",
        "Hi! I'm on holiday until January 4th, 2027 and will reply when I'm back.",
        True,
        date(2027, 1, 4),
        False,
        True,
    ),
    Mail(
        "exchange_suppress_header_only",
        "en",
        CANDIDATE,
        "X-Auto-Response-Suppress: All\n",
        "Re: A role you may like",
        "I'm away until 2026-12-20 and will answer then.",
        True,
        date(2026, 12, 20),
        False,
        True,
    ),
    Mail(
        "lotus_out_of_office_autoreply",
        "en",
        CANDIDATE,
        "",
        "Out of Office AutoReply: A role you may like",
        "I will be out of the office starting 03/12/2026 and will not return until 18/12/2026.",
        True,
        date(2026, 12, 18),
        False,
    ),
    Mail(
        "outlook_legacy_auto_prefix",
        "en",
        CANDIDATE,
        "",
        "AUTO: Ada Lovelace is out of the office (returning 11.01.2027)",
        "I am out of the office until 11.01.2027.",
        True,
        date(2027, 1, 11),
        False,
    ),
    Mail(
        "qmail_x_autorespond",
        "en",
        CANDIDATE,
        "X-Autorespond: A role you may like\n",
        "Re: A role you may like",
        "This is an automatic response. I'm travelling until 10 Dec.",
        True,
        date(2026, 12, 10),
        False,
    ),
    Mail(
        "precedence_auto_reply",
        "en",
        CANDIDATE,
        "Precedence: auto_reply\n",
        "Away",
        "Thanks for your message, I'm away.",
        True,
        None,
        False,
    ),
    Mail(
        "bracketed_auto_reply",
        "en",
        CANDIDATE,
        "",
        "[Auto-Reply] A role you may like",
        "Back on 2026-12-09.",
        True,
        date(2026, 12, 9),
        False,
    ),
    Mail(
        "german_abwesenheitsnotiz_subject_only",
        "de",
        CANDIDATE,
        "",
        "Abwesenheitsnotiz: Eine Stelle für Sie",
        "Vielen Dank für Ihre Nachricht. Ich bin bis zum 8. Januar 2027 nicht im Büro.",
        True,
        date(2027, 1, 8),
        False,
        True,
    ),
    Mail(
        "german_automatische_antwort",
        "de",
        CANDIDATE,
        "Auto-Submitted: auto-replied\n",
        "Automatische Antwort: Eine Stelle für Sie",
        "Ich bin vom 01.12.2026 bis zum 12.01.2027 im Urlaub.",
        True,
        date(2027, 1, 12),
        False,
    ),
    Mail(
        "french_reponse_automatique",
        "fr",
        CANDIDATE,
        "Auto-Submitted: auto-replied\n",
        "Réponse automatique : Un poste pour vous",
        "Je suis absente, de retour le 5 janvier 2027.",
        True,
        date(2027, 1, 5),
        False,
        True,
    ),
    Mail(
        "french_absence_du_bureau",
        "fr",
        CANDIDATE,
        "",
        "Absence du bureau",
        "Bonjour, je suis en congé jusqu'au 21 décembre.",
        True,
        date(2026, 12, 21),
        False,
    ),
    Mail(
        "french_absent_colon",
        "fr",
        CANDIDATE,
        "",
        "Absent : retour le lundi 14 décembre",
        "Merci pour votre message.",
        True,
        date(2026, 12, 14),
        False,
    ),
    Mail(
        "spanish_respuesta_automatica",
        "es",
        CANDIDATE,
        "Auto-Submitted: auto-replied\n",
        "Respuesta automática: Una oferta para ti",
        "Estoy fuera de la oficina hasta el 7 de enero de 2027.",
        True,
        date(2027, 1, 7),
        False,
        True,
    ),
    Mail(
        "spanish_fuera_de_la_oficina",
        "es",
        CANDIDATE,
        "",
        "Fuera de la oficina: Una oferta para ti",
        "De vacaciones hasta el 15/12/2026.",
        True,
        date(2026, 12, 15),
        False,
    ),
    Mail(
        "dutch_afwezig",
        "nl",
        CANDIDATE,
        "",
        "Afwezig: Een functie voor u",
        "Ik ben afwezig tot 4 januari 2027.",
        True,
        date(2027, 1, 4),
        False,
    ),
    # --- real replies of the candidate ------------------------------------------------------
    Mail(
        "absence_of_salary_range",
        "en",
        CANDIDATE,
        "",
        "Absence of salary range in your offer",
        "Hi, your offer has no salary range. What is the budget? I would be interested if "
        "it is competitive.",
        False,
        None,
        "interested",
        True,
    ),
    Mail(
        "on_leave_until_june_but_interested",
        "en",
        CANDIDATE,
        "",
        "On leave until June - but yes, interested!",
        "I'm on parental leave until June but yes, interested! Let's talk when I'm back.",
        False,
        None,
        "interested",
        True,
    ),
    Mail(
        "out_of_office_words_in_body",
        "en",
        CANDIDATE,
        "",
        "Re: A role you may like",
        "I was out of office last week, sorry for the delay. Sounds good, happy to chat!",
        False,
        None,
        "interested",
        True,
    ),
    Mail(
        "out_of_office_party_subject",
        "en",
        CANDIDATE,
        "",
        "Out of office party was fun - now about your role",
        "Tell me more about the team, please.",
        False,
        None,
        "interested",
    ),
    Mail(
        "precedence_bulk_from_own_client",
        "en",
        CANDIDATE,
        "Precedence: bulk\nList-Id: <ada-lists.example.com>\n",
        "Re: A role you may like",
        "Yes, interested! Let's talk on Tuesday.",
        False,
        None,
        "interested",
        True,
    ),
    Mail(
        "precedence_list_not_now",
        "en",
        CANDIDATE,
        "Precedence: list\n",
        "Re: A role you may like",
        "Not now, maybe in March.",
        False,
        None,
        "not_now",
    ),
    Mail(
        "precedence_junk_unsubscribe",
        "en",
        CANDIDATE,
        "Precedence: junk\n",
        "Re: A role you may like",
        "Please remove me from your list.",
        False,
        None,
        "unsubscribe",
    ),
    Mail(
        "auto_submitted_no",
        "en",
        CANDIDATE,
        "Auto-Submitted: no\n",
        "Re: A role you may like",
        "Thanks, but I'm not interested.",
        False,
        None,
        "not_interested",
    ),
    Mail(
        "german_reply_after_absence",
        "de",
        CANDIDATE,
        "",
        "AW: Eine Stelle für Sie",
        "Danke! Nach meiner Abwesenheit bin ich gerne bereit zu sprechen, klingt gut.",
        False,
        None,
        "interested",
    ),
    Mail(
        "french_reply_about_absence",
        "fr",
        CANDIDATE,
        "",
        "Re: Un poste pour vous",
        "Bonjour, désolée pour mon absence de réponse. Avec plaisir, discutons-en !",
        False,
        None,
        "interested",
        True,
    ),
    Mail(
        "french_subject_absence_de",
        "fr",
        CANDIDATE,
        "",
        "Absence de fourchette de salaire dans votre offre",
        "Bonjour, quelle est la fourchette ? Je suis intéressée.",
        False,
        None,
        "interested",
    ),
    Mail(
        "french_not_now_march",
        "fr",
        CANDIDATE,
        "",
        "Re: Un poste pour vous",
        "Pas pour le moment, recontactez-moi en mars.",
        False,
        None,
        "not_now",
    ),
    Mail(
        "spanish_ausente_without_colon",
        "es",
        CANDIDATE,
        "",
        "Ausente la semana pasada, pero me interesa",
        "Estuve ausente unos días. Me interesa, hablemos.",
        False,
        None,
        "interested",
    ),
    Mail(
        "spanish_not_now_next_year",
        "es",
        CANDIDATE,
        "",
        "Re: Una oferta para ti",
        "Ahora no, quizás el año que viene.",
        False,
        None,
        "not_now",
    ),
    # --- someone else on the thread ---------------------------------------------------------
    Mail(
        "colleague_in_copy_says_she_left",
        "en",
        COLLEAGUE,
        "",
        "Re: A role you may like",
        "Ada left the company last month; she no longer works here.",
        False,
        None,
        False,
        True,
    ),
    Mail(
        "colleague_in_copy_is_interested",
        "en",
        "Charles Babbage <charles@analytical-engines.example>",
        "",
        "Re: A role you may like",
        "Sounds good, I'm interested too!",
        False,
        None,
        False,
        True,
    ),
    Mail(
        "colleague_out_of_office",
        "en",
        COLLEAGUE,
        "Auto-Submitted: auto-replied\n",
        "Automatic reply: A role you may like",
        "I'm out until 15 January 2027.",
        True,
        date(2027, 1, 15),
        False,
        True,
    ),
    Mail(
        "bounce",
        "en",
        "Mail Delivery System <MAILER-DAEMON@mx.example.com>",
        "Auto-Submitted: auto-replied\n",
        "Undelivered Mail Returned to Sender",
        "This is the mail system at host mx.example.com. I'm sorry to have to inform you "
        "that your message could not be delivered: 550 5.1.1 User unknown",
        True,
        None,
        False,
        True,
    ),
]
BY_KEY = {mail.key: mail for mail in CORPUS}


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestInboundCorpus(DripCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Classifier = cls.env["hr.recruitment.reply.classifier"]

    def _headers(self, mail, candidate_email):
        raw = f"From: x@example.com\nSubject: {mail.subject}\n{mail.headers}\n\n{mail.body}"
        return email.message_from_string(
            raw.replace("{candidate}", candidate_email), policy=email.policy.SMTP
        )

    def test_corpus_is_large_enough(self):
        self.assertGreaterEqual(len(CORPUS), 30)
        self.assertEqual({mail.lang for mail in CORPUS} >= {"en", "fr", "de", "es"}, True)
        self.assertGreaterEqual(sum(mail.gateway for mail in CORPUS), 12)
        self.assertEqual(len({mail.key for mail in CORPUS}), len(CORPUS))

    def test_corpus_through_the_pure_functions(self):
        known = {"ada@example.com", "ada.l@home.example"}
        for mail in CORPUS:
            with self.subTest(mail=mail.key):
                message = self._headers(mail, "ada@example.com")
                auto = is_auto_reply(message, message["Subject"])
                self.assertEqual(auto, mail.auto, "auto-reply")
                text = f"{mail.subject}\n{mail.body}"
                if mail.auto:
                    self.assertEqual(parse_return_date(text, TODAY), mail.until, "return date")
                sender = (
                    "Ada Lovelace <Ada@Example.com>" if mail.sender == CANDIDATE else mail.sender
                )
                self.assertEqual(is_known_sender(sender, known), mail.sender == CANDIDATE)
                if mail.sender == CANDIDATE and not mail.auto:
                    suggestion = self.Classifier._suggest(mail.body, lang=mail.lang, today=TODAY)
                    self.assertEqual(suggestion[0], mail.suggestion, "suggested class")
        # the candidate writing from the address of one of her applications is the candidate
        self.assertTrue(is_known_sender("Ada <ADA.L@home.example>", known))
        self.assertFalse(is_known_sender("", known))
        self.assertFalse(is_known_sender("not an address", known))

    def _talent_for(self, mail):
        """A fresh passive talent in the drip, contacted by her recruiter, for one email."""
        local = mail.key.replace("_", ".")
        talent = self.env["hr.applicant"].create(
            {
                "partner_name": f"Corpus {mail.key}",
                "email_from": f"{local}@candidates.example",
                "talent_pool_ids": [Command.link(self.pool.id)],
                "is_passive_candidate": True,
                "user_id": self.user_officer.id,
            }
        )
        talent.partner_id.lang = False
        outreach = talent.with_user(self.user_officer).message_post(
            body="Would you be open to a chat?",
            partner_ids=talent.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        enrollment = self.drip.enroll(talent)["enrollments"]
        self.assertEqual(enrollment.state, "running")
        return talent, outreach, enrollment

    def _process(self, mail, talent, outreach):
        sender = talent.partner_id.email_formatted if mail.sender == CANDIDATE else mail.sender
        headers = mail.headers.replace("{candidate}", talent.email_normalized)
        if mail.sender != CANDIDATE:
            headers += f"Cc: {talent.email_normalized}\n"
        self._receive_email(outreach.message_id, sender, mail.subject, mail.body, headers)
        return talent.touchpoint_ids.filtered(lambda t: t.direction == "inbound")

    def test_corpus_through_the_mail_gateway(self):
        for mail in CORPUS:
            if not mail.gateway:
                continue
            with self.subTest(mail=mail.key):
                talent, outreach, enrollment = self._talent_for(mail)
                inbound = self._process(mail, talent, outreach)
                if mail.key == "bounce":
                    # the gateway routes a bounce to the bounce handler: nothing is logged
                    self.assertFalse(inbound)
                    self.assertEqual(enrollment.state, "running")
                    continue
                self.assertEqual(len(inbound), 1)
                self.assertEqual(inbound.auto_reply, mail.auto, "auto-reply")
                self.assertEqual(inbound.reply_class_suggestion, mail.suggestion)
                if mail.sender != CANDIDATE:
                    self._assert_third_party(mail, talent, inbound, enrollment)
                elif mail.auto:
                    self.assertEqual((inbound.kind, inbound.third_party), ("reply", False))
                    self.assertFalse(talent.last_response_date, "no response")
                    self.assertEqual(talent.engagement_score, 0)
                    self.assertEqual(
                        (enrollment.state, enrollment.pause_reason),
                        ("paused", "out_of_office") if mail.until else ("running", False),
                        "an auto-reply stops nothing; a return date pauses until then",
                    )
                    self.assertEqual(
                        talent.outreach_paused_until,
                        (mail.until and datetime.combine(mail.until, datetime.min.time())) or False,
                    )
                else:
                    self.assertEqual((inbound.kind, inbound.outcome), ("reply", "replied"))
                    self.assertFalse(inbound.third_party)
                    self.assertEqual(talent.last_response_date, NOW)
                    self.assertEqual(talent.outreach_status, "engaged")
                    self.assertGreater(talent.engagement_score, 0)
                    self.assertFalse(talent.outreach_paused_until)
                    self.assertEqual(
                        (enrollment.state, enrollment.stop_reason), ("stopped", "replied")
                    )

    def _assert_third_party(self, mail, talent, note, enrollment):
        self.assertEqual((note.kind, note.outcome, note.third_party), ("note", "done", True))
        address = mail.sender.split("<")[1].rstrip(">")
        self.assertIn(address, note.summary)
        self.assertIn(mail.subject, note.summary)
        self.assertFalse(talent.last_response_date, "not the candidate's response")
        self.assertEqual(talent.outreach_status, "contacted")
        self.assertEqual(talent.engagement_score, 0)
        self.assertFalse(talent.outreach_paused_until, "a colleague's absence is not hers")
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("running", False))

    def test_candidate_writing_from_an_application_address(self):
        talent, outreach, enrollment = self._talent_for(BY_KEY["precedence_bulk_from_own_client"])
        self.env["hr.applicant"].create(
            {
                "partner_name": talent.partner_name,
                "email_from": "private.address@home.example",
                "pool_applicant_id": talent.id,
            }
        )
        self._receive_email(
            outreach.message_id,
            "Me <Private.Address@home.example>",
            "Re: A role you may like",
            "Yes, let's talk.",
        )
        reply = talent.touchpoint_ids.filtered(lambda t: t.direction == "inbound")
        self.assertEqual((reply.kind, reply.third_party), ("reply", False))
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))

    def test_third_party_sender_is_plain_text_in_the_summary(self):
        mail = BY_KEY["colleague_in_copy_says_she_left"]
        talent, outreach, _enrollment = self._talent_for(mail)
        mail = mail._replace(sender='"<img src=x onerror=alert(1)>" <mallory@evil.example>')
        note = self._process(mail, talent, outreach)
        self.assertIn("mallory@evil.example", note.summary)
        self.assertNotIn("<img", note.summary)
        # a third party's email cannot speak for the candidate
        with self.assertRaisesRegex(UserError, "someone other than"):
            talent.action_classify_message(note.mail_message_id.id)
        self.assertFalse(note.reply_class)
