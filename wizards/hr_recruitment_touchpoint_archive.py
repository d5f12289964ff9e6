from odoo import fields, models


class HrRecruitmentTouchpointArchive(models.TransientModel):
    _name = "hr.recruitment.touchpoint.archive"
    _description = "Archive Touchpoints with a Reason"

    touchpoint_ids = fields.Many2many("hr.recruitment.touchpoint", string="Touchpoints")
    reason = fields.Char(required=True, help="Logged on each candidate's chatter.")

    def action_archive(self):
        self.ensure_one()
        self.touchpoint_ids._archive_with_reason(self.reason)
        return {"type": "ir.actions.act_window_close"}
