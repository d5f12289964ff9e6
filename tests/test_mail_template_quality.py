from odoo.tests import tagged

from .common import PassiveCommon

LONG_BODY = "<p>Hi <t t-out='object.partner_name'/>,</p><p>%s</p>" % ("word " * 300)


@tagged("post_install", "-at_install")
class TestTemplateQuality(PassiveCommon):
    def _template(self, body, subject="Hello"):
        return self.env["mail.template"].create(
            {
                "name": "Outreach under test",
                "model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "subject": subject,
                "body_html": body,
            }
        )

    def _messages(self, issues, severity):
        return " | ".join(message for sev, message in issues if sev == severity)

    def test_long_template_without_opt_out_is_blocked(self):
        template = self._template(LONG_BODY)
        issues = template._get_outreach_quality_issues(automated=True)
        self.assertRegex(self._messages(issues, "warning"), r"30\d words.*under 150")
        self.assertIn("manage or stop outreach", self._messages(issues, "blocking"))
        self.assertIn("Blocking:", template.outreach_quality_warnings)
        manual = template._get_outreach_quality_issues(automated=False)
        self.assertFalse(self._messages(manual, "blocking"), "a recruiter's own email may skip it")

    def test_word_budget_is_a_company_setting(self):
        template = self._template(LONG_BODY)
        self.company.outreach_word_budget = 400
        issues = template._get_outreach_quality_issues(res_id=self.talent_ada.id)
        self.assertNotIn("words", self._messages(issues, "warning"))

    def test_each_rule(self):
        template = self._template(
            "<p>Hello there,</p><p>We have a job. Apply now.</p>"
            "<img src='https://example.com/logo.png'/>"
            "<a href='http://example.com/job'>job</a>"
        )
        warnings = self._messages(template._get_outreach_quality_issues(), "warning")
        self.assertIn("first sentence should say why", warnings)
        self.assertIn("We have a job.", warnings)
        self.assertIn("Nothing is personalized", warnings)
        self.assertIn("alt attribute", warnings)
        self.assertIn("http://example.com/job", warnings)

    def test_good_template_passes(self):
        template = self._template(
            "<p>Hi <t t-out='object.partner_name'/>,</p>"
            "<p>I'm writing because your Rust work caught my eye.</p>"
            "<img src='https://example.com/team.png' alt='Our team'/>"
            "<a href='https://example.com/team'>Meet the team</a>"
            "<a t-att-href='object._get_outreach_preference_url()'>Preferences</a>",
            subject="{{ object.partner_name }}, a quick question",
        )
        self.assertEqual(template._get_outreach_quality_issues(res_id=self.talent_ada.id), [])
        self.assertFalse(template.outreach_quality_warnings)

    def test_broken_template_is_blocked(self):
        # renders when saved, fails later on Bob's data
        template = self._template("<p>Hi <t t-out='1 // (object.years_of_experience != 99)'/></p>")
        self.talent_bob.years_of_experience = 99
        issues = template._get_outreach_quality_issues(res_id=self.talent_bob.id)
        self.assertIn("does not render", self._messages(issues, "blocking"))

    def test_default_templates_have_no_blocking_issue(self):
        for xmlid in (
            "mail_template_work_anniversary",
            "mail_template_recent_hires",
            "mail_template_share_resource",
        ):
            template = self.env.ref(f"hr_recruitment_passive.{xmlid}")
            issues = template._get_outreach_quality_issues(res_id=self.talent_ada.id)
            self.assertEqual(issues, [], xmlid)
