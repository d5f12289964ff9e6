from odoo.tests import HttpCase, tagged

from odoo.addons.hr_recruitment_passive.tests.drip_common import make_tour_drip


@tagged("post_install", "-at_install")
class TestPassiveUiDripTour(HttpCase):
    """Build a drip, enroll candidates from the list, open the analytics, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a drip that already sent messages, for the analytics
        (cls.talent_grace, cls.talent_linus, talent_ada), cls.analytics_drip = make_tour_drip(
            cls.env,
            "tourist",
            ("Grace Tourist", "Linus Tourist", "Ada Analytics"),
            "Tour analytics drip",
        )
        enrollment = cls.analytics_drip.enroll(talent_ada)["enrollments"]
        step = cls.analytics_drip.step_ids
        cls.env["hr.recruitment.touchpoint"].create(
            {
                "applicant_id": talent_ada.id,
                "enrollment_id": enrollment.id,
                "step_id": step.id,
                "variant_id": step.variant_ids.id,
                "channel": "email",
                "direction": "outbound",
                "kind": "outreach",
                "outcome": "replied",
            }
        )

    def test_build_drip_enroll_and_analytics(self):
        self.start_tour(
            "/odoo/action-hr_recruitment_passive.hr_recruitment_drip_action",
            "hr_recruitment_passive_drip_tour",
            login="admin",
        )
        drip = self.env["hr.recruitment.drip"].search(
            [("name", "=", "Tour nurture: data engineers")]
        )
        self.assertEqual(len(drip), 1)
        self.assertEqual(drip.step_ids.mapped("name"), ["First touch", "LinkedIn nudge", "Call"])
        self.assertEqual(drip.step_ids.mapped("channel"), ["email", "linkedin", "phone"])
        self.assertEqual(drip.step_ids.mapped("delay"), [0, 3, 7])
        self.assertEqual(
            drip.step_ids[0].variant_ids.mail_template_id,
            self.env.ref("hr_recruitment_passive.mail_template_drip_first_touch"),
        )
        # one message per step, no A/B variant line was needed
        self.assertEqual(drip.step_ids.mapped("variant_count"), [1, 1, 1])
        self.assertIn("data platform", drip.step_ids[1].body)
        self.assertRegex(
            drip.step_ids[1].body, r"\{\{ ?object\.current_company ?\|\|\| ?your team\}\}"
        )
        enrollments = self.env["hr.recruitment.drip.enrollment"].search([("drip_id", "=", drip.id)])
        self.assertEqual(enrollments.applicant_id, self.talent_grace | self.talent_linus)
        self.assertEqual(set(enrollments.mapped("state")), {"running"})

    def test_talent_board_and_timeline(self):
        self.talent_grace.user_id = self.env.ref("base.user_admin")
        self.start_tour(
            "/odoo/action-hr_recruitment_passive.hr_applicant_action_passive",
            "hr_recruitment_passive_talent_board_tour",
            login="admin",
        )
        touchpoint = self.talent_grace.touchpoint_ids.filtered(
            lambda t: "Coffee next week" in (t.summary or "")
        )
        self.assertEqual(touchpoint.mapped("direction"), ["outbound"])
