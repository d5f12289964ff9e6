from odoo import fields, models

from .hr_recruitment_outreach_field import REQUIRED_FIELD_HELP


class SmsTemplate(models.Model):
    _name = "sms.template"
    _inherit = ["sms.template", "hr.recruitment.outreach.requirement.mixin"]

    outreach_required_field_ids = fields.Many2many(
        "hr.recruitment.outreach.field",
        "sms_template_outreach_required_field_rel",
        string="Required Candidate Values",
        help=REQUIRED_FIELD_HELP,
        column1="template_id",
        column2="outreach_field_id",
    )
