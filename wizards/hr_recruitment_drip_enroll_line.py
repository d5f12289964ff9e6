from odoo import fields, models


class HrRecruitmentDripEnrollLine(models.TransientModel):
    _name = "hr.recruitment.drip.enroll.line"
    _description = "Drip Enrollment Result"
    _order = "result, id"

    wizard_id = fields.Many2one("hr.recruitment.drip.enroll", required=True, ondelete="cascade")
    applicant_id = fields.Many2one("hr.applicant", string="Candidate", required=True)
    result = fields.Selection([("enrolled", "Enrolled"), ("skipped", "Skipped")], required=True)
    reason = fields.Char()
    enrollment_id = fields.Many2one("hr.recruitment.drip.enrollment")
