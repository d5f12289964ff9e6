from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .drip_common import DripCommon

NOW = datetime(2026, 3, 2, 10, 0)
# queries a cron may spend on top of a constant cost per batch when it handles ten times more
# candidates in one batch (ORM prefetch of a few lazy fields, ir.cron bookkeeping)
QUERY_SLACK = 5


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCronQueries(DripCommon):
    """Each daily cron costs the same number of queries for N and 10 N candidates in one batch:
    writes grouped by identical values, touchpoints, activities and chatter notes created in
    bulk (the drip scales to 100,000 talents)."""

    def _talents(self, count, tag, **values):
        return self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Cron {tag} {index}",
                    "email_from": f"cron.{tag}.{index}@example.com",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "is_passive_candidate": True,
                    "user_id": self.user_officer.id,
                    **values,
                }
                for index in range(count)
            ]
        )

    def _run_cron(self, xmlid):
        cron = self.env.ref(f"hr_recruitment_passive.{xmlid}")
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        queries = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        return queries

    def _assert_flat(self, counts, label):
        small, large = counts
        self.assertLessEqual(
            large - small, QUERY_SLACK, f"{label}: {small} queries for N, {large} for 10 N"
        )

    # --- cleanup -----------------------------------------------------------------------------

    def _unresponsive_talents(self, count, tag):
        talents = self._talents(count, tag)
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
                for talent in talents
                for days_ago in (100, 60, 20)
            ]
        )
        return talents

    def test_cleanup_queries_flat(self):
        self.company.outreach_cleanup_remove_pools = True
        unresponsive_pool = self.env.ref("hr_recruitment_passive.hr_talent_pool_unresponsive")
        self.drip.enroll(self._unresponsive_talents(3, "warmup"))
        self._run_cron("ir_cron_outreach_cleanup")
        counts = []
        for count in (5, 50):
            talents = self._unresponsive_talents(count, f"cleanup{count}")
            enrollments = self.drip.enroll(talents)["enrollments"]
            counts.append(self._run_cron("ir_cron_outreach_cleanup"))
            self.assertEqual(set(talents.mapped("outreach_status")), {"unresponsive"})
            self.assertEqual(talents.talent_pool_ids, unresponsive_pool)
            self.assertEqual(set(enrollments.mapped("stop_reason")), {"unresponsive"})
            removals = talents.touchpoint_ids.filtered(lambda t: t.boundary_event == "unresponsive")
            self.assertEqual(removals.applicant_id, talents, "one removal touchpoint each")
            for summary in removals.mapped("summary"):
                self.assertIn(f"Moved out of talent pools: {self.pool.name}", summary)
            notes = self.env["mail.message"].search(
                [
                    ("model", "=", "hr.applicant"),
                    ("res_id", "in", talents.ids),
                    ("body", "like", "Removed from outreach"),
                ]
            )
            self.assertEqual(sorted(notes.mapped("res_id")), talents.ids, "one chatter note each")
        self._assert_flat(counts, "cleanup")

    # --- engagement recompute ----------------------------------------------------------------

    def test_engagement_recompute_queries_flat(self):
        counts = []
        for count in (5, 50):
            talents = self._talents(count, f"engagement{count}")
            replies = self.env["hr.recruitment.touchpoint"].create(
                [
                    {
                        "applicant_id": talent.id,
                        "channel": "email",
                        "direction": "inbound",
                        "kind": "reply",
                        "outcome": "replied",
                        "date": NOW - timedelta(days=1),
                    }
                    for talent in talents
                ]
            )
            self.assertEqual(set(talents.mapped("engagement_score")), {39})
            with freeze_time(NOW + timedelta(days=30)):
                counts.append(self._run_cron("ir_cron_recompute_engagement"))
                # a month later the reply is worth half: the stored score decayed
                self.assertEqual(set(talents.mapped("engagement_score")), {20})
            replies.unlink()
        self._assert_flat(counts, "engagement recompute")

    # --- occasions ---------------------------------------------------------------------------

    def test_occasion_queries_flat(self):
        self.company.outreach_occasion_auto_email = True
        started = (NOW - timedelta(days=3 * 365 + 1)).date()  # 2 March 2023: three years today
        self.assertEqual((started.month, started.day), (NOW.month, NOW.day))
        with self.mock_mail_gateway():
            self._talents(2, "occasion-warmup", current_role_start_date=started)
            self._run_cron("ir_cron_occasion_messages")
            counts = []
            for count in (5, 50):
                emailed = self._talents(count, f"mail{count}", current_role_start_date=started)
                linkedin = self._talents(
                    count,
                    f"linkedin{count}",
                    current_role_start_date=started,
                    preferred_channel="linkedin",
                )
                counts.append(self._run_cron("ir_cron_occasion_messages"))
                touchpoints = (emailed | linkedin).touchpoint_ids
                self.assertEqual(len(touchpoints), 2 * count)
                self.assertEqual(set(emailed.touchpoint_ids.mapped("outcome")), {"sent"})
                self.assertTrue(all(emailed.touchpoint_ids.mapped("mail_message_id")))
                activities = linkedin.activity_ids
                self.assertEqual(activities.mapped("res_id"), linkedin.ids)
                self.assertEqual(touchpoints.activity_id, activities)
                self.assertEqual(set(activities.mapped("user_id")), {self.user_officer})
                digest = self.env["mail.message"].search(
                    [
                        ("partner_ids", "in", self.user_officer.partner_id.ids),
                        ("subject", "like", f"{count} congratulations to prepare"),
                    ]
                )
                self.assertEqual(len(digest), 1, "one notification for the recruiter's batch")
                self.assertIn(linkedin[-1].partner_name, digest.body)
        self._assert_flat(counts, "occasions")

    # --- A/B winners -------------------------------------------------------------------------

    def _drips_with_winner(self, count, tag):
        """`count` copies of the drip whose first step has a clear A/B winner (variant A)."""
        talents = self._talents(count, f"ab{tag}")
        drips = self.env["hr.recruitment.drip"]
        values = []
        for index in range(count):
            drip = self.drip.copy({"name": f"AB {tag} {index}", "ab_auto_apply": True})
            step = drip.step_ids[:1]
            variant_a = step.variant_ids
            step.write(
                {
                    "variant_ids": [
                        Command.update(variant_a.id, {"split_percent": 50}),
                        Command.create(
                            {
                                "name": "B",
                                "split_percent": 50,
                                "mail_template_id": self.template_follow.id,
                            }
                        ),
                    ]
                }
            )
            enrollment = drip.enroll(talents[index])["enrollments"]
            for variant, replies in ((variant_a, 40), (step.variant_ids - variant_a, 4)):
                values += [
                    {
                        "applicant_id": talents[index].id,
                        "enrollment_id": enrollment.id,
                        "step_id": step.id,
                        "variant_id": variant.id,
                        "channel": "email",
                        "automated": True,
                        "outcome": "replied" if sent < replies else "sent",
                        "date": NOW - timedelta(days=10),
                    }
                    for sent in range(120)
                ]
            drips |= drip
        self.env["hr.recruitment.touchpoint"].create(values)
        return drips

    def test_ab_winner_queries_flat(self):
        self._drips_with_winner(1, "warmup")
        self.env["hr.recruitment.drip"]._cron_apply_ab_winners()
        counts = []
        for count in (1, 5):
            drips = self._drips_with_winner(count, str(count))
            counts.append(self._run_cron("ir_cron_drip_apply_ab_winners"))
            for drip in drips:
                split = drip.step_ids[:1].variant_ids.mapped(lambda v: (v.name, v.split_percent))
                self.assertEqual(sorted(split), [("A", 100.0), ("B", 0.0)])
                self.assertIn("variant 'A' won its A/B test", drip.message_ids[:1].preview)
        self._assert_flat(counts, "A/B winners")
