from markupsafe import Markup

from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values_dynamic(self, res_ids):
        """Append the privacy notice due to each recipient (context `outreach_privacy_notices`,
        {applicant id: HTML}, set by the drip) after rendering: any template carries it, and
        the batch stays one render call."""
        values_all = super()._prepare_mail_values_dynamic(res_ids)
        notices = self.env.context.get("outreach_privacy_notices")
        if not notices or self.model != "hr.applicant":
            return values_all
        Company = self.env["res.company"]
        for res_id, values in values_all.items():
            notice = notices.get(res_id)
            if not notice:
                continue
            block = Company._outreach_privacy_notice_block(notice)
            for fname in ("body", "body_html"):
                if values.get(fname):
                    values[fname] = Markup(values[fname]) + block
        return values_all

    def _get_optout_emails(self, mail_values_dict):
        """Called once per composer batch: let the contact policy look at this batch's
        candidates only, not at the mailing's whole audience every time."""
        composer = self
        if self.model == "hr.applicant":
            composer = self.with_context(passive_optout_res_ids=list(mail_values_dict))
        return super(MailComposeMessage, composer)._get_optout_emails(mail_values_dict)
