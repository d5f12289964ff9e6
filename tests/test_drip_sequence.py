from datetime import datetime

from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
class TestDripSequence(DripCommon):
    """The end-to-end story of a drip: enroll, send, branch, wait, task, stop."""

    @freeze_time(MONDAY)
    def test_drip_three_steps(self):
        result = self.drip.enroll(self.talents | self.talent_dan | self.talent_eve)
        self.assertEqual(result["enrollments"].applicant_id, self.talents)
        self.assertEqual(
            {key: code for key, (code, _message) in result["skipped"].items()},
            {self.talent_dan.id: "opted_out", self.talent_eve.id: "no_email"},
        )
        with self.mock_mail_gateway():
            self._run_drip_cron()
        mails = self._drip_mails(self.step_1)
        self.assertEqual(len(mails), 3)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertEqual(set(mails.mapped("res_id")), set(self.talents.ids))
        touchpoints = self.env["hr.recruitment.touchpoint"].search(
            [("enrollment_id", "in", result["enrollments"].ids)]
        )
        self.assertEqual(len(touchpoints), 3)
        self.assertEqual(set(touchpoints.mapped("outcome")), {"sent"})
        self.assertEqual(touchpoints.mailing_trace_id, mails.mailing_trace_ids)
        self.assertEqual(touchpoints.step_id, self.step_1)
        self.assertEqual(touchpoints.variant_id, self.step_1.variant_ids)
        ada_mail = mails.filtered(lambda m: m.res_id == self.talent_ada.id)
        self.assertIn("Principal Engineer", ada_mail.body_html)
        self.assertIn("Analytical Engines", ada_mail.body_html)
        self.assertIn("Staff Engineer", ada_mail.subject)
        self.assertIn("/recruitment/preferences/", ada_mail.body_html)
        self.assertIn(self.user_officer.email, ada_mail.email_from)
        mail_cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", mail_cron.id)]),
            "the mail queue must be woken up",
        )
        enrollments = self._enrollments()
        self.assertEqual(enrollments.step_id, self.step_2)
        # 3 business days after Monday: Thursday, same time
        self.assertEqual(set(enrollments.mapped("next_run_at")), {datetime(2026, 3, 5, 10, 0)})

        # run again at once: nothing more is sent
        with self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(len(self._drip_mails()), 3)

        # Ada opens her email
        ada_trace = ada_mail.mailing_trace_ids
        ada_trace.set_opened()
        self.assertEqual(
            touchpoints.filtered(lambda t: t.applicant_id == self.talent_ada).outcome, "opened"
        )
        with freeze_time("2026-03-05 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        step_2_mails = self._drip_mails(self.step_2)
        self.assertEqual(
            set(step_2_mails.mapped("res_id")), {self.talent_bob.id, self.talent_cy.id}
        )
        ada_enrollment = self._enrollments(self.talent_ada)
        self.assertEqual(ada_enrollment.step_id, self.step_3)
        self.assertIn("skipped", ada_enrollment.status_note)
        self.assertEqual(
            len(
                self.env["hr.recruitment.touchpoint"].search(
                    [("enrollment_id", "=", ada_enrollment.id)]
                )
            ),
            1,
        )

        # Bob replies through the mail gateway: his drip stops with reason "replied"
        bob_mail = step_2_mails.filtered(lambda m: m.res_id == self.talent_bob.id)
        with freeze_time("2026-03-05 12:00:00"):
            self._reply_to(bob_mail)
        bob_enrollment = self._enrollments(self.talent_bob)
        self.assertEqual(bob_enrollment.state, "stopped")
        self.assertEqual(bob_enrollment.stop_reason, "replied")
        self.assertEqual(
            self.env["hr.recruitment.touchpoint"]
            .search([("mailing_trace_id", "=", bob_mail.mailing_trace_ids.id)])
            .outcome,
            "replied",
        )

        # 5 days later the LinkedIn task is scheduled for the owner, with the rendered message
        with freeze_time("2026-03-10 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        ada_enrollment.invalidate_recordset()
        activity = ada_enrollment.activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.user_id, self.user_officer)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("hr_recruitment_passive.mail_activity_type_linkedin_message"),
        )
        self.assertIn(
            "Hi Ada Lovelace, I wrote to you about the Staff Engineer role.", activity.note
        )
        self.assertEqual(self._enrollments(self.talent_bob).activity_id, self.env["mail.activity"])
        with freeze_time("2026-03-10 11:00:00"):
            activity.with_user(self.user_officer).action_feedback(feedback="Sent on LinkedIn")
        self.assertEqual(ada_enrollment.state, "done")
        linkedin = self.env["hr.recruitment.touchpoint"].search(
            [("enrollment_id", "=", ada_enrollment.id), ("channel", "=", "linkedin")]
        )
        self.assertEqual(linkedin.outcome, "done")
        self.assertEqual(linkedin.summary, "Sent on LinkedIn")
        self.assertEqual(linkedin.step_id, self.step_3)

    def _reply_to(self, mail):
        from odoo.addons.test_mail.data.test_mail_data import MAIL_TEMPLATE

        with self.mock_mail_gateway():
            self._gateway_mail_reply(
                MAIL_TEMPLATE,
                mail=mail,
                use_in_reply_to=True,
                force_email_from=mail.recipient_ids[:1].email_formatted or mail.email_to,
                target_model="hr.applicant",
                target_field="partner_name",
            )
        self.env.invalidate_all()
