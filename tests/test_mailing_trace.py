from odoo.tests import freeze_time, tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-03 10:00:00")
class TestMailingTouchpoints(PassiveCommon):
    """An Email Marketing mailing to passive candidates is logged, counted and tracked."""

    def _send_mailing(self, applicants):
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Our engineering newsletter",
                "body_html": "<p>Hello <t t-out='object.partner_name'/></p>",
                "mailing_model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "mailing_domain": repr([("id", "in", applicants.ids)]),
                "reply_to_mode": "update",
            }
        )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        return mailing

    def test_mailing_logs_automated_touchpoints_of_passive_candidates(self):
        everyone = self.talent_ada | self.talent_bob | self.talent_cy
        mailing = self._send_mailing(everyone)
        touchpoints = self.env["hr.recruitment.touchpoint"].search(
            [("mailing_trace_id", "in", mailing.mailing_trace_ids.ids)]
        )
        self.assertEqual(touchpoints.applicant_id, self.talent_ada | self.talent_bob)
        self.assertRecordValues(
            touchpoints[:1],
            [
                {
                    "channel": "email",
                    "direction": "outbound",
                    "outcome": "sent",
                    "automated": True,
                    "summary": "Our engineering newsletter",
                }
            ],
        )
        self.assertFalse(self.talent_cy.touchpoint_ids, "Cy is not a passive candidate")
        # the mailing counts toward the caps (default: 1 automated message per 7 days)
        decision = self.env["hr.recruitment.contact.policy"]._check(self.talent_ada, "email")[
            self.talent_ada.id
        ]
        self.assertEqual((decision.state, decision.reason), ("postponed", "cap"))

    def test_mailing_opens_and_bounces_reach_the_touchpoint(self):
        mailing = self._send_mailing(self.talent_ada | self.talent_bob)
        traces = mailing.mailing_trace_ids
        trace_ada = traces.filtered(lambda t: t.res_id == self.talent_ada.id)
        trace_bob = traces.filtered(lambda t: t.res_id == self.talent_bob.id)
        trace_ada.set_opened()
        touchpoint_ada = self.talent_ada.touchpoint_ids
        self.assertEqual(touchpoint_ada.outcome, "opened")
        self.assertTrue(touchpoint_ada.opened_date)
        self.assertGreater(self.talent_ada.engagement_score, 0)
        trace_bob.set_bounced()
        self.assertEqual(self.talent_bob.touchpoint_ids.outcome, "bounced")
