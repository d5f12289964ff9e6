from datetime import datetime

from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
class TestDripSchedule(DripCommon):
    """Sending window (timezones, weekdays, holidays), business days, waiting for opens."""

    def test_window_in_candidate_timezone(self):
        self.drip.write(
            {
                "send_saturday": False,
                "send_sunday": False,
                "send_hour_from": 9.0,
                "send_hour_to": 17.0,
            }
        )
        self.talent_ada.partner_id.tz = "America/New_York"  # 10:00 UTC = 05:00 in New York
        self.talent_bob.partner_id.tz = "Europe/Brussels"  # 10:00 UTC = 11:00 in Brussels
        with freeze_time(MONDAY):
            self.drip.enroll(self.talent_ada | self.talent_bob)
            with self.mock_mail_gateway():
                self._run_drip_cron()
        self.assertEqual(self._drip_mails().res_id, self.talent_bob.id)
        ada = self._enrollments(self.talent_ada)
        self.assertEqual(ada.step_id, self.step_1)
        self.assertEqual(ada.next_run_at, datetime(2026, 3, 2, 14, 0), "09:00 in New York")
        self.assertIn("Outside the sending window", ada.status_note)
        with freeze_time("2026-03-02 14:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(ada.step_id, self.step_2)

    def test_window_skips_weekend_and_public_holiday(self):
        self.drip.write(
            {
                "send_saturday": False,
                "send_sunday": False,
                "send_hour_from": 9.0,
                "send_hour_to": 17.0,
                "skip_public_holidays": True,
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Easter Monday",
                "calendar_id": self.company.resource_calendar_id.id,
                "company_id": self.company.id,
                "date_from": "2026-04-06 00:00:00",
                "date_to": "2026-04-06 23:59:59",
            }
        )
        with freeze_time("2026-04-04 10:00:00"):  # Saturday
            self.drip.enroll(self.talent_ada)
            self._run_drip_cron()
        self.assertEqual(self._enrollments().next_run_at, datetime(2026, 4, 7, 9, 0))
        self.assertFalse(self._drip_mails())

    def test_business_days_skip_weekend_and_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.company.resource_calendar_id.id,
                "company_id": self.company.id,
                "date_from": "2026-03-09 00:00:00",
                "date_to": "2026-03-09 23:59:59",
            }
        )
        friday = datetime(2026, 3, 6, 10, 0)
        # Friday + 3 business days: Mon 9 is a holiday -> Tue, Wed, Thu
        self.assertEqual(self.step_2._get_due_date(friday), datetime(2026, 3, 12, 10, 0))
        self.step_2.delay_unit = "days"
        self.assertEqual(self.step_2._get_due_date(friday), datetime(2026, 3, 9, 10, 0))
        self.step_2.delay_unit = "hours"
        self.assertEqual(self.step_2._get_due_date(friday), datetime(2026, 3, 6, 13, 0))

    def _opened_drip(self, timeout_action):
        self.step_2.condition = "opened"
        self.drip.write({"open_wait_days": 2, "open_timeout_action": timeout_action})
        with freeze_time(MONDAY):
            self.drip.enroll(self.talent_ada | self.talent_bob)
            with self.mock_mail_gateway():
                self._run_drip_cron()
        with freeze_time("2026-03-05 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        return self._enrollments(self.talent_ada), self._enrollments(self.talent_bob)

    def test_opened_waits_then_skips(self):
        ada, bob = self._opened_drip("skip")
        self.assertFalse(self._drip_mails(self.step_2), "nobody opened yet: wait")
        self.assertEqual(ada.next_run_at, datetime(2026, 3, 7, 10, 0), "due + 2 days")
        self.assertIn("Waiting for the previous email to be opened", ada.status_note)
        # Ada opens on Friday: she is woken up and gets step 2 at once
        with freeze_time("2026-03-06 09:00:00"):
            ada.last_email_trace_id.set_opened()
            self.assertEqual(ada.next_run_at, datetime(2026, 3, 6, 9, 0))
            with self.mock_mail_gateway():
                self._run_drip_cron()
        self.assertEqual(self._drip_mails(self.step_2).res_id, self.talent_ada.id)
        # Bob never opens: at the limit the step is skipped and the sequence goes on
        with freeze_time("2026-03-07 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(bob.step_id, self.step_3)
        self.assertEqual(bob.state, "running")
        self.assertEqual(self._drip_mails(self.step_2).res_id, self.talent_ada.id)

    def test_opened_waits_then_ends(self):
        _ada, bob = self._opened_drip("end")
        with freeze_time("2026-03-07 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(bob.state, "done")
        self.assertIn("never opened", bob.status_note)

    def test_clicked_condition(self):
        self.step_2.condition = "not_clicked"
        with freeze_time(MONDAY):
            self.drip.enroll(self.talent_ada | self.talent_bob)
            with self.mock_mail_gateway():
                self._run_drip_cron()
            ada = self._enrollments(self.talent_ada)
            ada.last_email_trace_id.set_clicked()
            self.assertEqual(ada.touchpoint_ids.outcome, "clicked")
        with freeze_time("2026-03-05 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(self._drip_mails(self.step_2).res_id, self.talent_bob.id)
