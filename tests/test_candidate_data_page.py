import base64
import json
import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tools import file_open

from .common import PassiveCommon

INTERNAL_NOTE = "Seemed arrogant on the phone, salary too high"


@tagged("post_install", "-at_install")
class TestCandidateDataPage(PassiveCommon, HttpCase):
    """The candidate sees, downloads and asks to delete what we keep."""

    browser_size = "390x844"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.name = "Acme Talent"
        cls.talent_ada.partner_id.tz = False
        cls.retention_cron = cls.env.ref("hr_recruitment_passive.ir_cron_outreach_retention")

    def setUp(self):
        super().setUp()
        yesterday = fields.Datetime.now() - timedelta(days=1)
        self._touchpoint(
            self.talent_ada, channel="email", kind="outreach", outcome="sent", date=yesterday
        )
        self._touchpoint(
            self.talent_ada, channel="phone", kind="call", summary=INTERNAL_NOTE, date=yesterday
        )
        self._touchpoint(
            self.talent_ada,
            channel="email",
            kind="follow_up",
            outcome="planned",
            date=fields.Datetime.now() + timedelta(days=30),
            summary="Planned: ask again about the CTO role",
        )
        self.token = self.talent_ada._get_outreach_token("preference")
        self.path = f"/recruitment/preferences/{self.token}"

    def _csrf(self, response):
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _request_erasure(self):
        page = self.url_open(f"{self.path}?erase=1")
        response = self.url_open(
            self.path, data={"csrf_token": self._csrf(page), "action": "erase_confirm"}
        )
        self.env.invalidate_all()
        return response

    def _run_retention_cron(self):
        with self.enter_registry_test_mode():
            self.retention_cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_page_shows_what_we_keep_in_plain_words(self):
        response = self.url_open(self.path)
        self.assertEqual(response.status_code, 200)
        text = response.text
        for shown in ("What we keep about you", "Analytical Engines", "Principal Engineer"):
            self.assertIn(shown, text)
        self.assertIn("ada@example.com", text)
        self.assertIn("March 1, 2021", text, "the role start date, in words")
        self.assertIn("We sent you a message (Email)", text)
        self.assertIn("We called you", text)
        self.assertNotIn(INTERNAL_NOTE, text, "a recruiter's notes are not shown")
        self.assertNotIn("CTO role", text, "planned touchpoints are our plans, not data")
        self.assertNotIn("month(s)", text)
        self.assertRegex(text, r">\s*1 month\s*<")
        self.assertIn("3 months", text)

    def test_french_dates_and_plurals(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.talent_ada.partner_id.lang = "fr_FR"
        text = self.url_open(self.path).text
        self.assertIn("1 mars 2021", text)
        self.assertIn("1\u00a0mois", text)
        self.assertIn("3\u00a0mois", text)
        self.assertNotIn("March", text)

    def test_company_logo_shown_only_when_real(self):
        self.assertNotIn("/logo.png", self.url_open(self.path).text)
        with file_open("hr_recruitment_passive/static/description/icon.png", "rb") as icon:
            self.company.logo = base64.b64encode(icon.read())
        self.assertFalse(self.company.uses_default_logo)
        text = self.url_open(self.path).text
        self.assertIn(f'src="/logo.png?company={self.company.id}"', text)
        logo = self.url_open(f"/logo.png?company={self.company.id}")
        self.assertEqual(logo.status_code, 200)
        self.assertEqual(logo.headers["Content-Type"], "image/png")

    def test_download_is_json_bound_to_the_token(self):
        response = self.url_open(f"{self.path}/download")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(
            response.headers["Content-Disposition"], "attachment; filename*=UTF-8''my-data.json"
        )
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        data = json.loads(response.content)
        self.assertEqual(data["company"], "Acme Talent")
        self.assertEqual(data["profile"]["email_from"]["value"], "ada@example.com")
        self.assertEqual(data["profile"]["current_role_start_date"]["value"], "2021-03-01")
        self.assertCountEqual(
            [t["summary"] for t in data["touchpoints"]],
            ["We sent you a message (Email)", "We called you"],
        )
        self.assertNotIn(INTERNAL_NOTE, response.text)
        self.assertNotIn(self.token, response.text)

    def test_bad_tokens_get_a_friendly_404_and_no_data(self):
        unsubscribe_token = self.talent_ada._get_outreach_token("unsubscribe")
        bob_token = self.talent_bob._get_outreach_token("preference")
        forged = f"{self.token.split('.')[0]}.{bob_token.partition('.')[2]}"
        for bad in ("garbled", self.token[:-2], unsubscribe_token, forged):
            for path in (
                f"/recruitment/preferences/{bad}",
                f"/recruitment/preferences/{bad}/download",
            ):
                response = self.url_open(path)
                self.assertEqual(response.status_code, 404, path)
                self.assertIn("This link is not valid any more", response.text)
                for secret in ("Ada", "ada@example.com", "Analytical", "Bob"):
                    self.assertNotIn(secret, response.text, path)
        page = self.url_open(self.path)
        response = self.url_open(
            "/recruitment/preferences/garbled",
            data={"csrf_token": self._csrf(page), "action": "erase_confirm"},
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(self.talent_ada.erasure_requested_date)

    def test_erasure_request_confirmed_logged_and_handled_by_retention(self):
        confirm = self.url_open(f"{self.path}?erase=1")
        self.assertIn("Yes, delete my data", confirm.text)
        self.env.invalidate_all()
        self.assertFalse(self.talent_ada.erasure_requested_date, "the confirm step changes nothing")

        response = self._request_erasure()
        self.assertEqual(response.status_code, 200)
        self.assertIn("We received your request", response.text)
        ada = self.talent_ada
        self.assertTrue(ada.erasure_requested_date)
        self.assertTrue(ada.outreach_opted_out)
        self.assertEqual(ada.outreach_status, "opted_out")
        self.assertFalse(
            self.env["mail.blacklist"].search([("email", "=", "ada@example.com")]),
            "no address kept in clear after the anonymization",
        )
        event = ada.touchpoint_ids.filtered(lambda t: t.boundary_event == "erasure")
        self.assertEqual(len(event), 1)
        self.assertNotIn(self.token, event.summary or "")
        self.assertFalse(
            ada.touchpoint_ids.filtered(lambda t: self.token in (t.summary or "")),
            "tokens are never logged",
        )
        activity = ada.activity_ids.filtered(lambda a: "Deletion request" in a.summary)
        self.assertEqual(activity.user_id, self.user_officer)
        self.assertEqual(
            activity.date_deadline, (ada.erasure_requested_date + timedelta(days=14)).date()
        )
        self.assertEqual(ada.partner_name, "Ada Lovelace", "nothing deleted at once")
        # a second request changes nothing more
        self.assertFalse(ada._outreach_request_erasure())
        self.assertEqual(
            len(ada.touchpoint_ids.filtered(lambda t: t.boundary_event == "erasure")), 1
        )
        page = self.url_open(self.path).text
        self.assertIn("You asked us to delete your data on", page)

        # the recruiter's dry run lists what the anonymization changes
        action = ada.with_user(self.user_officer).action_erasure_dry_run()
        preview = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(preview.erasure_talent_id, ada)
        self.assertIn(
            ("hr.applicant", ada.id, "anonymize"),
            {(line.res_model, line.res_id, line.operation) for line in preview.line_ids},
        )
        self._run_retention_cron()
        self.assertFalse(ada.anonymized_date, "not before the review period is over")
        with freeze_time(fields.Datetime.now() + relativedelta(days=15)):
            self._run_retention_cron()
        self.assertTrue(ada.anonymized_date, "handled by the retention rule, rule off or on")
        self.assertFalse(self.company.outreach_retention_enabled)
        self.assertNotIn("Lovelace", ada.partner_name)
        self.assertEqual(self.url_open(self.path).status_code, 404, "the link died with the data")

    def test_erasure_kept_by_ongoing_application_and_erase_now(self):
        application = self.env["hr.applicant"].create(
            {"partner_name": "Ada", "job_id": self.job.id, "pool_applicant_id": self.talent_ada.id}
        )
        self._request_erasure()
        with freeze_time(fields.Datetime.now() + relativedelta(days=15)):
            self._run_retention_cron()
        self.assertFalse(self.talent_ada.anonymized_date, "an ongoing application keeps it")
        action = self.talent_ada.with_user(self.user_officer).action_erasure_dry_run()
        preview = (
            self.env[action["res_model"]].with_user(self.user_officer).browse(action["res_id"])
        )
        with self.assertRaisesText(UserError, "ongoing application"):
            preview.action_erase_now()
        application.action_archive()
        preview.action_erase_now()
        self.assertTrue(self.talent_ada.anonymized_date)
        log = self.env["hr.recruitment.retention.log"].search([], limit=1)
        self.assertEqual(log.talent_count, 1)

    def test_browser_at_phone_width(self):
        """Headless Chromium at 390 x 844: see the data, download it, ask for deletion."""
        self.browser_js(
            self.path,
            """
            (async () => {
                const fail = (msg) => { throw new Error(msg); };
                if (window.innerWidth !== 390) fail("viewport " + window.innerWidth);
                if (document.documentElement.scrollWidth > 390) fail("page wider than the phone");
                const data = document.querySelector("#o_outreach_data");
                if (!data || !data.innerText.includes("Analytical Engines")) fail("no data shown");
                if (!data.innerText.includes("We sent you a message")) fail("no touchpoints");
                const link = [...document.querySelectorAll("a")].find(
                    (a) => a.innerText.includes("Download my data"));
                const response = await fetch(link.href);
                if (!response.headers.get("content-disposition").startsWith("attachment"))
                    fail("not a download");
                const json = await response.json();
                if (json.profile.email_from.value !== "ada@example.com") fail("bad download");
                const ask = document.querySelector("a.o_outreach_erase");
                if (ask.getBoundingClientRect().right > 390) fail("delete button off screen");
                console.log("test successful");
            })();
            """,
            ready="document.readyState === 'complete'",
        )
        self.browser_js(
            f"{self.path}?erase=1",
            """
            (async () => {
                const button = document.querySelector("button.o_outreach_erase_confirm");
                if (!button) throw new Error("no confirmation step");
                if (button.getBoundingClientRect().right > 390) throw new Error("off screen");
                // form.action is shadowed by the form's input named "action"
                const response = await fetch(button.form.getAttribute("action"), {
                    method: "POST", body: new FormData(button.form),
                });
                const text = await response.text();
                if (!text.includes("We received your request")) throw new Error(text);
                console.log("test successful");
            })();
            """,
            ready="document.readyState === 'complete'",
        )
        self.env.invalidate_all()
        self.assertTrue(self.talent_ada.erasure_requested_date)

    def test_curious_employees_cannot_erase(self):
        self._request_erasure()
        other_company = self.env["res.company"].create({"name": "Other Co"})
        officer_other = new_test_user(
            self.env,
            login="erasure_officer_other",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        for user in (self.user_plain, officer_other):
            with self.assertRaises(AccessError):
                self.talent_ada.with_user(user).action_erasure_dry_run()
        action = self.talent_ada.with_user(self.user_officer).action_erasure_dry_run()
        preview = self.env[action["res_model"]].browse(action["res_id"])
        with self.assertRaises(AccessError):
            preview.with_user(officer_other).action_erase_now()
        # pointing one's own dry run at a talent who asked nothing deletes nothing
        preview = preview.with_user(self.user_officer)
        preview.erasure_talent_id = self.talent_bob
        with self.assertRaisesText(UserError, "no pending deletion request"):
            preview.action_erase_now()
        self.assertFalse(self.talent_bob.anonymized_date)
        self.assertFalse(self.talent_ada.anonymized_date)
