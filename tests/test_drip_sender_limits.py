from datetime import date, datetime

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
class TestDripSenderLimits(DripCommon):
    """Per sender (the user a drip email leaves as): a daily cap and a ramp for new mailboxes,
    decided by the contact policy in the same call as the candidate's own rules; what is over
    the limit waits for the next sending window, never dropped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "outreach_sender_daily_cap": 3,
                "outreach_sender_ramp_start": 0,
                "outreach_sender_ramp_step": 0,
            }
        )

    def _new_talents(self, count, tag):
        return self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Limit {tag} {index}",
                    "email_from": f"limit.{tag}.{index}@example.com",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "is_passive_candidate": True,
                    # one employer each: the per-employer cap is not what is tested here
                    "current_company": f"Employer {tag} {index}",
                }
                for index in range(count)
            ]
        )

    def _first_step_mails(self, talents):
        """{talent id: number of first-step emails}."""
        mails = self._drip_mails(self.step_1)
        return {
            talent.id: len(mails.filtered(lambda m, t=talent: m.res_id == t.id))
            for talent in talents
        }

    def test_sender_at_limit_postpones_the_rest_to_the_next_window(self):
        self.drip.write({"send_hour_from": 9.0, "send_hour_to": 17.0})
        talents = self._new_talents(5, "cap")
        with freeze_time(MONDAY), self.mock_mail_gateway():
            self.drip.enroll(talents)
            self._run_drip_cron()
            enrollments = self._enrollments(talents)
            sent = enrollments.filtered(lambda e: e.step_id == self.step_2)
            waiting = enrollments - sent
            self.assertEqual(len(sent), 3, "the sender's cap of 3 a day")
            self.assertEqual(sorted(self._first_step_mails(talents).values()), [0, 0, 1, 1, 1])
            self.drip.invalidate_recordset(["sender_usage"])
            self.assertEqual(self.drip.sender_usage, "3 / 3")
        # nothing lost: paused (sender limit) on the first step until Tuesday's window, with why
        tuesday_window = datetime(2026, 3, 3, 9, 0)
        for enrollment in waiting:
            self.assertEqual(enrollment.state, "paused")
            self.assertEqual(enrollment.pause_reason, "sender_limit")
            self.assertEqual(enrollment.paused_until, tuesday_window)
            self.assertEqual(enrollment.step_id, self.step_1)
            self.assertEqual(enrollment.next_run_at, tuesday_window)
            self.assertIn("Sender limit", enrollment.status_note)
            self.assertIn(self.user_officer.name, enrollment.status_note)
            # the date as the owner reads it (their time zone and language), not raw UTC
            self.assertIn("2026", enrollment.status_note)
            self.assertNotIn("(UTC)", enrollment.status_note)
            self.assertFalse(enrollment.touchpoint_ids)
        # later on Monday, nothing more leaves
        with freeze_time("2026-03-02 16:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
            self.assertEqual(sum(self._first_step_mails(talents).values()), 3)
        # Tuesday's window: the two others go, nobody twice
        with freeze_time("2026-03-03 09:05:00"), self.mock_mail_gateway():
            self._run_drip_cron()
            self.assertEqual(set(self._first_step_mails(talents).values()), {1})
            self.assertEqual(set(self._enrollments(talents).mapped("step_id")), {self.step_2})
            self.assertEqual(len(waiting.touchpoint_ids), 2)
            self.drip.invalidate_recordset(["sender_usage"])
            self.assertEqual(self.drip.sender_usage, "2 / 3")

    def test_new_mailbox_ramps_up(self):
        self.company.write(
            {
                "outreach_sender_daily_cap": 150,
                "outreach_sender_ramp_start": 2,
                "outreach_sender_ramp_step": 1,
            }
        )
        self.assertFalse(self.user_officer.outreach_sender_since)
        talents = self._new_talents(6, "ramp")
        sent_per_day = []
        days = ("2026-03-02 10:00:00", "2026-03-03 10:00:00", "2026-03-04 10:00:00")
        for day in days:
            with freeze_time(day), self.mock_mail_gateway():
                if day == MONDAY:
                    self.drip.enroll(talents)
                before = sum(self._first_step_mails(talents).values())
                self._run_drip_cron()
                sent_per_day.append(sum(self._first_step_mails(talents).values()) - before)
            if day == MONDAY:
                # the mailbox's first drip email starts its ramp
                self.assertEqual(self.user_officer.outreach_sender_since, date(2026, 3, 2))
        self.assertEqual(sent_per_day, [2, 3, 1], "2 the first day, 3 the second, the last one")
        self.assertEqual(set(self._first_step_mails(talents).values()), {1})

    def test_mailbox_with_drip_history_is_not_new(self):
        """After an upgrade, a sender who sent drip emails long ago is not ramped again."""
        self.company.write(
            {
                "outreach_sender_daily_cap": 4,
                "outreach_sender_ramp_start": 1,
                "outreach_sender_ramp_step": 1,
            }
        )
        old = self._new_talents(1, "old")
        self.env["hr.recruitment.touchpoint"].create(
            {
                "applicant_id": old.id,
                "channel": "email",
                "kind": "outreach",
                "outcome": "sent",
                "automated": True,
                "user_id": self.user_officer.id,
                "enrollment_id": self.drip.enroll(old)["enrollments"].id,
                "date": datetime(2025, 1, 6, 10, 0),
            }
        )
        usage = self.env["hr.recruitment.contact.policy"]._get_sender_usage(
            self.user_officer, datetime(2026, 3, 2, 10, 0)
        )
        self.assertEqual(usage[self.user_officer.id]["limit"], 4, "the cap, not the ramp")

    def test_policy_decides_per_candidate_and_per_sender_in_one_call(self):
        Policy = self.env["hr.recruitment.contact.policy"]
        self.user_officer.outreach_sender_daily_cap = (
            1  # the user's own cap wins over the company's
        )
        officer_talents = self._new_talents(2, "officer")
        manager_talents = self._new_talents(2, "manager")
        talents = officer_talents | manager_talents | self.talent_dan  # Dan is blacklisted
        senders = {
            **dict.fromkeys(officer_talents.ids, self.user_officer),
            **dict.fromkeys((manager_talents | self.talent_dan).ids, self.user_manager),
        }
        at = datetime(2026, 3, 2, 10, 0)
        decisions = Policy._check(talents, "email", at=at, senders=senders)
        states = [decisions[talent.id].state for talent in officer_talents]
        self.assertEqual(states, ["allowed", "postponed"])
        postponed = decisions[officer_talents[1].id]
        self.assertEqual(postponed.reason, "sender_limit")
        self.assertEqual(postponed.until, datetime(2026, 3, 3, 0, 0))
        for talent in manager_talents:
            self.assertEqual(decisions[talent.id].state, "allowed", "another sender's quota")
        self.assertEqual(decisions[self.talent_dan.id].reason, "opted_out")
        # a recruiter's own one-to-one message is not a drip email: no sender limit
        manual = Policy._check(officer_talents, "email", at=at, automated=False, senders=senders)
        self.assertEqual({d.state for d in manual.values()}, {"allowed"})
        # without senders (other paths), the candidate rules alone
        plain = Policy._check(officer_talents, "email", at=at)
        self.assertNotIn("sender_limit", {d.reason for d in plain.values()})
