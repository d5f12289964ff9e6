from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripStopRules(DripCommon):
    """Reply, application, bounce, opt-out, contact policy at send time, manual actions."""

    def _enroll_and_send(self):
        self.drip.enroll(self.talents)
        with self.mock_mail_gateway():
            self._run_drip_cron()
        return self._enrollments()

    def test_reply_touchpoint_stops_but_not_auto_reply(self):
        enrollments = self._enroll_and_send()
        ada = enrollments.filtered(lambda e: e.applicant_id == self.talent_ada)
        # an out-of-office answer (flagged auto_reply) does not stop the drip
        self._touchpoint(
            self.talent_ada,
            channel="email",
            direction="inbound",
            kind="reply",
            outcome="replied",
            auto_reply=True,
        )
        self.assertEqual(ada.state, "running")
        # ... and neither does the trace being set to 'reply' by itself
        ada.last_email_trace_id.set_replied()
        self.assertEqual(ada.state, "running")
        self._touchpoint(
            self.talent_ada, channel="email", direction="inbound", kind="reply", outcome="replied"
        )
        self.assertEqual((ada.state, ada.stop_reason), ("stopped", "replied"))
        self.assertFalse(ada.next_run_at)
        self.assertEqual(set((enrollments - ada).mapped("state")), {"running"})

    def test_reply_of_candidate_not_flagged_passive(self):
        self.assertFalse(self.talent_cy.is_passive_candidate)
        enrollments = self._enroll_and_send()
        self.talent_cy.message_post(
            body="Thanks, let's talk next week.",
            message_type="email",
            author_id=self.talent_cy.partner_id.id,
            subtype_xmlid="mail.mt_comment",
        )
        cy = enrollments.filtered(lambda e: e.applicant_id == self.talent_cy)
        self.assertEqual((cy.state, cy.stop_reason), ("stopped", "replied"))
        self.assertEqual(set((enrollments - cy).mapped("state")), {"running"})

    def test_reply_does_not_stop_when_rule_off(self):
        self.drip.stop_on_reply = False
        enrollments = self._enroll_and_send()
        self._touchpoint(
            self.talent_ada, channel="email", direction="inbound", kind="reply", outcome="replied"
        )
        self.assertEqual(set(enrollments.mapped("state")), {"running"})

    def test_application_stops_with_applied(self):
        enrollments = self._enroll_and_send()
        self.env["hr.applicant"].create(
            {
                "partner_name": "Bob Builder",
                "email_from": "bob@example.com",
                "job_id": self.job.id,
                "pool_applicant_id": self.talent_bob.id,
            }
        )
        bob = enrollments.filtered(lambda e: e.applicant_id == self.talent_bob)
        self.assertEqual((bob.state, bob.stop_reason), ("stopped", "applied"))
        self.assertEqual(self.drip.converted_count, 1)
        self.assertAlmostEqual(self.drip.converted_rate, 100 / 3, places=1)

    def test_bounce_stops_and_marks_touchpoint(self):
        enrollments = self._enroll_and_send()
        cy = enrollments.filtered(lambda e: e.applicant_id == self.talent_cy)
        cy.last_email_trace_id.set_bounced(bounce_message="550 unknown user")
        self.assertEqual((cy.state, cy.stop_reason), ("stopped", "bounced"))
        touchpoint = cy.touchpoint_ids
        self.assertEqual(touchpoint.outcome, "bounced")
        self.assertEqual(self.drip.bounced_count, 1)

    def test_opt_out_always_stops(self):
        self.drip.write({"stop_on_reply": False, "stop_on_apply": False, "stop_on_bounce": False})
        enrollments = self._enroll_and_send()
        self.talent_ada.outreach_opted_out = True
        ada = enrollments.filtered(lambda e: e.applicant_id == self.talent_ada)
        self.assertEqual((ada.state, ada.stop_reason), ("stopped", "opted_out"))

    def test_contact_policy_at_send_time(self):
        self.drip.enroll(self.talents)
        # between enrolling and sending, Bob's address lands on the blacklist
        self.env["mail.blacklist"].sudo()._add("bob@example.com")
        with self.mock_mail_gateway():
            self._run_drip_cron()
        bob = self._enrollments(self.talent_bob)
        self.assertEqual((bob.state, bob.stop_reason), ("stopped", "opted_out"))
        self.assertEqual(bob.status_note, "Opted out of recruitment outreach")
        self.assertEqual(
            set(self._drip_mails().mapped("res_id")), {self.talent_ada.id, self.talent_cy.id}
        )

    def test_pause_hook_moves_next_run(self):
        enrollments = self._enroll_and_send()
        until = datetime(2026, 4, 1, 8, 0)
        self.talent_ada._outreach_pause(until)
        ada = enrollments.filtered(lambda e: e.applicant_id == self.talent_ada)
        self.assertEqual(ada.next_run_at, until)
        self.assertIn("Paused until", ada.status_note)
        self.assertNotEqual((enrollments - ada).mapped("next_run_at"), [until, until])

    def test_manual_pause_resume_stop_skip(self):
        enrollments = self._enroll_and_send()
        ada, bob, cy = (
            enrollments.filtered(lambda e, t=t: e.applicant_id == t) for t in self.talents
        )
        ada.with_user(self.user_officer).action_pause()
        self.assertEqual(ada.state, "paused")
        with freeze_time("2026-03-05 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(ada.step_id, self.step_2, "a paused enrollment does not move")
        self.assertEqual(bob.step_id, self.step_3)
        with freeze_time("2026-03-05 11:00:00"):
            ada.with_user(self.user_officer).action_resume()
        self.assertEqual((ada.state, str(ada.next_run_at)), ("running", "2026-03-05 11:00:00"))
        with self.assertRaisesText(UserError, "cannot be resumed"):
            ada.action_resume()
        bob.with_user(self.user_officer).action_skip_step()
        self.assertEqual((bob.state, bob.step_id.id), ("done", False), "step 3 was the last")
        self.assertFalse(bob.touchpoint_ids.filtered(lambda t: t.step_id == self.step_3))
        action = cy.with_user(self.user_officer).action_stop()
        self.env[action["res_model"]].with_user(self.user_officer).with_context(
            **action["context"]
        ).create({"reason": "Not a fit after all"}).action_stop()
        self.assertEqual((cy.state, cy.stop_reason), ("stopped", "manual"))
        with self.assertRaisesText(UserError, "Only running enrollments can be paused"):
            cy.action_pause()

    def test_cancelled_task_skips_step(self):
        self.drip.step_ids[:2].unlink()
        self.step_3.delay = 0
        self.drip.enroll(self.talent_ada)
        self._run_drip_cron()
        ada = self._enrollments(self.talent_ada)
        self.assertTrue(ada.activity_id)
        ada.activity_id.action_cancel()
        self.assertEqual(ada.state, "done")
        self.assertFalse(ada.touchpoint_ids)
