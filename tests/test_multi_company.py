from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user, tagged

from .drip_common import MONDAY, DripCommon

REFUSED = (AccessError, UserError, ValidationError)


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestMultiCompany(DripCommon):
    """Two companies, a user per group in each: what a curious user tries through the ORM
    (RPC does the same calls) is refused across companies; the drip cron never writes on
    behalf of another company. Company A is the test company, where DripCommon's officer,
    drip and talents live."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.officer_b = new_test_user(
            cls.env,
            login="passive_officer_b",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.manager_b = new_test_user(
            cls.env,
            login="passive_manager_b",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        # DripCommon's users may see company A only
        (cls.user_officer | cls.user_manager | cls.user_plain).company_ids = cls.company_a
        cls.talent_b = cls.env["hr.applicant"].create(
            {
                "partner_name": "Bea Elsewhere",
                "email_from": "bea@example.com",
                "company_id": cls.company_b.id,
                "talent_pool_ids": [Command.link(cls.pool.id)],
                "is_passive_candidate": True,
                "current_company": "Secret Employer B",
            }
        )
        cls.job_b = cls.env["hr.job"].create({"name": "Job of B", "company_id": cls.company_b.id})
        cls.resource_a = cls.env["hr.recruitment.resource"].create(
            {
                "name": "A's guide",
                "url": "https://a.example.com/guide",
                "company_id": cls.company_a.id,
            }
        )
        cls.resource_shared = cls.env["hr.recruitment.resource"].create(
            {"name": "Shared guide", "url": "https://example.com/guide", "company_id": False}
        )

    def test_officer_cannot_enroll_a_candidate_of_another_company_directly(self):
        Enrollment = self.env["hr.recruitment.drip.enrollment"].with_user(self.user_officer)
        with self.assertRaises(AccessError):
            Enrollment.create({"drip_id": self.drip.id, "applicant_id": self.talent_b.id})
        # an officer of both companies is refused too: the drip is A's, the candidate B's
        self.user_officer.company_ids = self.company_a | self.company_b
        Enrollment = Enrollment.with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        )
        with self.assertRaisesText(UserError, "another company"):
            Enrollment.create({"drip_id": self.drip.id, "applicant_id": self.talent_b.id})
        # even as superuser the company check holds (legacy imports, scripts)
        with self.assertRaises(UserError):
            self.env["hr.recruitment.drip.enrollment"].sudo().create(
                {
                    "drip_id": self.drip.id,
                    "applicant_id": self.talent_b.id,
                    "step_id": self.step_1.id,
                }
            )
        self.assertFalse(self._enrollments(self.talent_b))

    def test_direct_create_goes_through_the_enroll_gate(self):
        Enrollment = self.env["hr.recruitment.drip.enrollment"].with_user(self.user_officer)
        self.talent_bob.write({"do_not_contact": True, "do_not_contact_reason": "Asked us"})
        with self.assertRaisesText(UserError, "Not enrolled"):
            Enrollment.create({"drip_id": self.drip.id, "applicant_id": self.talent_bob.id})
        with self.assertRaisesText(UserError, "Give only a drip and a candidate"):
            Enrollment.create(
                {"drip_id": self.drip.id, "applicant_id": self.talent_ada.id, "state": "done"}
            )
        enrollment = Enrollment.create(
            {"drip_id": self.drip.id, "applicant_id": self.talent_ada.id}
        )
        self.assertEqual(enrollment.state, "running")
        self.assertEqual(enrollment.step_id, self.step_1)
        self.assertEqual(str(enrollment.next_run_at), MONDAY)

    def test_state_changes_only_through_actions(self):
        enrollment = self.drip.with_user(self.user_officer).enroll(self.talent_ada)["enrollments"]
        enrollment._stop_by_hand("Met at a conference")  # the Stop dialog's confirmation
        for vals in (
            {"state": "running"},
            {"next_run_at": "2026-03-01 00:00:00"},
            {"step_id": self.step_3.id},
            {"stop_reason": False},
            {"applicant_id": self.talent_bob.id},
        ):
            with self.assertRaisesText(UserError, "cannot be edited directly"):
                enrollment.write(vals)
        self.assertEqual(enrollment.state, "stopped")
        # the actions still work for the officer
        other = self.drip.with_user(self.user_officer).enroll(self.talent_bob)["enrollments"]
        other.action_pause()
        self.assertEqual(other.state, "paused")
        other.action_resume()
        other.action_skip_step()
        self.assertEqual(other.step_id, self.step_2)

    def test_touchpoint_cannot_move_to_another_company_talent(self):
        Touchpoint = self.env["hr.recruitment.touchpoint"].with_user(self.user_officer)
        touchpoint = Touchpoint.create({"applicant_id": self.talent_ada.id, "channel": "phone"})
        with self.assertRaises(AccessError):
            touchpoint.write({"applicant_id": self.talent_b.id})
        with self.assertRaises(AccessError):
            Touchpoint.create({"applicant_id": self.talent_b.id, "channel": "phone"})
        self.user_officer.company_ids = self.company_a | self.company_b
        touchpoint = touchpoint.with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id]
        )
        with self.assertRaisesText(UserError, "cannot move to a candidate of another company"):
            touchpoint.write({"applicant_id": self.talent_b.id})
        self.assertEqual(touchpoint.applicant_id, self.talent_ada)
        # nor link another company's job
        with self.assertRaises(UserError):
            touchpoint.write({"job_id": self.job_b.id})

    def test_resource_of_another_company(self):
        resource = self.resource_a.with_user(self.officer_b)
        with self.assertRaises(AccessError):
            resource.write({"url": "https://evil.example.com/"})
        self.assertEqual(self.resource_a.url, "https://a.example.com/guide")
        visible = self.env["hr.recruitment.resource"].with_user(self.officer_b).search([])
        self.assertIn(self.resource_shared, visible)
        self.assertNotIn(self.resource_a, visible)
        # sharing A's resource with B's candidate is refused, even for an officer of both
        self.user_officer.company_ids = self.company_a | self.company_b
        wizard = (
            self.env["hr.applicant.share.resource"]
            .with_user(self.user_officer)
            .with_context(allowed_company_ids=[self.company_a.id, self.company_b.id])
            .create(
                {
                    "applicant_ids": [Command.set(self.talent_b.ids)],
                    "resource_id": self.resource_a.id,
                }
            )
        )
        with self.assertRaisesText(UserError, "belongs to"):
            wizard.action_share()
        self.assertFalse(
            self.env["hr.recruitment.touchpoint"].search([("resource_id", "=", self.resource_a.id)])
        )

    def test_drip_configuration_and_reports_of_another_company(self):
        occasion_a = self.env["hr.recruitment.occasion"].create(
            {
                "name": "A's anniversary",
                "company_id": self.company_a.id,
                "date_field_id": self.env["ir.model.fields"]
                ._get("hr.applicant", "current_role_start_date")
                .id,
                "template_id": self.env.ref(
                    "hr_recruitment_passive.mail_template_work_anniversary"
                ).id,
            }
        )
        self.drip.enroll(self.talent_ada)
        self._run_drip_cron()
        self.assertTrue(self.env["hr.recruitment.drip.template.report"].search([]))
        for model, record in (
            ("hr.recruitment.drip", self.drip),
            ("hr.recruitment.drip.step", self.step_1),
            ("hr.recruitment.drip.step.variant", self.step_1.variant_ids),
            ("hr.recruitment.drip.enrollment", self._enrollments()),
            ("hr.recruitment.occasion", occasion_a),
            ("hr.recruitment.touchpoint", self.talent_ada.touchpoint_ids),
            ("hr.recruitment.drip.template.report", False),
        ):
            found = self.env[model].with_user(self.manager_b).search([])
            self.assertFalse(found & record if record else found, model)
        with self.assertRaises(AccessError):
            self.step_1.variant_ids.with_user(self.manager_b).write({"split_percent": 0})
        with self.assertRaises(AccessError):
            self.step_1.with_user(self.manager_b).write({"delay": 9})
        with self.assertRaises(AccessError):
            occasion_a.with_user(self.manager_b).write({"min_years": 5})
        # the shipped occasion has no company: every company uses it
        shipped = self.env.ref("hr_recruitment_passive.hr_recruitment_occasion_work_anniversary")
        self.assertIn(
            shipped, self.env["hr.recruitment.occasion"].with_user(self.manager_b).search([])
        )

    def test_step_cannot_share_another_company_resource(self):
        resource_b = self.env["hr.recruitment.resource"].create(
            {"name": "B's guide", "url": "https://b.example.com/", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError):
            self.step_1.resource_id = resource_b
        self.step_1.resource_id = self.resource_shared

    def test_employee_reads_template_quality_without_candidate_data(self):
        template = self.env["mail.template"].create(
            {
                "name": "Leaky outreach",
                "model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "subject": "Hello",
                "body_html": "<p>Your employer <t t-out='object.current_company'/> "
                "and <t t-out='object.partner_name'/> are known here.</p>",
            }
        )
        real = self.env["hr.applicant"].search(
            [("is_passive_candidate", "=", True), ("current_company", "!=", False)]
        )
        self.assertTrue(real)
        for user in (self.user_plain, self.user_interviewer, self.officer_b, self.user_officer):
            warnings = str(template.with_user(user).outreach_quality_warnings)
            if user.has_group("hr_recruitment.group_hr_recruitment_user"):
                self.assertIn("Example Corp", warnings, user.login)
            else:
                self.assertIn("it reads: 'Your employer and are known here.'", warnings)
            self.assertNotIn("does not render", warnings)
            for applicant in real:
                self.assertNotIn(applicant.current_company, warnings)
                self.assertNotIn(applicant.partner_name, warnings)

    def test_cron_does_not_send_to_a_candidate_of_another_company(self):
        enrollment = self.drip.enroll(self.talent_ada | self.talent_bob)["enrollments"]
        self.assertEqual(len(enrollment), 2)
        # legacy data: Ada moved to company B after she was enrolled in A's drip
        self.talent_ada.sudo().company_id = self.company_b
        self._run_drip_cron()
        mails = self._drip_mails(self.step_1)
        self.assertEqual(mails.mapped("res_id"), self.talent_bob.ids)
        ada = self._enrollments(self.talent_ada)
        self.assertEqual((ada.state, ada.stop_reason), ("stopped", "error"))
        self.assertIn("Company B", ada.last_error)
        self.assertFalse(self.talent_ada.touchpoint_ids)

    def test_task_done_after_the_candidate_changed_company(self):
        enrollment = self.drip.enroll(self.talent_ada)["enrollments"]
        enrollment.write({"step_id": self.step_3.id, "next_run_at": MONDAY})
        self._run_drip_cron()
        activity = enrollment.activity_id
        self.assertTrue(activity)
        self.talent_ada.sudo().company_id = self.company_b
        # the owner can still close the task; the drip stops instead of logging across companies
        activity.with_user(self.user_officer).action_feedback(feedback="Sent on LinkedIn")
        self.assertFalse(activity.exists() and activity.active, "the task is done")
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "error"))
        self.assertIn("Company B", enrollment.last_error)
        self.assertFalse(
            self.env["hr.recruitment.touchpoint"].search([("enrollment_id", "=", enrollment.id)])
        )
