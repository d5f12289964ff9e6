from odoo.fields import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPassiveUiDripTour(HttpCase):
    """Build a drip, enroll candidates from the list, open the analytics, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the technical mailing of an email step is sent from the user's address
        cls.env.ref("base.user_admin").email = "admin@example.com"
        pool = cls.env["hr.talent.pool"].create({"name": "Tour Data Pool"})
        cls.talent_grace, cls.talent_linus, talent_ada = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": name,
                    "email_from": f"{name.split()[0].lower()}.tourist@example.com",
                    "talent_pool_ids": [Command.link(pool.id)],
                    "is_passive_candidate": True,
                }
                for name in ("Grace Tourist", "Linus Tourist", "Ada Analytics")
            ]
        )
        # a drip that already sent messages, for the analytics
        template = cls.env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
        cls.analytics_drip = cls.env["hr.recruitment.drip"].create(
            {
                "name": "Tour analytics drip",
                "step_ids": [
                    Command.create(
                        {
                            "name": "Hello",
                            "channel": "email",
                            "variant_ids": [
                                Command.create({"name": "A", "mail_template_id": template.id})
                            ],
                        }
                    )
                ],
            }
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
