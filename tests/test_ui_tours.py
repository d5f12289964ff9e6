from odoo.fields import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPassiveUiTours(HttpCase):
    """The main recruiter flows driven in headless Chromium (web tours in static/tests/tours)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = cls.env["hr.talent.pool"].create({"name": "Tour Backend Pool"})
        cls.talent_grace, cls.talent_linus = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": "Grace Tourist",
                    "email_from": "grace.tourist@example.com",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                },
                {
                    "partner_name": "Linus Tourist",
                    "email_from": "linus.tourist@example.com",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                    "current_company": "Kernel Corp",
                },
            ]
        )

    def test_flag_talent_and_fill_profile(self):
        self.assertFalse(self.talent_grace.is_passive_candidate)
        self.start_tour("/odoo", "hr_recruitment_passive_flag_talent_tour", login="admin")
        grace = self.talent_grace
        self.assertTrue(grace.is_passive_candidate)
        self.assertRecordValues(
            grace,
            [
                {
                    "current_company": "Initech",
                    "current_job_title": "Staff Data Engineer",
                    "years_of_experience": 9,
                    "openness": "open_to_offers",
                    "desired_timing": "within_6_months",
                    "preferred_channel": "linkedin",
                    "outreach_status": "new",
                }
            ],
        )

    def test_log_linkedin_touchpoint_from_form(self):
        self.assertFalse(self.talent_linus.touchpoint_ids)
        self.start_tour(
            "/odoo/action-hr_recruitment_passive.hr_applicant_action_passive",
            "hr_recruitment_passive_log_touchpoint_tour",
            login="admin",
        )
        touchpoint = self.talent_linus.touchpoint_ids
        self.assertEqual(len(touchpoint), 1)
        self.assertRecordValues(
            touchpoint,
            [
                {
                    "channel": "linkedin",
                    "direction": "outbound",
                    "kind": "outreach",
                    "outcome": "done",
                    "user_id": self.env.ref("base.user_admin").id,
                }
            ],
        )
        self.assertIn("platform team role", touchpoint.summary)
        self.assertEqual(self.talent_linus.outreach_status, "contacted")
