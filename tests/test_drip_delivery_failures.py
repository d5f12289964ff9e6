import email
import email.policy
import socket
from datetime import datetime

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.sms.tests.common import SMSCase

from .drip_common import MONDAY, DripCommon
from .local_smtp import LocalSmtpMixin


def _refusing_port():
    """A local TCP port nothing listens on: connecting to it is refused (ECONNREFUSED)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripDeliveryFailures(LocalSmtpMixin, DripCommon, SMSCase):
    """A drip message that never leaves (the mail server refuses the connection, the SMS
    provider fails) is an event: the touchpoint is failed, the enrollment waits on that step
    (retry with back-off, or stop with the reason), no branch condition fires on it, no
    privacy notice counts as given, and the drip's figures and banner show it."""

    def _send_queue(self):
        self.env.flush_all()
        with self.sending_over_smtp():
            self.env["mail.mail"].sudo().process_email_queue()
        self.env.invalidate_all()

    def _refuse_smtp(self):
        self.env["ir.mail_server"].search([]).smtp_port = _refusing_port()

    def _touchpoints(self, talent):
        return self.env["hr.recruitment.touchpoint"].search(
            [("enrollment_id.drip_id", "=", self.drip.id), ("applicant_id", "=", talent.id)]
        )

    def test_smtp_refused_holds_and_retries(self):
        self.company.outreach_privacy_notice = "<p>We found your profile on GitHub.</p>"
        self.drip.enroll(self.talent_ada | self.talent_bob)
        self._run_drip_cron()
        enrollment = self._enrollments(self.talent_ada)
        self.assertEqual(enrollment.step_id, self.step_2, "queued: the drip moved on")
        self._refuse_smtp()
        self._send_queue()
        self.assertFalse(self.smtp_server.messages, "nothing reached any mail server")
        mail = self._drip_mails(self.step_1).filtered(lambda m: m.res_id == self.talent_ada.id)
        self.assertEqual(mail.state, "exception")
        self.assertEqual(mail.mailing_trace_ids.failure_type, "mail_smtp")
        touchpoint = self._touchpoints(self.talent_ada)
        self.assertEqual(touchpoint.outcome, "failed")
        self.assertFalse(touchpoint.privacy_notice, "a notice that never left was not given")
        # held on the step that failed, paused until the retry (1 hour later)
        self.assertRecordValues(
            enrollment,
            [
                {
                    "state": "paused",
                    "pause_reason": "delivery_retry",
                    "step_id": self.step_1.id,
                    "paused_until": datetime(2026, 3, 2, 11, 0),
                    "next_run_at": datetime(2026, 3, 2, 11, 0),
                }
            ],
        )
        self.assertIn("was not delivered", enrollment.status_note)
        self.assertNotIn("UTC", enrollment.status_note)
        # the figures and the banner of the drip say it
        self.drip.invalidate_recordset()
        self.assertEqual((self.drip.sent_count, self.drip.failed_count), (0, 2))
        self.assertEqual((self.drip.last_batch_count, self.drip.last_batch_failed_count), (2, 2))
        undelivered = self.env["hr.recruitment.drip.enrollment"].search(
            [("drip_id", "=", self.drip.id), ("undelivered", "=", True)]
        )
        self.assertEqual(undelivered.applicant_id, self.talent_ada | self.talent_bob)

        # the mail server is back: at 11:00 the cron resumes it and sends step 1 again
        self.env["ir.mail_server"].search([]).smtp_port = self.smtp_server.port
        with freeze_time("2026-03-02 11:00:00"):
            self._run_drip_cron()
            self._send_queue()
        self.assertEqual(enrollment.state, "running")
        self.assertEqual(enrollment.step_id, self.step_2)
        message = email.message_from_bytes(
            self.raw_message_to("ada@example.com"), policy=email.policy.default
        )
        self.assertIn("We found your profile on GitHub", message.get_body(("html",)).get_content())
        self.assertEqual(
            sorted(self._touchpoints(self.talent_ada).mapped("outcome")), ["failed", "sent"]
        )
        self.assertEqual(
            self._touchpoints(self.talent_ada).filtered("privacy_notice").outcome, "sent"
        )
        self.drip.invalidate_recordset()
        self.assertFalse(self.drip.last_batch_failed_count, "the last send went out")

    def test_not_opened_never_fires_for_an_email_that_never_left(self):
        self.drip.enroll(self.talent_ada)
        self._run_drip_cron()
        enrollment = self._enrollments(self.talent_ada)
        # the failure is reported late, when the follow-up is already due
        trace = enrollment.last_email_trace_id
        trace.set_failed(failure_type="mail_email_invalid")
        self.assertEqual(self._touchpoints(self.talent_ada).outcome, "failed")
        with freeze_time("2026-03-05 10:00:00"):
            self._run_drip_cron()
        self.assertFalse(self._drip_mails(self.step_2), "no 'not opened' follow-up")
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "error"))
        self.assertIn("not delivered", enrollment.last_error)

    def test_retries_end_in_error(self):
        self.drip.enroll(self.talent_ada)
        self._refuse_smtp()
        enrollment = self._enrollments(self.talent_ada)
        for at in ("2026-03-02 10:00:00", "2026-03-02 11:00:00", "2026-03-02 15:00:00"):
            with freeze_time(at):
                self._run_drip_cron()
                self._send_queue()
            self.assertEqual((enrollment.state, enrollment.step_id), ("paused", self.step_1))
        with freeze_time("2026-03-03 15:00:00"):
            self._run_drip_cron()
            self._send_queue()
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "error"))
        self.assertIn("Connection refused", enrollment.last_error)
        self.assertFalse(enrollment.status_note, "no stale note on a stopped enrollment")
        self.assertEqual(self._touchpoints(self.talent_ada).mapped("outcome"), ["failed"] * 4)

    def test_failed_chatter_email_is_failed_in_the_timeline(self):
        self._refuse_smtp()
        self.talent_ada.with_user(self.user_officer).message_post(
            body="Hello Ada, shall we talk?",
            partner_ids=self.talent_ada.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        touchpoint = self.env["hr.recruitment.touchpoint"].search(
            [("applicant_id", "=", self.talent_ada.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(touchpoint.outcome, "sent")
        self._send_queue()
        self.assertEqual(touchpoint.outcome, "failed")

    def test_sms_provider_failure(self):
        self.step_2.condition = "always"
        self.step_1.channel = "sms"
        self.step_1.variant_ids.write(
            {
                "mail_template_id": False,
                "sms_template_id": self.env.ref(
                    "hr_recruitment_passive.sms_template_drip_nudge"
                ).id,
            }
        )
        self.talent_ada.partner_phone = "+32470000001"
        self.talent_bob.partner_phone = "+32470000002"
        self.drip.enroll(self.talent_ada | self.talent_bob)
        self._run_drip_cron()
        with self.mockSMSGateway(
            nbr_t_error={"+32470000001": "server_error", "+32470000002": "wrong_number_format"}
        ):
            self.env["sms.sms"].sudo().search([]).send()
        ada, bob = self._enrollments(self.talent_ada), self._enrollments(self.talent_bob)
        self.assertEqual(self._touchpoints(self.talent_ada).outcome, "failed")
        self.assertEqual(
            (ada.state, ada.pause_reason, ada.step_id), ("paused", "delivery_retry", self.step_1)
        )
        self.assertEqual((bob.state, bob.stop_reason), ("stopped", "error"), "permanent")
        self.assertIn("Wrong Number Format", bob.last_error)

    def test_failures_held_in_batch(self):
        """A mail queue run that fails for many candidates holds them all in a few queries,
        not a few per candidate."""

        def fail_all(count):
            talents = self.env["hr.applicant"].create(
                [
                    {
                        "partner_name": f"Batch {count} {index}",
                        "email_from": f"batch.{count}.{index}@example.com",
                        "talent_pool_ids": [Command.link(self.pool.id)],
                        "is_passive_candidate": True,
                    }
                    for index in range(count)
                ]
            )
            self.drip.enroll(talents)
            self._run_drip_cron()
            mails = self._drip_mails(self.step_1).filtered(lambda m: m.res_id in talents.ids)
            self.assertEqual(len(mails), count)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["hr.recruitment.touchpoint"]._on_delivery_failure(
                mails.mail_message_id, "email", "mail_smtp", {}
            )
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(
                set(self._enrollments(talents).mapped(lambda e: (e.state, e.step_id))),
                {("paused", self.step_1)},
            )
            return queries

        small, large = fail_all(2), fail_all(12)
        self.assertLessEqual(large - small, 3, f"{small} queries for 2 failures, {large} for 12")
