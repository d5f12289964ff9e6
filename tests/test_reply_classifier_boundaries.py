"""The reply classification's 'Unsubscribe' and 'Not now' are the preference page's opt-out
and snooze: one implementation each, the same effects whichever way the candidate said it.
And who wrote an email decides whether it stops drips and steers their conditions."""

from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon

EMAIL_REPLY = {"channel": "email", "direction": "inbound", "kind": "reply", "outcome": "replied"}


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestReplyBoundaries(DripCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the reply itself must not be what stops the drip: the boundary does
        cls.drip.stop_on_reply = False
        cls.talent_bob.partner_phone = "+32470000002"
        cls.application_ada, cls.application_bob = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": talent.partner_name,
                    "email_from": f"{talent.email_normalized.split('@')[0]}.work@example.com",
                    "pool_applicant_id": talent.id,
                }
                for talent in (cls.talent_ada, cls.talent_bob)
            ]
        )

    def _enroll_ada_and_bob(self):
        enrollments = self.drip.enroll(self.talent_ada | self.talent_bob)["enrollments"]
        by_talent = {enrollment.applicant_id: enrollment for enrollment in enrollments}
        return by_talent[self.talent_ada], by_talent[self.talent_bob]

    def _reply(self, talent, text):
        """An email reply of the candidate, as the mail gateway logs it."""
        return self._touchpoint(talent, summary=text, **EMAIL_REPLY)

    def _assert_opted_out(self, talent, application, enrollment, origin):
        self.assertTrue(talent.outreach_opted_out)
        self.assertTrue(application.outreach_opted_out, "the applications are flagged too")
        blacklisted = self.env["mail.blacklist"].sudo().search([("active", "=", True)])
        self.assertLessEqual(
            {talent.email_normalized, application.email_normalized},
            set(blacklisted.mapped("email")),
        )
        phones = self.env["phone.blacklist"].sudo().search([("active", "=", True)])
        self.assertIn(talent.phone_sanitized, phones.mapped("number"))
        consent = talent.touchpoint_ids.filtered(lambda t: t.boundary_event == "opt_out")
        self.assertEqual(len(consent), 1, "the opt-out is in the consent history")
        self.assertTrue(consent.declined)
        self.assertIn(origin, consent.summary)
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "opted_out"))
        self.assertEqual(talent.outreach_status, "opted_out")

    def test_unsubscribe_reply_is_the_full_opt_out(self):
        ada, bob = self._enroll_ada_and_bob()
        reply = self._reply(self.talent_ada, "Please remove me from your list")
        self.assertEqual(ada.state, "running")
        reply.with_user(self.user_officer).with_context(
            reply_class="unsubscribe"
        ).action_classify_reply()
        self.assertEqual(reply.reply_class, "unsubscribe")
        self._assert_opted_out(self.talent_ada, self.application_ada, ada, "reply of 2026-03-02")
        # the preference page's "stop all contact" does exactly the same
        self.talent_bob._outreach_opt_out("preference page")
        self._assert_opted_out(self.talent_bob, self.application_bob, bob, "preference page")

    def _assert_snoozed(self, talent, enrollment, until):
        self.assertEqual(talent.outreach_snoozed_until, until)
        consent = talent.touchpoint_ids.filtered(lambda t: t.boundary_event == "snooze")
        self.assertEqual(len(consent), 1, "the snooze is in the consent history")
        self.assertTrue(consent.declined)
        planned = talent.touchpoint_ids.filtered(lambda t: t.outcome == "planned")
        self.assertEqual(
            (planned.date, planned.kind), (datetime(*until.timetuple()[:3]), "follow_up")
        )
        self.assertEqual(talent.next_touchpoint_date, datetime(*until.timetuple()[:3]))
        activity = talent.activity_ids
        self.assertEqual((activity.date_deadline, activity.user_id), (until, self.user_officer))
        self.assertEqual((enrollment.state, enrollment.pause_reason), ("paused", "snooze"))
        self.assertEqual(enrollment.next_run_at, datetime(*until.timetuple()[:3]), "drip paused")

    def test_not_now_reply_is_the_full_snooze(self):
        ada, bob = self._enroll_ada_and_bob()
        reply = self._reply(self.talent_ada, "Not now, maybe in three years.")
        with self.assertRaisesText(UserError, "within two years"):
            reply._apply_reply_class("not_now", until=date(2029, 3, 1))
        with self.assertRaisesText(UserError, "after today"):
            reply._apply_reply_class("not_now", until=date(2026, 3, 1))
        self.assertFalse(reply.reply_class)
        self.assertFalse(self.talent_ada.outreach_snoozed_until, "nothing changed")
        reply.with_user(self.user_officer)._apply_reply_class("not_now", until=date(2026, 6, 1))
        self.assertEqual((reply.reply_class, reply.snoozed_until), ("not_now", date(2026, 6, 1)))
        self._assert_snoozed(self.talent_ada, ada, date(2026, 6, 1))
        # the preference page's snooze (run by the public user) does exactly the same
        public = self.env.ref("base.public_user")
        self.talent_bob.with_user(public).sudo()._outreach_snooze(date(2026, 6, 2))
        self._assert_snoozed(self.talent_bob, bob, date(2026, 6, 2))

    def _receive(self, talent, mail, email_from, body):
        cc = f"Cc: {talent.email_normalized}\n"
        self._receive_email(mail.message_id, email_from, f"Re: {mail.subject}", body, cc)

    def test_third_party_reply_to_a_drip_email_is_no_reply(self):
        self.drip.stop_on_reply = True
        self.drip.enroll(self.talent_ada)
        with self.mock_mail_gateway():
            self._run_drip_cron()
            self._drip_mails().send()
        self.env.invalidate_all()
        enrollment = self._enrollments(self.talent_ada)
        mail = self._drip_mails()
        self.assertEqual(len(mail), 1)
        trace = enrollment.last_email_trace_id
        self._receive(
            self.talent_ada,
            mail,
            "Grace Hopper <grace@analytical-engines.example>",
            "Ada is on a sabbatical, I am her colleague. Sounds good for her, I think!",
        )
        self.assertEqual(trace.trace_status, "sent", "a colleague's answer is no reply")
        self.assertFalse(trace.open_datetime, "nor an open by the candidate")
        self.assertEqual(enrollment.touchpoint_ids.outcome, "sent")
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("running", False))
        note = self.talent_ada.touchpoint_ids.filtered("third_party")
        self.assertIn("grace@analytical-engines.example", note.summary)
        self.assertFalse(self.talent_ada.last_response_date)
        # the candidate's own answer is a reply and stops the drip
        self._receive(self.talent_ada, mail, "Ada Lovelace <ada@example.com>", "Yes, let's talk.")
        self.assertEqual(trace.trace_status, "reply")
        self.assertEqual(enrollment.touchpoint_ids.outcome, "replied")
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))

    def test_candidate_not_flagged_passive(self):
        """Emails on the thread of a candidate who is not a passive talent are not logged, but
        only the candidate's own, real reply stops the drips she is in."""
        self.drip.stop_on_reply = True
        self.assertFalse(self.talent_cy.is_passive_candidate)
        enrollment = self.drip.enroll(self.talent_cy)["enrollments"]
        posts = [
            ("grace@analytical-engines.example", {}),  # a colleague
            (self.talent_cy.email_from, {"outreach_auto_reply": {"until": None}}),  # away
        ]
        for email_from, context in posts:
            self.talent_cy.with_context(**context).message_post(
                body="Thanks for your message.",
                message_type="email",
                email_from=email_from,
                author_id=False,
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(enrollment.state, "running", email_from)
        self.assertFalse(self.talent_cy.touchpoint_ids)
        self.talent_cy.message_post(
            body="Thanks, let's talk next week.",
            message_type="email",
            email_from=self.talent_cy.email_from,
            author_id=False,
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))
