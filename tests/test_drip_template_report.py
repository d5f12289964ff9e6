from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripTemplateReport(DripCommon):
    """Per-template performance across all drips: counts and rates from the drip touchpoints."""

    def test_template_performance_across_drips(self):
        other_drip = self.drip.copy({"name": "Second drip"})
        other_drip.step_ids[:1].variant_ids.mail_template_id = self.template_first
        self.drip.enroll(self.talent_ada | self.talent_bob)
        other_drip.allow_overlap = True
        other_drip.enroll(self.talent_cy)
        # the passive candidates kanban shows the drip each candidate runs in
        self.assertEqual(self.talent_ada.running_drip_id, self.drip)
        self.assertEqual(self.talent_cy.running_drip_id, other_drip)
        self.assertFalse(self.talent_dan.running_drip_id)
        with self.mock_mail_gateway():
            self._run_drip_cron()
        touchpoints = self.env["hr.recruitment.touchpoint"].search(
            [("drip_id", "in", (self.drip | other_drip).ids)]
        )
        self.assertEqual(len(touchpoints), 3)
        self.assertEqual(touchpoints.mail_template_id, self.template_first)
        by_talent = {t.applicant_id: t for t in touchpoints}
        by_talent[self.talent_ada].mailing_trace_id.set_opened()
        by_talent[self.talent_ada].mailing_trace_id.set_clicked()
        by_talent[self.talent_ada].mailing_trace_id.set_replied()
        by_talent[self.talent_cy].mailing_trace_id.set_opened()
        self.env.flush_all()
        Report = self.env["hr.recruitment.drip.template.report"]
        [row] = Report._read_group(
            [("mail_template_id", "=", self.template_first.id)],
            ["mail_template_id"],
            [
                "sent_count:sum",
                "opened_count:sum",
                "clicked_count:sum",
                "replied_count:sum",
                "opened_rate:avg",
                "replied_rate:avg",
            ],
        )
        self.assertEqual(row[1:5], (3, 2, 1, 1), "across both drips; a click then a reply counts")
        self.assertAlmostEqual(row[5], 200 / 3, places=4)
        self.assertAlmostEqual(row[6], 100 / 3, places=4)
        per_drip = dict(
            Report._read_group(
                [("mail_template_id", "=", self.template_first.id)], ["drip_id"], ["sent_count:sum"]
            )
        )
        self.assertEqual(per_drip, {self.drip: 2, other_drip: 1})
        # a template changed later keeps the figures of the emails sent with the old one
        self.step_1.variant_ids.mail_template_id = self.template_follow
        self.assertEqual(by_talent[self.talent_ada].mail_template_id, self.template_first)
