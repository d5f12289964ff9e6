from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripResourceStep(DripCommon):
    """A drip email step shares a library resource with a tracked link per candidate."""

    def test_resource_step_sends_own_links_and_attributes_clicks(self):
        resource = self.env["hr.recruitment.resource"].create(
            {
                "name": "Platform engineering guide",
                "url": "https://example.com/platform-guide.pdf",
                "resource_type": "research_guide",
            }
        )
        share_template = self.env.ref("hr_recruitment_passive.mail_template_share_resource")
        self.step_1.resource_id = resource
        self.assertIn("does not contain the resource link", str(self.step_1.quality_warnings))
        self.step_1.variant_ids.mail_template_id = share_template
        self.assertFalse(self.step_1.quality_warnings, "the share template passes every check")
        self.drip.enroll(self.talent_ada | self.talent_bob)
        with self.mock_mail_gateway():
            self._run_drip_cron()
        touchpoints = self._enrollments().touchpoint_ids
        self.assertEqual(len(touchpoints), 2)
        self.assertEqual(set(touchpoints.mapped("kind")), {"resource"})
        self.assertEqual(touchpoints.resource_id, resource)
        self.assertEqual(len(touchpoints.link_tracker_id), 2, "one tracked link per candidate")
        self.assertTrue(all(touchpoints.mapped("mailing_trace_id")), "still a tracked drip email")
        mails = self._drip_mails()
        self.assertEqual(len(mails), 2, "one batch send, one mail per candidate")
        ada_tp = touchpoints.filtered(lambda t: t.applicant_id == self.talent_ada)
        bob_tp = touchpoints - ada_tp
        ada_mail = mails.filtered(lambda m: m.res_id == self.talent_ada.id)
        ada_link = self.talent_ada._get_outreach_resource_link(ada_tp.link_tracker_id)
        self.assertIn(ada_link, str(ada_mail.body_html))
        self.assertNotIn(ada_tp.link_tracker_id.short_url, str(ada_mail.body_html))
        self.assertNotIn(
            self.talent_bob._get_outreach_resource_link(bob_tp.link_tracker_id),
            str(ada_mail.body_html),
        )
        self.assertIn("Olivia Officer", str(ada_mail.body_html), "signed by the drip owner")
        self.assertEqual(resource.share_count, 2)
        # Ada clicks her link: the /r/<code>/m/<trace> route of the sent email
        self.env["link.tracker.click"].sudo().add_click(
            ada_tp.link_tracker_id.code,
            ip="203.0.113.7",
            country_code="BE",
            mailing_trace_id=ada_tp.mailing_trace_id.id,
        )
        self.assertEqual(ada_tp.outcome, "clicked")
        self.assertTrue(ada_tp.clicked_date)
        self.assertTrue(ada_tp.mailing_trace_id.links_click_datetime, "the step condition sees it")
        self.assertEqual(bob_tp.outcome, "sent")
        self.env.invalidate_all()
        self.assertEqual((resource.click_count, resource.click_rate), (1, 50.0))
        self.assertEqual(self.step_1.clicked_count, 1)
