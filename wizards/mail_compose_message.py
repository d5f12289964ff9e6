import ast

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
        if notices and self.model == "hr.applicant":
            Company = self.env["res.company"]
            for res_id, values in values_all.items():
                notice = notices.get(res_id)
                if not notice:
                    continue
                block = Company._outreach_privacy_notice_block(notice)
                for fname in ("body", "body_html"):
                    if values.get(fname):
                        values[fname] = Markup(values[fname]) + block
        self._add_outreach_thread_quotes(values_all)
        return values_all

    def _add_outreach_thread_quotes(self, values_all):
        """Quote the previous drip email at the end of the email sent (not the chatter copy),
        before the mailing layout wraps it (context `outreach_thread_values`, see below)."""
        threads = self.env.context.get("outreach_thread_values")
        if not threads or self.model != "hr.applicant":
            return
        for res_id, values in values_all.items():
            quote = (threads.get(res_id) or {}).get("quote")
            if quote and values.get("body_html"):
                values["body_html"] = Markup(values["body_html"]) + quote

    def _prepare_mail_values(self, res_ids):
        """Send as a reply where the drip asks for it (context `outreach_thread_values`,
        {applicant id: values of hr.recruitment.drip.enrollment._get_thread_values}): the
        subject of the conversation, In-Reply-To and References of the previous drip
        email(s), then this email's own Message-Id (the quote: _add_outreach_thread_quotes)."""
        values_all = super()._prepare_mail_values(res_ids)
        threads = self.env.context.get("outreach_thread_values")
        if not threads or self.model != "hr.applicant" or self.composition_mode != "mass_mail":
            return values_all
        for res_id, values in values_all.items():
            thread = threads.get(res_id)
            if not thread:
                continue
            headers = ast.literal_eval(values.get("headers") or "{}")
            headers["In-Reply-To"] = thread["in_reply_to"]
            values.update(
                subject=thread["subject"],
                references=" ".join(filter(None, (thread["references"], values["message_id"]))),
                headers=repr(headers),
            )
        return values_all

    def _get_optout_emails(self, mail_values_dict):
        """Called once per composer batch: let the contact policy look at this batch's
        candidates only, not at the mailing's whole audience every time."""
        composer = self
        if self.model == "hr.applicant":
            composer = self.with_context(outreach_optout_res_ids=list(mail_values_dict))
        return super(MailComposeMessage, composer)._get_optout_emails(mail_values_dict)
