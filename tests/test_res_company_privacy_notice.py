from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
class TestDataProtection(PassiveCommon):
    def test_privacy_notice_once_for_sourced_candidates(self):
        notice = self.env["res.company"]._outreach_privacy_notices(self.talent_ada)[
            self.talent_ada.id
        ]
        self.assertIn("Why you are hearing from us", notice)
        # the send path records that the notice was given: no second notice
        given = self._touchpoint(
            self.talent_ada, channel="email", outcome="sent", automated=True, privacy_notice=True
        )
        self.assertEqual(
            self.env["res.company"]._outreach_privacy_notices(self.talent_ada)[self.talent_ada.id],
            "",
        )
        self.assertIn(given, self.talent_ada.consent_touchpoint_ids)
        # someone who wrote to us is not a sourced candidate
        self.talent_bob.message_post(
            body="I would like to hear about your roles",
            message_type="email",
            author_id=self.talent_bob.partner_id.id,
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(
            self.env["res.company"]._outreach_privacy_notices(self.talent_bob)[self.talent_bob.id],
            "",
        )
        self.company.outreach_privacy_notice = False
        self.assertEqual(
            self.env["res.company"]._outreach_privacy_notices(self.talent_cy)[self.talent_cy.id], ""
        )

    def test_privacy_notice_in_candidate_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company.outreach_privacy_notice = "<p>Why you are hearing from us</p>"
        self.company.update_field_translations(
            "outreach_privacy_notice",
            {"fr_FR": {"Why you are hearing from us": "Pourquoi nous vous contactons"}},
        )
        self.talent_cy.partner_id.lang = "fr_FR"
        self.assertIn(
            "Pourquoi nous vous contactons",
            self.env["res.company"]._outreach_privacy_notices(self.talent_cy)[self.talent_cy.id],
        )
        self.assertIn(
            "Why you are hearing from us",
            self.env["res.company"]._outreach_privacy_notices(self.talent_ada)[self.talent_ada.id],
        )

    def test_retention_dry_run_then_anonymize(self):
        self.assertFalse(self.company.outreach_retention_enabled, "off by default")
        working = self.env["hr.applicant"].create(
            {
                "partner_name": "In Process",
                "email_from": "inprocess@example.com",
                "talent_pool_ids": [Command.link(self.pool.id)],
                "is_passive_candidate": True,
            }
        )
        self.env["hr.applicant"].create(
            {
                "partner_name": "In Process",
                "email_from": "inprocess@example.com",
                "job_id": self.job.id,
                "pool_applicant_id": working.id,
            }
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": "cv.pdf",
                "raw": b"CV of Ada",
                "res_model": "hr.applicant",
                "res_id": self.talent_ada.id,
            }
        )
        self.talent_ada.message_post(body="Met Ada at a meetup", message_type="comment")
        cron = self.env.ref("hr_recruitment_passive.ir_cron_outreach_retention")
        later = fields.Datetime.now() + relativedelta(months=30)
        with freeze_time(later):
            # Bob answered a month ago: still in touch
            self._touchpoint(
                self.talent_bob,
                direction="inbound",
                kind="reply",
                date=later - relativedelta(months=1),
            )
            settings = self.env["res.config.settings"].create({})
            self.assertEqual(settings.outreach_retention_dry_run_count, 1)
            preview = settings.action_outreach_retention_preview()
            lines = self.env[preview["res_model"]].browse(preview["res_id"]).line_ids
            self.assertIn(
                ("hr.applicant", self.talent_ada.id, "anonymize"),
                {(line.res_model, line.res_id, line.operation) for line in lines},
            )
            self.assertIn(
                ("ir.attachment", attachment.id), {(x.res_model, x.res_id) for x in lines}
            )
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
            self.env.invalidate_all()
            self.assertFalse(self.talent_ada.anonymized_date, "rule off: nothing happens")
            self.company.outreach_retention_enabled = True
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
            self.env.invalidate_all()
        ada = self.talent_ada
        self.assertEqual(ada.anonymized_date, later)
        self.assertEqual(ada.partner_name, f"Anonymized candidate {ada.id}")
        self.assertFalse(ada.email_from or ada.partner_phone or ada.partner_id)
        self.assertFalse(ada.current_company or ada.current_job_title)
        self.assertFalse(attachment.exists())
        self.assertFalse(ada.message_ids.filtered(lambda m: "meetup" in (m.body or "")))
        self.assertFalse(ada.applicant_skill_ids, "profile skills go too")
        self.assertTrue(ada.exists() and ada.is_passive_candidate, "kept for statistics")
        self.assertFalse((self.talent_bob | self.talent_cy | working).filtered("anonymized_date"))
        self.assertEqual(self.talent_bob.partner_name, "Bob Builder")
        decision = self.env["hr.recruitment.contact.policy"]._check(ada, "linkedin")[ada.id]
        self.assertEqual(decision[:2], ("refused", "anonymized"))
