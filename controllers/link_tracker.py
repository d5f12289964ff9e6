from odoo import fields, http
from odoo.http import request

from odoo.addons.link_tracker.controller.main import LinkTracker
from odoo.addons.mass_mailing.controllers.main import MassMailController

from ..models.hr_recruitment_resource import RESOURCE_LINK_LABEL_PREFIX
from .outreach_preferences import render_invalid_link


def is_expired_resource_code(code):
    """Whether `code` is the /r/<code> of a resource share sent before signed links and the
    transition period is over (a 3-character code is guessable, and its clicks count for the
    candidate): since then a share's link is /recruitment/resource/<token>."""
    # sudo: public visitor; only the label of the code's tracker is looked at
    tracker = request.env["link.tracker.code"].sudo().search([("code", "=", code)]).link_id
    if not (tracker.label or "").startswith(RESOURCE_LINK_LABEL_PREFIX):
        return False
    legacy_end = request.env["hr.applicant"]._get_outreach_legacy_links_end()
    return not legacy_end or fields.Date.today() > legacy_end


class OutreachLinkTracker(LinkTracker):
    @http.route()
    def full_url_redirect(self, code, **post):
        if is_expired_resource_code(code):
            return render_invalid_link()
        return super().full_url_redirect(code, **post)


class OutreachLinkTrackerMassMail(MassMailController):
    @http.route()
    def full_url_redirect(self, code, mailing_trace_id, **post):
        # the same link in a drip email, with the email's trace
        if is_expired_resource_code(code):
            return render_invalid_link()
        return super().full_url_redirect(code, mailing_trace_id, **post)
