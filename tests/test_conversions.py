import ast
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .drip_common import DripCommon


@tagged("post_install", "-at_install")
class TestConversions(DripCommon):
    """A conversion is an application made after the talent's first
    outreach, credited to the last outbound touch before it; replies count as classified."""

    def setUp(self):
        super().setUp()
        self.now = fields.Datetime.now()
        self.drip.enroll(self.talent_ada | self.talent_bob)
        self.enrollment_ada = self._enrollments(self.talent_ada)

    def _days_ago(self, days):
        return self.now - timedelta(days=days)

    def _apply(self, talent, days_ago=0):
        """An application of `talent` to the job, made `days_ago` days ago."""
        application = self.env["hr.applicant"].create(
            {
                "partner_name": talent.partner_name,
                "job_id": self.job.id,
                "pool_applicant_id": talent.id,
            }
        )
        if days_ago:
            # create_date is set by the ORM only: an application of the past is dated in SQL
            self.env.cr.execute(
                "UPDATE hr_applicant SET create_date = %s WHERE id = %s",
                (self._days_ago(days_ago), application.id),
            )
            application.invalidate_recordset(["create_date"])
            application.modified(["create_date"])
        return application

    def _conversions(self):
        action = self.env.ref("hr_recruitment_passive.hr_applicant_action_passive_conversions")
        domain = ast.literal_eval(action.domain)
        return self.env["hr.applicant"].search(domain)

    def test_only_applications_after_outreach_count(self):
        before = self._apply(self.talent_ada, days_ago=10)
        self._touchpoint(
            self.talent_ada,
            channel="email",
            enrollment_id=self.enrollment_ada.id,
            step_id=self.step_1.id,
            user_id=self.user_officer.id,
            date=self._days_ago(5),
        )
        self._touchpoint(
            self.talent_ada,
            channel="email",
            enrollment_id=self.enrollment_ada.id,
            step_id=self.step_2.id,
            user_id=self.user_manager.id,
            date=self._days_ago(4),
        )
        # a reply is no touch of ours: the credit stays with the last message we sent
        self._touchpoint(
            self.talent_ada,
            channel="email",
            direction="inbound",
            kind="reply",
            outcome="replied",
            date=self._days_ago(3) + timedelta(hours=12),
        )
        after = self._apply(self.talent_ada, days_ago=3)
        # a message sent after the application gets no credit for it
        self._touchpoint(self.talent_ada, user_id=self.user_officer.id, date=self._days_ago(1))
        never_contacted = self._apply(self.talent_cy)

        self.assertFalse(before.outreach_converted, "applied before any outreach")
        self.assertFalse(never_contacted.outreach_converted, "never contacted")
        self.assertTrue(after.outreach_converted)
        self.assertEqual(after.conversion_drip_id, self.drip)
        self.assertEqual(after.conversion_step_id, self.step_2)
        self.assertEqual(after.conversion_user_id, self.user_manager)
        self.assertEqual(self._conversions() & (before | after | never_contacted), after)
        self.assertEqual(self.talent_ada.outreach_status, "converted")
        self.assertEqual(self.talent_cy.outreach_status, "new")
        # the drip's own figure follows the same rule: one talent converted out of two enrolled
        self.drip.invalidate_recordset(["converted_count", "converted_rate"])
        self.assertEqual(self.drip.converted_count, 1)
        self.assertEqual(self.drip.converted_rate, 50.0)

    def test_application_before_outreach_is_not_a_conversion(self):
        application = self._apply(self.talent_bob, days_ago=2)
        self._touchpoint(self.talent_bob, date=self._days_ago(1))
        self.talent_bob.invalidate_recordset(["outreach_status"])
        self.assertFalse(application.outreach_converted)
        self.assertNotIn(application, self._conversions())
        self.assertEqual(
            self.talent_bob.outreach_status, "contacted", "the same rule as the report"
        )

    def test_planned_touch_is_not_outreach(self):
        self._touchpoint(self.talent_bob, outcome="planned", date=self.now + timedelta(days=3))
        application = self._apply(self.talent_bob)
        self.assertFalse(application.outreach_converted)
        # the first real message, dated before the application, makes it a conversion
        self._touchpoint(self.talent_bob, user_id=self.user_officer.id, date=self._days_ago(1))
        self.assertTrue(application.outreach_converted)
        self.assertEqual(application.conversion_user_id, self.user_officer)
        self.assertFalse(application.conversion_drip_id, "a recruiter's own message")

    def test_replies_to_classify(self):
        reply = self._touchpoint(
            self.talent_bob, channel="email", direction="inbound", kind="reply", outcome="replied"
        )
        out_of_office = self._touchpoint(
            self.talent_ada,
            channel="email",
            direction="inbound",
            kind="reply",
            outcome="replied",
            auto_reply=True,
        )
        sent = self._touchpoint(self.talent_ada)
        self.assertEqual(reply.reply_status, "to_classify")
        self.assertFalse(out_of_office.reply_status)
        self.assertFalse(sent.reply_status)

        Touchpoint = self.env["hr.recruitment.touchpoint"].with_user(self.user_officer)
        replies = self.env.ref("hr_recruitment_passive.hr_recruitment_touchpoint_action_replies")
        groups = Touchpoint.formatted_read_group(
            ast.literal_eval(replies.domain) + [("applicant_id", "=", self.talent_bob.id)],
            ["reply_status"],
            ["__count"],
        )
        self.assertEqual([g["reply_status"] for g in groups], ["to_classify"])
        labels = dict(Touchpoint._fields["reply_status"]._description_selection(self.env))
        self.assertEqual(labels["to_classify"], "To classify", "not 'None' in the report")

        todo = self.env.ref("hr_recruitment_passive.hr_recruitment_touchpoint_action_to_classify")
        todo_domain = ast.literal_eval(todo.domain)
        self.assertIn(reply, Touchpoint.search(todo_domain))
        self.assertNotIn(out_of_office, Touchpoint.search(todo_domain))
        # the to-do list's row button classifies in one click
        Touchpoint.browse(reply.id).with_context(reply_class="interested").action_classify_reply()
        self.assertEqual(reply.reply_status, "interested")
        self.assertNotIn(reply, Touchpoint.search(todo_domain))
