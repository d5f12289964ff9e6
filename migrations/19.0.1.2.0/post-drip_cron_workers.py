"""The drip's scheduled action becomes one per cron worker (data/ir_cron_data.xml, noupdate):
the upgrade creates worker 2/2; the existing action, still running every candidate, becomes
worker 1/2 (unless an administrator changed its code)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref(
        "hr_recruitment_passive.ir_cron_drip_process_due_steps", raise_if_not_found=False
    )
    if cron and cron.code.strip() == "model._cron_process_due_steps()":
        cron.write(
            {
                "name": "Drip sequences: process due steps (worker 1/2)",
                "code": "model._cron_process_due_steps(worker=1, workers=2)",
            }
        )
