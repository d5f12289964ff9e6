from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import PassiveCommon

NOW = datetime(2026, 12, 2, 10, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestOutreachCleanup(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        names = (
            "Silent",
            "Replied",
            "TwoOnly",
            "Recent",
            "AutoReplied",
            "Clicked",
            "OptedOut",
            "Preference",
        )
        talents = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": name,
                    "email_from": f"{name.lower()}@example.com",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                }
                for name in names
            ]
        )
        cls.talents = dict(zip(names, talents, strict=True))
        sent = {
            "Silent": (100, 60, 20),
            "Replied": (100, 60, 20),
            "TwoOnly": (100, 60),
            "Recent": (50, 30, 10),
            "AutoReplied": (100, 60, 20),
            "Clicked": (100, 60, 20),
            "OptedOut": (100, 60, 20),
            "Preference": (100, 60, 20),
        }
        values = []
        for name, days in sent.items():
            for days_ago in days:
                values.append(
                    {
                        "applicant_id": cls.talents[name].id,
                        "channel": "email",
                        "kind": "follow_up",
                        "outcome": "clicked" if name == "Clicked" and days_ago == 60 else "sent",
                        "automated": True,
                        "date": NOW - timedelta(days=days_ago),
                    }
                )
        inbound = {
            "Replied": ("reply", False),
            "AutoReplied": ("reply", True),
            "Preference": ("preference", False),
        }
        for name, (kind, auto_reply) in inbound.items():
            values.append(
                {
                    "applicant_id": cls.talents[name].id,
                    "channel": "email",
                    "direction": "inbound",
                    "kind": kind,
                    "outcome": "replied",
                    "auto_reply": auto_reply,
                    "date": NOW - timedelta(days=10),
                }
            )
        cls.env["hr.recruitment.touchpoint"].create(values)
        cls.talents["OptedOut"].outreach_opted_out = True

    def _run_cron(self):
        cron = self.env.ref("hr_recruitment_passive.ir_cron_outreach_cleanup")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_dry_run_then_cleanup_removes_exactly_the_silent(self):
        expected = self.talents["Silent"] | self.talents["AutoReplied"]
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.outreach_cleanup_dry_run_count, 2)
        preview = settings.action_outreach_cleanup_preview()
        self.assertEqual(preview["domain"], [("id", "in", expected.ids)])
        touchpoints_before = self.env["hr.recruitment.touchpoint"].search_count([])
        self._run_cron()
        removed = self.env["hr.applicant"].search([("unresponsive_date", "!=", False)])
        self.assertEqual(removed, expected)
        self.assertEqual(set(removed.mapped("outreach_status")), {"unresponsive"})
        self.assertEqual(
            set(removed.mapped("reengage_after")), {NOW.date() + relativedelta(months=12)}
        )
        logged = self.env["hr.recruitment.touchpoint"].search(
            [("boundary_event", "=", "unresponsive")]
        )
        self.assertEqual(logged.applicant_id, expected)
        self.assertEqual(
            self.env["hr.recruitment.touchpoint"].search_count([]),
            touchpoints_before + 2,
            "nothing deleted, one touchpoint per removal",
        )
        self.assertEqual(removed.talent_pool_ids, self.pool, "pools kept by default")
        self.assertEqual(
            self.env["res.config.settings"].create({}).outreach_cleanup_dry_run_count, 0
        )
        # removal refuses automated contact until the re-engagement date
        policy = self.env["hr.recruitment.contact.policy"]
        decision = policy._check(self.talents["Silent"], "email")[self.talents["Silent"].id]
        self.assertEqual(decision[:2], ("refused", "unresponsive"))
        # a second run removes no one twice
        self._run_cron()
        self.assertEqual(
            self.env["hr.recruitment.touchpoint"].search_count([]), touchpoints_before + 2
        )

    def test_settings_move_out_of_pools_and_no_reengagement(self):
        self.company.write({"outreach_cleanup_remove_pools": True, "outreach_reengage_months": 0})
        silent = self.talents["Silent"]
        Cleanup = self.env["hr.recruitment.cleanup"]
        Cleanup._remove(Cleanup._find_unresponsive(silent))
        self.assertEqual(
            silent.talent_pool_ids,
            self.env.ref("hr_recruitment_passive.hr_talent_pool_unresponsive"),
        )
        self.assertFalse(silent.reengage_after)
        # kept out of automated outreach until a recruiter sets a re-engagement date
        policy = self.env["hr.recruitment.contact.policy"]
        self.assertEqual(policy._check(silent, "email")[silent.id][:2], ("refused", "unresponsive"))
        self.assertNotIn(silent, self.env["hr.recruitment.cleanup"]._dry_run(self.company))
        silent.reengage_after = "2026-12-01"
        self.assertNotEqual(policy._check(silent, "email")[silent.id].reason, "unresponsive")
        removal = silent.touchpoint_ids.filtered(lambda t: t.boundary_event == "unresponsive")
        self.assertIn("Passive Candidates", removal.summary)

    def test_thresholds_follow_company_settings(self):
        self.company.write({"outreach_cleanup_min_messages": 2, "outreach_cleanup_days": 30})
        removed = self.env["hr.recruitment.cleanup"]._dry_run(self.company)
        # TwoOnly (2 messages) and Recent (first of 3 unanswered 50 days ago) now qualify
        self.assertEqual(
            removed,
            self.talents["Silent"]
            | self.talents["AutoReplied"]
            | self.talents["TwoOnly"]
            | self.talents["Recent"],
        )

    def test_run_changes_exactly_each_company_dry_run(self):
        """Each company's talents are judged by its own settings, and the daily run changes
        exactly the talents the two companies' dry runs listed."""
        company_b = self.env["res.company"].create(
            {
                "name": "Cleanup B Co",
                "outreach_cleanup_min_messages": 2,
                "outreach_cleanup_days": 30,
                "outreach_cleanup_remove_pools": True,
            }
        )
        b_two, b_one = (
            self.env["hr.applicant"]
            .with_company(company_b)
            .create(
                [
                    {
                        "partner_name": name,
                        "email_from": f"{name.lower()}@example.com",
                        "talent_pool_ids": [Command.link(self.pool.id)],
                        "is_passive_candidate": True,
                        "company_id": company_b.id,
                    }
                    for name in ("BeaTwo", "BenOne")
                ]
            )
        )
        self.env["hr.recruitment.touchpoint"].create(
            [
                {
                    "applicant_id": talent.id,
                    "channel": "email",
                    "kind": "follow_up",
                    "outcome": "sent",
                    "automated": True,
                    "date": NOW - timedelta(days=days_ago),
                }
                for talent, days_ago in ((b_two, 60), (b_two, 40), (b_one, 60))
            ]
        )
        Cleanup = self.env["hr.recruitment.cleanup"]
        dry_run_a, dry_run_b = Cleanup._dry_run(self.company), Cleanup._dry_run(company_b)
        # B's thresholds (2 messages, 30 days) do not apply to A's TwoOnly and Recent
        self.assertEqual(dry_run_a, self.talents["Silent"] | self.talents["AutoReplied"])
        self.assertEqual(dry_run_b, b_two)
        Applicant = self.env["hr.applicant"].with_context(active_test=False)
        fields_read = ["unresponsive_date", "reengage_after", "outreach_status", "talent_pool_ids"]
        before = {values["id"]: values for values in Applicant.search([]).read(fields_read)}
        self._run_cron()
        after = {values["id"]: values for values in Applicant.search([]).read(fields_read)}
        changed = {key for key, values in before.items() if after[key] != values}
        self.assertEqual(changed, set((dry_run_a | dry_run_b).ids))
        unresponsive_pool = self.env.ref("hr_recruitment_passive.hr_talent_pool_unresponsive")
        self.assertEqual(b_two.talent_pool_ids, unresponsive_pool, "B moves them out of pools")
        self.assertEqual(self.talents["Silent"].talent_pool_ids, self.pool, "A keeps them")
        logged = self.env["hr.recruitment.touchpoint"].search(
            [("boundary_event", "=", "unresponsive")]
        )
        self.assertEqual(logged.applicant_id, dry_run_a | dry_run_b)
