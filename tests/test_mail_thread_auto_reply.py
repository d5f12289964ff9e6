from datetime import date, datetime

from odoo.tests import freeze_time, tagged

from odoo.addons.hr_recruitment_passive.tools.auto_reply import is_auto_reply
from odoo.addons.hr_recruitment_passive.tools.dates import parse_return_date

from .common import PassiveCommon

NOW = datetime(2026, 12, 2, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAutoReply(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["hr.recruitment.contact.policy"]
        cls.company.partner_id.tz = "UTC"
        cls.talent_ada.partner_id.tz = False

    def _receive(self, body, subject="Re: A role you may like", headers=""):
        outreach = self.talent_ada.with_user(self.user_officer).message_post(
            body="Would you be open to a chat?",
            partner_ids=self.talent_ada.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._receive_email(
            outreach.message_id, "Ada Lovelace <ada@example.com>", subject, body, headers
        )
        return self.talent_ada.touchpoint_ids.filtered(lambda t: t.direction == "inbound")

    def _assert_auto_reply(self, touchpoint, until):
        self.assertEqual(len(touchpoint), 1)
        self.assertTrue(touchpoint.auto_reply)
        self.assertEqual((touchpoint.kind, touchpoint.outcome), ("reply", "replied"))
        self.assertTrue(touchpoint.summary.startswith("Auto-reply"), touchpoint.summary)
        self.assertFalse(self.talent_ada.last_response_date, "not a response")
        self.assertEqual(self.talent_ada.outreach_status, "contacted")
        self.assertEqual(self.talent_ada.engagement_score, 0)
        decision = self.policy._check(self.talent_ada, "email")[self.talent_ada.id]
        if until:
            self.assertIn(str(until), touchpoint.summary)
            self.assertEqual(
                self.talent_ada.outreach_paused_until, datetime(*until.timetuple()[:3])
            )
            self.assertEqual(decision[:2], ("postponed", "away"))
            self.assertEqual(decision.until, datetime(until.year, until.month, until.day, 9))
        else:
            self.assertFalse(self.talent_ada.outreach_paused_until)
            self.assertEqual(decision.state, "allowed")

    def test_auto_submitted_header_with_return_date(self):
        touchpoint = self._receive(
            "I am out of the office until 15 January 2027 with limited access to email.",
            subject="Re: A role you may like",
            headers="Auto-Submitted: auto-replied\n",
        )
        self._assert_auto_reply(touchpoint, date(2027, 1, 15))

    def test_x_autoreply_german_date(self):
        touchpoint = self._receive(
            "Vielen Dank. Ich bin vom 01.12.2026 bis zum 12.01.2027 nicht im Büro.",
            headers="X-Autoreply: yes\n",
        )
        self._assert_auto_reply(touchpoint, date(2027, 1, 12))

    def test_precedence_without_date(self):
        touchpoint = self._receive("Thanks for your message.", headers="Precedence: auto_reply\n")
        self._assert_auto_reply(touchpoint, None)

    def test_subject_only_french(self):
        touchpoint = self._receive(
            "Je suis absente, de retour le 5 janvier 2027.",
            subject="Réponse automatique : A role you may like",
        )
        self._assert_auto_reply(touchpoint, date(2027, 1, 5))

    def test_real_reply_is_a_response(self):
        touchpoint = self._receive("Happy to talk next week, say Tuesday 8 December?")
        self.assertFalse(touchpoint.auto_reply)
        self.assertFalse(touchpoint.summary.startswith("Auto-reply"))
        self.assertEqual(self.talent_ada.last_response_date, NOW)
        self.assertEqual(self.talent_ada.outreach_status, "engaged")
        self.assertFalse(self.talent_ada.outreach_paused_until)

    def test_detection_rules(self):
        self.assertTrue(is_auto_reply({"Auto-Submitted": "auto-generated"}, "Hi"))
        self.assertFalse(is_auto_reply({"Auto-Submitted": "no"}, "Re: Hi"))
        self.assertFalse(is_auto_reply({"Precedence": "bulk"}, "Hi"), "a list, not a responder")
        self.assertFalse(is_auto_reply({"Precedence": "list"}, "Re: Hi"))
        for subject in (
            "Out of Office: Hi",
            "Automatic reply: Hi",
            "Abwesenheitsnotiz: Hi",
            "Respuesta automática: Hi",
            "Risposta automatica: Hi",
            "Afwezig: Hi",
            "Auto: Hi",
        ):
            self.assertTrue(is_auto_reply({}, subject), subject)
        self.assertFalse(is_auto_reply({}, "Re: about your absence policy"))
        today = date(2026, 12, 2)
        cases = {
            "back on 2027-02-03": date(2027, 2, 3),
            "away from 3 to 15 March": date(2027, 3, 15),
            "returning January 4th, 2027": date(2027, 1, 4),
            "de vuelta el 7 de enero de 2027": date(2027, 1, 7),
            "back on 1 December 2026": None,  # in the past
            "back in 2030-01-01": None,  # too far to believe
            "no date here": None,
        }
        for text, expected in cases.items():
            self.assertEqual(parse_return_date(text, today), expected, text)
