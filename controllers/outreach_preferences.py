from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import Response, request

SNOOZE_MONTHS = (1, 3, 6, 12)


def render_invalid_link():
    """The "this link is not valid any more" page (404). Same answer for an unknown id, a
    forged, expired, stale or garbled token, or one made for another purpose: nothing to
    enumerate."""
    return request.render(
        "hr_recruitment_passive.outreach_link_invalid",
        {"company": request.env.company.sudo(), "candidate": request.env["hr.applicant"]},
        status=404,
    )


class OutreachPreferenceController(http.Controller):
    """Public pages a candidate reaches from a signed link in our messages."""

    def _get_candidate(self, token, purpose):
        applicant, _extra_ids = self._get_applicant(token, purpose)
        return applicant._get_talent() if applicant else applicant

    def _get_applicant(self, token, purpose):
        # sudo: a public visitor; the signed token is the access right to this one candidate
        return request.env["hr.applicant"].sudo()._get_applicant_from_outreach_token(token, purpose)

    def _render(self, template, candidate, status=200, **values):
        company = candidate.company_id if candidate else request.env.company
        if candidate:
            request.update_context(lang=candidate._get_outreach_lang())
        return request.render(
            template,
            # sudo: the public visitor reads the company's name, logo and privacy notice
            {"company": company.sudo(), "candidate": candidate, **values},
            status=status,
        )

    def _render_invalid(self):
        return render_invalid_link()

    def _preference_values(self, candidate, token):
        Applicant = request.env["hr.applicant"]
        today = fields.Date.context_today(candidate)
        return {
            "token": token,
            "channels": Applicant._fields["preferred_channel"]._description_selection(request.env),
            "openness_options": Applicant._fields["openness"]._description_selection(request.env),
            "timing_options": Applicant._fields["desired_timing"]._description_selection(
                request.env
            ),
            "snooze_options": [
                (months, today + relativedelta(months=months)) for months in SNOOZE_MONTHS
            ],
            "min_date": today + relativedelta(days=1),
        }

    @http.route(
        "/recruitment/preferences/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def outreach_preferences(self, token, **kwargs):
        candidate = self._get_candidate(token, "preference")
        if not candidate:
            return self._render_invalid()
        return self._render(
            "hr_recruitment_passive.outreach_preferences_page",
            candidate,
            **self._preference_values(candidate, token),
        )

    @http.route(
        "/recruitment/preferences/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def outreach_preferences_submit(self, token, action=None, **post):
        candidate = self._get_candidate(token, "preference")
        if not candidate:
            return self._render_invalid()
        request.update_context(lang=candidate._get_outreach_lang())
        done, error = False, False
        try:
            done = self._apply_preference(candidate, action, post)
        except (UserError, ValueError) as exc:
            # the model checks every input before it writes: nothing was changed
            error = (
                exc.args[0]
                if isinstance(exc, UserError)
                else request.env._("We could not read your answer; please try again.")
            )
        return self._render(
            "hr_recruitment_passive.outreach_preferences_page",
            candidate,
            status=400 if error else 200,
            done=done,
            error=error,
            **self._preference_values(candidate, token),
        )

    def _apply_preference(self, candidate, action, post):
        """Apply one choice of the preference page; return the confirmation to show."""
        if action == "channel":
            candidate._outreach_set_preferred_channel(post.get("channel"))
            return request.env._("Thank you, we will use the channel you chose.")
        if action == "snooze":
            until = post.get("snooze_preset") or post.get("snooze_until") or ""
            candidate._outreach_snooze(fields.Date.to_date(until) if until else None)
            return request.env._(
                "Noted: we will not contact you before %(date)s.",
                date=candidate.outreach_snoozed_until,
            )
        if action == "frequency":
            candidate._outreach_reduce_frequency()
            return request.env._("Noted: you will hear from us less often.")
        if action == "openness":
            candidate._outreach_update_openness(post.get("openness"), post.get("timing"))
            return request.env._("Thank you for letting us know where you stand.")
        if action == "stop":
            candidate._outreach_opt_out("preference page")
            return request.env._("You will not be contacted again by our recruiters.")
        raise UserError(request.env._("Choose one of the options on this page."))

    # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no session, hence no CSRF
    @http.route(
        "/recruitment/unsubscribe/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
    )
    def outreach_unsubscribe(self, token, **post):
        candidate = self._get_candidate(token, "unsubscribe")
        if request.httprequest.method == "POST":
            if not candidate:
                return self._render_invalid()
            if not candidate.outreach_opted_out:
                candidate._outreach_opt_out("one-click unsubscribe")
            if post.get("List-Unsubscribe") == "One-Click":
                return Response(status=200)
            return self._render("hr_recruitment_passive.outreach_unsubscribed_page", candidate)
        if not candidate:
            return self._render_invalid()
        return self._render(
            "hr_recruitment_passive.outreach_unsubscribe_page",
            candidate,
            token=token,
            preference_token=candidate._get_outreach_token("preference"),
        )

    @http.route(
        "/recruitment/s/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def outreach_sms_link(self, token, **kwargs):
        """The short preference link of an SMS: on to the preference page."""
        applicant, _extra_ids = self._get_applicant(token, "sms")
        url = applicant._get_outreach_preference_url() if applicant else ""
        if not url:
            return self._render_invalid()
        return request.redirect(url, code=303, local=False)

    @http.route(
        "/recruitment/resource/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def outreach_resource_link(self, token, **kwargs):
        """A candidate's link to a shared resource: count the click of that share, then go to
        the resource."""
        applicant, extra_ids = self._get_applicant(token, "resource")
        # sudo: a link.tracker is read by employees only; the signed token names this one
        tracker = request.env["link.tracker"].sudo().browse(extra_ids).exists()
        if not applicant or not tracker:
            return self._render_invalid()
        if not request.env["ir.http"].is_a_bot():
            touchpoint = (
                # sudo: the public visitor reads the one share its signed link names
                request.env["hr.recruitment.touchpoint"]
                .sudo()
                .search([("link_tracker_id", "=", tracker.id)], limit=1)
            )
            # sudo: clicks are recorded for anonymous visitors, as Odoo's /r/<code> route does
            request.env["link.tracker.click"].sudo().add_click(
                tracker.code,
                ip=request.httprequest.remote_addr,
                country_code=request.geoip.country_code,
                mailing_trace_id=touchpoint.mailing_trace_id.id,
            )
        return request.redirect(tracker.redirected_url, code=302, local=False)
