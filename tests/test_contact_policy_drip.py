import email
import email.policy
import re
from datetime import date, datetime, timedelta

from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.sms.tests.common import SMSCase

from .common import REPLY_TEMPLATE
from .drip_common import MONDAY, DripCommon
from .local_smtp import LocalSmtpMixin


class BoundariesDripCommon(DripCommon, SMSCase):
    """The drip of DripCommon with a weekday 08:00-20:00 sending window of its own (the
    company's is the default 09:00-18:00, weekdays, UTC), seen from the candidate's side."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["hr.recruitment.contact.policy"]
        (cls.talents | cls.talent_dan | cls.talent_eve).partner_id.tz = False
        cls.talent_bob.partner_phone = "+32470000002"
        cls.drip.write(
            {
                "send_saturday": False,
                "send_sunday": False,
                "send_hour_from": 8.0,
                "send_hour_to": 20.0,
            }
        )
        cls.resource = cls.env["hr.recruitment.resource"].create(
            {
                "name": "How we scaled Platform",
                "url": "https://example.com/blog/scaling-platform",
                "resource_type": "article",
            }
        )
        cls.sms_template = cls.env.ref("hr_recruitment_passive.sms_template_drip_nudge")
        cls.occasion = cls.env.ref(
            "hr_recruitment_passive.hr_recruitment_occasion_work_anniversary"
        )

    def _make_drip(self, name, steps):
        """A drip with the same owner, job and 08:00-20:00 weekday window; steps are
        (channel, delay in days, variant values)."""
        return self.env["hr.recruitment.drip"].create(
            {
                "name": name,
                "user_id": self.user_officer.id,
                "job_ids": [Command.link(self.job.id)],
                "allow_overlap": True,
                "send_hour_from": 8.0,
                "send_hour_to": 20.0,
                "skip_public_holidays": False,
                "step_ids": [
                    Command.create(
                        {
                            "sequence": sequence,
                            "name": f"{channel} {sequence}",
                            "channel": channel,
                            "delay": delay,
                            "delay_unit": "days",
                            "variant_ids": [Command.create({"name": "A", **variant})],
                        }
                    )
                    for sequence, (channel, delay, variant) in enumerate(steps, start=1)
                ],
            }
        )

    def _run_drip_cron(self):
        self.env.flush_all()
        for cron in self.crons:  # an HttpCase's registry is already in test mode
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def _run_and_send(self):
        """Run the drip, then let the mail queue send what it queued (SMTP mocked)."""
        with self.mock_mail_gateway():
            self._run_drip_cron()
            self._drip_mails().filtered(lambda m: m.state == "outgoing").send()
        self.env.invalidate_all()
        return self._mails

    def _sent_to(self, mails, talent):
        found = [m for m in mails if talent.email_normalized in str(m["email_to"])]
        self.assertEqual(len(found), 1, f"one email to {talent.partner_name}")
        return found[0]

    def _link(self, body, kind):
        match = re.search(rf'href="([^"]*/recruitment/{kind}/[^"]+)"', body)
        self.assertTrue(match, f"the email links the {kind} page")
        return match.group(1)

    def _page_post(self, url, **data):
        page = self.url_open(url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(url, data={"csrf_token": csrf, **data})
        self.env.invalidate_all()
        return response

    def _share(self, applicants):
        wizard = Form(
            self.env["hr.applicant.share.resource"]
            .with_user(self.user_officer)
            .with_context(active_model="hr.applicant", active_ids=applicants.ids)
        )
        wizard.resource_id = self.resource
        return wizard.save().action_share()

    def _bob_wrote_to_us(self):
        """Bob wrote to us once: not a sourced candidate, no privacy notice due."""
        self.env["mail.message"].create(
            {
                "model": "hr.applicant",
                "res_id": self.talent_bob.id,
                "message_type": "email",
                "body": "Hello, I applied last year",
            }
        )

    def _assert_opted_out(self, talent, enrollment):
        self.assertTrue(talent.outreach_opted_out)
        self.assertTrue(
            self.env["mail.blacklist"].sudo().search([("email", "=", talent.email_normalized)])
        )
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "opted_out"))


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestBoundariesDrip(BoundariesDripCommon):
    def test_drip_email_is_automated_with_privacy_notice_once(self):
        self.company.outreach_privacy_notice = (
            "<p>Why you are hearing from us: a public profile.</p>"
        )
        self._bob_wrote_to_us()
        self.drip.enroll(self.talent_ada | self.talent_bob)
        mails = self._run_and_send()
        ada_mail = self._sent_to(mails, self.talent_ada)
        self.assertIn("Why you are hearing from us", ada_mail["body"])
        self.assertIn("o_outreach_privacy_notice", ada_mail["body"])
        self.assertNotIn(
            "Why you are hearing from us", self._sent_to(mails, self.talent_bob)["body"]
        )
        first = self._enrollments().touchpoint_ids
        self.assertEqual(set(first.mapped("automated")), {True}, "drip emails count toward caps")
        self.assertEqual(
            {t.applicant_id: t.privacy_notice for t in first},
            {self.talent_ada: True, self.talent_bob: False},
        )
        self.assertEqual(
            self.env["res.company"]._outreach_privacy_notices(self.talent_ada)[self.talent_ada.id],
            "",
            "given once",
        )
        # step 2 three business days later: no notice any more
        with freeze_time("2026-03-05 10:00:00"):
            mails = self._run_and_send()
        self.assertNotIn(
            "Why you are hearing from us", self._sent_to(mails, self.talent_ada)["body"]
        )
        self.assertEqual(
            len(self.talent_ada.touchpoint_ids.filtered("privacy_notice")), 1, "recorded once"
        )

    def test_occasion_and_bulk_share_carry_unsubscribe_and_notice(self):
        self.company.outreach_privacy_notice = "<p>Why you are hearing from us: a profile.</p>"
        self.company.outreach_occasion_auto_email = True
        ada, bob = self.talent_ada, self.talent_bob
        with self.mock_mail_gateway():
            congratulation = self.occasion._prepare_messages(ada, date(2026, 3, 2))
            self._new_mails.send()
        sent = self._sent_to(self._mails, ada)
        self.assertIn("Why you are hearing from us", sent["body"])
        self.assertTrue(congratulation.privacy_notice)
        self.assertEqual(sent["headers"]["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        url = re.fullmatch(r"<(.+)>", sent["headers"]["List-Unsubscribe"]).group(1)
        self.assertIn("/recruitment/unsubscribe/", url)
        with freeze_time("2026-03-10 10:00:00"), self.mock_mail_gateway():
            self._share(ada | bob)
            self._new_mails.send()
        self.assertNotIn("Why you are hearing", self._sent_to(self._mails, ada)["body"])
        self.assertIn("Why you are hearing", self._sent_to(self._mails, bob)["body"])
        self.assertIn(
            "/recruitment/unsubscribe/",
            self._sent_to(self._mails, bob)["headers"]["List-Unsubscribe"],
        )
        shared = (ada | bob).touchpoint_ids.filtered(lambda t: t.kind == "resource")
        self.assertEqual(
            {t.applicant_id: t.privacy_notice for t in shared}, {ada: False, bob: True}
        )
        # the mail client's unsubscribe button on the congratulation
        response = self.url_open(url, data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(ada.outreach_opted_out)
        self.assertTrue(ada.is_blacklisted)

    def test_drip_window_replaces_company_window(self):
        # 19:00 UTC: after the company's window (18:00), inside the drip's own (20:00)
        with freeze_time("2026-03-02 19:00:00"):
            self.assertEqual(
                self.policy._check(self.talent_ada, "email")[self.talent_ada.id].reason, "window"
            )
            self.drip.enroll(self.talent_ada)
            mails = self._run_and_send()
        self._sent_to(mails, self.talent_ada)
        # 21:00 UTC: outside the drip's window, postponed to its next opening (08:00)
        with freeze_time("2026-03-02 21:00:00"):
            self.drip.enroll(self.talent_bob)
            self.assertFalse(self._run_and_send())
        bob = self._enrollments(self.talent_bob)
        self.assertEqual(bob.next_run_at, datetime(2026, 3, 3, 8, 0))
        self.assertIn("Outside the sending window", bob.status_note)

    def test_sms_step_links_preference_page_with_short_link(self):
        sms_drip = self._make_drip("SMS", [("sms", 0, {"sms_template_id": self.sms_template.id})])
        sms_drip.enroll(self.talent_ada)
        with self.mockSMSGateway():
            self._run_drip_cron()
            self.env["sms.sms"].sudo().search([("number", "=", "+32470000001")]).send()
        self.assertEqual(len(self._sms), 1)
        body = self._sms[0]["body"]
        short_url = self.talent_ada._get_outreach_preference_short_url()
        self.assertIn(short_url, body)
        self.assertNotIn("/recruitment/preferences/", body, "no long signed URL in an SMS")
        touchpoint = self.talent_ada.touchpoint_ids.filtered(lambda t: t.channel == "sms")
        self.assertTrue(touchpoint.automated)
        response = self.url_open(short_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ada Lovelace", response.text)

    def test_snooze_three_months_from_drip_email(self):
        self.drip.enroll(self.talent_ada)
        mails = self._run_and_send()
        enrollment = self._enrollments(self.talent_ada)
        url = self._link(self._sent_to(mails, self.talent_ada)["body"], "preferences")
        response = self._page_post(url, action="snooze", snooze_preset="2026-06-02")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.talent_ada.outreach_snoozed_until, date(2026, 6, 2))
        self.assertEqual(
            (enrollment.state, enrollment.pause_reason, enrollment.step_id),
            ("paused", "snooze", self.step_2),
        )
        self.assertEqual(enrollment.paused_until, datetime(2026, 6, 2))
        self.assertEqual(enrollment.next_run_at, datetime(2026, 6, 2))
        self.assertIn("Snoozed by the candidate until", enrollment.status_note)
        self.assertEqual(self.talent_ada.outreach_status, "snoozed", "not 'engaged'")
        # step 2 was due on Thursday: nothing in those three months
        for moment in ("2026-03-05 10:00:00", "2026-04-06 10:00:00", "2026-06-01 19:00:00"):
            with freeze_time(moment):
                self.assertFalse(self._run_and_send(), moment)
                self.assertEqual(
                    self.policy._check(self.talent_ada, "email")[self.talent_ada.id].reason,
                    "snoozed",
                )
        self.assertEqual(enrollment.step_id, self.step_2)
        # after the date it resumes with the step it was waiting on
        with freeze_time("2026-06-02 10:00:00"):
            mails = self._run_and_send()
        # the follow-up replies to the first email (step option, default on)
        self.assertIn(
            "Re: Ada, a Staff Engineer at YourTestCompany",
            self._sent_to(mails, self.talent_ada)["subject"],
        )
        self.assertEqual((enrollment.state, enrollment.step_id), ("running", self.step_3))

    def test_stop_all_contact_from_drip_email(self):
        self.drip.enroll(self.talent_ada | self.talent_bob)
        mails = self._run_and_send()
        url = self._link(self._sent_to(mails, self.talent_bob)["body"], "preferences")
        response = self._page_post(url, action="stop")
        self.assertEqual(response.status_code, 200)
        bob = self._enrollments(self.talent_bob)
        self._assert_opted_out(self.talent_bob, bob)
        self.assertTrue(
            self.env["phone.blacklist"].sudo().search([("number", "=", "+32470000002")])
        )
        self.assertEqual(self._enrollments(self.talent_ada).state, "running")
        # nothing more from any path
        with freeze_time("2026-03-05 10:00:00"):
            mails = self._run_and_send()
        self.assertEqual(len(mails), 1)
        self._sent_to(mails, self.talent_ada)
        sms_drip = self._make_drip("SMS", [("sms", 0, {"sms_template_id": self.sms_template.id})])
        self.assertEqual(
            sms_drip.enroll(self.talent_bob)["skipped"][self.talent_bob.id][0], "opted_out"
        )
        self.company.outreach_occasion_auto_email = True
        with self.mock_mail_gateway():
            self.assertFalse(self.occasion._prepare_messages(self.talent_bob, date(2026, 3, 2)))
            self._share(self.talent_ada | self.talent_bob)
        self.assertFalse(
            self._new_mails.filtered(
                lambda m: (
                    self.talent_bob.partner_id in m.recipient_ids or "bob@" in (m.email_to or "")
                )
            )
        )
        self.assertFalse(
            self.talent_bob.touchpoint_ids.filtered(lambda t: t.direction == "outbound")
            - bob.touchpoint_ids
        )

    def test_forged_link_changes_nothing(self):
        self.drip.enroll(self.talent_ada)
        mails = self._run_and_send()
        url = self._link(self._sent_to(mails, self.talent_ada)["body"], "preferences")
        forged = url[:-4] + ("0000" if not url.endswith("0000") else "1111")
        page = self.url_open(url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        for target in (forged, forged.replace("/preferences/", "/unsubscribe/")):
            response = self.url_open(target, data={"csrf_token": csrf, "action": "stop"})
            self.assertEqual(response.status_code, 404, target)
        self.env.invalidate_all()
        enrollment = self._enrollments(self.talent_ada)
        self.assertEqual((enrollment.state, enrollment.step_id), ("running", self.step_2))
        self.assertFalse(self.talent_ada.outreach_opted_out)
        self.assertFalse(self.talent_ada.is_blacklisted)
        self.assertFalse(self.talent_ada.touchpoint_ids.filtered(lambda t: t.kind == "preference"))

    def test_one_click_unsubscribe_from_mail_client(self):
        self.drip.enroll(self.talent_ada | self.talent_bob)
        mails = self._run_and_send()
        headers = self._sent_to(mails, self.talent_ada)["headers"]
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        url = re.fullmatch(r"<(.+)>", headers["List-Unsubscribe"]).group(1)
        self.assertIn("/unsubscribe_oneclick", url)
        # a mail client POSTs with no session and no CSRF token
        response = self.url_open(url, data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self._assert_opted_out(self.talent_ada, self._enrollments(self.talent_ada))
        self.assertEqual(
            self.talent_ada.touchpoint_ids.filtered(
                lambda t: t.kind == "preference"
            ).boundary_event,
            "opt_out",
        )
        self.assertEqual(self._enrollments(self.talent_bob).state, "running")
        # a tampered one-click URL does nothing
        bob_url = re.fullmatch(
            r"<(.+)>", self._sent_to(mails, self.talent_bob)["headers"]["List-Unsubscribe"]
        ).group(1)
        response = self.url_open(bob_url[:-4] + "0000", data={"List-Unsubscribe": "One-Click"})
        self.env.invalidate_all()
        self.assertFalse(self.talent_bob.outreach_opted_out)
        self.assertEqual(self._enrollments(self.talent_bob).state, "running")

    def test_caps_postpone_fourth_message_in_a_week(self):
        self.company.write({"outreach_cap_short_count": 3, "outreach_cap_long_count": 10})
        self.company.outreach_occasion_auto_email = True
        self.talent_ada.current_role_start_date = "2021-03-03"
        self.drip.enroll(self.talent_ada | self.talent_bob)
        self._run_and_send()  # Monday: drip email 1 to Ada and Bob
        with freeze_time("2026-03-03 10:00:00"), self.mock_mail_gateway():
            touchpoints = self.occasion._prepare_messages(self.talent_ada, date(2026, 3, 3))
            self.assertEqual(touchpoints.automated, True, "occasion email: 2nd for Ada")
        with freeze_time("2026-03-04 10:00:00"), self.mock_mail_gateway():
            self._share(self.talent_ada | self.talent_bob)  # bulk: 3rd for Ada, 2nd for Bob
        shared = self.talent_ada.touchpoint_ids.filtered(lambda t: t.kind == "resource")
        self.assertTrue(shared.automated, "a bulk share counts toward the caps")
        # Thursday: step 2 would be Ada's fourth automated message in a week
        with freeze_time("2026-03-05 10:00:00"):
            mails = self._run_and_send()
        self._sent_to(mails, self.talent_bob)
        self.assertNotIn("ada@", str([m["email_to"] for m in mails]))
        ada = self._enrollments(self.talent_ada)
        self.assertEqual(
            (ada.state, ada.step_id, ada.next_run_at),
            ("running", self.step_2, datetime(2026, 3, 9, 10, 0)),
            "postponed until Monday's email leaves the 7-day period, not dropped",
        )
        self.assertIn("Contact cap reached", ada.status_note)
        with freeze_time("2026-03-09 10:00:00"):
            mails = self._run_and_send()
        self._sent_to(mails, self.talent_ada)
        self.assertEqual(ada.step_id, self.step_3)

    def test_cleanup_stops_drips_of_removed_candidates(self):
        self.company.write({"outreach_cap_short_count": 5, "outreach_cap_long_count": 10})
        email = {"mail_template_id": self.template_follow.id}
        drip = self._make_drip(
            "Long nurture",
            [("email", 0, email), ("email", 1, email), ("email", 1, email), ("email", 200, email)],
        )
        drip.enroll(self.talent_ada | self.talent_bob)
        for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
            with freeze_time(f"{day} 10:00:00"), self.mock_mail_gateway():
                self._run_drip_cron()
        enrollments = self.env["hr.recruitment.drip.enrollment"].search([("drip_id", "=", drip.id)])
        ada, bob = (
            enrollments.filtered(lambda e, t=t: e.applicant_id == t)
            for t in (self.talent_ada, self.talent_bob)
        )
        self.assertEqual(len(ada.touchpoint_ids), 3)
        with freeze_time("2026-03-04 11:00:00"):
            bob.touchpoint_ids[:1].mailing_trace_id.set_opened()  # Bob read one
        with freeze_time("2026-06-05 10:00:00"):
            self.env.ref("hr_recruitment_passive.ir_cron_outreach_cleanup").method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual((ada.state, ada.stop_reason), ("stopped", "unresponsive"))
        self.assertEqual(self.talent_ada.outreach_status, "unresponsive")
        self.assertEqual((bob.state, bob.stop_reason), ("running", False))
        self.assertNotEqual(self.talent_bob.outreach_status, "unresponsive")

    def test_unresponsive_at_send_time_stops_with_unresponsive(self):
        self.drip.enroll(self.talent_cy)
        # removed as unresponsive by another route than the cleanup (no stop hook ran)
        self.talent_cy.write({"unresponsive_date": "2026-03-01 10:00:00"})
        self.assertFalse(self._run_and_send())
        cy = self._enrollments(self.talent_cy)
        self.assertEqual((cy.state, cy.stop_reason), ("stopped", "unresponsive"))

    def _receive_reply(self, talent, mail, body, headers=""):
        with self.mock_mail_gateway():
            self.format_and_process(
                REPLY_TEMPLATE.replace("BODY", body),
                talent.partner_id.email_formatted,
                f"catchall@{self.alias_domain}",
                subject=f"Re: {mail.subject}",
                extra=f"{headers}In-Reply-To: {mail.message_id}\n",
                target_model="hr.applicant",
                target_field="partner_name",
            )
        self.env.invalidate_all()

    def test_out_of_office_pauses_real_reply_stops(self):
        self.drip.enroll(self.talent_ada)
        self._run_and_send()
        enrollment = self._enrollments(self.talent_ada)
        mail = self._drip_mails()
        self._receive_reply(
            self.talent_ada,
            mail,
            "I am out of the office until 2026-03-20 with limited access to email.",
            headers="Auto-Submitted: auto-replied\n",
        )
        self.assertEqual(
            (enrollment.state, enrollment.pause_reason, enrollment.paused_until),
            ("paused", "out_of_office", datetime(2026, 3, 20)),
        )
        self.assertIn("Out of office until", enrollment.status_note)
        self.assertEqual(enrollment.last_email_trace_id.trace_status, "sent", "not a reply")
        self.assertEqual(enrollment.touchpoint_ids.outcome, "sent", "not engagement")
        with freeze_time("2026-03-05 10:00:00"):
            self.assertFalse(self._run_and_send(), "step 2 waits for the return date")
        with freeze_time("2026-03-20 10:00:00"):
            mails = self._run_and_send()
        self._sent_to(mails, self.talent_ada)  # not_opened: the auto-reply was no open
        self.assertEqual(enrollment.step_id, self.step_3)
        # a real answer stops the drip
        with freeze_time("2026-03-21 09:00:00"):
            self._receive_reply(self.talent_ada, mail, "Thanks, happy to talk next week.")
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestBoundariesEveryPath(BoundariesDripCommon):
    """An opted-out, a do-not-contact, a snoozed and a capped candidate, and a free one, driven
    through every path that contacts candidates: only the free one gets automated messages; the
    capped one's drip step is postponed (a recruiter's own tasks and activities are not capped)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "outreach_cap_short_count": 5,
                "outreach_cap_long_count": 10,
                "outreach_occasion_auto_email": True,
            }
        )
        cls.talent_fay, cls.talent_gus = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": name,
                    "email_from": f"{name.split()[0].lower()}@example.com",
                    "partner_phone": phone,
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                }
                for name, phone in (("Fay Capped", "+32470000006"), ("Gus Free", "+32470000007"))
            ]
        )
        cls.people = (
            cls.talent_ada | cls.talent_bob | cls.talent_cy | cls.talent_fay | cls.talent_gus
        )
        cls.people.partner_id.tz = False
        cls.talent_cy.partner_phone = "+32470000003"
        cls.people.write({"current_role_start_date": "2021-03-02"})

    def test_every_path(self):
        drip = self._make_drip(
            "Every channel",
            [
                ("email", 0, {"mail_template_id": self.template_first.id}),
                ("sms", 0, {"sms_template_id": self.sms_template.id}),
                ("linkedin", 0, {"body": "Hi {{ object.partner_name }}"}),
            ],
        )
        result = drip.enroll(self.people)
        self.assertFalse(result["skipped"])
        enrollments = result["enrollments"]
        by_talent = {e.applicant_id: e for e in enrollments}
        # the boundaries, set after enrolling
        self.talent_ada._outreach_opt_out("preference page")
        self.talent_bob.write(
            {"do_not_contact": True, "do_not_contact_reason": "Asked a colleague"}
        )
        self.talent_cy._outreach_snooze(date(2026, 6, 2))
        self.env["hr.recruitment.touchpoint"].create(
            [
                {
                    "applicant_id": self.talent_fay.id,
                    "channel": "email",
                    "direction": "outbound",
                    "kind": "follow_up",
                    "outcome": "sent",
                    "automated": True,
                    "date": datetime(2026, 3, 1, 10, 0) - timedelta(hours=hours),
                }
                for hours in range(5)
            ]
        )
        gus = self.talent_gus
        # drip: email, SMS, LinkedIn task (three runs: one step per enrollment per run)
        with self.mockSMSGateway(), self.mock_mail_gateway():
            for _run in range(3):
                self._run_drip_cron()
        drip_mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("mailing_id", "in", drip.step_ids.variant_ids.mailing_id.ids)])
        )
        self.assertEqual(drip_mails.mapped("res_id"), [gus.id])
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("number", "in", self.people.mapped("partner_phone"))])
        )
        self.assertEqual(sms.mapped("number"), ["+32470000007"])
        tasks = self.env["mail.activity"].search(
            [
                ("res_model", "=", "hr.applicant"),
                ("res_id", "in", self.people.ids),
                ("summary", "=like", "Every channel:%"),
            ]
        )
        self.assertEqual(tasks.mapped("res_id"), [gus.id])
        self.assertEqual(
            {t.partner_name: (e.state, e.stop_reason) for t, e in by_talent.items()},
            {
                "Ada Lovelace": ("stopped", "opted_out"),
                "Bob Builder": ("stopped", "do_not_contact"),
                "Cy Twombly": ("paused", False),
                "Fay Capped": ("running", False),
                "Gus Free": ("running", False),
            },
        )
        self.assertEqual(by_talent[self.talent_cy].next_run_at, datetime(2026, 6, 2))
        self.assertEqual(by_talent[self.talent_cy].pause_reason, "snooze")
        fay = by_talent[self.talent_fay]
        self.assertEqual(
            (fay.step_id.name, fay.next_run_at), ("email 1", datetime(2026, 3, 8, 6, 0))
        )
        self.assertIn("Contact cap reached", fay.status_note)
        self.assertEqual(by_talent[gus].activity_id, tasks)
        # occasion: email when automatic, else an activity for the recruiter
        with self.mock_mail_gateway():
            emailed = self.occasion._prepare_messages(self.people, date(2026, 3, 2))
        self.assertEqual(emailed.applicant_id, gus)
        self.assertEqual(self._new_mails.mapped("res_id"), [gus.id])
        self.company.outreach_occasion_auto_email = False
        planned = self.occasion._prepare_messages(self.people, date(2026, 3, 2))
        # an activity is the recruiter's own message: caps (automated messages) do not apply
        self.assertEqual(planned.applicant_id, self.talent_fay | gus)
        # resource share (bulk)
        with self.mock_mail_gateway():
            notification = self._share(self.people)
        self.assertEqual(self._new_mails.mapped("res_id"), [gus.id])
        self.assertEqual(notification["params"]["type"], "warning")
        self.assertIn("Contact cap reached", notification["params"]["message"])
        # Email Marketing mailing to candidates
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Engineering news",
                "body_html": "<p>Hi</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "mailing_domain": repr([("id", "in", self.people.ids)]),
            }
        )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(
            self._new_mails.filtered(lambda m: m.state != "cancel").mapped("res_id"), [gus.id]
        )


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestPrivacyNoticeOnTheWire(LocalSmtpMixin, BoundariesDripCommon):
    """The privacy notice is in the HTML the SMTP server received, in the first drip email to
    a sourced candidate only."""

    def _html_to(self, talent):
        raw = self.raw_message_to(talent.email_normalized)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        return message.get_body(("html",)).get_content()

    def _run_and_deliver(self):
        with self.sending_over_smtp():
            self._run_drip_cron()
            self.env.flush_all()
            self.env["mail.mail"].sudo().process_email_queue()
        self.env.invalidate_all()

    def test_notice_reaches_the_sourced_candidate_once(self):
        self.company.outreach_privacy_notice = "<p>Why you are hearing from us: a profile.</p>"
        self._bob_wrote_to_us()
        self.drip.enroll(self.talent_ada | self.talent_bob)
        self._run_and_deliver()
        ada_html = self._html_to(self.talent_ada)
        self.assertEqual(ada_html.count("Why you are hearing from us"), 1)
        self.assertIn("o_outreach_privacy_notice", ada_html)
        self.assertNotIn("Why you are hearing from us", self._html_to(self.talent_bob))
        # step 2 three business days later: no notice any more
        with freeze_time("2026-03-05 10:00:00"):
            self._run_and_deliver()
        self.assertNotIn("Why you are hearing from us", self._html_to(self.talent_ada))
