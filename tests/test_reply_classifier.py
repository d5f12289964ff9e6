from datetime import date, datetime, timedelta

from markupsafe import Markup

from odoo import fields
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, freeze_time, tagged

from odoo.addons.hr_recruitment_passive.tools.dates import find_reply_date

from .common import PassiveCommon

NOW = datetime(2026, 3, 10, 9, 0, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestReplyClassification(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Classifier = cls.env["hr.recruitment.reply.classifier"]

    def _reply(self, talent, text, **values):
        return self._touchpoint(
            talent,
            channel="email",
            direction="inbound",
            kind="reply",
            outcome="replied",
            summary=text,
            **values,
        )

    def test_keyword_suggestions_in_four_languages(self):
        today = date(2026, 3, 10)
        cases = [
            ("Not now, but ask me again in June.", "en", ("not_now", date(2026, 6, 1))),
            ("Sounds good, I'm interested. Let's talk!", "en", ("interested", False)),
            ("Thanks, but I'm not interested.", "en", ("not_interested", False)),
            ("Please unsubscribe me from this list.", "en", ("unsubscribe", False)),
            ("I left the company last year.", "en", ("wrong_person", False)),
            ("Maybe in February?", "en", ("not_now", date(2027, 2, 1))),
            ("I may be interested", "en", ("interested", False)),
            (
                "Pas pour le moment, recontactez-moi en septembre.",
                "fr",
                ("not_now", date(2026, 9, 1)),
            ),
            ("Non merci, je ne suis pas intéressée.", "fr", ("not_interested", False)),
            ("Avec plaisir, discutons-en !", "fr", ("interested", False)),
            ("Merci de me désinscrire.", "fr", ("unsubscribe", False)),
            ("Kein Interesse, danke.", "de", ("not_interested", False)),
            ("Gerne, melden Sie sich bis Juli 2027.", "de", ("interested", date(2027, 7, 1))),
            ("Ahora no, quizás el año que viene.", "es", ("not_now", date(2027, 1, 1))),
            ("Me interesa, hablemos.", "es", ("interested", False)),
            ("Not right now - reach out in 6 months", "en", ("not_now", date(2026, 9, 10))),
            ("Thank you for your message.", "en", (False, False)),
        ]
        for text, lang, expected in cases:
            with self.subTest(text=text):
                self.assertEqual(self.Classifier._suggest(text, lang=lang, today=today), expected)

    def test_quoted_original_is_ignored(self):
        body = Markup(
            "<p>Sure, happy to chat next week.</p>"
            "<blockquote><p>Hi Ada, ... <a href='#'>Unsubscribe</a></p></blockquote>"
        )
        text = self.Classifier._reply_text(body_html=body)
        self.assertNotIn("Unsubscribe", text)
        plain = "Happy to chat!\n\nOn Mon, 9 Mar 2026, Olivia wrote:\n> unsubscribe here"
        self.assertEqual(
            self.Classifier._suggest(self.Classifier._reply_text(text=plain))[0], "interested"
        )

    def test_not_now_until_june_snoozes_and_plans_reengagement(self):
        reply = self._reply(self.talent_ada, "Not now, maybe in June when my project ships.")
        self.assertEqual(reply.reply_class_suggestion, "not_now")
        action = (
            reply.with_user(self.user_officer)
            .with_context(reply_class="not_now")
            .action_classify_reply()
        )
        self.assertEqual(action["res_model"], "hr.recruitment.touchpoint.classify")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_officer)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.reply_class, "not_now")
        self.assertEqual(wizard.snoozed_until, date(2026, 6, 1), "June, read from the reply")
        wizard.save().action_apply()
        self.assertEqual(reply.reply_class, "not_now")
        self.assertEqual(self.talent_ada.outreach_snoozed_until, date(2026, 6, 1))
        planned = self.talent_ada.touchpoint_ids.filtered(lambda t: t.outcome == "planned")
        self.assertEqual(planned.date, datetime(2026, 6, 1))
        self.assertEqual(planned.kind, "follow_up")
        self.assertEqual(self.talent_ada.next_touchpoint_date, datetime(2026, 6, 1))
        activity = self.talent_ada.activity_ids
        self.assertEqual(activity.date_deadline, date(2026, 6, 1))
        self.assertEqual(activity.user_id, self.user_officer)

    def test_not_now_needs_a_future_date(self):
        reply = self._reply(self.talent_ada, "Not now")
        with self.assertRaisesText(UserError, "Choose a date after today"):
            reply._apply_reply_class("not_now", until=date(2026, 3, 1))
        self.assertFalse(reply.reply_class)

    def test_interested_offers_an_application_in_one_click(self):
        self._touchpoint(self.talent_bob, outcome="sent", date=NOW - timedelta(days=2))
        reply = self._reply(self.talent_bob, "Yes, I'm interested, tell me more")
        action = reply.with_context(reply_class="interested").action_classify_reply()
        self.assertEqual(reply.reply_class, "interested")
        self.assertEqual(action["res_model"], "job.add.applicants")
        self.assertEqual(action["context"]["default_applicant_ids"], self.talent_bob.ids)
        wizard = Form(self.env["job.add.applicants"].with_context(**action["context"]))
        wizard.job_ids.add(self.job)
        wizard.save().action_add_applicants_to_job()
        application = self.talent_bob.talent_application_ids
        self.assertEqual(application.job_id, self.job)
        self.assertEqual(self.talent_bob.outreach_status, "converted")

    def test_not_interested_records_a_reason(self):
        reply = self._reply(self.talent_ada, "No thanks, I was just promoted.")
        with self.assertRaisesText(UserError, "Write down why"):
            reply._apply_reply_class("not_interested", reason=" ")
        action = reply.with_context(reply_class="not_interested").action_classify_reply()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Just promoted"
        wizard.save().action_apply()
        self.assertEqual(
            (reply.reply_class, reply.reply_reason), ("not_interested", "Just promoted")
        )

    def test_unsubscribe_opts_out_and_blacklists(self):
        reply = self._reply(self.talent_ada, "Please remove me from your list")
        reply.with_context(reply_class="unsubscribe").action_classify_reply()
        self.assertTrue(self.talent_ada.outreach_opted_out)
        self.assertTrue(
            self.env["mail.blacklist"].sudo().search([("email", "=", "ada@example.com")])
        )
        decision = self.env["hr.recruitment.contact.policy"]._check(self.talent_ada, "email")
        self.assertEqual(decision[self.talent_ada.id].state, "refused")
        self.assertEqual(self.talent_ada.outreach_status, "opted_out")

    def test_wrong_person_stops_contact(self):
        reply = self._reply(self.talent_bob, "Wrong person, I no longer work at Construct")
        reply.with_context(reply_class="wrong_person").action_classify_reply()
        self.assertTrue(self.talent_bob.do_not_contact)
        self.assertIn("Wrong person", self.talent_bob.do_not_contact_reason)

    def test_only_inbound_replies_and_from_the_candidate_form(self):
        outbound = self._touchpoint(self.talent_ada, direction="outbound", outcome="sent")
        with self.assertRaisesText(UserError, "Only a reply received"):
            outbound.with_context(reply_class="interested").action_classify_reply()
        with self.assertRaisesText(UserError, "no unclassified reply"):
            self.talent_ada.action_classify_last_reply()
        reply = self._reply(self.talent_ada, "Let's talk")
        action = self.talent_ada.with_user(self.user_officer).action_classify_last_reply()
        self.assertEqual(action["context"]["default_touchpoint_id"], reply.id)
        self.assertEqual(action["context"]["default_reply_class"], "interested")


@tagged("post_install", "-at_install")
class TestReplyClassificationChatter(HttpCase):
    def test_classify_reply_from_the_chatter(self):
        pool = self.env.ref("hr_recruitment_passive.hr_talent_pool_passive")
        talent = self.env["hr.applicant"].create(
            {
                "partner_name": "Dora Chatter",
                "email_from": "dora@example.com",
                "talent_pool_ids": [Command.link(pool.id)],
                "is_passive_candidate": True,
            }
        )
        message = talent.message_post(
            body="Not now, maybe in June when my project ships.",
            message_type="email",
            author_id=talent.partner_id.id,
            subtype_xmlid="mail.mt_comment",
        )
        reply = talent.touchpoint_ids
        self.assertEqual(reply.mail_message_id, message)
        with self.assertRaisesRegex(UserError, "not a reply of Dora Chatter"):
            talent.action_classify_message(message.id + 1000)
        self.start_tour(
            f"/odoo/action-hr_recruitment_passive.hr_applicant_action_passive/{talent.id}",
            "hr_recruitment_passive_classify_from_chatter",
            login="admin",
        )
        self.assertEqual(reply.reply_class, "not_now")
        june = find_reply_date("in june", fields.Date.context_today(talent))
        self.assertEqual(talent.outreach_snoozed_until, june)
