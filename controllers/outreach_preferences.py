import json
from datetime import date, datetime

from babel.units import format_unit
from dateutil.relativedelta import relativedelta

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import Response, content_disposition, request
from odoo.tools import format_date
from odoo.tools.misc import babel_locale_parse

SNOOZE_MONTHS = (1, 3, 6, 12)


def _json_value(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


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

    def _format_date(self, candidate, value):
        """A date (or the day of a datetime) in the candidate's language: "3 December 2026"."""
        lang = candidate._get_outreach_lang()
        return format_date(request.env, value, lang_code=lang, date_format="long")

    def _months_label(self, candidate, months):
        """ "1 month", "3 months", "3 mois": CLDR plurals of the candidate's language."""
        locale = babel_locale_parse(candidate._get_outreach_lang())
        return format_unit(months, "duration-month", length="long", locale=locale)

    def _personal_data_values(self, candidate):
        """What we keep, with dates written for the candidate (the page's "What we keep")."""
        data = candidate._outreach_personal_data()
        return {
            "profile": [
                (label, self._format_date(candidate, value) if isinstance(value, date) else value)
                for _name, label, value in data["profile"]
            ],
            "applications": [
                (job, self._format_date(candidate, applied_on))
                for job, applied_on in data["applications"]
            ],
            "touchpoints": [
                dict(touchpoint, date=self._format_date(candidate, touchpoint["date"]))
                for touchpoint in data["touchpoints"]
            ],
        }

    def _preference_values(self, candidate, token):
        Applicant = request.env["hr.applicant"]
        today = fields.Date.context_today(candidate)
        erasure_date = candidate.erasure_requested_date
        return {
            "format_date": lambda value: self._format_date(candidate, value),
            "personal_data": self._personal_data_values(candidate),
            "erasure_requested_on": erasure_date and self._format_date(candidate, erasure_date),
            "erasure_due_on": erasure_date
            and self._format_date(
                candidate, request.env["hr.recruitment.retention"]._erasure_due_date(candidate)
            ),
            "token": token,
            "channels": Applicant._fields["preferred_channel"]._description_selection(request.env),
            "openness_options": Applicant._fields["openness"]._description_selection(request.env),
            "timing_options": Applicant._fields["desired_timing"]._description_selection(
                request.env
            ),
            "snooze_options": [
                (self._months_label(candidate, months), today + relativedelta(months=months))
                for months in SNOOZE_MONTHS
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
    def outreach_preferences(self, token, erase=None, **kwargs):
        candidate = self._get_candidate(token, "preference")
        if not candidate:
            return self._render_invalid()
        return self._render(
            "hr_recruitment_passive.outreach_preferences_page",
            candidate,
            # ?erase=1: the confirmation step of a deletion request; nothing changes until the
            # candidate confirms it (POST erase_confirm)
            confirm_erasure=erase == "1",
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
                date=self._format_date(candidate, candidate.outreach_snoozed_until),
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
        if action == "erase_confirm":
            candidate._outreach_request_erasure()
            return request.env._(
                "We received your request: we will not contact you again, and your data will "
                "be deleted by %(date)s.",
                date=self._format_date(
                    candidate, request.env["hr.recruitment.retention"]._erasure_due_date(candidate)
                ),
            )
        raise UserError(request.env._("Choose one of the options on this page."))

    @http.route(
        "/recruitment/preferences/<string:token>/download",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def outreach_preferences_download(self, token, **kwargs):
        """A copy of what we keep, as JSON: the same data as the page, bound to the same
        signed link."""
        candidate = self._get_candidate(token, "preference")
        if not candidate:
            return self._render_invalid()
        request.update_context(lang=candidate._get_outreach_lang())
        data = candidate._outreach_personal_data()
        body = {
            "company": candidate.company_id.name,
            "exported_on": fields.Datetime.now().isoformat(),
            "profile": {
                name: {"label": label, "value": _json_value(value)}
                for name, label, value in data["profile"]
            },
            "applications": [
                {"job": job, "applied_on": _json_value(applied_on)}
                for job, applied_on in data["applications"]
            ],
            "touchpoints": [
                {key: _json_value(value) for key, value in touchpoint.items()}
                for touchpoint in data["touchpoints"]
            ],
            "deletion_requested_on": _json_value(candidate.erasure_requested_date or None),
        }
        payload = json.dumps(body, ensure_ascii=False, indent=2).encode()
        return request.make_response(
            payload,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", content_disposition("my-data.json")),
                ("Content-Length", str(len(payload))),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

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
