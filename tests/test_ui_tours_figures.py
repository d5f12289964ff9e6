from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPassiveUiHonestFiguresTours(HttpCase):
    """As a recruiter sees them: the replies to classify and the Conversions
    report, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.user_admin").email = "admin@example.com"
        pool = cls.env["hr.talent.pool"].create({"name": "Tour Figures Pool"})
        cls.job = cls.env["hr.job"].create({"name": "Tour Figures Engineer"})
        cls.ada, cls.bob, cls.cy, cls.rita = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": name,
                    "email_from": f"{name.split()[0].lower()}.figures@example.com",
                    "talent_pool_ids": [Command.link(pool.id)],
                    "is_passive_candidate": True,
                }
                for name in ("Ada Converted", "Bob Early", "Cy Never", "Rita Replied")
            ]
        )
        template = cls.env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
        cls.drip = cls.env["hr.recruitment.drip"].create(
            {
                "name": "Tour figures drip",
                "job_ids": [Command.link(cls.job.id)],
                "step_ids": [
                    Command.create(
                        {"name": "Hello", "channel": "email", "mail_template_id": template.id}
                    )
                ],
            }
        )
        enrollments = cls.drip.enroll(cls.ada | cls.bob)["enrollments"].sudo()
        now = fields.Datetime.now()
        Touchpoint = cls.env["hr.recruitment.touchpoint"]
        for enrollment in enrollments:
            Touchpoint.create(
                {
                    "applicant_id": enrollment.applicant_id.id,
                    "enrollment_id": enrollment.id,
                    "step_id": cls.drip.step_ids.id,
                    "channel": "email",
                    "direction": "outbound",
                    "kind": "outreach",
                    "outcome": "sent",
                    "date": now - timedelta(days=5),
                }
            )
        Touchpoint.create(
            {
                "applicant_id": cls.rita.id,
                "channel": "email",
                "direction": "inbound",
                "kind": "reply",
                "outcome": "replied",
                "summary": "Sounds good, call me",
            }
        )
        cls.applications = {}
        for talent, days_ago in ((cls.ada, 0), (cls.bob, 10), (cls.cy, 0)):
            application = cls.env["hr.applicant"].create(
                {
                    "partner_name": talent.partner_name,
                    "job_id": cls.job.id,
                    "pool_applicant_id": talent.id,
                    "is_passive_candidate": True,
                }
            )
            if days_ago:
                # create_date is set by the ORM only: an application of the past is dated in SQL
                cls.env.cr.execute(
                    "UPDATE hr_applicant SET create_date = %s WHERE id = %s",
                    (now - timedelta(days=days_ago), application.id),
                )
                application.invalidate_recordset(["create_date"])
                application.modified(["create_date"])
            cls.applications[talent] = application

    def test_replies_to_classify(self):
        reply = self.env["hr.recruitment.touchpoint"].search(
            [("applicant_id", "=", self.rita.id), ("kind", "=", "reply")]
        )
        self.assertEqual(reply.reply_status, "to_classify")
        self.start_tour(
            "/odoo/action-hr_recruitment_passive.hr_recruitment_touchpoint_action_to_classify",
            "hr_recruitment_passive_replies_to_classify_tour",
            login="admin",
        )
        reply.invalidate_recordset()
        self.assertEqual(reply.reply_class, "interested")

    def test_conversions(self):
        self.assertTrue(self.applications[self.ada].outreach_converted)
        self.assertFalse(self.applications[self.bob].outreach_converted)
        self.assertFalse(self.applications[self.cy].outreach_converted)
        self.start_tour(
            "/odoo/action-hr_recruitment_passive.hr_applicant_action_passive_conversions",
            "hr_recruitment_passive_conversions_tour",
            login="admin",
        )
