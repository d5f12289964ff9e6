import re
from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged
from odoo.tools import hmac

from odoo.addons.hr_recruitment_passive.models.hr_recruitment_resource import (
    RESOURCE_LINK_LABEL_PREFIX,
)
from odoo.addons.hr_recruitment_passive.tools.outreach_token import LEGACY_LINKS_PARAM

from .drip_common import MONDAY
from .test_contact_policy_drip import BoundariesDripCommon

INVALID = "This link is not valid any more"
ROUTES = {
    "preference": "preferences",
    "unsubscribe": "unsubscribe",
    "sms": "s",
    "resource": "resource",
}
EVIL_NAME = '<a href="http://evil">x</a><img src=http://evil/p.png>'
# a candidate link with its token, in any text (the redacted form ends with "…")
TOKEN_LINK_RE = re.compile(r"/recruitment/(?:preferences|unsubscribe|resource|s)/[A-Za-z0-9]")


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestTokens(BoundariesDripCommon):
    """Candidate links: one signed token per purpose, with a lifetime, bound to the address the
    link was sent to, never readable by employees; old links for a transition period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tracker = cls.resource._get_tracked_links([f"{RESOURCE_LINK_LABEL_PREFIX}test"])
        cls.share = cls.env["hr.recruitment.touchpoint"].create(
            {
                "applicant_id": cls.talent_ada.id,
                "channel": "email",
                "direction": "outbound",
                "kind": "resource",
                "outcome": "sent",
                "resource_id": cls.resource.id,
                "link_tracker_id": cls.tracker.id,
            }
        )

    def _links(self, talent):
        return {
            "preference": talent._get_outreach_preference_url(),
            "unsubscribe": talent._get_outreach_unsubscribe_url(),
            "sms": talent._get_outreach_preference_short_url(),
            "resource": talent._get_outreach_resource_link(self.tracker),
        }

    def _get(self, path):
        return self.url_open(path, allow_redirects=False)

    def _assert_invalid(self, response, what):
        self.assertEqual(response.status_code, 404, what)
        self.assertIn(INVALID, response.text, what)

    def _assert_opens(self, purpose, response):
        expected = {"preference": 200, "unsubscribe": 200, "sms": 303, "resource": 302}
        self.assertEqual(response.status_code, expected[purpose], purpose)
        if purpose == "sms":
            self.assertIn("/recruitment/preferences/", response.headers["Location"])
        if purpose == "resource":
            self.assertTrue(response.headers["Location"].startswith(self.resource.url))

    def _legacy_token(self, talent):
        """A token as the links sent before signed single-purpose tokens carried it."""
        payload = f"{talent.id}:{talent.email_normalized or ''}"
        return f"{talent.id}-{hmac(self.env(su=True), 'hr_recruitment_passive-outreach', payload)}"

    def _old_sms_link(self, legacy_token):
        """Before signed links, an SMS carried a link.tracker to the preference page."""
        url = f"{self.talent_ada.get_base_url()}/recruitment/preferences/{legacy_token}"
        return self.env["link.tracker"].sudo().search_or_create([{"url": url}])

    def _csrf(self):
        page = self.url_open(self.talent_bob._get_outreach_preference_url())
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_each_purpose_opens_only_its_own_route(self):
        links = self._links(self.talent_ada)
        tokens = {purpose: url.rsplit("/", 1)[1] for purpose, url in links.items()}
        self.assertEqual(len(set(tokens.values())), 4, "four distinct tokens")
        for purpose, token in tokens.items():
            for other, route in ROUTES.items():
                response = self._get(f"/recruitment/{route}/{token}")
                if other == purpose:
                    self._assert_opens(purpose, response)
                else:
                    self._assert_invalid(response, f"{purpose} token on the {other} route")
            if purpose != "unsubscribe":
                response = self.url_open(
                    f"/recruitment/unsubscribe/{token}",
                    data={"List-Unsubscribe": "One-Click"},
                    cookies={"session_id": ""},
                )
                self._assert_invalid(response, f"one-click unsubscribe with a {purpose} token")
        self.env.invalidate_all()
        self.assertFalse(self.talent_ada.outreach_opted_out)

    def test_tokens_expire_after_their_lifetime(self):
        links = self._links(self.talent_ada)
        now = datetime.fromisoformat(MONDAY)
        for purpose, days in (("sms", 180), ("preference", 365), ("resource", 365)):
            with freeze_time(now + timedelta(days=days)):
                self._assert_opens(purpose, self._get(links[purpose]))
            with freeze_time(now + timedelta(days=days + 1)):
                self._assert_invalid(self._get(links[purpose]), f"{purpose} after {days} days")
        # RFC 8058: the unsubscribe link of an old email still works a year later
        with freeze_time(now + timedelta(days=730)):
            self._assert_opens("unsubscribe", self._get(links["unsubscribe"]))
        with freeze_time(now + timedelta(days=731)):
            self._assert_invalid(self._get(links["unsubscribe"]), "unsubscribe after 2 years")

    def test_tokens_bound_to_the_address(self):
        ada_links = self._links(self.talent_ada)
        self.talent_ada.email_from = "ada.new@example.com"
        for purpose, url in ada_links.items():
            self._assert_invalid(self._get(url), f"{purpose} link after an email change")
        # reached by SMS only: bound to the phone
        eve_url = self.talent_eve._get_outreach_preference_short_url()
        self.assertEqual(self.url_open(eve_url).status_code, 200)
        self.talent_eve.partner_phone = "+32470000099"
        self._assert_invalid(self._get(eve_url), "SMS link after a phone change")
        # no address at all: no link, and no token of the old format either
        self.talent_eve.partner_phone = False
        self.assertEqual(self.talent_eve._get_outreach_preference_url(), "")
        self.assertFalse(self.talent_eve._get_outreach_token("preference"))
        legacy = self._legacy_token(self.talent_eve)
        self._assert_invalid(self._get(f"/recruitment/preferences/{legacy}"), "no email")

    def test_old_links_work_during_the_transition_only(self):
        self.env["ir.config_parameter"].sudo().set_param(LEGACY_LINKS_PARAM, "2026-05-31")
        legacy = self._legacy_token(self.talent_ada)
        old_sms = self._old_sms_link(legacy)
        old_resource = self.tracker.short_url
        old_drip_resource = f"{old_resource}/m/999999"  # in a drip email: /r/<code>/m/<trace>
        with freeze_time("2026-05-31 20:00:00"):
            page = self._get(f"/recruitment/preferences/{legacy}")
            self.assertEqual(page.status_code, 200)
            self.assertIn("Ada Lovelace", page.text)
            self.assertEqual(self._get(f"/recruitment/unsubscribe/{legacy}").status_code, 200)
            followed = self.url_open(old_sms.short_url)
            self.assertEqual(followed.status_code, 200)
            self.assertIn("Ada Lovelace", followed.text)
            self.assertEqual(self._get(old_resource).status_code, 301)
            self.assertEqual(self._get(old_drip_resource).status_code, 301)
            for route in ("s", "resource"):
                self._assert_invalid(self._get(f"/recruitment/{route}/{legacy}"), route)
        with freeze_time("2026-06-01 08:00:00"):
            for url in (
                f"/recruitment/preferences/{legacy}",
                f"/recruitment/unsubscribe/{legacy}",
                old_resource,
                old_drip_resource,
            ):
                self._assert_invalid(self._get(url), f"{url} after the transition")
            self._assert_invalid(self.url_open(old_sms.short_url), "old SMS link")
            response = self.url_open(
                f"/recruitment/unsubscribe/{legacy}",
                data={"List-Unsubscribe": "One-Click"},
                cookies={"session_id": ""},
            )
            self._assert_invalid(response, "old one-click unsubscribe")
        # a database installed with signed links never had old ones
        self.env["ir.config_parameter"].sudo().set_param(LEGACY_LINKS_PARAM, False)
        self._assert_invalid(self._get(f"/recruitment/preferences/{legacy}"), "no transition")
        self.env.invalidate_all()
        self.assertFalse(self.talent_ada.outreach_opted_out)

    def test_malformed_tokens_get_the_invalid_page_on_every_route(self):
        ada = self.talent_ada
        valid = ada._get_outreach_token("preference")
        bad_tokens = [
            "é-abc",
            f"{ada.id}-é",
            f"{ada.id}-{'é' * 64}",
            f"{ada.id}.é.{valid.rsplit('.', 1)[1]}",
            "%00",
            f"{ada.id}-%00",
            "😀",
            f"{valid}😀",
            "x" * 3000,
            f"{valid}{'A' * 3000}",
            "99999999999-" + "a" * 64,
            "zzzzzzz.zzz." + "A" * 22,
            valid.replace(".", "-"),
        ]
        csrf = self._csrf()
        for token in bad_tokens:
            for route in ROUTES.values():
                self._assert_invalid(self._get(f"/recruitment/{route}/{token}"), (route, token))
            response = self.url_open(
                f"/recruitment/preferences/{token}", data={"csrf_token": csrf, "action": "stop"}
            )
            self._assert_invalid(response, ("preferences POST", token))
            response = self.url_open(
                f"/recruitment/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
            )
            self._assert_invalid(response, ("unsubscribe POST", token))
        self.env.invalidate_all()
        self.assertFalse(ada.outreach_opted_out)

    def test_employees_cannot_read_candidate_links(self):
        legacy = self._legacy_token(self.talent_ada)
        old_sms = self._old_sms_link(legacy)
        sms_drip = self._make_drip("SMS", [("sms", 0, {"sms_template_id": self.sms_template.id})])
        self.drip.enroll(self.talent_ada)
        sms_drip.enroll(self.talent_ada)
        with self.mockSMSGateway():
            sent = self._run_and_send()
        with self.mock_mail_gateway():
            self._share(self.talent_ada)
            self.occasion._send_emails(self.talent_ada, date(2026, 3, 2))
            self.env["mail.mail"].sudo().search([("state", "=", "outgoing")]).send()
        # the emails sent carry the links; their copies that employees read do not
        share = self.talent_ada.touchpoint_ids.filtered("resource_id") - self.share
        resource_link = self.talent_ada._get_outreach_resource_link(share.link_tracker_id)
        self.assertIn(resource_link, "".join(m["body"] for m in self._mails))
        self.assertIn(
            self.talent_ada._get_outreach_preference_url(),
            self._sent_to(sent, self.talent_ada)["body"],
        )
        sms_token = self.talent_ada._get_outreach_preference_short_url().rsplit("/", 1)[1]
        self.assertFalse(
            self.env["link.tracker"].sudo().search([("url", "ilike", "/recruitment/s/")]),
            "the SMS link is not stored",
        )
        for user in (self.user_plain, self.user_officer):
            trackers = self.env["link.tracker"].with_user(user)
            rows = repr(trackers.search_read([], ["url", "short_url", "code", "label"]))
            self.assertNotIn(legacy, rows, user.login)
            self.assertNotIn("/recruitment/", rows, user.login)
            codes = self.env["link.tracker.code"].with_user(user).search_read([], ["code"])
            self.assertNotIn(old_sms.code, repr(codes), user.login)
            with self.assertRaises(AccessError):
                trackers.browse(old_sms.id).read(["url"])
        messages = (
            self.env["mail.message"]
            .with_user(self.user_officer)
            .search_read([("model", "=", "hr.applicant"), ("res_id", "=", self.talent_ada.id)])
        )
        self.assertEqual(len([m for m in messages if m["message_type"] == "sms"]), 1)
        self.assertIn("Received the mailing", repr(messages), "the drip email is logged")
        self.assertIn(self.resource.name, repr(messages), "the share is logged")
        self.assertIn("anniversary", repr(messages).lower(), "the occasion email is logged")
        self.assertIn("/recruitment/s/…", repr(messages), "the SMS is logged, link redacted")
        self.assertFalse(TOKEN_LINK_RE.search(repr(messages)), "no token in the chatter")
        self.assertNotIn(sms_token, repr(messages))

    def test_sms_link_leads_to_the_preference_page(self):
        sms_drip = self._make_drip("SMS", [("sms", 0, {"sms_template_id": self.sms_template.id})])
        sms_drip.enroll(self.talent_ada)
        with self.mockSMSGateway():
            self._run_drip_cron()
            self.env["sms.sms"].sudo().search([("number", "=", "+32470000001")]).send()
        body = self._sms[0]["body"]
        url = re.search(r"https?://\S+/recruitment/s/[\w.-]+", body).group(0)
        self.assertLess(len(url.rsplit("/", 1)[1]), 30, "short enough for an SMS")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("/recruitment/preferences/", response.url)
        self.assertIn("Ada Lovelace", response.text)
        summary = self.talent_ada.touchpoint_ids.filtered(lambda t: t.channel == "sms").summary
        self.assertIn("/recruitment/s/…", summary)
        self.assertNotIn(url, summary)

    def test_no_token_in_activity_notes_nor_touchpoint_summaries(self):
        tokens = [url.rsplit("/", 1)[1] for url in self._links(self.talent_ada).values()]
        self.occasion._schedule_activities(self.talent_ada, date(2026, 3, 2))
        linkedin = self._make_drip(
            "LinkedIn",
            [
                (
                    "linkedin",
                    0,
                    {"body": "Hi! Preferences: {{ object._get_outreach_preference_url() }}"},
                )
            ],
        )
        linkedin.enroll(self.talent_ada)
        self._run_drip_cron()
        notes = [str(note) for note in self.talent_ada.activity_ids.mapped("note")]
        self.assertEqual(len(notes), 2)
        summaries = self.talent_ada.touchpoint_ids.mapped("summary")
        for text in notes + summaries:
            self.assertFalse(TOKEN_LINK_RE.search(text or ""), text)
            for token in tokens:
                self.assertNotIn(token, text or "")
        self.assertTrue(all("/recruitment/preferences/…" in note for note in notes))

    def test_candidate_values_escaped_in_notes(self):
        self.talent_ada.partner_name = EVIL_NAME
        self.occasion._schedule_activities(self.talent_ada, date(2026, 3, 2))
        linkedin = self._make_drip(
            "LinkedIn", [("linkedin", 0, {"body": "Hi {{ object.partner_name }}!"})]
        )
        linkedin.enroll(self.talent_ada)
        self._run_drip_cron()
        self.talent_ada._outreach_snooze(date(2026, 6, 1))
        notes = [str(note) for note in self.talent_ada.activity_ids.mapped("note")]
        self.assertEqual(len(notes), 3)
        for note in notes:
            self.assertNotIn("<a", note)
            self.assertNotIn("<img", note)
            self.assertIn("&lt;img src=http://evil/p.png&gt;", note, "shown as text")
