from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # --- value in every message (issue 5) ---
    passive_occasion_auto_email = fields.Boolean(
        related="company_id.passive_occasion_auto_email", readonly=False
    )
    passive_outreach_word_budget = fields.Integer(
        related="company_id.passive_outreach_word_budget", readonly=False
    )
    # --- end value in every message ---
