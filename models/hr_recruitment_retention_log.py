from odoo import fields, models

RETENTION_OPERATIONS = [
    ("anonymize", "Anonymized"),
    ("delete", "Deleted"),
    ("clear", "Personal data cleared"),
    ("stop", "Outreach stopped"),
]


class HrRecruitmentRetentionLineMixin(models.AbstractModel):
    """One record the retention rule changes: named by model, id and a reference that carries
    no personal data (shared by the dry run and the log of a run)."""

    _name = "hr.recruitment.retention.line.mixin"
    _description = "Retention Rule Line"
    _order = "id"

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_model_name = fields.Char(string="Record Type", readonly=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    operation = fields.Selection(RETENTION_OPERATIONS, required=True, readonly=True)
    reference = fields.Char(
        readonly=True, help="What the record is, without personal data (type, date, job...)."
    )


class HrRecruitmentRetentionLog(models.Model):
    """One run of the retention rule in one company: what it changed, for administrators."""

    _name = "hr.recruitment.retention.log"
    _description = "Retention Rule Run"
    _order = "date desc, id desc"
    _rec_name = "date"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    talent_count = fields.Integer(string="Talents Anonymized", readonly=True)
    line_ids = fields.One2many(
        "hr.recruitment.retention.log.line", "log_id", string="Records Changed", readonly=True
    )
    line_count = fields.Integer(string="Number of Records Changed", readonly=True)
    failure_count = fields.Integer(
        string="Talents Failed",
        readonly=True,
        help="Talents that could not be anonymized (server log: talent id and error type); "
        "they are left unchanged and retried on the next run.",
    )


class HrRecruitmentRetentionLogLine(models.Model):
    _name = "hr.recruitment.retention.log.line"
    _inherit = "hr.recruitment.retention.line.mixin"
    _description = "Retention Rule Run Line"

    log_id = fields.Many2one(
        "hr.recruitment.retention.log", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="log_id.company_id", store=True)
