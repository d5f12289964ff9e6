from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from .common import PassiveCommon

# a Wednesday, inside the default sending window (09:00-18:00 UTC, weekdays)
NOW = datetime(2026, 12, 2, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestContactCaps(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["hr.recruitment.contact.policy"]
        cls.company.partner_id.tz = "UTC"
        (cls.talent_ada | cls.talent_bob | cls.talent_cy).partner_id.tz = False

    def _sent(self, talent, days_ago, automated=True, **values):
        return self._touchpoint(
            talent,
            **{
                "channel": "email",
                "kind": "follow_up",
                "outcome": "sent",
                "automated": automated,
                "date": NOW - timedelta(days=days_ago),
                **values,
            },
        )

    def _decision(self, talent, channel="email", at=None, automated=True):
        return self.policy._check(talent, channel, at=at, automated=automated)[talent.id]

    def test_defaults(self):
        self.assertEqual(
            (
                self.company.outreach_cap_short_count,
                self.company.outreach_cap_short_days,
                self.company.outreach_cap_long_count,
                self.company.outreach_cap_long_days,
                self.company.outreach_window_start,
                self.company.outreach_window_end,
                self.company.outreach_window_weekdays,
            ),
            (1, 7, 3, 30, 9.0, 18.0, True),
        )

    def test_settings_page(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.outreach_cap_short_count = 2
            settings.outreach_window_end = 20.0
        self.assertEqual(self.company.outreach_cap_short_count, 2)
        self._sent(self.talent_ada, 1)
        self.assertEqual(self._decision(self.talent_ada).state, "allowed")
        self.assertEqual(
            self._decision(self.talent_ada, at=datetime(2026, 12, 2, 19, 0)).state, "allowed"
        )
        with self.assertRaisesText(ValidationError, "sending window"):
            self.company.outreach_window_start = 21.0
        # a negative sender limit would hold every drip email for ever
        for field in (
            "outreach_sender_daily_cap",
            "outreach_sender_ramp_start",
            "outreach_sender_ramp_step",
        ):
            with self.assertRaisesText(ValidationError, "must be positive numbers"):
                self.company[field] = -1

    def test_short_cap_postpones(self):
        self.assertEqual(self._decision(self.talent_ada).state, "allowed")
        self._sent(self.talent_ada, 2)
        decision = self._decision(self.talent_ada)
        self.assertEqual(decision[:2], ("postponed", "cap"))
        # the message of 2 days ago leaves the 7-day period in 5 days, at 10:00: in the window
        self.assertEqual(decision.until, NOW + timedelta(days=5))
        self.assertIn("cap", decision.message.lower())
        # a recruiter's own message is not capped, and manual sends do not count
        self.assertEqual(self._decision(self.talent_ada, automated=False).state, "allowed")
        self._sent(self.talent_bob, 1, automated=False)
        self.assertEqual(self._decision(self.talent_bob).state, "allowed")

    def test_fourth_message_in_a_week_postponed(self):
        self.company.write({"outreach_cap_short_count": 3, "outreach_cap_long_count": 10})
        for days_ago in (6, 4, 1):
            self._sent(self.talent_ada, days_ago)
        decision = self._decision(self.talent_ada)
        self.assertEqual(decision[:2], ("postponed", "cap"))
        self.assertEqual(decision.until, NOW + timedelta(days=1), "when the oldest leaves the week")
        self.assertEqual(self._decision(self.talent_ada, at=decision.until).state, "allowed")

    def test_long_cap_and_reduced_frequency(self):
        for days_ago in (25, 15, 8):
            self._sent(self.talent_ada, days_ago)
        decision = self._decision(self.talent_ada)
        self.assertEqual(decision[:2], ("postponed", "cap"))
        self.assertEqual(decision.until, NOW + timedelta(days=5))
        self._sent(self.talent_bob, 20)
        self.assertEqual(self._decision(self.talent_bob).state, "allowed")
        self.talent_bob.outreach_frequency = "reduced"
        decision = self._decision(self.talent_bob)
        self.assertEqual(decision[:2], ("postponed", "cap"))
        # 20 days ago + 30 days is a Saturday: the next opening of the window, Monday 09:00
        self.assertEqual(decision.until, datetime(2026, 12, 14, 9, 0))
        # failed or bounced sends are not contacts
        self._sent(self.talent_cy, 1, outcome="bounced")
        self.assertEqual(self._decision(self.talent_cy).state, "allowed")

    def test_snooze_postpones_every_contact(self):
        self.talent_ada.outreach_snoozed_until = "2027-03-01"
        for channel in ("email", "sms", "linkedin", "phone"):
            for automated in (True, False):
                decision = self._decision(self.talent_ada, channel, automated=automated)
                self.assertEqual(decision[:2], ("postponed", "snoozed"), (channel, automated))
        self.assertEqual(self._decision(self.talent_ada).until, datetime(2027, 3, 1, 9, 0))
        self.assertEqual(
            self._decision(self.talent_ada, at=datetime(2027, 3, 1, 10, 0)).state, "allowed"
        )

    def test_quiet_days_after_no(self):
        self._touchpoint(
            self.talent_ada,
            direction="inbound",
            kind="preference",
            declined=True,
            date=NOW - timedelta(days=10),
        )
        decision = self._decision(self.talent_ada)
        self.assertEqual(decision[:2], ("postponed", "quiet_after_no"))
        self.assertEqual(decision.until, NOW + timedelta(days=20))
        self.assertEqual(self._decision(self.talent_ada, automated=False).state, "allowed")

    def test_sending_window(self):
        saturday = datetime(2026, 12, 5, 11, 0)
        decision = self._decision(self.talent_ada, at=saturday)
        self.assertEqual(decision[:2], ("postponed", "window"))
        self.assertEqual(decision.until, datetime(2026, 12, 7, 9, 0))
        evening = datetime(2026, 12, 2, 19, 30)
        self.assertEqual(
            self._decision(self.talent_ada, at=evening).until, datetime(2026, 12, 3, 9)
        )
        # in the candidate's time zone: 10:00 UTC is 05:00 in New York
        self.talent_ada.partner_id.tz = "America/New_York"
        decision = self._decision(self.talent_ada)
        self.assertEqual(decision[:2], ("postponed", "window"))
        self.assertEqual(decision.until, datetime(2026, 12, 2, 14, 0))
        self.assertEqual(self._decision(self.talent_ada, automated=False).state, "allowed")

    def test_sending_window_time_zone_falls_back_like_drips(self):
        """One time-zone chain for the company window and the drips' windows: a candidate
        without a time zone in a company whose contact has none is read in the time zone of
        the company's working calendar (the company window used to fall back to UTC)."""
        self.company.partner_id.tz = False
        self.company.resource_calendar_id.tz = "Asia/Tokyo"
        # 10:00 UTC is 19:00 in Tokyo: after the window, which opens at 09:00 Tokyo (00:00 UTC)
        decision = self._decision(self.talent_ada)
        self.assertEqual(decision[:2], ("postponed", "window"))
        self.assertEqual(decision.until, datetime(2026, 12, 3, 0, 0))

    def test_reengage_after_refuses_automated_contact(self):
        self.talent_ada.write({"unresponsive_date": NOW, "reengage_after": "2027-06-01"})
        decision = self._decision(self.talent_ada)
        self.assertEqual(decision[:2], ("refused", "unresponsive"))
        self.assertEqual(self._decision(self.talent_ada, automated=False).state, "allowed")
        self.assertEqual(
            self._decision(self.talent_ada, at=datetime(2027, 6, 2, 10, 0)).state, "allowed"
        )

    def test_every_path_respects_boundaries(self):
        """Every path of this branch that contacts candidates (the gate for each channel, and
        Email Marketing sends to candidates) with an opted-out, a do-not-contact, a snoozed
        and a capped candidate: only the free candidate is contacted."""
        opted_out, dnc, snoozed, capped, free = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": name,
                    "email_from": f"{name.lower()}@example.com",
                    "partner_phone": f"+3247000010{index}",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "is_passive_candidate": True,
                }
                for index, name in enumerate(("Opted", "Dnc", "Snoozed", "Capped", "Free"))
            ]
        )
        (opted_out | dnc | snoozed | capped | free).partner_id.tz = False
        opted_out._outreach_opt_out("test")
        dnc.write({"do_not_contact": True, "do_not_contact_reason": "Asked by phone"})
        snoozed.outreach_snoozed_until = "2027-01-15"
        self._sent(capped, 1)
        blocked = opted_out | dnc | snoozed | capped
        everyone = blocked | free
        for channel in ("email", "sms", "linkedin", "phone"):
            decisions = self.policy._check(everyone, channel)
            self.assertEqual(decisions[free.id].state, "allowed", channel)
            for talent in blocked:
                self.assertNotEqual(
                    decisions[talent.id].state, "allowed", (channel, talent.partner_name)
                )
            self.assertEqual(decisions[capped.id].state, "postponed", "postponed, not dropped")
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "News from us",
                "body_html": "<p>Hello <t t-out='object.partner_name'/></p>",
                "mailing_model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "mailing_domain": repr([("id", "in", everyone.ids)]),
                "reply_to_mode": "update",
            }
        )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        sent_to = {mail.email_to for mail in self._new_mails}
        self.assertEqual(len(self._new_mails), 1, sent_to)
        self.assertIn(
            "free@example.com", str(self._new_mails.email_to or self._new_mails.recipient_ids.email)
        )
        traces = mailing.mailing_trace_ids
        self.assertEqual(
            set(traces.filtered(lambda t: t.trace_status == "cancel").mapped("res_id")),
            set(blocked.ids),
        )
