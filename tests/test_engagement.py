from datetime import datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common import PassiveCommon

NOW = datetime(2026, 5, 4, 12, 0, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestEngagementScore(PassiveCommon):
    def _sent(self, talent, outcome, delay=None, **values):
        """An outbound email sent an hour ago; `delay` after sending, the open or click."""
        sent = NOW - timedelta(hours=1)
        event = {}
        if delay is not None:
            event = {"opened_date": sent + delay}
            if outcome == "clicked":
                event["clicked_date"] = sent + delay
        return self._touchpoint(
            talent, channel="email", outcome=outcome, date=sent, **event, **values
        )

    def test_reply_beats_click_beats_open(self):
        self._touchpoint(self.talent_ada, direction="inbound", kind="reply", outcome="replied")
        self._sent(self.talent_bob, "clicked", timedelta(minutes=10))
        self._sent(self.talent_cy, "opened", timedelta(minutes=10))
        self.assertEqual(
            (self.talent_ada | self.talent_bob | self.talent_cy).mapped("engagement_score"),
            [40, 15, 5],
        )

    def test_repeated_opens_count_less(self):
        for _i in range(3):
            self._sent(self.talent_ada, "opened", timedelta(minutes=10))
        # 5 + 2.5 + 1.25 = 8.75, instead of 15 for three full opens
        self.assertEqual(self.talent_ada.engagement_score, 9)

    def test_instant_click_and_proxy_open_count_less(self):
        self._sent(self.talent_ada, "clicked", timedelta(seconds=3))
        self.assertEqual(self.talent_ada.engagement_score, 3, "a scanner's click: 15 x 0.2")
        self._sent(self.talent_bob, "opened", timedelta(seconds=1))
        self.assertEqual(self.talent_bob.engagement_score, 1, "a privacy proxy's open: 5 x 0.2")
        click = self._sent(self.talent_cy, "clicked", timedelta(seconds=3))
        click.clicked_date = click.date + timedelta(minutes=5)
        self.assertEqual(self.talent_cy.engagement_score, 15, "a human click minutes later")

    def test_tracking_event_registration(self):
        touchpoint = self._sent(self.talent_ada, "sent")
        touchpoint._register_tracking_event("opened", NOW - timedelta(minutes=50))
        self.assertEqual(touchpoint.outcome, "opened")
        touchpoint._register_tracking_event("clicked", NOW - timedelta(minutes=40))
        touchpoint._register_tracking_event("opened", NOW)
        self.assertEqual(touchpoint.outcome, "clicked", "an open never downgrades a click")
        self.assertEqual(touchpoint.opened_date, NOW - timedelta(minutes=50), "first open kept")
        self.assertEqual(touchpoint.clicked_date, NOW - timedelta(minutes=40))
        self.assertEqual(self.talent_ada.engagement_score, 15)

    def test_scores_decay_when_nothing_happens(self):
        self._touchpoint(self.talent_ada, direction="inbound", kind="reply", outcome="replied")
        self._sent(self.talent_bob, "clicked", timedelta(minutes=10))
        cron = self.env.ref("hr_recruitment_passive.ir_cron_recompute_engagement")
        with freeze_time(NOW + timedelta(days=30)), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(self.talent_ada.engagement_score, 20)
        self.assertEqual(self.talent_bob.engagement_score, 7, "15 halved after 30 days and 1 h")
        with freeze_time(NOW + timedelta(days=90)), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(self.talent_ada.engagement_score, 5)
        self.assertEqual(self.talent_bob.engagement_score, 2)
