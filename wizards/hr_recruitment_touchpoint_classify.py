from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..models.hr_recruitment_touchpoint_reply import REPLY_CLASSES


class HrRecruitmentTouchpointClassify(models.TransientModel):
    _name = "hr.recruitment.touchpoint.classify"
    _description = "Classify a Candidate Reply"

    touchpoint_id = fields.Many2one(
        "hr.recruitment.touchpoint", string="Reply", required=True, ondelete="cascade"
    )
    applicant_id = fields.Many2one(related="touchpoint_id.applicant_id")
    reply_text = fields.Text(compute="_compute_reply_text")
    reply_class_suggestion = fields.Selection(related="touchpoint_id.reply_class_suggestion")
    reply_class = fields.Selection(REPLY_CLASSES, string="The reply means", required=True)
    snoozed_until = fields.Date(
        string="Contact again from",
        compute="_compute_snoozed_until",
        store=True,
        readonly=False,
    )
    reason = fields.Char(help="Why the candidate is not interested.")

    @api.depends("touchpoint_id")
    def _compute_reply_text(self):
        Classifier = self.env["hr.recruitment.reply.classifier"]
        for wizard in self:
            touchpoint = wizard.touchpoint_id
            wizard.reply_text = Classifier._reply_text(
                body_html=touchpoint.mail_message_id.body, text=touchpoint.summary
            )

    @api.depends("touchpoint_id", "reply_class")
    def _compute_snoozed_until(self):
        for wizard in self:
            if wizard.reply_class != "not_now" or wizard.snoozed_until:
                continue
            wizard.snoozed_until = wizard.touchpoint_id._get_reply_date_suggestion() or (
                fields.Date.context_today(self) + relativedelta(months=3)
            )

    def action_apply(self):
        self.ensure_one()
        return self.touchpoint_id._apply_reply_class(
            self.reply_class, until=self.snoozed_until, reason=self.reason
        )
