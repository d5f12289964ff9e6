"""The engagement, cleanup and retention crons moved from hr.applicant to the abstract models
that hold their rules. Their records are noupdate: point the existing ones at the new model and
method, so that an upgraded database keeps one scheduled action per job (and its settings)."""

from odoo import SUPERUSER_ID, api

CRONS = {
    "ir_cron_recompute_engagement": (
        "hr.recruitment.engagement",
        "model._cron_recompute_engagement()",
    ),
    "ir_cron_outreach_cleanup": ("hr.recruitment.cleanup", "model._cron_remove_unresponsive()"),
    "ir_cron_outreach_retention": (
        "hr.recruitment.retention",
        "model._cron_anonymize_expired()",
    ),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, (model_name, code) in CRONS.items():
        cron = env.ref(f"hr_recruitment_passive.{xmlid}", raise_if_not_found=False)
        if cron:
            cron.write({"model_id": env["ir.model"]._get_id(model_name), "code": code})
