from odoo import fields, models


class HrRecruitmentDripEnrollmentStop(models.TransientModel):
    _name = "hr.recruitment.drip.enrollment.stop"
    _description = "Stop a Drip Enrollment"

    enrollment_ids = fields.Many2many(
        "hr.recruitment.drip.enrollment",
        "hr_recruitment_drip_enrollment_stop_rel",
        "wizard_id",
        "enrollment_id",
        string="Enrollments",
    )
    reason = fields.Text(
        string="Why", required=True, help="Kept on the enrollment; it can be resumed later."
    )

    def action_stop(self):
        self.ensure_one()
        self.enrollment_ids._stop_by_hand(self.reason)
        return {"type": "ir.actions.act_window_close"}
