from odoo import api, fields, models
from odoo.tools import email_normalize, html2plaintext

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
        routes = self._outreach_route_to_talent(message_dict, routes)
        return super(MailThread, self.with_context(**context))._message_route_process(
            message, message_dict, routes
        )

    @api.model
    def _outreach_route_to_talent(self, message_dict, routes):
        """An email an incoming mail server fetched from a recruiter's own mailbox, set to
        create applicants, that Odoo cannot thread (no In-Reply-To or References of a message
        it sent): when it comes from a candidate of a drip, it goes to their talent as a reply
        instead of creating an applicant."""
        if not self.env.context.get("default_fetchmail_server_id"):
            return routes
        if not any(model == "hr.applicant" and not thread_id for model, thread_id, *_ in routes):
            return routes
        email = email_normalize(message_dict.get("email_from") or "")
        if not email:
            return routes
        enrollment = (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: the mail gateway looks for the talent a drip wrote to
            .sudo()
            .search([("applicant_id.email_normalized", "=", email)], order="id desc", limit=1)
        )
        if not enrollment:
            return routes
        return [
            (model, enrollment.applicant_id.id, *rest)
            if model == "hr.applicant" and not thread_id
            else (model, thread_id, *rest)
            for model, thread_id, *rest in routes
        ]
