from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.hr_recruitment_passive.models.hr_recruitment_contact_policy import employer_key

from .common import PassiveCommon
from .drip_common import MONDAY, DripCommon

# a Wednesday, inside the default sending window (09:00-18:00 UTC, weekdays)
NOW = datetime(2026, 12, 2, 10, 0)


def _talent_values(pool, name, company=False, email=None):
    return {
        "partner_name": name,
        "email_from": email or f"{name.lower().replace(' ', '.')}@gmail.com",
        "talent_pool_ids": [Command.link(pool.id)],
        "is_passive_candidate": True,
        "current_company": company,
    }


@tagged("post_install", "-at_install")
class TestEmployerKey(PassiveCommon):
    def test_names_are_normalized(self):
        for name in ("Acme", "ACME  Inc.", "acme, Ltd", "Acme GmbH", "Acme S.A.", " acme sas "):
            self.assertEqual(employer_key(name), "acme", name)
        self.assertEqual(employer_key("Acme Robotics LLC"), "acme robotics")
        # a name made only of a suffix is kept, not emptied
        self.assertEqual(employer_key("SA"), "sa")

    def test_work_domain_when_no_employer(self):
        self.assertEqual(employer_key(False, "jo@Acme-Corp.test"), "@acme-corp.test")
        self.assertEqual(employer_key("Acme Inc", "jo@globex.test"), "acme")
        for free in ("gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com"):
            self.assertFalse(employer_key(False, f"jo@{free}"), free)
        for free in ("gmx.de", "web.de", "orange.fr", "free.fr"):
            self.assertFalse(employer_key(False, f"jo@{free}"), free)
        self.assertFalse(employer_key(False, False))

    def test_stored_on_the_candidate(self):
        talent = self.env["hr.applicant"].create(
            _talent_values(self.pool, "Jo Domain", email="jo@acme-corp.test")
        )
        self.assertEqual(talent.outreach_employer_key, "@acme-corp.test")
        talent.current_company = "Globex Corporation"
        self.assertEqual(talent.outreach_employer_key, "globex")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestEmployerPressure(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["hr.recruitment.contact.policy"]
        cls.company.partner_id.tz = "UTC"
        # the per-person caps stay out of the way: only the employer cap is tested
        cls.company.write({"outreach_cap_short_count": 5, "outreach_cap_long_count": 10})
        cls.acme = cls.env["hr.applicant"].create(
            [
                _talent_values(cls.pool, "Anna One", "Acme Inc"),
                _talent_values(cls.pool, "Ben Two", "ACME"),
                _talent_values(cls.pool, "Carl Three", "acme gmbh"),
                _talent_values(cls.pool, "Dora Four", "Acme S.A."),
            ]
        )
        cls.acme.partner_id.tz = False

    def _sent(self, talent, days_ago, automated=True):
        return self._touchpoint(
            talent,
            channel="email",
            kind="follow_up",
            outcome="sent",
            automated=automated,
            date=NOW - timedelta(days=days_ago),
        )

    def test_defaults_and_settings(self):
        self.assertEqual(self.company.outreach_employer_cap_count, 3)
        with Form(self.env["res.config.settings"]) as settings:
            settings.outreach_employer_cap_count = 2
            settings.outreach_excluded_employers = "Initech\n"
        self.assertEqual(self.company.outreach_employer_cap_count, 2)
        self.assertEqual(self.company.outreach_excluded_employers, "Initech\n")

    def test_fourth_in_one_batch_postponed(self):
        decisions = self.policy._check(self.acme, "email")
        states = [decisions[talent.id].state for talent in self.acme]
        self.assertEqual(states, ["allowed", "allowed", "allowed", "postponed"])
        fourth = decisions[self.acme[3].id]
        self.assertEqual(fourth.reason, "employer_cap")
        # the three allowed now leave the 7-day window in a week
        self.assertEqual(fourth.until, NOW + timedelta(days=7))
        self.assertIn("3 people at Acme S.A. already contacted this week", fourth.message)

    def test_fourth_person_waits_for_the_oldest_to_leave_the_week(self):
        self._sent(self.acme[0], 6)
        self._sent(self.acme[1], 4)
        self._sent(self.acme[2], 1)
        self._sent(self.acme[2], 8)  # older than a week: not counted
        decision = self.policy._check(self.acme[3], "email")[self.acme[3].id]
        self.assertEqual(decision[:2], ("postponed", "employer_cap"))
        self.assertEqual(decision.until, NOW + timedelta(days=1))
        self.assertIn("3 people at Acme S.A.", decision.message)
        # someone already contacted this week adds no pressure on Acme
        self.assertEqual(
            self.policy._check(self.acme[0], "email")[self.acme[0].id].state, "allowed"
        )
        # a recruiter's own message is not capped (as the per-person caps)
        self.assertEqual(
            self.policy._check(self.acme[3], "linkedin", automated=False)[self.acme[3].id].state,
            "allowed",
        )
        # an SMS is automated outreach too
        self.acme[3].partner_phone = "+32470000099"
        self.assertEqual(
            self.policy._check(self.acme[3], "sms")[self.acme[3].id].state, "postponed"
        )
        with freeze_time(NOW + timedelta(days=1, minutes=1)):
            decision = self.policy._check(self.acme[3], "email")[self.acme[3].id]
        self.assertEqual(decision.state, "allowed")

    def test_manual_and_failed_messages_not_counted(self):
        self.company.outreach_employer_cap_count = 2
        self._sent(self.acme[0], 1, automated=False)
        self._sent(self.acme[1], 1)
        self._sent(self.acme[2], 1).outcome = "bounced"
        self.assertEqual(
            self.policy._check(self.acme[3], "email")[self.acme[3].id].state, "allowed"
        )

    def test_free_mail_domains_do_not_group(self):
        Applicant = self.env["hr.applicant"]
        free = Applicant.create(
            [
                _talent_values(self.pool, f"Free {i}", email=f"free{i}@{domain}")
                for i, domain in enumerate(("gmail.com", "outlook.com", "gmail.com", "gmx.de"))
            ]
        )
        decisions = self.policy._check(free, "email")
        self.assertEqual({d.state for d in decisions.values()}, {"allowed"})
        same_domain = Applicant.create(
            [
                _talent_values(self.pool, f"Work {i}", email=f"work{i}@initech.test")
                for i in range(4)
            ]
        )
        decisions = self.policy._check(same_domain, "email")
        self.assertEqual(
            [decisions[t.id].state for t in same_domain], ["allowed"] * 3 + ["postponed"]
        )
        self.assertIn("people at initech.test", decisions[same_domain[3].id].message)

    def test_excluded_employers_refused(self):
        globex = self.env["hr.applicant"].create(
            _talent_values(self.pool, "Gus Globex", email="gus@globex.test")
        )
        self.company.outreach_excluded_employers = "acme inc.\n\n  @Globex.test  \n"
        decisions = self.policy._check(self.acme | globex, "email")
        self.assertEqual({d.state for d in decisions.values()}, {"refused"})
        self.assertEqual(decisions[self.acme[1].id].reason, "excluded_employer")
        self.assertEqual(
            decisions[self.acme[1].id].message, "ACME is a customer/partner: never approached"
        )
        self.assertEqual(
            decisions[globex.id].message, "globex.test is a customer/partner: never approached"
        )
        # never approached, not even by a recruiter's own task
        self.assertEqual(
            self.policy._check(globex, "linkedin", automated=False)[globex.id].state, "refused"
        )
        # others are untouched; an application is judged by its talent's employer
        self.assertEqual(
            self.policy._check(self.talent_ada, "email")[self.talent_ada.id].state, "allowed"
        )
        application = self.env["hr.applicant"].create(
            {"partner_name": "Anna One", "email_from": "anna@x.test", "job_id": self.job.id}
        )
        application.pool_applicant_id = self.acme[0]
        self.assertEqual(
            self.policy._check(application, "email")[application.id].reason, "excluded_employer"
        )

    def test_cap_zero_means_no_limit(self):
        self.company.outreach_employer_cap_count = 0
        decisions = self.policy._check(self.acme, "email")
        self.assertEqual({d.state for d in decisions.values()}, {"allowed"})

    def test_each_company_counts_and_excludes_for_itself(self):
        company_b = self.env["res.company"].create({"name": "Employer B Co"})
        company_b.partner_id.tz = "UTC"
        acme_b = (
            self.env["hr.applicant"]
            .with_company(company_b)
            .create(
                [
                    {**_talent_values(self.pool, f"Acme B {i}", "Acme"), "company_id": company_b.id}
                    for i in range(4)
                ]
            )
        )
        acme_b.partner_id.tz = False
        for talent in acme_b[:3]:
            self._sent(talent, 1)
        decisions = self.policy._check(self.acme[0] | acme_b[3], "email")
        # B's three Acme people this week put no pressure on A's; B's fourth waits
        self.assertEqual(decisions[self.acme[0].id].state, "allowed")
        self.assertEqual(decisions[acme_b[3].id][:2], ("postponed", "employer_cap"))
        # B's customers are B's: A still approaches Acme
        company_b.outreach_excluded_employers = "Acme"
        decisions = self.policy._check(self.acme[0] | acme_b[3], "email")
        self.assertEqual(decisions[self.acme[0].id].state, "allowed")
        self.assertEqual(decisions[acme_b[3].id][:2], ("refused", "excluded_employer"))


@tagged("post_install", "-at_install")
class TestEmployerPressureDrip(DripCommon):
    @freeze_time(MONDAY)
    def test_fourth_email_waits_a_week_then_goes(self):
        acme = self.env["hr.applicant"].create(
            [
                _talent_values(self.pool, f"Acme Person {i}", "Acme Ltd", f"p{i}@mailbox.test")
                for i in range(4)
            ]
        )
        acme.partner_id.tz = "UTC"
        # one email step: the follow-ups of the first three would count against Acme too
        (self.step_2 | self.step_3).unlink()
        # Acme people share no domain: their employer is their only common point
        acme[3].email_from = "p3@other-mailbox.test"
        enrolled = self.drip.enroll(acme)["enrollments"]
        self.assertEqual(len(enrolled), 4)
        with self.mock_mail_gateway():
            self._run_drip_cron()
        mails = self._drip_mails(self.step_1)
        self.assertEqual(len(mails), 3)
        waiting = enrolled.filtered(lambda e: e.applicant_id.id not in mails.mapped("res_id"))
        self.assertEqual(len(waiting), 1)
        self.assertEqual(waiting.state, "running")
        self.assertEqual(waiting.step_id, self.step_1)
        self.assertEqual(waiting.next_run_at, datetime(2026, 3, 9, 10, 0))
        self.assertIn("3 people at Acme Ltd already contacted this week", waiting.status_note)
        with freeze_time("2026-03-09 10:05:00"), self.mock_mail_gateway():
            self._run_drip_cron()
            mails = self._drip_mails(self.step_1)
        self.assertEqual(len(mails), 4)
        self.assertIn(waiting.applicant_id.id, mails.mapped("res_id"))
        self.assertEqual(waiting.state, "done")

    @freeze_time(MONDAY)
    def test_excluded_employer_not_enrolled(self):
        self.company.outreach_excluded_employers = "Analytical Engines"
        result = self.drip.enroll(self.talents)
        self.assertEqual(result["enrollments"].applicant_id, self.talent_bob | self.talent_cy)
        self.assertEqual(
            result["skipped"][self.talent_ada.id],
            ("excluded_employer", "Analytical Engines is a customer/partner: never approached"),
        )
