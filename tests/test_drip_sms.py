from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.sms.tests.common import SMSCase

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripSms(DripCommon, SMSCase):
    """SMS steps: one mass-mode batch per step, phone blacklist honoured, no number = skipped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.talent_bob.partner_phone = "+32470000002"
        cls.sms_drip = cls.env["hr.recruitment.drip"].create(
            {
                "name": "SMS nudge",
                "user_id": cls.user_officer.id,
                "job_ids": [Command.link(cls.job.id)],
                **{f"send_{day}": True for day in ("saturday", "sunday")},
                "send_hour_from": 0.0,
                "send_hour_to": 24.0,
                "skip_public_holidays": False,
                "step_ids": [
                    Command.create(
                        {
                            "name": "Nudge",
                            "channel": "sms",
                            "variant_ids": [
                                Command.create(
                                    {
                                        "name": "A",
                                        "sms_template_id": cls.env.ref(
                                            "hr_recruitment_passive.sms_template_drip_nudge"
                                        ).id,
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )

    def _run_drip_cron(self):
        self.env.flush_all()
        for cron in self.crons:  # an HttpCase's registry is already in test mode
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_sms_step(self):
        result = self.sms_drip.enroll(
            self.talent_ada | self.talent_bob | self.talent_cy | self.talent_eve
        )
        self.assertEqual(
            {key: code for key, (code, _m) in result["skipped"].items()},
            {self.talent_cy.id: "no_phone"},
        )
        # Bob's number is blacklisted after enrolling: refused at send time
        self.env["phone.blacklist"].sudo().add("+32470000002")
        with self.mockSMSGateway():
            self._run_drip_cron()
            sms = (
                self.env["sms.sms"]
                .sudo()
                .search([("number", "in", ["+32470000001", "+32470000005"])])
            )
            self.assertEqual(len(sms), 2)
            sms.send()
        self.assertSMSIapSent(["+32470000001"], content="Hi Ada, Olivia Officer from")
        self.assertSMSIapSent(["+32470000005"], content="Hi Eve, Olivia Officer from")
        self.assertEqual(
            self.env["sms.sms"].sudo().search_count([("number", "=", "+32470000002")]), 0
        )
        enrollments = self.env["hr.recruitment.drip.enrollment"].search(
            [("drip_id", "=", self.sms_drip.id)]
        )
        bob = enrollments.filtered(lambda e: e.applicant_id == self.talent_bob)
        self.assertEqual((bob.state, bob.stop_reason), ("stopped", "opted_out"))
        done = enrollments - bob
        self.assertEqual(set(done.mapped("state")), {"done"})
        touchpoints = done.touchpoint_ids
        self.assertEqual(len(touchpoints), 2)
        self.assertEqual(set(touchpoints.mapped("channel")), {"sms"})
        self.assertIn(
            "Staff Engineer",
            touchpoints.filtered(lambda t: t.applicant_id == self.talent_ada).summary,
        )
