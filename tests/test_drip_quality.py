from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon

# 300 words, personalized, but no preference or unsubscribe link
LONG_BODY = "<p>Hi <t t-out='object.partner_name'/>,</p><p>I'm writing because %s</p>" % (
    "word " * 300
)


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripQuality(DripCommon):
    """The template quality checks gate the drip: blocking issues refuse activation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.long_template = cls.env["mail.template"].create(
            {
                "name": "Long outreach without opt-out",
                "model_id": cls.env["ir.model"]._get_id("hr.applicant"),
                "subject": "Hello {{ object.partner_name }}",
                "body_html": LONG_BODY,
            }
        )

    def test_long_template_without_opt_out_is_flagged_and_refuses_activation(self):
        variant = self.step_1.variant_ids
        self.assertFalse(variant.quality_blocking, "the shipped template has a preference link")
        variant.mail_template_id = self.long_template  # no candidate running yet: allowed
        self.assertTrue(variant.quality_blocking)
        self.assertRegex(str(variant.quality_warnings), r"30\d words")
        self.assertIn("Blocking:", str(self.step_1.quality_warnings))
        self.assertIn("manage or stop outreach", str(self.step_1.quality_warnings))
        # activating = enrolling candidates: refused, naming the step and what to fix
        with self.assertRaisesText(UserError, r"First touch.*manage or stop outreach"):
            self.drip.enroll(self.talents)
        self.assertFalse(self._enrollments())
        # an archived drip with such a step cannot be restored either
        self.drip.active = False
        with self.assertRaisesText(UserError, "fix their templates"):
            self.drip.active = True
        # fixed: the step runs
        variant.mail_template_id = self.template_first
        self.drip.active = True
        self.assertEqual(len(self.drip.enroll(self.talents)["enrollments"]), 3)

    def test_live_drip_refuses_a_blocking_template(self):
        self.drip.enroll(self.talent_ada)
        with self.assertRaisesText(UserError, "manage or stop outreach"):
            self.step_2.variant_ids.mail_template_id = self.long_template
        self.assertEqual(self.step_2.variant_ids.mail_template_id, self.template_follow)
        # a warning alone (a plain http link) does not block, but shows on the step
        http_template = self.template_follow.copy()
        http_template.body_html = str(http_template.body_html).replace(
            "</p>", ' <a href="http://example.com/blog">blog</a></p>', 1
        )
        self.step_2.variant_ids.mail_template_id = http_template
        self.assertIn("http://example.com/blog", str(self.step_2.quality_warnings))
        self.assertFalse(self.step_2.variant_ids.quality_blocking)

    def test_template_broken_after_activation_is_never_sent(self):
        template = self.template_first.copy()
        self.step_1.variant_ids.mail_template_id = template
        self.drip.enroll(self.talents)
        template.body_html = LONG_BODY  # the opt-out link was removed from the template
        with self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertFalse(self._drip_mails())
        enrollments = self._enrollments()
        self.assertEqual(set(enrollments.mapped("stop_reason")), {"error"})
        self.assertIn("manage or stop outreach", enrollments[0].last_error)
        # fixed and resumed: it goes out
        template.body_html = self.template_first.body_html
        enrollments.action_resume()
        with self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual(len(self._drip_mails()), 3)
