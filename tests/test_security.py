from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
class TestSecurity(PassiveCommon):
    def test_officer_logs_and_reads_touchpoints(self):
        Touchpoint = self.env["hr.recruitment.touchpoint"].with_user(self.user_officer)
        touchpoint = Touchpoint.create({"applicant_id": self.talent_ada.id, "channel": "phone"})
        self.assertEqual(Touchpoint.search([]), touchpoint)
        self.assertEqual(
            self.talent_ada.with_user(self.user_officer).current_company, "Analytical Engines"
        )
        with self.assertRaises(AccessError, msg="officers keep the history: no deletion"):
            touchpoint.unlink()
        with self.assertRaises(AccessError, msg="administrators archive, they do not delete"):
            touchpoint.with_user(self.user_manager).unlink()
        self.assertTrue(touchpoint.exists())

    def test_interviewer_sees_no_touchpoint_nor_profile(self):
        touchpoint = self._touchpoint(self.talent_ada)
        application = self.env["hr.applicant"].create(
            {"partner_name": "Ada", "job_id": self.job.id, "pool_applicant_id": self.talent_ada.id}
        )
        as_interviewer = application.with_user(self.user_interviewer)
        self.assertEqual(
            as_interviewer.partner_name, "Ada", "the interviewer reads the application"
        )
        with self.assertRaises(AccessError):
            touchpoint.with_user(self.user_interviewer).read(["summary"])
        with self.assertRaises(AccessError):
            self.env["hr.recruitment.touchpoint"].with_user(self.user_interviewer).search([])
        with self.assertRaises(AccessError):
            as_interviewer.read(["current_company"])
        with self.assertRaises(AccessError):
            as_interviewer.read(["engagement_score"])
        # the interviewer's form view loads without the passive fields
        arch = as_interviewer.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("current_company", arch)
        self.assertNotIn("touchpoint_ids", arch)

    def test_employee_sees_nothing(self):
        touchpoint = self._touchpoint(self.talent_ada)
        with self.assertRaises(AccessError):
            touchpoint.with_user(self.user_plain).read(["summary"])

    def test_manager_configures(self):
        Touchpoint = self.env["hr.recruitment.touchpoint"].with_user(self.user_manager)
        self.assertTrue(Touchpoint.has_access("write"))
        self.assertFalse(Touchpoint.has_access("unlink"), "history rows are archived instead")

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        talent_other = self.env["hr.applicant"].create(
            {
                "partner_name": "Elsewhere",
                "company_id": other_company.id,
                "talent_pool_ids": [Command.link(self.pool.id)],
                "is_passive_candidate": True,
            }
        )
        touchpoint = self._touchpoint(talent_other)
        self.assertEqual(touchpoint.company_id, other_company)
        visible = self.env["hr.recruitment.touchpoint"].with_user(self.user_officer).search([])
        self.assertNotIn(touchpoint, visible)
