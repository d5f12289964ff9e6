from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
class TestDripEnroll(DripCommon):
    """enroll() and the 'Add to drip sequence' wizard: per-candidate skip reasons."""

    def _codes(self, result):
        return {key: code for key, (code, _message) in result["skipped"].items()}

    @freeze_time(MONDAY)
    def test_enroll_skip_reasons(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.talent_cy.company_id = other_company
        self.talent_bob.write({"do_not_contact": True, "do_not_contact_reason": "Asked us"})
        result = self.drip.enroll(self.talents | self.talent_dan | self.talent_eve)
        self.assertEqual(result["enrollments"].applicant_id, self.talent_ada)
        self.assertEqual(
            self._codes(result),
            {
                self.talent_bob.id: "do_not_contact",
                self.talent_cy.id: "other_company",
                self.talent_dan.id: "opted_out",
                self.talent_eve.id: "no_email",
            },
        )
        self.assertIn("Other Co", result["skipped"][self.talent_cy.id][1])
        enrollment = result["enrollments"]
        self.assertEqual(enrollment.state, "running")
        self.assertEqual(enrollment.step_id, self.step_1)
        self.assertEqual(str(enrollment.next_run_at), MONDAY)
        # enrolling again: already running
        again = self.drip.enroll(self.talent_ada)
        self.assertFalse(again["enrollments"])
        self.assertEqual(self._codes(again), {self.talent_ada.id: "already_enrolled"})

    @freeze_time(MONDAY)
    def test_one_running_drip_unless_overlap(self):
        other = self.drip.copy({"name": "Other drip"})
        self.drip.enroll(self.talent_ada)
        result = other.enroll(self.talent_ada)
        self.assertEqual(self._codes(result), {self.talent_ada.id: "already_enrolled"})
        self.assertIn("Staff engineers nurture", result["skipped"][self.talent_ada.id][1])
        other.allow_overlap = True
        self.assertTrue(other.enroll(self.talent_ada)["enrollments"])
        # an application enrolls its talent
        application = self.env["hr.applicant"].create(
            {"partner_name": "Ada Lovelace", "job_id": self.job.id}
        )
        application.pool_applicant_id = self.talent_bob
        self.assertEqual(self.drip.enroll(application)["enrollments"].applicant_id, self.talent_bob)

    @freeze_time(MONDAY)
    def test_enroll_sms_drip_needs_phone(self):
        self.step_1.channel = "sms"
        self.step_1.variant_ids.write(
            {"sms_template_id": self.env.ref("hr_recruitment_passive.sms_template_drip_nudge").id}
        )
        result = self.drip.enroll(self.talent_ada | self.talent_bob)
        self.assertEqual(self._codes(result), {self.talent_bob.id: "no_phone"})

    def test_enroll_bad_drip(self):
        empty = self.env["hr.recruitment.drip"].create({"name": "Empty"})
        with self.assertRaisesText(UserError, "has no step yet"):
            empty.enroll(self.talent_ada)
        self.drip.active = False
        with self.assertRaisesText(UserError, "is archived"):
            self.drip.enroll(self.talent_ada)
        self.drip.active = True
        self.step_1.variant_ids.mail_template_id = False
        with self.assertRaisesText(UserError, "has no content: choose an email template"):
            self.drip.enroll(self.talent_ada)

    @freeze_time(MONDAY)
    def test_wizard_from_talent_list(self):
        action = (self.talents | self.talent_dan).action_open_drip_enroll_wizard()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_officer)
            .with_context(**action["context"])
        )
        wizard_form.drip_id = self.drip
        wizard = wizard_form.save()
        self.assertEqual(len(wizard.applicant_ids), 4)
        result = wizard.action_enroll()
        self.assertEqual(result["res_id"], wizard.id)
        self.assertEqual(wizard.state, "done")
        self.assertEqual((wizard.enrolled_count, wizard.skipped_count), (3, 1))
        skipped = wizard.line_ids.filtered(lambda line: line.result == "skipped")
        self.assertEqual(skipped.applicant_id, self.talent_dan)
        self.assertEqual(skipped.reason, "Opted out of recruitment outreach")
        self.assertEqual(self.talent_ada.drip_enrollment_count, 1)

    def test_wizard_from_drip_form_proposes_pool_talents(self):
        action = self.drip.action_open_enroll_wizard()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"])).save()
        self.assertEqual(wizard.drip_id, self.drip)
        self.assertIn(self.talent_ada, wizard.applicant_ids)
        self.assertIn(self.talent_eve, wizard.applicant_ids)
