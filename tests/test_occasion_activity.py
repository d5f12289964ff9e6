from odoo.tests import freeze_time, tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
class TestOccasionActivity(PassiveCommon):
    """Marking a prepared congratulation done marks its planned touchpoint done."""

    def test_activity_done_marks_touchpoint_done(self):
        self.company.outreach_occasion_auto_email = False
        cron = self.env.ref("hr_recruitment_passive.ir_cron_occasion_messages")
        with freeze_time("2026-03-01 08:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        touchpoint = self.talent_ada.touchpoint_ids.filtered(lambda t: t.kind == "congratulation")
        activity = self.talent_ada.activity_ids
        self.assertEqual(touchpoint.activity_id, activity, "linked when it is created")
        self.assertEqual(touchpoint.outcome, "planned")
        with freeze_time("2026-03-01 15:30:00"):
            activity.with_user(self.user_officer).action_feedback(feedback="Sent on LinkedIn")
        self.assertEqual(touchpoint.outcome, "done")
        self.assertEqual(str(touchpoint.date), "2026-03-01 15:30:00")
        self.assertEqual(self.talent_ada.last_touchpoint_date, touchpoint.date)
        # cancelling another prepared congratulation leaves its touchpoint planned
        with freeze_time("2027-03-01 08:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        next_year = self.talent_ada.touchpoint_ids.filtered(lambda t: t.occasion_year == 2027)
        next_year.activity_id.unlink()
        self.assertEqual(next_year.outcome, "planned")
