import importlib.util
import json
from pathlib import Path

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged


def _load_migration(version, name):
    path = Path(__file__).parent.parent / "migrations" / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"passive_migration_{version}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrations(TransactionCase):
    def test_cron_models_keep_one_cron_per_job(self):
        """19.0.1.2.0: the engagement, cleanup and retention crons of a database installed
        before point at hr.applicant; the upgrade moves them, it creates no second cron."""
        migration = _load_migration("19.0.1.2.0", "post-cron_models")
        applicant_model = self.env["ir.model"]._get_id("hr.applicant")
        old_codes = {
            "ir_cron_recompute_engagement": "model._cron_recompute_engagement()",
            "ir_cron_outreach_cleanup": "model._cron_outreach_cleanup()",
            "ir_cron_outreach_retention": "model._cron_outreach_retention()",
        }
        for xmlid, code in old_codes.items():
            self.env.ref(f"hr_recruitment_passive.{xmlid}").write(
                {"model_id": applicant_model, "code": code, "interval_number": 2}
            )
        crons_before = self.env["ir.cron"].with_context(active_test=False).search_count([])
        migration.migrate(self.env.cr, "19.0.1.1.0")
        for xmlid, (model_name, code) in migration.CRONS.items():
            cron = self.env.ref(f"hr_recruitment_passive.{xmlid}")
            self.assertEqual((cron.model_id.model, cron.code), (model_name, code))
            self.assertEqual(cron.interval_number, 2, "the administrator's settings are kept")
            # the code runs on the model it now points at
            self.assertTrue(hasattr(self.env[model_name], code[len("model.") : -len("()")]))
        self.assertEqual(
            self.env["ir.cron"].with_context(active_test=False).search_count([]), crons_before
        )

    def _set_back(self, migration):
        """Put the renamed fields back as a 19.0.1.2.0 database has them: old column, old
        `ir.model.fields` name, old xml id."""
        for model, names in migration.RENAMED_FIELDS.items():
            for old, new in names.items():
                migration.rename_field(self.env.cr, model, new, old)
        self.env.invalidate_all()
        self.env.registry.clear_cache()

    def test_rename_fields_keeps_values(self):
        """19.0.2.0.0: the company's and the users' fields get the one prefix `outreach_`; the
        values an administrator set, the field descriptions and their xml ids are kept."""
        migration = _load_migration("19.0.2.0.0", "pre-rename_fields")
        company = self.env.company
        user = self.env.user
        company.write(
            {
                "outreach_sender_daily_cap": 77,
                "outreach_sender_ramp_start": 5,
                "outreach_sender_ramp_step": 4,
                "outreach_occasion_auto_email": True,
                "outreach_word_budget": 123,
            }
        )
        user.write(
            {
                "outreach_sender_daily_cap": 42,
                "outreach_sender_since": "2026-01-02",
                "outreach_weekly_digest": True,
            }
        )
        self.env.flush_all()
        field_ids = {
            (model, new): self.env["ir.model.fields"]._get(model, new).id
            for model, names in migration.RENAMED_FIELDS.items()
            for new in names.values()
        }
        self._set_back(migration)
        cr = self.env.cr
        cr.execute(
            "SELECT drip_sender_daily_cap, passive_outreach_word_budget FROM res_company "
            "WHERE id = %s",
            [company.id],
        )
        self.assertEqual(cr.fetchone(), (77, 123), "set back to the 19.0.1.2.0 columns")

        migration.migrate(cr, "19.0.1.2.0")
        self.env.invalidate_all()
        cr.execute(
            """SELECT outreach_sender_daily_cap, outreach_sender_ramp_start,
                      outreach_sender_ramp_step, outreach_occasion_auto_email,
                      outreach_word_budget
                 FROM res_company WHERE id = %s""",
            [company.id],
        )
        self.assertEqual(cr.fetchone(), (77, 5, 4, True, 123))
        cr.execute(
            """SELECT outreach_sender_daily_cap, outreach_sender_since::text,
                      outreach_weekly_digest
                 FROM res_users WHERE id = %s""",
            [user.id],
        )
        self.assertEqual(cr.fetchone(), (42, "2026-01-02", True))
        for table, old in (
            ("res_company", "drip_sender_daily_cap"),
            ("res_users", "drip_sender_since"),
        ):
            cr.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [table, old],
            )
            self.assertFalse(cr.fetchone(), f"{table}.{old} is gone")
        for (model, new), field_id in field_ids.items():
            field = self.env["ir.model.fields"].browse(field_id)
            self.assertEqual(field.name, new, "the same ir.model.fields row, renamed")
            table = model.replace(".", "_")
            self.assertEqual(self.env.ref(f"hr_recruitment_passive.field_{table}__{new}"), field)
        # running it again (a second upgrade) changes nothing
        migration.migrate(cr, "19.0.2.0.0")
        self.assertEqual(company.outreach_word_budget, 123)

    def test_template_helpers_renamed_in_templates(self):
        """19.0.2.0.0: templates and manual step messages calling `object._passive_*()` (the
        shipped noupdate ones and the recruiters' own) call `object._outreach_*()` in every
        language, and render."""
        migration = _load_migration("19.0.2.0.0", "post-template_helpers")
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref("hr_recruitment_passive.mail_template_work_anniversary")
        own = self.env["mail.template"].create(
            {
                "name": "Own template",
                "model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "subject": "Hi",
                "body_html": "<p>x</p>",
            }
        )
        sms = self.env["sms.template"].create(
            {
                "name": "Own SMS",
                "model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "body": "x",
            }
        )
        drip = self.env["hr.recruitment.drip"].create(
            {
                "name": "Migration drip",
                "step_ids": [
                    Command.create(
                        {
                            "name": "Call",
                            "channel": "phone",
                            "variant_ids": [Command.create({"name": "A", "body": "x"})],
                        }
                    )
                ],
            }
        )
        variant = drip.step_ids.variant_ids
        self.env.flush_all()
        cr = self.env.cr
        old_body = (
            "<p><t t-out=\"object._passive_facts().department or 'none'\"/> / "
            '<t t-out="object._passive_years_since()"/></p>'
        )
        cr.execute(
            "UPDATE mail_template SET body_html = %s WHERE id IN %s",
            [json.dumps({"en_US": old_body, "fr_FR": old_body}), (template.id, own.id)],
        )
        cr.execute(
            "UPDATE mail_template SET subject = %s WHERE id = %s",
            [json.dumps({"en_US": "{{ object._passive_match_reason() }}"}), own.id],
        )
        cr.execute(
            "UPDATE sms_template SET body = %s WHERE id = %s",
            [json.dumps({"en_US": "{{ object._passive_facts().department }}"}), sms.id],
        )
        cr.execute(
            "UPDATE hr_recruitment_drip_step_variant SET body = %s WHERE id = %s",
            ["Mention {{ object._passive_facts().department }}", variant.id],
        )
        self.env.invalidate_all()

        migration.migrate(cr, "19.0.1.2.0")
        self.env.invalidate_all()
        for record in (template, own):
            for lang in ("en_US", "fr_FR"):
                body = record.with_context(lang=lang).body_html
                self.assertIn("object._outreach_facts().department", body)
                self.assertIn("object._outreach_years_since()", body)
                self.assertNotIn("_passive_", body)
        self.assertEqual(own.subject, "{{ object._outreach_match_reason() }}")
        self.assertEqual(sms.body, "{{ object._outreach_facts().department }}")
        self.assertEqual(variant.body, "Mention {{ object._outreach_facts().department }}")
        talent = self.env["hr.applicant"].create(
            {"partner_name": "Migrated Talent", "is_passive_candidate": True}
        )
        rendered = own._render_field("body_html", talent.ids)[talent.id]
        self.assertNotIn("_outreach_", rendered, "the helpers render")
