from odoo import api, models


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def get_param(self, key, default=False):
        """A drip batch is rendered by Odoo's mass-mail composer in one chunk (context
        `outreach_mail_batch_size`, set by the drip's send path) instead of chunks of
        'mail.batch_size' (50): each chunk costs ~30 queries and a cache reset."""
        if key == "mail.batch_size" and self.env.context.get("outreach_mail_batch_size"):
            return str(self.env.context["outreach_mail_batch_size"])
        return super().get_param(key, default)
