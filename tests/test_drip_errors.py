from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripErrors(DripCommon):
    """Bad input stops one enrollment with 'error' and a readable last_error; the batch goes on."""

    def test_template_failing_for_one_candidate(self):
        # Odoo checks a new template on one applicant (search limit 1, order by sequence: any
        # of them): all have an employer then, and Cy has none again when the drip runs
        without_employer = self.env["hr.applicant"].search([("current_company", "=", False)])
        without_employer.current_company = "Somewhere"
        template = self.template_first.copy(
            {"subject": "Hello {{ object.current_company.upper() }}"}
        )
        without_employer.current_company = False
        self.step_1.variant_ids.mail_template_id = template
        self.drip.enroll(self.talents)
        with self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(
            set(self._drip_mails().mapped("res_id")), {self.talent_ada.id, self.talent_bob.id}
        )
        cy = self._enrollments(self.talent_cy)
        self.assertEqual((cy.state, cy.stop_reason), ("stopped", "error"))
        self.assertIn("Step 'First touch' failed", cy.last_error)
        self.assertFalse(cy.touchpoint_ids)
        others = self._enrollments(self.talent_ada | self.talent_bob)
        self.assertEqual(others.step_id, self.step_2)
        in_error = self.env["hr.recruitment.drip.enrollment"].search([("last_error", "!=", False)])
        self.assertEqual(in_error, cy, "the 'In error' filter shows it")
        self.assertEqual(self.drip.error_count, 1)
        # fixed by the recruiter (company filled in), resumed: it runs again and sends
        self.talent_cy.current_company = "Twombly Studio"
        cy.action_resume()
        with self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual((cy.state, cy.step_id), ("running", self.step_2))
        self.assertEqual(len(self._drip_mails()), 3)

    def test_template_deleted_meanwhile(self):
        template = self.template_first.copy()
        self.step_1.variant_ids.mail_template_id = template
        self.drip.enroll(self.talents)
        template.unlink()
        self._run_drip_cron()
        enrollments = self._enrollments()
        self.assertEqual(set(enrollments.mapped("stop_reason")), {"error"})
        self.assertIn("was deleted", enrollments[0].last_error)

    def test_step_deleted_meanwhile(self):
        self.drip.enroll(self.talent_ada)
        self.step_1.unlink()
        self._run_drip_cron()
        ada = self._enrollments()
        self.assertEqual((ada.state, ada.stop_reason), ("stopped", "error"))
        self.assertIn("deleted", ada.last_error)

    def test_email_became_invalid(self):
        self.drip.enroll(self.talent_ada | self.talent_cy)
        # the email is removed after enrolling: refused by the contact policy at send time
        self.talent_cy.email_from = False
        with self.mock_mail_gateway():
            self._run_drip_cron()
        cy = self._enrollments(self.talent_cy)
        self.assertEqual((cy.state, cy.stop_reason), ("stopped", "error"))
        self.assertEqual(cy.last_error, "No valid email address")
        self.assertEqual(self._drip_mails().res_id, self.talent_ada.id)
