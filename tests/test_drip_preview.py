from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .drip_common import DripCommon


@tagged("post_install", "-at_install")
class TestDripPreview(DripCommon):
    """Preview a step for a chosen candidate; a failing placeholder is named in the error."""

    def test_preview_email_step(self):
        rendered = self.step_1._render_preview(self.talent_ada)
        # the first name, and the article of the job title
        self.assertTrue(rendered["subject"].startswith("Ada, a Staff Engineer at "))
        self.assertNotIn("Lovelace", rendered["subject"])
        body = rendered["body"]
        for fact in (
            "Hello Ada,",
            "looking for a Staff Engineer",
            "Principal Engineer",
            "Analytical Engines",
            "Staff Engineer",
            "Platform",  # the job's department
            "Olivia Officer",  # the drip owner
            self.company.name,
            self.talent_ada._get_outreach_preference_url(),
        ):
            self.assertIn(fact, body)

    def test_preview_wizard(self):
        action = self.step_3.action_preview()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.user_officer)
            .with_context(**action["context"])
        ) as preview:
            self.assertEqual(preview.variant_id, self.step_3.variant_ids)
            preview.applicant_id = self.talent_bob
            self.assertIn(
                "Hi Bob Builder, I wrote to you about the Staff Engineer role.", preview.body
            )
            self.assertFalse(preview.error)

    def test_preview_lists_failing_placeholders(self):
        self.step_3.variant_ids.body = (
            "Hi {{ object.partner_name }} from {{ object.current_company.upper() }}, "
            "{{ object.no_such_field }}"
        )
        with self.assertRaisesText(UserError, "cannot be rendered for Cy Twombly") as caught:
            self.step_3._render_preview(self.talent_cy)
        message = str(caught.exception)
        self.assertIn("object.current_company.upper()", message)
        self.assertIn("object.no_such_field", message)
        self.assertNotIn("- object.partner_name", message)
        action = self.step_3.action_preview()
        preview = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"applicant_id": self.talent_cy.id})
        )
        self.assertIn("object.no_such_field", preview.error)
        self.assertFalse(preview.body)
