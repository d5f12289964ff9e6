from email import message_from_bytes, policy

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon
from .local_smtp import LocalSmtpMixin


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripVariants(LocalSmtpMixin, DripCommon):
    """A/B variants: split, the variant on each touchpoint, statistics per variant and step."""

    def test_ab_split_and_statistics(self):
        variant_a = self.step_1.variant_ids
        self.step_1.write(
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
        variant_b = self.step_1.variant_ids - variant_a
        self.assertTrue(variant_b.mailing_id.is_drip_mailing)
        self.assertFalse(variant_b.mailing_id.active, "hidden from the Email Marketing app")
        talents = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Talent {index}",
                    "email_from": f"talent.{index}@example.com",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                }
                for index in range(20)
            ]
        )
        self.drip.enroll(talents)
        with self.sending_over_smtp():
            self._run_drip_cron()
            self.env.flush_all()
            self.env["mail.mail"].sudo().process_email_queue()
            self.env.invalidate_all()
        touchpoints = self._enrollments().touchpoint_ids
        self.assertEqual(len(touchpoints), 20)
        by_variant = {
            v: touchpoints.filtered(lambda t, v=v: t.variant_id == v)
            for v in (variant_a, variant_b)
        }
        self.assertTrue(by_variant[variant_a] and by_variant[variant_b], "both variants went out")
        for variant, sent in by_variant.items():
            self.assertEqual(sent.mailing_trace_id.mass_mailing_id, variant.mailing_id)
        # what reached the mail server: each candidate got their variant's own template
        for touchpoint in touchpoints:
            raw = self.raw_message_to(touchpoint.applicant_id.email_from)
            subject = message_from_bytes(raw, policy=policy.default)["Subject"]
            self.assertEqual(
                subject.startswith("Re: "),
                touchpoint.variant_id == variant_b,
                f"{subject}: the follow-up template is variant B's only",
            )
        # the split is stable: the same enrollment always gets the same variant
        enrollment = touchpoints[0].enrollment_id
        picked = self.env["hr.recruitment.drip.step.variant"]._pick_for(
            enrollment, self.step_1.variant_ids
        )
        self.assertEqual(picked[touchpoints[0].variant_id], enrollment)
        # statistics: two opens and a click on variant B
        b_traces = by_variant[variant_b].mailing_trace_id
        b_traces[:2].set_opened()
        b_traces[:1].set_clicked()
        self.env.invalidate_all()
        b_sent = len(by_variant[variant_b])
        self.assertEqual(variant_b.sent_count, b_sent)
        self.assertEqual(variant_b.opened_count, 2)
        self.assertEqual(variant_b.clicked_count, 1)
        self.assertEqual(variant_b.opened_rate, round(200 / b_sent, 1))
        self.assertEqual(variant_a.opened_count, 0)
        self.assertEqual(self.step_1.sent_count, 20)
        self.assertEqual(self.step_1.opened_count, 2)
        self.assertEqual(self.drip.enrollment_count, 20)
        self.assertEqual(self.drip.sent_count, 20)
        self.assertEqual(self.drip.opened_rate, 10.0)

    def test_split_must_total_100(self):
        with self.assertRaisesText(ValidationError, "make their percentages add up to 100"):
            self.step_1.write(
                {
                    "variant_ids": [
                        Command.create(
                            {
                                "name": "B",
                                "split_percent": 30,
                                "mail_template_id": self.template_follow.id,
                            }
                        )
                    ]
                }
            )

    def test_condition_needs_previous_email(self):
        with self.assertRaisesText(ValidationError, "no email step comes before it"):
            self.step_1.condition = "opened"
