from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.hr_recruitment_passive.tests.drip_common import make_tour_drip


@tagged("post_install", "-at_install")
class TestPassiveUiDripStatesTour(HttpCase):
    """Undelivered banner and filter, a paused (snoozed) candidate, Stop with a reason and
    Resume, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.grace, cls.linus, cls.ada), cls.drip = make_tour_drip(
            cls.env,
            "states",
            ("Grace Failed", "Linus Snoozed", "Ada Running"),
            "Tour states drip",
        )
        enrollments = cls.drip.enroll(cls.grace | cls.linus | cls.ada)["enrollments"]
        cls.enrollment = {e.applicant_id: e for e in enrollments.sudo()}
        step = cls.drip.step_ids
        # Grace's email was refused by the mail server: her touchpoint failed
        touchpoint = cls.env["hr.recruitment.touchpoint"].create(
            {
                "applicant_id": cls.grace.id,
                "enrollment_id": cls.enrollment[cls.grace].id,
                "step_id": step.id,
                "variant_id": step.variant_ids.id,
                "channel": "email",
                "direction": "outbound",
                "kind": "outreach",
                "outcome": "sent",
                "automated": True,
                "mail_message_id": cls.grace.message_post(body="Hello Grace").id,
            }
        )
        cls.env["hr.recruitment.touchpoint"]._on_delivery_failure(
            touchpoint.mail_message_id, "email", "mail_smtp", {}
        )
        cls.linus._outreach_snooze(fields.Date.today() + timedelta(days=90))

    def test_undelivered_paused_stop_resume(self):
        self.start_tour(
            "/odoo/action-hr_recruitment_passive.hr_recruitment_drip_action",
            "hr_recruitment_passive_drip_states_tour",
            login="admin",
        )
        ada = self.enrollment[self.ada]
        self.assertEqual(ada.state, "running")
        self.assertFalse(ada.stop_comment, "resumed: the stop is over")
        self.assertEqual(self.enrollment[self.grace].pause_reason, "delivery_retry")
        self.assertEqual(self.enrollment[self.linus].pause_reason, "snooze")
