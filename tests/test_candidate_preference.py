import email
import email.policy
import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.hr_recruitment_passive.tools.outreach_token import to_base36

from .common import PassiveCommon
from .local_smtp import LocalSmtpMixin


@tagged("post_install", "-at_install")
class TestPreferenceCenter(LocalSmtpMixin, PassiveCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["hr.recruitment.contact.policy"]
        cls.company.name = "Acme Talent"
        (cls.talent_ada | cls.talent_bob).partner_id.tz = False

    def _path(self, talent, kind="preferences", token=None):
        purpose = "preference" if kind == "preferences" else "unsubscribe"
        return f"/recruitment/{kind}/{token or talent._get_outreach_token(purpose)}"

    def _csrf(self, response):
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the page carries a CSRF token in its forms")
        return match.group(1)

    def _post(self, talent, token=None, **data):
        page = self.url_open(self._path(talent))
        response = self.url_open(
            self._path(talent, token=token), data={"csrf_token": self._csrf(page), **data}
        )
        self.env.invalidate_all()
        return response

    def _preferences(self, talent):
        return talent.touchpoint_ids.filtered(lambda t: t.kind == "preference")

    def test_page_branded_in_candidate_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.talent_ada.partner_id.lang = "fr_FR"
        response = self.url_open(self.talent_ada._get_outreach_preference_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn('lang="fr-FR"', response.text)
        self.assertIn("Acme Talent", response.text)
        self.assertTrue(self.company.uses_default_logo)
        self.assertNotIn("<img", response.text, "no 'Your logo' placeholder")
        self.assertIn("Ada Lovelace", response.text)
        self.assertFalse(self._preferences(self.talent_ada), "viewing the page changes nothing")

    def test_snooze_three_months(self):
        today = fields.Date.context_today(self.talent_ada)
        until = today + relativedelta(months=3)
        response = self._post(self.talent_ada, action="snooze", snooze_preset=str(until))
        self.assertEqual(response.status_code, 200)
        self.assertIn("not contact you before", response.text)
        self.assertEqual(self.talent_ada.outreach_snoozed_until, until)
        logged = self._preferences(self.talent_ada)
        self.assertEqual(len(logged), 1)
        self.assertEqual(
            (logged.direction, logged.boundary_event, logged.declined), ("inbound", "snooze", True)
        )
        # nothing from any channel during the snooze, contact possible again after it
        for channel in ("email", "sms", "linkedin", "phone"):
            decision = self.policy._check(self.talent_ada, channel)[self.talent_ada.id]
            self.assertEqual(decision[:2], ("postponed", "snoozed"), channel)
        self.assertGreaterEqual(decision.until.date(), until)
        later = fields.Datetime.now() + relativedelta(months=3, days=1)
        self.assertNotEqual(
            self.policy._check(self.talent_ada, "phone", at=later)[self.talent_ada.id].reason,
            "snoozed",
        )
        self.assertIn(logged, self.talent_ada.consent_touchpoint_ids, "history on the form")

    def test_channel_frequency_openness(self):
        self._post(self.talent_ada, action="channel", channel="linkedin")
        self.assertEqual(self.talent_ada.preferred_channel, "linkedin")
        self.assertTrue(self.talent_ada.preferred_channel_confirmed)
        self._post(self.talent_ada, action="frequency")
        self.assertEqual(self.talent_ada.outreach_frequency, "reduced")
        self._post(self.talent_ada, action="openness", openness="not_open", timing="later")
        self.assertEqual(
            (self.talent_ada.openness, self.talent_ada.desired_timing), ("not_open", "later")
        )
        events = self._preferences(self.talent_ada).mapped("boundary_event")
        self.assertEqual(sorted(events), ["channel", "frequency", "openness"])
        self.assertEqual(self.talent_ada.outreach_status, "engaged", "a preference is a response")

    def test_stop_all_contact(self):
        response = self._post(self.talent_ada, action="stop")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.talent_ada.outreach_opted_out)
        self.assertEqual(self.talent_ada.outreach_status, "opted_out")
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", "ada@example.com")]))
        self.assertTrue(self.env["phone.blacklist"].search([("number", "=", "+32470000001")]))
        self.assertEqual(self._preferences(self.talent_ada).boundary_event, "opt_out")
        for channel in ("email", "sms", "linkedin", "phone"):
            decision = self.policy._check(self.talent_ada, channel, automated=False)
            self.assertEqual(decision[self.talent_ada.id][:2], ("refused", "opted_out"))

    def test_bad_input_changes_nothing(self):
        yesterday = fields.Date.context_today(self.talent_ada) - timedelta(days=1)
        for data in (
            {"action": "snooze", "snooze_until": "next spring"},
            {"action": "snooze", "snooze_until": str(yesterday)},
            {"action": "channel", "channel": "pigeon"},
            {"action": "openness", "openness": "maybe"},
            {"action": "delete_everything"},
        ):
            response = self._post(self.talent_ada, **data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn("alert-danger", response.text)
        self.assertFalse(self.talent_ada.outreach_snoozed_until)
        self.assertEqual(self.talent_ada.preferred_channel, "email")
        self.assertFalse(self._preferences(self.talent_ada))

    def test_csrf_required(self):
        response = self.url_open(self._path(self.talent_ada), data={"action": "stop"})
        self.env.invalidate_all()
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(self.talent_ada.outreach_opted_out)

    def test_forged_stale_and_garbled_tokens(self):
        token = self.talent_ada._get_outreach_token("preference")
        forged = f"{to_base36(self.talent_bob.id)}.{token.partition('.')[2]}"
        unknown = f"zzzzz.{token.partition('.')[2]}"
        stale_talent_token = self.talent_bob._get_outreach_token("preference")
        self.talent_bob.email_from = "bob.new@example.com"
        for bad in (forged, unknown, stale_talent_token, "garbled", token[:-3]):
            for kind in ("preferences", "unsubscribe"):
                response = self.url_open(f"/recruitment/{kind}/{bad}")
                self.assertEqual(response.status_code, 404, (kind, bad))
                self.assertIn("This link is not valid any more", response.text)
                self.assertNotIn("Bob", response.text)
            response = self._post(self.talent_ada, token=bad, action="stop")
            self.assertEqual(response.status_code, 404)
            response = self.url_open(
                f"/recruitment/unsubscribe/{bad}", data={"List-Unsubscribe": "One-Click"}
            )
            self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse((self.talent_ada | self.talent_bob).filtered("outreach_opted_out"))
        self.assertFalse(self.env["mail.blacklist"].search([("email", "like", "bob")]))

    def test_one_click_unsubscribe(self):
        path = self._path(self.talent_ada, "unsubscribe")
        self.assertEqual(
            self.talent_ada._get_outreach_mail_headers(),
            {
                "List-Unsubscribe": f"<{self.talent_ada._get_outreach_unsubscribe_url()}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Unsubscribe", page.text)
        self.env.invalidate_all()
        self.assertFalse(self.talent_ada.outreach_opted_out, "GET only asks to confirm")
        # a mail client posts without any session or CSRF token (RFC 8058)
        response = self.url_open(
            path, data={"List-Unsubscribe": "One-Click"}, cookies={"session_id": ""}
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(self.talent_ada.outreach_opted_out)
        self.assertTrue(self.talent_ada.is_blacklisted)
        self.assertEqual(self._preferences(self.talent_ada).boundary_event, "opt_out")

    def test_headers_reach_the_sent_email(self):
        message = self.talent_ada.with_user(self.user_officer).message_post(
            body="Hello",
            partner_ids=self.talent_ada.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            mail_headers=self.talent_ada.sudo()._get_outreach_mail_headers(),
        )
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        with self.sending_over_smtp():
            mails.send()
        # what left over SMTP, not what we meant to send
        sent = email.message_from_bytes(
            self.raw_message_to("ada@example.com"), policy=email.policy.default
        )
        self.assertEqual(
            sent["List-Unsubscribe"], f"<{self.talent_ada._get_outreach_unsubscribe_url()}>"
        )
        self.assertEqual(sent["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

    def test_email_marketing_unsubscribe_opts_out(self):
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "News",
                "body_html": "<p>Hi</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "mailing_domain": repr([("id", "=", self.talent_bob.id)]),
            }
        )
        email = self.talent_bob.email_normalized
        token = mailing._generate_mailing_recipient_token(self.talent_bob.id, email)
        response = self.url_open(
            f"/mailing/{mailing.id}/unsubscribe",
            params={"document_id": self.talent_bob.id, "email": email, "hash_token": token},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(self.talent_bob.outreach_opted_out)
        self.assertEqual(self._preferences(self.talent_bob).boundary_event, "opt_out")

    def test_short_link_for_sms(self):
        short_url = self.talent_ada._get_outreach_preference_short_url()
        self.assertIn("/recruitment/s/", short_url)
        self.assertLess(len(short_url), len(self.talent_ada._get_outreach_preference_url()))
        response = self.url_open(short_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ada Lovelace", response.text)
