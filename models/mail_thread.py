from odoo import api, fields, models
from odoo.tools import html2plaintext

from ..tools.auto_reply import is_auto_reply
from ..tools.dates import parse_return_date


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        # the sender and, for an automatic answer, its return date, for the hooks below
        # (touchpoint logging, drip traces) that must tell the candidate's own replies apart
        context = {"outreach_inbound_email_from": message_dict.get("email_from") or ""}
        subject = message_dict.get("subject") or ""
        if is_auto_reply(message, subject):
            text = f"{subject}\n{html2plaintext(message_dict.get('body') or '')}"
            until = parse_return_date(text, fields.Date.context_today(self))
            context["outreach_auto_reply"] = {"until": until}
        return super(MailThread, self.with_context(**context))._message_route_process(
            message, message_dict, routes
        )
