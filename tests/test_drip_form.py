from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .drip_common import DripCommon


@tagged("post_install", "-at_install")
class TestDripForm(DripCommon):
    """An administrator builds a drip in its form views (steps, variants, window, stop rules)."""

    def test_build_drip_in_form(self):
        with Form(self.env["hr.recruitment.drip"].with_user(self.user_manager)) as drip_form:
            drip_form.name = "Data engineers"
            drip_form.job_ids.add(self.job)
            drip_form.open_wait_days = 3
            with drip_form.step_ids.new() as step:
                step.name = "Hello"
                step.channel = "email"
                step.mail_template_id = self.template_first
                # a second version is an A/B test: variant B appears, half the candidates each
                step.ab_testing = True
                with step.variant_ids.edit(0) as variant:
                    self.assertEqual((variant.name, variant.split_percent), ("A", 50))
                    self.assertEqual(variant.mail_template_id, self.template_first)
                    variant.split_percent = 60
                with step.variant_ids.edit(1) as variant:
                    self.assertEqual(variant.name, "B")
                    variant.split_percent = 40
                    variant.mail_template_id = self.template_follow
            with drip_form.step_ids.new() as step:
                step.name = "LinkedIn"
                step.channel = "linkedin"
                step.delay = 2
                step.delay_unit = "business_days"
                step.condition = "not_opened"
                # a single message is set on the step itself, no variant line to add
                step.body = "Hi {{ object.partner_name }},\nsaw your talk."
        drip = drip_form.record
        self.assertEqual(drip.user_id, self.user_manager)
        self.assertEqual(drip.step_ids.mapped("channel"), ["email", "linkedin"])
        email_step, linkedin_step = drip.step_ids
        self.assertEqual(email_step.variant_ids.mapped("split_percent"), [60, 40])
        self.assertEqual(len(email_step.variant_ids.mailing_id), 2)
        self.assertEqual(
            email_step.variant_ids.mail_template_id, self.template_first | self.template_follow
        )
        self.assertFalse(email_step.mail_template_id, "an A/B step has no single template")
        self.assertEqual(len(linkedin_step.variant_ids), 1)
        self.assertEqual(linkedin_step.variant_ids.split_percent, 100)
        self.assertEqual(linkedin_step.body, "Hi {{ object.partner_name }},\nsaw your talk.")
        self.assertEqual(linkedin_step.variant_ids.body, linkedin_step.body)
        self.assertEqual(
            linkedin_step.activity_type_id,
            self.env.ref("hr_recruitment_passive.mail_activity_type_linkedin_message"),
        )
        # the applicant form shows the drips of a candidate
        drip.enroll(self.talent_ada)
        with Form(self.talent_ada.with_user(self.user_officer)) as applicant_form:
            self.assertEqual(applicant_form.drip_enrollment_count, 1)
            self.assertEqual(len(applicant_form.drip_enrollment_ids), 1)

    def test_sender_falls_back_to_company_email(self):
        owner = self.env["res.users"].create(
            {"name": "No Mail Owner", "login": "no_mail_owner", "email": False}
        )
        self.company.email = "jobs@example.com"
        drip = self.env["hr.recruitment.drip"].create(
            {
                "name": "Owner without email",
                "user_id": owner.id,
                "step_ids": [
                    Command.create(
                        {
                            "name": "First",
                            "channel": "email",
                            "variant_ids": [
                                Command.create(
                                    {"name": "A", "mail_template_id": self.template_first.id}
                                )
                            ],
                        }
                    )
                ],
            }
        )
        variant = drip.step_ids.variant_ids
        variant._ensure_mailing()
        self.assertIn("jobs@example.com", variant.mailing_id.email_from)
        self.company.email = False
        self.company.alias_domain_id = False
        self.user_manager.email = False
        with self.assertRaisesText(UserError, "has no sender address"):
            drip.with_user(self.user_manager).copy()
