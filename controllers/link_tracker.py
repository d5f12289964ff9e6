from odoo import fields, http
from odoo.http import request

from odoo.addons.link_tracker.controller.main import LinkTracker

from ..models.hr_recruitment_resource import RESOURCE_LINK_LABEL_PREFIX
from .outreach_preferences import render_invalid_link


class OutreachLinkTracker(LinkTracker):
    @http.route()
    def full_url_redirect(self, code, **post):
        """A resource shared before signed links went out as /r/<code>: it works until the end
        of the transition period, then shows the invalid-link page (a 3-character code is
        guessable, and its clicks count for the candidate)."""
        # sudo: public visitor; only the label of the code's tracker is looked at
        tracker = request.env["link.tracker.code"].sudo().search([("code", "=", code)]).link_id
        if (tracker.label or "").startswith(RESOURCE_LINK_LABEL_PREFIX):
            legacy_end = request.env["hr.applicant"]._get_outreach_legacy_links_end()
            if not legacy_end or fields.Date.today() > legacy_end:
                return render_invalid_link()
        return super().full_url_redirect(code, **post)
