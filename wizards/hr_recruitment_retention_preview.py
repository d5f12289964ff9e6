from odoo import fields, models


class HrRecruitmentRetentionPreview(models.TransientModel):
    """Dry run of the retention rule: every record its next run would change."""

    _name = "hr.recruitment.retention.preview"
    _description = "Retention Rule Dry Run"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    talent_count = fields.Integer(string="Talents to Anonymize", readonly=True)
    line_ids = fields.One2many(
        "hr.recruitment.retention.preview.line", "preview_id", string="Records to Change"
    )


class HrRecruitmentRetentionPreviewLine(models.TransientModel):
    _name = "hr.recruitment.retention.preview.line"
    _inherit = "hr.recruitment.retention.line.mixin"
    _description = "Retention Rule Dry Run Line"

    preview_id = fields.Many2one(
        "hr.recruitment.retention.preview", required=True, ondelete="cascade"
    )
