import importlib.util
from pathlib import Path

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
