from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripSecurity(DripCommon):
    """Officers use drips and enroll, administrators configure, interviewers see nothing."""

    def test_officer_uses_drips(self):
        drip = self.drip.with_user(self.user_officer)
        self.assertEqual(drip.step_ids, self.drip.step_ids)
        result = drip.enroll(self.talent_ada)
        enrollment = result["enrollments"]
        self.assertEqual(enrollment.env.uid, self.user_officer.id)
        enrollment.action_pause()
        enrollment.action_resume()
        with self.assertRaises(AccessError):
            drip.write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["hr.recruitment.drip"].with_user(self.user_officer).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.step_1.with_user(self.user_officer).write({"delay": 9})

    def test_administrator_configures(self):
        drip = (
            self.env["hr.recruitment.drip"]
            .with_user(self.user_manager)
            .create(
                {
                    "name": "Manager drip",
                    "step_ids": [
                        Command.create(
                            {
                                "name": "Hello",
                                "channel": "email",
                                "variant_ids": [
                                    Command.create(
                                        {"name": "A", "mail_template_id": self.template_first.id}
                                    )
                                ],
                            }
                        )
                    ],
                }
            )
        )
        self.assertTrue(drip.step_ids.variant_ids.mailing_id)
        drip.step_ids.delay = 2

    def test_interviewer_and_employee_see_nothing(self):
        self.drip.enroll(self.talent_ada)
        for user in (self.user_interviewer, self.user_plain):
            for model in (
                "hr.recruitment.drip",
                "hr.recruitment.drip.step",
                "hr.recruitment.drip.enrollment",
            ):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.drip.with_user(user).enroll(self.talent_bob)
