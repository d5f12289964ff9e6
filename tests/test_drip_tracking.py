from datetime import timedelta

from odoo import fields
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
class TestDripTracking(DripCommon):
    """Drip email tracking goes through touchpoint._register_tracking_event, so the engagement
    rules (instant opens and clicks count less) apply to drip emails."""

    def test_instant_open_scores_less_than_a_late_one(self):
        sent_at = fields.Datetime.to_datetime(MONDAY)
        with freeze_time(sent_at):
            self.drip.enroll(self.talent_ada | self.talent_bob)
            with self.mock_mail_gateway():
                self._run_drip_cron()
        touchpoints = self._enrollments().touchpoint_ids
        ada_tp = touchpoints.filtered(lambda t: t.applicant_id == self.talent_ada)
        bob_tp = touchpoints.filtered(lambda t: t.applicant_id == self.talent_bob)
        # a privacy proxy fetches Ada's pixel 10 seconds after sending; Bob opens 3 hours later
        with freeze_time(sent_at + timedelta(seconds=10)):
            ada_tp.mailing_trace_id.set_opened()
        with freeze_time(sent_at + timedelta(hours=3)):
            bob_tp.mailing_trace_id.set_opened()
            ada_tp.mailing_trace_id.set_opened()  # a second open keeps the first date
        self.assertEqual(ada_tp.opened_date, sent_at + timedelta(seconds=10))
        self.assertEqual(bob_tp.opened_date, sent_at + timedelta(hours=3))
        self.assertEqual((ada_tp.outcome, bob_tp.outcome), ("opened", "opened"))
        with freeze_time(sent_at + timedelta(hours=4)):
            self.env.invalidate_all()
            (self.talent_ada | self.talent_bob)._compute_touchpoint_stats()
            self.assertLess(self.talent_ada.engagement_score, self.talent_bob.engagement_score)
            self.assertEqual(self.talent_bob.engagement_score, 5)
            self.assertEqual(self.talent_ada.engagement_score, 1, "20 % of an open")

    def test_click_is_registered_with_its_date(self):
        sent_at = fields.Datetime.to_datetime(MONDAY)
        with freeze_time(sent_at):
            self.drip.enroll(self.talent_ada)
            with self.mock_mail_gateway():
                self._run_drip_cron()
        touchpoint = self._enrollments().touchpoint_ids
        with freeze_time(sent_at + timedelta(hours=2)):
            trace = touchpoint.mailing_trace_id
            trace.set_opened()
            trace.set_clicked()
        self.assertEqual(touchpoint.outcome, "clicked")
        self.assertEqual(touchpoint.clicked_date, sent_at + timedelta(hours=2))
        self.assertEqual(touchpoint.opened_date, sent_at + timedelta(hours=2))
        # a reply is never downgraded by a later open
        trace.set_replied()
        trace.set_opened()
        self.assertEqual(touchpoint.outcome, "replied")
        self.assertEqual(self.step_1.clicked_count, 1, "a click followed by a reply still counts")
