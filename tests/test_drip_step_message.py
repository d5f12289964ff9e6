from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from ..tools.wording import first_name, with_indefinite_article
from .drip_common import MONDAY, DripCommon
from .local_smtp import LocalSmtpMixin


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripStepMessage(LocalSmtpMixin, DripCommon):
    """A step holds its message directly (variants only for an A/B test), is previewed before
    it is saved, and a template's required candidate fields hold the candidates who lack them
    instead of sending them a message with a hole."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.field_company = cls.env.ref("hr_recruitment_passive.outreach_field_current_company")
        cls.template_needs_employer = cls.template_first.copy(
            {
                "name": "First touch (needs the employer)",
                "outreach_required_field_ids": [Command.set(cls.field_company.ids)],
            }
        )

    def _send_queue(self):
        self.env.flush_all()
        self.env["mail.mail"].sudo().process_email_queue()
        self.env.invalidate_all()

    def test_step_holds_its_template(self):
        step = self.step_1
        self.assertEqual(step.mail_template_id, self.template_first)
        self.assertFalse(step.ab_testing)
        step.mail_template_id = self.template_follow
        self.assertEqual(step.variant_ids.mail_template_id, self.template_follow)
        self.assertEqual(len(step.variant_ids), 1, "no second line for one message")
        new_step = self.env["hr.recruitment.drip.step"].create(
            {
                "drip_id": self.drip.id,
                "sequence": 9,
                "name": "Call",
                "channel": "phone",
                "body": "Call {{ object._outreach_first_name() }}",
            }
        )
        self.assertEqual(new_step.variant_ids.mapped("name"), ["A"])
        self.assertEqual(new_step.variant_ids.split_percent, 100)
        self.assertEqual(new_step.variant_ids.body, "Call {{ object._outreach_first_name() }}")
        # an A/B test: the step has no single template, each variant its own
        step.write(
            {
                "variant_ids": [
                    Command.update(step.variant_ids.id, {"split_percent": 50}),
                    Command.create(
                        {
                            "name": "B",
                            "split_percent": 50,
                            "mail_template_id": self.template_first.id,
                        }
                    ),
                ]
            }
        )
        self.assertTrue(step.ab_testing)
        self.assertFalse(step.mail_template_id)

    def test_step_without_message_refuses_enrollment(self):
        """A step saved without a message has no variant: enrolling names it and what to
        choose, and enrolls nobody."""
        empty = self.env["hr.recruitment.drip.step"].create(
            {"drip_id": self.drip.id, "sequence": 99, "name": "Call", "channel": "phone"}
        )
        self.assertFalse(empty.variant_ids)
        with self.assertRaisesText(UserError, "Step 'Call' has no message yet: choose a message"):
            self.drip.enroll(self.talent_ada)
        self.assertFalse(self._enrollments())

    def test_preview_unsaved_step(self):
        """The preview renders what the owner is typing, before the step is saved; the text
        editor's fallback syntax {{ expr ||| fallback }} fills a missing value."""
        with Form(
            self.env["hr.recruitment.drip.step"]
            .with_user(self.user_manager)
            .with_context(default_drip_id=self.drip.id)
        ) as step:
            step.name = "LinkedIn"
            step.channel = "linkedin"
            step.body = (
                "Hi {{ object._outreach_first_name() }},\nhow is life at "
                "{{ object.current_company ||| your team}}?"
            )
            step.preview_applicant_id = self.talent_cy
            self.assertIn("Hi Cy,<br/>how is life at your team?", step.preview_body)
            step.preview_applicant_id = self.talent_ada
            self.assertIn("how is life at Analytical Engines?", step.preview_body)
            self.assertFalse(step.preview_error)
            # an email template requiring the employer: the preview says who would be held
            step.channel = "email"
            step.mail_template_id = self.template_needs_employer
            self.assertFalse(step.preview_held)
            self.assertFalse(step.preview_error)
            self.assertIn("Hello Ada,", step.preview_body)
            step.preview_applicant_id = self.talent_cy
            self.assertIn("Held for Cy Twombly: needs current employer", step.preview_held)
            self.assertNotIn("Held", step.preview_body)
            # nothing was saved yet
            self.assertEqual(len(self.drip.step_ids), 3)

    def test_missing_employer_is_held_the_others_go(self):
        self.step_1.mail_template_id = self.template_needs_employer
        self.drip.enroll(self.talents)
        with self.sending_over_smtp():
            self._run_drip_cron()
            self._send_queue()
        ada, bob, cy = (self._enrollments(talent) for talent in self.talents)
        self.assertIn(b"Analytical Engines", self.raw_message_to("ada@example.com"))
        self.assertIn(b"Construct Ltd", self.raw_message_to("bob@example.com"))
        self.assertFalse(
            [m for m in self.smtp_server.messages if any("cy@" in r for r in m["rcpt_to"])],
            "no message with a hole for Cy",
        )
        self.assertEqual((ada.state, ada.step_id), ("running", self.step_2))
        self.assertEqual((bob.state, bob.step_id), ("running", self.step_2))
        self.assertEqual((cy.state, cy.step_id), ("paused", self.step_1))
        self.assertEqual(cy.status_note, "Held at step 'First touch': needs current employer")
        self.assertEqual(cy.missing_field_ids, self.field_company)
        task = cy.hold_activity_id
        self.assertEqual(task.user_id, self.user_officer)
        self.assertEqual(task.res_id, self.talent_cy.id)
        self.assertIn("needs current employer", task.summary)
        self.assertFalse(self._drip_mails(self.step_1).filtered(lambda m: m.res_id == cy.id))
        # running again holds Cy again, without a second task
        self.env["hr.recruitment.drip.enrollment"].sudo().browse(cy.id).write({"state": "running"})
        self._run_drip_cron()
        self.assertEqual(cy.state, "paused")
        self.assertEqual(cy.hold_activity_id, task)
        # the recruiter fills the employer in: the drip goes on and the task is done
        self.talent_cy.with_user(self.user_officer).current_company = "Twombly Studio"
        self.assertEqual(cy.state, "running")
        self.assertFalse(cy.missing_field_ids)
        self.assertFalse(task.active, "the data task is done")
        with self.sending_over_smtp():
            self._run_drip_cron()
            self._send_queue()
        self.assertIn(b"Twombly Studio", self.raw_message_to("cy@example.com"))
        self.assertEqual(cy.step_id, self.step_2)

    def test_preview_wizard_shows_the_hold(self):
        self.step_1.mail_template_id = self.template_needs_employer
        action = self.step_1.action_preview()
        preview = (
            self.env[action["res_model"]]
            .with_user(self.user_officer)
            .with_context(**action["context"])
            .create({"applicant_id": self.talent_cy.id})
        )
        self.assertEqual(
            preview.held,
            "Held for Cy Twombly: needs current employer. The drip does not send this step to "
            "them until it is filled in.",
        )
        self.assertIn("Hello Cy,", preview.body)
        preview.applicant_id = self.talent_ada
        self.assertFalse(preview.held)

    def test_sms_template_requirement(self):
        """An SMS template declares its required values the same way."""
        sms_template = self.env.ref("hr_recruitment_passive.sms_template_drip_nudge").copy(
            {"outreach_required_field_ids": [Command.set(self.field_company.ids)]}
        )
        missing = sms_template._outreach_missing_fields(self.talents)
        self.assertEqual(list(missing), [self.talent_cy.id])
        self.assertEqual(missing[self.talent_cy.id], self.field_company)

    def test_required_field_names_follow_the_rows(self):
        """The cached names of the required candidate fields follow the row's field (a
        candidate write releases held enrollments only for these)."""
        Template = self.env["mail.template"]
        self.assertIn("current_company", Template._outreach_required_field_names())
        self.field_company.field_id = self.env["ir.model.fields"]._get(
            "hr.applicant", "current_job_title"
        )
        names = Template._outreach_required_field_names()
        self.assertIn("current_job_title", names)
        self.assertNotIn("current_company", names)

    def test_natural_wording(self):
        self.assertEqual(
            with_indefinite_article("Experienced Developer"), "an Experienced Developer"
        )
        self.assertEqual(with_indefinite_article("Staff Engineer"), "a Staff Engineer")
        self.assertEqual(with_indefinite_article("UX Designer"), "a UX Designer")
        self.assertEqual(with_indefinite_article("SRE"), "an SRE")
        self.assertEqual(with_indefinite_article("hourly tutor"), "an hourly tutor")
        self.assertEqual(with_indefinite_article("University Lecturer"), "a University Lecturer")
        self.assertEqual(with_indefinite_article(""), "")
        self.assertEqual(first_name("Ada Lovelace"), "Ada")
        self.assertEqual(first_name("Lovelace, Ada"), "Ada")
        self.job.name = "Experienced Developer"
        rendered = self.step_1._render_preview(self.talent_bob)
        self.assertTrue(rendered["subject"].startswith("Bob, an Experienced Developer at"))
        self.assertIn("Hello Bob,", rendered["body"])
        self.assertIn("looking for an Experienced Developer", rendered["body"])
        self.assertNotIn("a Experienced", rendered["body"])
