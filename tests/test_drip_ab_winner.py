from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripAbWinner(DripCommon):
    """A step's variants are compared on real drip touchpoints and traces; a clear winner is
    suggested, and applied when the owner allows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.outreach_sender_daily_cap = 0  # 260 first emails from one owner in one run
        cls.variant_a = cls.step_1.variant_ids
        cls.step_1.write(
            {
                "variant_ids": [
                    Command.update(cls.variant_a.id, {"split_percent": 50}),
                    Command.create(
                        {
                            "name": "B",
                            "split_percent": 50,
                            "mail_template_id": cls.template_follow.id,
                        }
                    ),
                ]
            }
        )
        cls.variant_b = cls.step_1.variant_ids - cls.variant_a
        cls.crowd = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Talent {index}",
                    "email_from": f"ab.talent.{index}@example.com",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                }
                for index in range(260)
            ]
        )

    def _send_first_step(self):
        self.drip.enroll(self.crowd)
        with self.mock_mail_gateway():
            self._run_drip_cron()
        touchpoints = self._enrollments().touchpoint_ids
        by_variant = {
            variant: touchpoints.filtered(lambda t, v=variant: t.variant_id == v)
            for variant in (self.variant_a, self.variant_b)
        }
        for variant, sent in by_variant.items():
            self.assertGreaterEqual(len(sent), 100, f"{variant.name}: enough candidates")
        return by_variant

    def test_clear_winner_is_suggested_then_applied(self):
        by_variant = self._send_first_step()
        by_variant[self.variant_a][:30].mailing_trace_id.set_replied()
        by_variant[self.variant_b][:4].mailing_trace_id.set_replied()
        self.env.invalidate_all()
        step = self.step_1
        self.assertEqual(step.ab_metric, "replied", "reply rate by default")
        self.assertEqual(step.ab_winner_id, self.variant_a)
        self.assertLess(step.ab_p_value, 0.001)
        self.assertIn("A wins", step.ab_verdict)
        result = str(step.ab_result)
        self.assertIn(f'<td class="text-end">{len(by_variant[self.variant_a])}</td>', result)
        self.assertIn("p = ", result)
        self.assertTrue(step.ab_winner_to_apply)
        self.assertEqual(self.drip.ab_winner_step_ids, step, "the drip suggests it")
        # the owner did not allow automatic application: the daily job leaves the split alone
        self.env["hr.recruitment.drip"]._cron_apply_ab_winners()
        self.assertEqual(self.variant_a.split_percent, 50)
        self.drip.ab_auto_apply = True
        self.env["hr.recruitment.drip"]._cron_apply_ab_winners()
        self.assertEqual((self.variant_a.split_percent, self.variant_b.split_percent), (100, 0))
        self.assertFalse(step.ab_winner_to_apply)
        self.assertIn(
            "variant 'A' won its A/B test", self.drip.message_ids[:1].preview, "logged in chatter"
        )
        # new candidates all get the winner
        newcomer = self.env["hr.applicant"].create(
            {"partner_name": "Late", "email_from": "late@example.com", "is_passive_candidate": True}
        )
        enrollment = self.drip.enroll(newcomer)["enrollments"]
        with self.mock_mail_gateway():
            self._run_drip_cron()
        sent = enrollment.touchpoint_ids
        self.assertEqual(sent.variant_id, self.variant_a)
        self.assertEqual(sent.mail_template_id, self.variant_a.mail_template_id)
        self.assertEqual(
            self._drip_mails(step).filtered(lambda m: m.res_id == newcomer.id).mailing_id,
            self.variant_a.mailing_id,
        )

    def test_no_verdict_without_enough_evidence(self):
        by_variant = self._send_first_step()
        by_variant[self.variant_a][:7].mailing_trace_id.set_replied()
        by_variant[self.variant_b][:5].mailing_trace_id.set_replied()
        # clicks of B: a click, then a reply, still counts as a click
        by_variant[self.variant_b][:20].mailing_trace_id.set_clicked()
        self.env.invalidate_all()
        step = self.step_1
        self.assertFalse(step.ab_winner_id)
        self.assertIn("No significant difference", step.ab_verdict)
        self.assertGreater(step.ab_p_value, 0.05)
        with self.assertRaisesText(UserError, "no A/B winner to apply"):
            step.action_apply_ab_winner()
        self.drip.ab_auto_apply = True
        self.env["hr.recruitment.drip"]._cron_apply_ab_winners()
        self.assertEqual(self.variant_a.split_percent, 50)
        # another metric gives another verdict: B's 20 clicks against none
        step.ab_metric = "clicked"
        self.assertEqual(step.ab_winner_id, self.variant_b)
