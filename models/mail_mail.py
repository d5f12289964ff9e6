from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        """An email to a candidate that did not leave (SMTP refused, invalid address) is a
        failed touchpoint, and its drip waits or stops instead of going on."""
        failed = self.filtered(lambda mail: mail.state == "exception") if failure_type else self
        failed_messages = failed.mail_message_id if failure_type else self.env["mail.message"]
        reasons = {mail.mail_message_id.id: mail.failure_reason for mail in failed}
        res = super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )
        if failed_messages:
            self.env["hr.recruitment.touchpoint"]._on_delivery_failure(
                failed_messages, "email", failure_type, reasons
            )
        return res
