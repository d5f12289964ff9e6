import email
import email.policy
from datetime import date, datetime, timedelta

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import PassiveCommon
from .local_smtp import LocalSmtpMixin

NOW = datetime(2026, 12, 7, 6, 0)  # a Monday morning, when the weekly cron runs
TODAY = NOW.date()


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestWeeklyDigest(LocalSmtpMixin, PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_rita = mail_new_test_user(
            cls.env,
            login="passive_rita",
            name="Rita Recruiter",
            email="rita.recruiter@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
        )
        Applicant = cls.env["hr.applicant"]
        cls.talent_html = Applicant.create(
            {
                "partner_name": "<b>x</b>",
                "email_from": "html@example.com",
                "talent_pool_ids": [Command.link(cls.pool.id)],
                "user_id": cls.user_officer.id,
            }
        )
        cls.talent_rita = Applicant.create(
            {
                "partner_name": "Rosa Rita's",
                "email_from": "rosa@example.com",
                "talent_pool_ids": [Command.link(cls.pool.id)],
                "user_id": cls.user_rita.id,
            }
        )
        # the manager owns a talent but has nothing to report
        Applicant.create(
            {
                "partner_name": "Quiet Quentin",
                "email_from": "quentin@example.com",
                "talent_pool_ids": [Command.link(cls.pool.id)],
                "user_id": cls.user_manager.id,
                "outreach_snoozed_until": TODAY + timedelta(days=30),
            }
        )
        Touchpoint = cls.env["hr.recruitment.touchpoint"]

        def reply(talent, days_ago, summary, **values):
            return Touchpoint.create(
                {
                    "applicant_id": talent.id,
                    "channel": "email",
                    "direction": "inbound",
                    "kind": "reply",
                    "outcome": "replied",
                    "date": NOW - timedelta(days=days_ago),
                    "summary": summary,
                    **values,
                }
            )

        reply(cls.talent_html, 2, "Sounds <i>good</i>, call me")
        reply(cls.talent_ada, 10, "An old reply")
        reply(cls.talent_ada, 1, "Out of office", auto_reply=True)
        reply(cls.talent_ada, 1, "Already classified", reply_class="interested")
        reply(cls.talent_ada, 1, "Colleague in copy", third_party=True)
        reply(cls.talent_rita, 3, "Rita's candidate answered")
        cls.talent_bob.outreach_snoozed_until = TODAY + timedelta(days=3)
        cls.talent_cy.outreach_snoozed_until = TODAY + timedelta(days=20)
        drip = cls.env["hr.recruitment.drip"].create(
            {"name": "Olivia's nurture", "user_id": cls.user_officer.id}
        )
        cls.env["hr.recruitment.drip.enrollment"].create(
            [
                {
                    "drip_id": drip.id,
                    "applicant_id": cls.talent_ada.id,
                    "state": "stopped",
                    "stop_reason": "error",
                    "last_error": "Step 'First touch' failed: template deleted",
                    "date_end": NOW - timedelta(days=1),
                },
                {
                    "drip_id": drip.id,
                    "applicant_id": cls.talent_cy.id,
                    "state": "stopped",
                    "stop_reason": "manual",
                    "date_end": NOW - timedelta(days=1),
                },
            ]
        )
        cls.cron = cls.env.ref("hr_recruitment_passive.ir_cron_passive_weekly_digest")

    def _run_digest(self):
        """Run the weekly cron as the worker does, then send the queue over SMTP."""
        self.env.flush_all()
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()
        self.env.invalidate_all()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("subject", "=", "Your passive talents this week")])
        )
        with self.sending_over_smtp():
            mails.send()
        return mails

    def _html_to(self, address):
        message = email.message_from_bytes(
            self.raw_message_to(address), policy=email.policy.default
        )
        return message.get_body(("html",)).get_content()

    def test_one_email_per_recruiter_with_their_own_items(self):
        mails = self._run_digest()
        self.assertEqual(len(mails), 2)
        recipients = {rcpt for m in self.smtp_server.messages for rcpt in m["rcpt_to"]}
        self.assertEqual(
            recipients, {"<olivia.officer@example.com>", "<rita.recruiter@example.com>"}
        )
        olivia = self._html_to("olivia.officer@example.com")
        base_url = self.env["hr.applicant"].get_base_url()
        # a new reply to handle, with a link into Odoo
        self.assertIn(f'href="{base_url}/odoo/hr.applicant/{self.talent_html.id}"', olivia)
        self.assertIn("Sounds &lt;i&gt;good&lt;/i&gt;, call me", olivia)
        for not_listed in ("An old reply", "Out of office", "Already classified", "Colleague"):
            self.assertNotIn(not_listed, olivia)
        # Bob's "not now" ends this week; Cy's in 20 days
        self.assertIn("Bob Builder", olivia)
        self.assertIn(f"Bob Builder</a>: {TODAY + timedelta(days=3)}", olivia)
        self.assertNotIn("Cy Twombly</a>", olivia)
        # the drip in error (not the one stopped by hand), linked to the enrollment
        self.assertIn("Olivia&#39;s nurture: Step &#39;First touch&#39; failed", olivia)
        self.assertIn(f"{base_url}/odoo/hr.recruitment.drip.enrollment/", olivia)
        self.assertEqual(olivia.count("/odoo/hr.recruitment.drip.enrollment/"), 1)
        self.assertNotIn("Rosa", olivia)
        # Olivia has no open job: the matches section says so
        self.assertIn("No matches.", olivia)
        rita = self._html_to("rita.recruiter@example.com")
        self.assertIn("Rita&#39;s candidate answered", rita)
        self.assertIn(f"/odoo/hr.applicant/{self.talent_rita.id}", rita)
        for not_hers in ("&lt;b&gt;x", "Bob Builder", "nurture"):
            self.assertNotIn(not_hers, rita)
        self.assertIn("No drip in error.", rita)

    def test_candidate_name_is_escaped(self):
        self._run_digest()
        olivia = self._html_to("olivia.officer@example.com")
        self.assertIn("&lt;b&gt;x&lt;/b&gt;</a>", olivia)
        self.assertNotIn("<b>x</b>", olivia)

    def test_nothing_to_report_nothing_sent(self):
        self.env["hr.recruitment.touchpoint"].search([("kind", "=", "reply")]).unlink()
        self.env["hr.recruitment.drip.enrollment"].search([]).unlink()
        self.talent_bob.outreach_snoozed_until = False
        self.assertFalse(self._run_digest())
        self.assertFalse(self.smtp_server.messages)

    def test_recruiter_switches_it_off(self):
        self.user_rita.with_user(self.user_rita).write({"outreach_weekly_digest": False})
        self._run_digest()
        recipients = {rcpt for m in self.smtp_server.messages for rcpt in m["rcpt_to"]}
        self.assertEqual(recipients, {"<olivia.officer@example.com>"})

    def test_matches_for_open_roles(self):
        """The best passive talents of each open job of the recruiter are listed."""
        self.env["hr.job"].create(
            {
                "name": "Rustacean",
                "user_id": self.user_officer.id,
                "no_of_recruitment": 1,
                "job_skill_ids": [
                    Command.create(
                        {
                            "skill_id": self.skill_rust.id,
                            "skill_type_id": self.skill_rust.skill_type_id.id,
                            "skill_level_id": self.skill_level.id,
                        }
                    )
                ],
            }
        )
        rhea = self.env["hr.applicant"].create(
            {
                "partner_name": "Rhea Rust",
                "email_from": "rhea@example.com",
                "talent_pool_ids": [Command.link(self.pool.id)],
                "is_passive_candidate": True,
                "openness": "open_to_offers",
                "user_id": self.user_rita.id,
                "applicant_skill_ids": [
                    Command.create(
                        {
                            "skill_id": self.skill_rust.id,
                            "skill_type_id": self.skill_rust.skill_type_id.id,
                            "skill_level_id": self.skill_level.id,
                        }
                    )
                ],
            }
        )
        self._run_digest()
        olivia = self._html_to("olivia.officer@example.com")
        # the job's recruiter hears of it, whoever follows the talent
        self.assertIn(f'/odoo/hr.applicant/{rhea.id}">Rhea Rust</a>: Rustacean', olivia)
        self.assertNotIn("No matches.", olivia)

    def test_not_now_reply_dates_listed(self):
        """A 'not now' reply's date counts even when the talent's snooze was changed since."""
        self.env["hr.recruitment.touchpoint"].create(
            {
                "applicant_id": self.talent_rita.id,
                "direction": "inbound",
                "kind": "reply",
                "outcome": "replied",
                "date": datetime(2026, 9, 1),
                "reply_class": "not_now",
                "snoozed_until": date(2026, 12, 10),
            }
        )
        digest = self.user_rita._get_passive_digests()[self.user_rita]
        self.assertEqual([item["name"] for item in digest["not_nows"]], ["Rosa Rita's"])
        self.assertEqual(digest["not_nows"][0]["detail"], "2026-12-10")
