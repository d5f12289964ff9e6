from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # --- value in every message (issue 5) ---
    passive_occasion_auto_email = fields.Boolean(
        string="Send Occasion Emails Automatically",
        help="Work anniversaries and other occasions of passive candidates who prefer email are "
        "emailed automatically. Otherwise the recruiter gets an activity with the message ready "
        "to send or paste into LinkedIn.",
    )
    passive_outreach_word_budget = fields.Integer(
        string="Outreach Word Budget",
        default=150,
        help="Outreach templates longer than this many words are flagged as too long.",
    )
    # --- end value in every message ---
