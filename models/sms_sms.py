from odoo import models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def _handle_call_result_hook(self, results):
        """An SMS the provider refused is a failed touchpoint, and its drip waits or stops
        instead of going on."""
        res = super()._handle_call_result_hook(results)
        for failure_type, sms_all in (
            self.filtered(lambda sms: sms.state == "error" and sms.mail_message_id)
            .grouped("failure_type")
            .items()
        ):
            self.env["hr.recruitment.touchpoint"]._on_delivery_failure(
                sms_all.mail_message_id, "sms", failure_type or "unknown", {}
            )
        return res
