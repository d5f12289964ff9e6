import re

from markupsafe import Markup

from odoo import api, fields, models

from ..tools import outreach_token

# a candidate link in a text: the token (last path segment) is what _outreach_redact_links hides
OUTREACH_LINK_RE = re.compile(r"(/recruitment/(?:preferences|unsubscribe|resource|s)/)[^\s\"'<>&]+")


class HrRecruitmentOutreachLink(models.AbstractModel):
    """The links a candidate receives (preference page, one-click unsubscribe, shared resource,
    SMS short link): signed single-purpose tokens (tools/outreach_token.py), their URLs for
    templates, the unsubscribe headers, and the redaction of tokens in what recruiters read.
    Mixed into hr.applicant."""

    _name = "hr.recruitment.outreach.link"
    _description = "Candidate Links"

    def _get_outreach_token_binding(self):
        """The address a candidate's links are bound to: the email, else (a candidate reached by
        SMS only) the phone. Changing it voids the links; without any, no link is valid."""
        self.ensure_one()
        return self.email_normalized or self.phone_sanitized or ""

    def _get_outreach_token(self, purpose, *extra_ids):
        """Signed token of one purpose of models/outreach_token.py (preference, unsubscribe,
        resource, sms) for this candidate, or "" when it has no email nor phone."""
        self.ensure_one()
        binding = self._get_outreach_token_binding()
        if not binding:
            return ""
        ids = (self.id, *extra_ids)
        return outreach_token.make_token(self.env, purpose, ids, binding, fields.Date.today())

    @api.model
    def _get_applicant_from_outreach_token(self, token, purpose):
        """Return (candidate, extra ids) of a valid token of `purpose`, or (empty, ()): forged,
        garbled, expired, another purpose's, or stale (the address changed since) tokens match
        nothing. Old-format links are accepted until the end of their transition period."""
        today = fields.Date.today()
        legacy_id = outreach_token.legacy_token_id(
            token, purpose, self._get_outreach_legacy_links_end(), today
        )
        if legacy_id:
            applicant = self.sudo().browse(legacy_id).exists()
            if applicant and outreach_token.check_legacy_token(
                self.env, token, legacy_id, applicant.email_normalized
            ):
                return applicant, ()
            return self.browse(), ()
        parsed = outreach_token.parse_token(token, purpose, today)
        if not parsed:
            return self.browse(), ()
        (applicant_id, *extra_ids), expires = parsed
        applicant = self.sudo().browse(applicant_id).exists()
        if not applicant or not outreach_token.check_token(
            self.env,
            token,
            purpose,
            (applicant_id, *extra_ids),
            expires,
            applicant._get_outreach_token_binding(),
        ):
            return self.browse(), ()
        return applicant, tuple(extra_ids)

    @api.model
    def _get_outreach_legacy_links_end(self):
        """Last day old-format links work (set by the upgrade that introduced signed tokens)."""
        value = self.env["ir.config_parameter"].sudo().get_param(outreach_token.LEGACY_LINKS_PARAM)
        try:
            return fields.Date.to_date(value) if value else None
        except ValueError:
            return None

    def _get_outreach_link(self, route, purpose, *extra_ids):
        self.ensure_one()
        # a candidate in memory (template checks and previews) gets a link that opens nothing
        origin = self._origin
        token = origin._get_outreach_token(purpose, *extra_ids) if origin.id else "preview"
        return f"{self.get_base_url()}/recruitment/{route}/{token}" if token else ""

    def _get_outreach_preference_url(self):
        """Public URL of the candidate's preference page (controllers/ serves it)."""
        return self._get_outreach_link("preferences", "preference")

    def _get_outreach_resource_url(self):
        """The candidate's own tracked link to the resource being shared (share wizard: one
        candidate per render, `outreach_resource_url`; drip step: `outreach_resource_urls` by
        id)."""
        self.ensure_one()
        context = self.env.context
        return (context.get("outreach_resource_urls") or {}).get(self.id) or context.get(
            "outreach_resource_url", ""
        )

    def _get_outreach_resource_link(self, tracker):
        """Signed link to a shared resource: counts the click of this share (`tracker`, the
        share's link.tracker) and redirects to the resource."""
        return self._get_outreach_link("resource", "resource", tracker.id)

    def _get_outreach_unsubscribe_url(self):
        """Public one-click unsubscribe URL (GET shows a confirmation, POST unsubscribes)."""
        return self._get_outreach_link("unsubscribe", "unsubscribe")

    def _get_outreach_preference_short_url(self):
        """Short link to the preference page, for SMS (a short-lived signed token, nothing
        stored: /recruitment/s/<token> redirects to the preference page)."""
        return self._get_outreach_link("s", "sms")

    def _get_outreach_mail_headers(self):
        """RFC 8058 one-click unsubscribe headers for an automated email to this candidate
        (pass them as `mail_headers` to message_post or as `headers` of a mail.mail)."""
        self.ensure_one()
        return {
            "List-Unsubscribe": f"<{self._get_outreach_unsubscribe_url()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }

    @api.model
    def _outreach_redact_links(self, text):
        """`text` without the tokens of the candidate links it contains: for what recruiters
        read (touchpoint summaries, activity notes), the links stay in the candidate's hands."""
        return OUTREACH_LINK_RE.sub(r"\1…", text) if text else text

    @api.model
    def _outreach_redact_message_links(self, messages):
        """Hide the candidate link tokens in the chatter copy of messages sent (drip emails and
        SMS, occasion emails, resource shares): the email or SMS sent has its own body."""
        for message in messages.sudo():  # sudo: a log written by the sender, edited by the system
            redacted = self._outreach_redact_links(message.body or "")
            if redacted != (message.body or ""):
                message.body = Markup(redacted)
