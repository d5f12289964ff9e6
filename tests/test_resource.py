from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from .common import PassiveCommon

NOW = datetime(2026, 4, 1, 9, 0, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestResource(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resource = cls.env["hr.recruitment.resource"].create(
            {
                "name": "How we scaled Platform",
                "url": "https://example.com/blog/scaling-platform",
                "resource_type": "article",
                "description": "Our move to a cell-based architecture.",
                "skill_ids": [Command.link(cls.skill_rust.id)],
            }
        )

    def _share(self, applicants, note=False):
        wizard = Form(
            self.env["hr.applicant.share.resource"]
            .with_user(self.user_officer)
            .with_context(active_model="hr.applicant", active_ids=applicants.ids)
        )
        wizard.resource_id = self.resource
        if note:
            wizard.note = note
        return wizard.save().action_share()

    def test_https_url_required(self):
        with self.assertRaisesText(ValidationError, "must be a full https:// address"):
            self.resource.url = "http://example.com/insecure"

    def test_share_logs_touchpoint_and_attributes_click(self):
        with self.mock_mail_gateway():
            self._share(self.talent_ada, note="Your Rust talk made me think of this.")
        touchpoint = self.talent_ada.touchpoint_ids.filtered(lambda t: t.kind == "resource")
        self.assertEqual(len(touchpoint), 1)
        self.assertEqual(
            (touchpoint.channel, touchpoint.outcome, touchpoint.resource_id),
            ("email", "sent", self.resource),
        )
        self.assertEqual(touchpoint.user_id, self.user_officer)
        tracker = touchpoint.link_tracker_id
        self.assertEqual(tracker.url, self.resource.url)
        mail = self._new_mails.filtered(lambda m: self.talent_ada.partner_id in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        link = self.talent_ada._get_outreach_resource_link(tracker)
        self.assertIn(link, str(mail.body_html), "the candidate's own signed link")
        self.assertNotIn(tracker.short_url, str(mail.body_html), "no guessable /r/ code")
        self.assertNotIn(self.resource.url, str(mail.body_html))
        self.assertIn("Your Rust talk", str(mail.body_html))
        self.assertIn("/recruitment/preferences/", str(mail.body_html))
        self.assertEqual(touchpoint.mail_message_id, mail.mail_message_id)
        self.assertEqual((self.resource.share_count, self.resource.click_count), (1, 0))

        with freeze_time(NOW + timedelta(minutes=20)):
            self.env["link.tracker.click"].sudo().add_click(tracker.code, ip="192.0.2.7")
        self.assertEqual(touchpoint.outcome, "clicked")
        self.assertEqual(touchpoint.clicked_date, NOW + timedelta(minutes=20))
        self.resource.invalidate_recordset()
        self.assertEqual((self.resource.share_count, self.resource.click_count), (1, 1))
        self.assertEqual(self.resource.click_rate, 100.0)
        self.assertEqual(self.talent_ada.engagement_score, 15, "a click is worth 15 points")

    def test_bulk_share_respects_contact_policy(self):
        self.talent_bob.outreach_opted_out = True
        with self.mock_mail_gateway():
            action = self._share(self.talent_ada | self.talent_bob | self.talent_cy)
        self.assertIn("Bob Builder", action["params"]["message"])
        self.assertEqual(action["params"]["type"], "warning")
        shared = self.env["hr.recruitment.touchpoint"].search(
            [("resource_id", "=", self.resource.id)]
        )
        self.assertEqual(shared.applicant_id, self.talent_ada | self.talent_cy)
        self.assertFalse(
            self._new_mails.filtered(lambda m: self.talent_bob.partner_id in m.recipient_ids)
        )
        trackers = shared.link_tracker_id
        self.assertEqual(len(trackers), 2, "one tracked link per candidate")
        self.env["link.tracker.click"].sudo().add_click(trackers[0].code, ip="192.0.2.8")
        self.resource.invalidate_recordset()
        self.assertEqual((self.resource.share_count, self.resource.click_count), (2, 1))
        self.assertEqual(self.resource.click_rate, 50.0)

    def test_single_refused_share_says_why(self):
        self.talent_ada.write({"do_not_contact": True, "do_not_contact_reason": "Asked"})
        with self.assertRaisesText(UserError, "Do Not Contact"):
            self._share(self.talent_ada)
        self.assertFalse(self.talent_ada.touchpoint_ids)

    def test_interviewer_cannot_share_or_read_resources(self):
        with self.assertRaises(AccessError):
            self.resource.with_user(self.user_interviewer).read(["name"])
        with self.assertRaises(AccessError):
            self.env["hr.applicant.share.resource"].with_user(self.user_interviewer).create(
                {"applicant_ids": self.talent_ada.ids, "resource_id": self.resource.id}
            )
