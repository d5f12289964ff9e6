from odoo import fields, models
from odoo.exceptions import UserError


class HrRecruitmentRetentionPreview(models.TransientModel):
    """Dry run of the retention rule: every record its next run would change."""

    _name = "hr.recruitment.retention.preview"
    _description = "Retention Rule Dry Run"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    talent_count = fields.Integer(string="Talents to Anonymize", readonly=True)
    line_ids = fields.One2many(
        "hr.recruitment.retention.preview.line", "preview_id", string="Records to Change"
    )
    erasure_talent_id = fields.Many2one(
        "hr.applicant",
        string="Deletion Request Of",
        readonly=True,
        help="The dry run of one candidate's deletion request (else of the next run).",
    )

    def action_erase_now(self):
        """Anonymize the candidate of this deletion request now, as the retention rule would."""
        self.ensure_one()
        talent = self.erasure_talent_id
        talent.check_access("write")
        Retention = self.env["hr.recruitment.retention"]
        if not talent.erasure_requested_date or talent.anonymized_date:
            raise UserError(self.env._("This candidate has no pending deletion request."))
        if Retention._erasure_blocked(talent):
            raise UserError(
                self.env._(
                    "%(name)s has an ongoing application or was hired: close or refuse it "
                    "first, or keep the data and tell the candidate why.",
                    name=talent.partner_name,
                )
            )
        Retention._erase_now(talent)
        return {"type": "ir.actions.act_window_close"}


class HrRecruitmentRetentionPreviewLine(models.TransientModel):
    _name = "hr.recruitment.retention.preview.line"
    _inherit = "hr.recruitment.retention.line.mixin"
    _description = "Retention Rule Dry Run Line"

    preview_id = fields.Many2one(
        "hr.recruitment.retention.preview", required=True, ondelete="cascade"
    )
