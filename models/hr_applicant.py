import ast
import logging
import math
import re
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import email_normalize, is_html_empty

from ..tools import outreach_token
from ..tools.senders import is_known_sender, sender_address
from .hr_recruitment_contact_policy import employer_key
from .hr_recruitment_touchpoint import TOUCHPOINT_CHANNELS

OFFICER_GROUP = "hr_recruitment.group_hr_recruitment_user"
# profile fields kept identical on a talent and its applications
PASSIVE_PROFILE_FIELDS = (
    "is_passive_candidate",
    "current_company",
    "current_job_title",
    "current_role_start_date",
    "years_of_experience",
    "openness",
    "desired_timing",
    "preferred_channel",
    "preferred_channel_confirmed",
    "do_not_contact",
    "do_not_contact_reason",
)
# engagement score: each signal is worth WEIGHT points on the day it happens and loses half its
# value every HALF_LIFE_DAYS; the sum is capped at 100 (see README, "Engagement score")
ENGAGEMENT_HALF_LIFE_DAYS = 30
ENGAGEMENT_WINDOW_DAYS = 365
ENGAGEMENT_INBOUND_WEIGHTS = {
    "reply": 40,
    "meeting": 40,
    "call": 30,
    "preference": 15,
}
ENGAGEMENT_INBOUND_DEFAULT_WEIGHT = 20
ENGAGEMENT_OUTCOME_WEIGHTS = {"clicked": 15, "opened": 5}
# issue 5: an open or click less than ENGAGEMENT_MACHINE_SECONDS after sending is most likely a
# privacy proxy (e.g. Apple Mail Privacy Protection) or a link scanner: it keeps only
# ENGAGEMENT_MACHINE_FACTOR of its weight; the n-th most recent open keeps FACTOR ** (n - 1)
ENGAGEMENT_MACHINE_SECONDS = 60
ENGAGEMENT_MACHINE_FACTOR = 0.2
ENGAGEMENT_REPEAT_OPEN_FACTOR = 0.5
# a response older than this turns an engaged candidate into one we are nurturing
ENGAGED_DAYS = 30
# outbound touchpoints that are messages to the candidate (cleanup counts them)
OUTREACH_MESSAGE_KINDS = ("outreach", "follow_up", "congratulation", "resource")
OUTREACH_NOT_DELIVERED = ("planned", "failed", "bounced")
SNOOZE_MAX_DAYS = 730
# a candidate link in a text: the token (last path segment) is what _outreach_redact_links hides
OUTREACH_LINK_RE = re.compile(r"(/recruitment/(?:preferences|unsubscribe|resource|s)/)[^\s\"'<>&]+")

_logger = logging.getLogger(__name__)
PRIVACY_NOTICE_BLOCK = Markup(
    '<div class="o_outreach_privacy_notice" style="font-size: 12px; color: #888888;">%s</div>'
)


class HrApplicant(models.Model):
    _inherit = "hr.applicant"

    is_passive_candidate = fields.Boolean(
        string="Passive Candidate",
        index=True,
        tracking=True,
        groups=OFFICER_GROUP,
        help="Employed, not looking, but open to the right opportunity: nurtured over time "
        "rather than processed in a job pipeline.",
    )
    current_company = fields.Char(string="Current Employer", groups=OFFICER_GROUP)
    outreach_employer_key = fields.Char(
        string="Employer Key",
        compute="_compute_outreach_employer_key",
        store=True,
        index="btree_not_null",
        groups=OFFICER_GROUP,
        help="The current employer without case, spaces and legal suffixes, else the domain of "
        "a work email: candidates sharing it count together against the employer cap.",
    )
    current_job_title = fields.Char(string="Current Title", groups=OFFICER_GROUP)
    current_role_start_date = fields.Date(
        string="In Role Since",
        groups=OFFICER_GROUP,
        help="Start date of the current role: the basis of work-anniversary messages.",
    )
    years_of_experience = fields.Integer(groups=OFFICER_GROUP)
    openness = fields.Selection(
        [
            ("not_open", "Not open"),
            ("open_to_talk", "Open to talk"),
            ("open_to_offers", "Open to offers"),
        ],
        groups=OFFICER_GROUP,
        tracking=True,
    )
    desired_timing = fields.Selection(
        [
            ("now", "Now"),
            ("within_6_months", "Within 6 months"),
            ("within_1_year", "Within 1 year"),
            ("later", "Later"),
        ],
        string="Timing",
        groups=OFFICER_GROUP,
    )
    preferred_channel = fields.Selection(
        [("email", "Email"), ("linkedin", "LinkedIn"), ("sms", "SMS"), ("phone", "Phone")],
        default="email",
        groups=OFFICER_GROUP,
        tracking=True,
    )
    preferred_channel_confirmed = fields.Boolean(
        string="Channel Confirmed by Candidate", groups=OFFICER_GROUP
    )
    do_not_contact = fields.Boolean(index=True, tracking=True, groups=OFFICER_GROUP)
    do_not_contact_reason = fields.Char(
        string="Do-Not-Contact Reason", tracking=True, groups=OFFICER_GROUP
    )
    outreach_opted_out = fields.Boolean(
        string="Opted Out of Outreach",
        index=True,
        tracking=True,
        groups=OFFICER_GROUP,
        help="The candidate asked to receive no more recruitment outreach.",
    )
    unresponsive_date = fields.Datetime(
        string="Removed as Unresponsive",
        groups=OFFICER_GROUP,
        help="Set when the candidate was removed from outreach for not responding; a later "
        "response clears the unresponsive status.",
    )
    outreach_status = fields.Selection(
        [
            ("new", "New"),
            ("contacted", "Contacted"),
            ("engaged", "Engaged"),
            ("nurturing", "Nurturing"),
            ("unresponsive", "Unresponsive"),
            ("opted_out", "Opted out"),
            ("do_not_contact", "Do not contact"),
            ("converted", "Converted"),
        ],
        compute="_compute_outreach_status",
        store=True,
        index=True,
        groups=OFFICER_GROUP,
        group_expand="_read_group_outreach_status",
    )
    touchpoint_ids = fields.One2many(
        "hr.recruitment.touchpoint", "applicant_id", string="Touchpoints", groups=OFFICER_GROUP
    )
    talent_application_ids = fields.One2many(
        "hr.applicant",
        "pool_applicant_id",
        string="Talent Applications",
        groups=OFFICER_GROUP,
    )
    touchpoint_count = fields.Integer(
        compute="_compute_touchpoint_stats", store=True, groups=OFFICER_GROUP
    )
    first_outreach_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, groups=OFFICER_GROUP
    )
    last_touchpoint_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, index=True, groups=OFFICER_GROUP
    )
    last_response_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, index=True, groups=OFFICER_GROUP
    )
    next_touchpoint_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, index=True, groups=OFFICER_GROUP
    )
    engagement_score = fields.Integer(
        compute="_compute_touchpoint_stats",
        store=True,
        aggregator="avg",
        groups=OFFICER_GROUP,
        help="0-100: recent replies, meetings, calls, clicks and opens, each losing half its "
        "weight every 30 days.",
    )

    outreach_snoozed_until = fields.Date(
        string="Snoozed Until",
        tracking=True,
        groups=OFFICER_GROUP,
        help="The candidate asked not to be contacted before this date (preference page).",
    )
    outreach_frequency = fields.Selection(
        [("normal", "Normal"), ("reduced", "Reduced")],
        string="Contact Frequency",
        default="normal",
        tracking=True,
        groups=OFFICER_GROUP,
        help="Reduced: at most one automated message per long cap period (Recruitment settings).",
    )
    reengage_after = fields.Date(
        string="Re-engage After",
        tracking=True,
        groups=OFFICER_GROUP,
        help="Removed from outreach as unresponsive: no automated contact before this date, "
        "after which the candidate may be enrolled again.",
    )
    outreach_paused_until = fields.Datetime(
        string="Away Until",
        groups=OFFICER_GROUP,
        help="Return date read from an out-of-office reply: automated outreach waits until then.",
    )
    desired_timing_date = fields.Date(
        string="Timing Given On",
        copy=False,
        groups=OFFICER_GROUP,
        help="When the timing was last set: 'within 6 months' counts from this date in the "
        "availability forecast.",
    )
    anonymized_date = fields.Datetime(
        string="Anonymized On",
        readonly=True,
        copy=False,
        groups=OFFICER_GROUP,
        help="Personal data removed by the retention rule.",
    )
    consent_touchpoint_ids = fields.One2many(
        "hr.recruitment.touchpoint",
        "applicant_id",
        string="Consent and Preference History",
        domain=[
            "|",
            "|",
            ("kind", "=", "preference"),
            ("privacy_notice", "=", True),
            ("boundary_event", "!=", False),
        ],
        groups=OFFICER_GROUP,
    )

    _passive_status_idx = models.Index("(outreach_status) WHERE is_passive_candidate IS TRUE")
    # the retention rule's daily search (scripts/bench-scale: a sequential scan at 100,000 talents)
    _retention_idx = models.Index(
        "(create_date) WHERE is_passive_candidate IS TRUE AND anonymized_date IS NULL"
    )

    def _get_talent(self):
        """Return the talents behind these records (an application maps to its talent)."""
        return self.mapped(lambda a: a.pool_applicant_id or a)

    @api.depends("current_company", "email_normalized")
    def _compute_outreach_employer_key(self):
        for applicant in self:
            applicant.outreach_employer_key = employer_key(
                applicant.current_company, applicant.email_normalized
            )

    @api.depends(
        "touchpoint_ids.date",
        "touchpoint_ids.direction",
        "touchpoint_ids.kind",
        "touchpoint_ids.outcome",
        "pool_applicant_id.touchpoint_ids.date",
        "pool_applicant_id.touchpoint_ids.direction",
        "pool_applicant_id.touchpoint_ids.kind",
        "pool_applicant_id.touchpoint_ids.outcome",
        "touchpoint_ids.opened_date",
        "touchpoint_ids.clicked_date",
        "pool_applicant_id.touchpoint_ids.opened_date",
        "pool_applicant_id.touchpoint_ids.clicked_date",
    )
    def _compute_touchpoint_stats(self):
        talent_by_record = {rec: (rec.pool_applicant_id or rec)._origin.id for rec in self}
        stats = self._get_touchpoint_stats([tid for tid in talent_by_record.values() if tid])
        for rec, talent_id in talent_by_record.items():
            values = stats.get(talent_id, {})
            rec.touchpoint_count = values.get("count", 0)
            rec.first_outreach_date = values.get("first_outreach")
            rec.last_touchpoint_date = values.get("last")
            rec.last_response_date = values.get("last_response")
            rec.next_touchpoint_date = values.get("next")
            rec.engagement_score = values.get("score", 0)

    @api.model
    def _get_touchpoint_stats(self, talent_ids):
        """Figures per talent id from its touchpoints, in a few grouped queries."""
        if not talent_ids:
            return {}
        # sudo: the figures feed stored fields, recomputed whoever triggers it (gateway, cron)
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        now = fields.Datetime.now()
        stats = {tid: {} for tid in talent_ids}
        base = [("applicant_id", "in", talent_ids)]
        for talent, count, last in Touchpoint._read_group(
            base + [("outcome", "!=", "planned")], ["applicant_id"], ["__count", "date:max"]
        ):
            stats[talent.id].update(count=count, last=last)
        for talent, first in Touchpoint._read_group(
            base + [("outcome", "!=", "planned"), ("direction", "=", "outbound")],
            ["applicant_id"],
            ["date:min"],
        ):
            stats[talent.id]["first_outreach"] = first
        responses = Touchpoint._get_candidate_response_domain()
        for talent, last_response in Touchpoint._read_group(
            Domain(base) & responses, ["applicant_id"], ["date:max"]
        ):
            stats[talent.id]["last_response"] = last_response
        for talent, planned_count, next_date in Touchpoint._read_group(
            base + [("outcome", "=", "planned"), ("date", ">=", now)],
            ["applicant_id"],
            ["__count", "date:min"],
        ):
            stats[talent.id]["next"] = next_date
            stats[talent.id]["count"] = stats[talent.id].get("count", 0) + planned_count
        signals = Touchpoint.search_fetch(
            Domain(base)
            & Domain("date", ">=", now - timedelta(days=ENGAGEMENT_WINDOW_DAYS))
            & Domain("date", "<=", now)
            & (
                responses
                | (
                    Domain("direction", "=", "outbound")
                    & Domain("outcome", "in", list(ENGAGEMENT_OUTCOME_WEIGHTS))
                )
            ),
            ["applicant_id", "date", "direction", "kind", "outcome", "opened_date", "clicked_date"],
            order="date desc, id desc",
        )
        scores = dict.fromkeys(talent_ids, 0.0)
        opens_seen = dict.fromkeys(talent_ids, 0)
        for signal in signals:
            talent_id = signal.applicant_id.id
            is_open = signal.direction == "outbound" and signal.outcome == "opened"
            scores[talent_id] += self._engagement_points(
                signal, now, rank=opens_seen[talent_id] if is_open else 0
            )
            opens_seen[talent_id] += is_open
        for tid, score in scores.items():
            stats[tid]["score"] = min(100, round(score))
        return stats

    @api.model
    def _engagement_points(self, touchpoint, now, rank=0):
        """Points one touchpoint adds to the engagement score today (hook for finer rules).

        :param rank: for an open, how many more recent opens of the candidate were counted
            before it (each earlier open is worth half the previous one)"""
        if touchpoint.direction == "inbound":
            if touchpoint.outcome == "planned":
                return 0.0
            weight = ENGAGEMENT_INBOUND_WEIGHTS.get(
                touchpoint.kind, ENGAGEMENT_INBOUND_DEFAULT_WEIGHT
            )
        else:
            weight = ENGAGEMENT_OUTCOME_WEIGHTS.get(touchpoint.outcome, 0)
            event_date = (
                touchpoint.clicked_date
                if touchpoint.outcome == "clicked"
                else touchpoint.opened_date
                if touchpoint.outcome == "opened"
                else False
            )
            if event_date and (event_date - touchpoint.date).total_seconds() < (
                ENGAGEMENT_MACHINE_SECONDS
            ):
                # a scanner clicking every link, a privacy proxy fetching every image
                weight *= ENGAGEMENT_MACHINE_FACTOR
            if touchpoint.outcome == "opened":
                weight *= math.pow(ENGAGEMENT_REPEAT_OPEN_FACTOR, rank)
        age_days = max((now - touchpoint.date).total_seconds() / 86400.0, 0.0)
        return weight * math.pow(0.5, age_days / ENGAGEMENT_HALF_LIFE_DAYS)

    @api.depends(
        "do_not_contact",
        "outreach_opted_out",
        "unresponsive_date",
        "first_outreach_date",
        "last_response_date",
        "talent_application_ids.job_id",
        "pool_applicant_id.talent_application_ids.job_id",
    )
    def _compute_outreach_status(self):
        engaged_since = fields.Datetime.now() - timedelta(days=ENGAGED_DAYS)
        for rec in self:
            talent = rec.pool_applicant_id or rec
            applications = (talent.talent_application_ids | rec).filtered("job_id")
            first_outreach = rec.first_outreach_date
            converted = first_outreach and any(
                (app.create_date or fields.Datetime.now()) >= first_outreach for app in applications
            )
            last_response = rec.last_response_date
            if rec.do_not_contact:
                rec.outreach_status = "do_not_contact"
            elif rec.outreach_opted_out:
                rec.outreach_status = "opted_out"
            elif converted:
                rec.outreach_status = "converted"
            elif rec.unresponsive_date and (
                not last_response or last_response < rec.unresponsive_date
            ):
                rec.outreach_status = "unresponsive"
            elif last_response:
                rec.outreach_status = "engaged" if last_response >= engaged_since else "nurturing"
            elif first_outreach:
                rec.outreach_status = "contacted"
            else:
                rec.outreach_status = "new"

    @api.model
    def _read_group_outreach_status(self, values, domain):
        return [key for key, _label in self._fields["outreach_status"].selection]

    @api.constrains("do_not_contact", "do_not_contact_reason")
    def _check_do_not_contact_reason(self):
        for rec in self:
            if rec.do_not_contact and not (rec.do_not_contact_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(name)s is marked 'Do Not Contact' without a reason. Write down why "
                        "(for example 'asked not to be contacted by phone').",
                        name=rec.partner_name or self.env._("This candidate"),
                    )
                )

    @api.constrains("years_of_experience")
    def _check_years_of_experience(self):
        for rec in self:
            if rec.years_of_experience < 0:
                raise ValidationError(
                    self.env._(
                        "Years of experience of %(name)s cannot be negative (%(years)s); "
                        "enter 0 or more.",
                        name=rec.partner_name or "",
                        years=rec.years_of_experience,
                    )
                )

    @api.constrains("email_from", "is_passive_candidate")
    def _check_passive_email(self):
        for rec in self:
            if rec.is_passive_candidate and rec.email_from and not email_normalize(rec.email_from):
                raise ValidationError(
                    self.env._(
                        "'%(email)s' is not a valid email address for passive candidate "
                        "%(name)s. Correct it (e.g. jane.doe@example.com) or leave it empty.",
                        email=rec.email_from,
                        name=rec.partner_name or "",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._stamp_desired_timing(vals)
        applicants = super().create(vals_list)
        # an application created from a passive talent inherits the talent's profile
        for applicant in applicants:
            talent = applicant.pool_applicant_id
            # sudo: whoever creates the application copies the officer-only profile
            if talent and talent != applicant and talent.sudo().is_passive_candidate:
                missing = {
                    fname: talent.sudo()[fname]
                    for fname in PASSIVE_PROFILE_FIELDS
                    if not applicant.sudo()[fname] and talent.sudo()[fname]
                }
                if missing:
                    applicant.sudo().with_context(passive_profile_sync=True).write(
                        self._convert_to_write_vals(missing)
                    )
        return applicants

    def write(self, vals):
        self._stamp_desired_timing(vals)
        res = super().write(vals)
        profile_vals = {f: vals[f] for f in PASSIVE_PROFILE_FIELDS if f in vals}
        if profile_vals and not self.env.context.get("passive_profile_sync"):
            self._sync_passive_profile(profile_vals)
        return res

    @api.model
    def _stamp_desired_timing(self, vals):
        """Date the timing when it is given: the availability forecast counts from it."""
        if vals.get("desired_timing") and "desired_timing_date" not in vals:
            vals["desired_timing_date"] = fields.Date.context_today(self)

    @api.model
    def _convert_to_write_vals(self, values):
        return {
            fname: value.id if isinstance(value, models.BaseModel) else value
            for fname, value in values.items()
        }

    def _sync_passive_profile(self, profile_vals):
        """Keep the profile identical on a talent and all its applications."""
        talents = self._get_talent()
        # sudo: the profile is one per person: applications the editor may not write are kept equal
        related = (talents | talents.sudo().talent_application_ids) - self
        if related:
            related.with_context(passive_profile_sync=True).sudo().write(profile_vals)

    def action_mark_passive_candidate(self):
        talents = self.filtered("pool_applicant_id").pool_applicant_id
        without_pool = self.filtered(lambda a: not a.pool_applicant_id and not a.talent_pool_ids)
        if without_pool:
            wizard = self.env["talent.pool.add.applicants"].create(
                {
                    "applicant_ids": without_pool.ids,
                    "talent_pool_ids": self.env.ref(
                        "hr_recruitment_passive.hr_talent_pool_passive"
                    ).ids,
                }
            )
            talents |= wizard._add_applicants_to_pool()
        talents |= self.filtered(lambda a: a.talent_pool_ids and not a.pool_applicant_id)
        talents.write({"is_passive_candidate": True})
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "hr.applicant",
                "res_id": talents[:1].id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s candidates flagged as passive.", count=len(talents)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_unmark_passive_candidate(self):
        self._get_talent().write({"is_passive_candidate": False})

    def action_view_touchpoints(self):
        self.ensure_one()
        talent = self._get_talent()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_recruitment_passive.hr_recruitment_touchpoint_action"
        )
        action["domain"] = [("applicant_id", "=", talent.id)]
        action["context"] = {"default_applicant_id": talent.id}
        return action

    def action_log_touchpoint(self):
        """Open a prefilled touchpoint form in a dialog (channel and kind from the button)."""
        self.ensure_one()
        context = self.env.context
        channel = context.get("touchpoint_channel", "linkedin")
        if channel not in dict(TOUCHPOINT_CHANNELS):
            raise UserError(self.env._("Unknown touchpoint channel: %(channel)s", channel=channel))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a touchpoint"),
            "res_model": "hr.recruitment.touchpoint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_applicant_id": self.id,
                "default_channel": channel,
                "default_kind": context.get("touchpoint_kind", "outreach"),
                "default_direction": context.get("touchpoint_direction", "outbound"),
                "default_outcome": "done",
                "default_job_id": self.job_id.id,
            },
        }

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
        candidate per render, `passive_resource_url`; drip step: `passive_resource_urls` by id)."""
        self.ensure_one()
        context = self.env.context
        return (context.get("passive_resource_urls") or {}).get(self.id) or context.get(
            "passive_resource_url", ""
        )

    def _get_outreach_resource_link(self, tracker):
        """Signed link to a shared resource: counts the click of this share (`tracker`, the
        share's link.tracker) and redirects to the resource."""
        return self._get_outreach_link("resource", "resource", tracker.id)

    def _get_outreach_unsubscribe_url(self):
        """Public one-click unsubscribe URL (GET shows a confirmation, POST unsubscribes)."""
        return self._get_outreach_link("unsubscribe", "unsubscribe")

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

    def _outreach_stop(self, reason):
        """Stop all automated outreach to these candidates (reason: replied, applied, opted_out,
        bounced, unresponsive, manual); the drip engine extends it to stop running enrollments."""
        return True

    def _outreach_pause(self, until):
        """Hold automated outreach to these candidates until `until` (a snooze, an
        out-of-office reply); the drip engine extends it to pause running enrollments."""
        return True

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        self._log_touchpoint_from_message(message, msg_vals)
        return res

    def _log_touchpoint_from_message(self, message, msg_vals):
        """An email to or from a passive candidate is a touchpoint on its talent: the
        candidate's reply (a response that stops drips, unless it is an automatic answer), or
        a note when someone else on the thread wrote (a colleague in copy: no response, no
        stop). A reply of a candidate not flagged passive is not logged but stops drips."""
        if len(self) != 1:
            return
        # sudo: any poster (interviewer, mail gateway) logs the officer-only touchpoint
        talent = self._get_talent().sudo()
        message_type = msg_vals.get("message_type", message.message_type)
        author = message.author_id
        author_is_internal = bool(author.user_ids.filtered(lambda u: not u.share))
        if message_type == "email" and not author_is_internal:
            vals = self._outreach_inbound_touchpoint_values(message)
            if not talent.is_passive_candidate:
                if vals["kind"] == "reply" and not vals["auto_reply"]:
                    self._outreach_stop("replied")
                return
        elif (
            message_type == "comment"
            and author_is_internal
            and talent.is_passive_candidate
            and not message.subtype_id.internal
            and self.partner_id
            and self.partner_id in message.partner_ids
        ):
            vals = {
                "direction": "outbound",
                "kind": "follow_up" if talent.touchpoint_ids else "outreach",
                "outcome": "sent",
                "summary": message.subject or message.preview,
                "user_id": author.user_ids[:1].id,
            }
        else:
            return
        # sudo: the gateway or an interviewer posts: touchpoints are created for officers
        self.env["hr.recruitment.touchpoint"].sudo().create(
            {
                "applicant_id": self.id,
                "channel": "email",
                "job_id": self.job_id.id,
                "mail_message_id": message.id,
                "date": fields.Datetime.now(),  # receipt time: header dates are unreliable
                **vals,
            }
        )
        if vals.get("auto_reply") and not vals.get("third_party"):
            until = self.env.context["outreach_auto_reply"].get("until")
            self._outreach_handle_auto_reply(message, until)

    def _outreach_inbound_touchpoint_values(self, message):
        """Touchpoint values of an email received on this candidate's thread: the candidate's
        reply (flagged when automatic), or a third party's note naming its sender."""
        auto_reply = bool(self.env.context.get("outreach_auto_reply"))
        subject = message.subject or message.preview
        if self._outreach_is_candidate_sender(message.email_from, message.author_id):
            return {
                "direction": "inbound",
                "kind": "reply",
                "outcome": "replied",
                "auto_reply": auto_reply,
                "summary": subject,
                "user_id": self.user_id.id,
            }
        name, address = sender_address(message.email_from)
        sender = f"{name} <{address}>" if name else address or self.env._("an unknown sender")
        return {
            "direction": "inbound",
            "kind": "note",
            "outcome": "done",
            "auto_reply": auto_reply,
            "third_party": True,
            "summary": self.env._(
                "Email from %(sender)s, not the candidate: %(subject)s",
                sender=sender,
                subject=subject or "",
            ),
            "user_id": self.user_id.id,
        }

    def _outreach_is_candidate_sender(self, email_from, author=None):
        """Whether an email from `email_from` (`author`: the partner the mail gateway found
        for it) was written by this candidate: the address of the talent, of one of its
        applications, or of their contacts. Anyone else (a colleague in copy, an assistant)
        is a third party whose email is no response from the candidate."""
        self.ensure_one()
        # sudo: the mail gateway compares the sender with every address the candidate uses
        talent = self._get_talent().sudo()
        records = talent | talent.with_context(active_test=False).talent_application_ids
        records |= self.sudo()
        partners = records.partner_id
        if author and author & partners:
            return True
        known = set(records.mapped("email_normalized")) | set(partners.mapped("email_normalized"))
        return is_known_sender(email_from, known)

    @api.model
    def _cron_recompute_engagement(self, batch_size=500):
        """Engagement decays with time: recompute every passive talent's figures daily."""
        domain = [("is_passive_candidate", "=", True)]
        # sudo: cron: every company's passive talents, whatever the cron's user
        talents = self.sudo().with_context(active_test=False).search(domain, order="id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(talents))
        for offset in range(0, len(talents), batch_size):
            batch = talents[offset : offset + batch_size]
            self.env.add_to_compute(self._fields["engagement_score"], batch)
            self.env.add_to_compute(self._fields["outreach_status"], batch)
            batch.flush_recordset(["engagement_score", "outreach_status"])
            if not cron._commit_progress(len(batch)):
                break

    # --- value in every message and learning what works (issue 5) ---
    def _passive_facts(self, job=None):
        """Hiring figures of the department of `job` (default: this application's job, or the
        talent's latest application's job) for templates: ``object._passive_facts().hires_6m``.
        Aggregates only (see HiringFacts); empty facts when no department is known."""
        self.ensure_one()
        from .hr_department import HiringFacts

        # sudo: template helper: aggregates; the composer may not read the applications
        job = job or self.job_id or self.sudo().talent_application_ids.sorted("id")[-1:].job_id
        department = job.department_id or self.department_id
        if not department:
            return HiringFacts()
        return department._passive_hiring_facts(job=job or None)

    def _passive_years_since(self, field_name="current_role_start_date"):
        """Whole years from a date of the candidate until today (anniversary templates)."""
        self.ensure_one()
        # sudo: template helper: officer-only date read for a rendering that may run as the composer
        value = fields.Date.to_date(self.sudo()[field_name])
        if not value:
            return 0
        today = fields.Date.context_today(self)
        return today.year - value.year - ((today.month, today.day) < (value.month, value.day))

    def _passive_not_now_dates(self):
        """{talent id: latest 'not now until' date of its replies classified 'not now'}."""
        talents = self._get_talent()
        return {
            talent.id: until
            for talent, until in self.env["hr.recruitment.touchpoint"]
            .sudo()
            ._read_group(
                [
                    ("applicant_id", "in", talents.ids),
                    ("reply_class", "=", "not_now"),
                    ("snoozed_until", "!=", False),
                ],
                ["applicant_id"],
                ["snoozed_until:max"],
            )
        }

    def _passive_match_reason(self, job=None):
        """Why this candidate matches `job` (default: the job the message talks about), in
        one line for templates: ``{{ object._passive_match_reason() }}`` gives e.g.
        "Python, Go; open to talk; said 'not now' until June 2026, now past"."""
        self.ensure_one()
        job = job or self._get_outreach_job()
        if not job:
            return ""
        rows = job._passive_match_rows(talents=self)
        return rows[0]["reason"] if rows else ""

    def action_classify_last_reply(self):
        """Classify the latest unclassified reply of the candidate (from the candidate form)."""
        self.ensure_one()
        reply = self.env["hr.recruitment.touchpoint"].search(
            [
                ("applicant_id", "=", self._get_talent().id),
                ("direction", "=", "inbound"),
                ("kind", "=", "reply"),
                ("outcome", "!=", "planned"),
                ("auto_reply", "=", False),
                ("reply_class", "=", False),
            ],
            limit=1,
        )
        if not reply:
            raise UserError(
                self.env._(
                    "%(name)s has no unclassified reply. Replies received by email are logged "
                    "automatically; log a LinkedIn or phone reply as an inbound touchpoint first.",
                    name=self.partner_name,
                )
            )
        return reply.action_classify_reply()

    def action_classify_message(self, message_id):
        """Classify a reply from the chatter: the touchpoint logged for that email."""
        self.ensure_one()
        reply = self.env["hr.recruitment.touchpoint"].search(
            [
                ("applicant_id", "=", self._get_talent().id),
                ("mail_message_id", "=", message_id),
                ("direction", "=", "inbound"),
            ],
            limit=1,
        )
        if not reply:
            raise UserError(
                self.env._(
                    "This message is not a reply of %(name)s logged as a touchpoint (only "
                    "emails from passive candidates are).",
                    name=self.partner_name,
                )
            )
        return reply.action_classify_reply()

    # --- end issue 5 ---

    # ------------------------------------------------------------------
    # Communication boundaries (preference page, opt-out, cleanup, privacy)
    # ------------------------------------------------------------------

    def _get_outreach_mail_headers(self):
        """RFC 8058 one-click unsubscribe headers for an automated email to this candidate
        (pass them as `mail_headers` to message_post or as `headers` of a mail.mail)."""
        self.ensure_one()
        return {
            "List-Unsubscribe": f"<{self._get_outreach_unsubscribe_url()}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }

    def _get_outreach_preference_short_url(self):
        """Short link to the preference page, for SMS (a short-lived signed token, nothing
        stored: /recruitment/s/<token> redirects to the preference page)."""
        return self._get_outreach_link("s", "sms")

    def _get_outreach_lang(self):
        self.ensure_one()
        return self.partner_id.lang or self.company_id.partner_id.lang or self.env.lang or "en_US"

    def _outreach_log_boundary(self, event, summary, declined=False, direction="inbound"):
        """Record a boundary change as a touchpoint on each talent (the consent history)."""
        # sudo: consent history is written for the public preference page and the gateway too
        talents = self._get_talent().sudo()
        return (
            self.env["hr.recruitment.touchpoint"]
            .sudo()
            .create(
                [
                    {
                        "applicant_id": talent.id,
                        "channel": "other",
                        "direction": direction,
                        "kind": "preference" if direction == "inbound" else "note",
                        "outcome": "done",
                        "boundary_event": event,
                        "declined": declined,
                        "summary": summary,
                        "user_id": talent.user_id.id,
                    }
                    for talent in talents
                ]
            )
        )

    def _outreach_set_preferred_channel(self, channel):
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        labels = dict(self._fields["preferred_channel"]._description_selection(self.env))
        if channel not in labels:
            raise UserError(self.env._("Choose one of the channels offered."))
        talents.write({"preferred_channel": channel, "preferred_channel_confirmed": True})
        talents._outreach_log_boundary(
            "channel", self.env._("Preferred channel: %(channel)s", channel=labels[channel])
        )

    def _outreach_snooze(self, until, source=None):
        """'Not now, contact me again after <until>', from the preference page or a reply
        classified 'not now' (`source` says which): the date must be after today and within
        two years; the snooze is logged in the consent history, drips are paused and the
        recruiter gets the re-engagement planned for that date."""
        today = fields.Date.context_today(self)
        until = fields.Date.to_date(until)
        if not until or until <= today or until > today + timedelta(days=SNOOZE_MAX_DAYS):
            raise UserError(
                self.env._(
                    "Choose a date after today and within two years (until %(max)s).",
                    max=today + timedelta(days=SNOOZE_MAX_DAYS),
                )
            )
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        talents.write({"outreach_snoozed_until": until})
        talents._outreach_log_boundary(
            "snooze",
            self.env._(
                "Not now: contact again after %(date)s (%(origin)s)", date=until, origin=source
            )
            if source
            else self.env._("Not now: contact again after %(date)s", date=until),
            declined=True,
        )
        talents._outreach_pause(datetime.combine(until, time.min))
        talents._outreach_plan_reengagement(until)

    def _outreach_plan_reengagement(self, until):
        """A planned follow-up touchpoint on `until` and a to-do for the talent's recruiter."""
        internal_user = self.env.user if self.env.user._is_internal() else self.env["res.users"]
        today = fields.Date.context_today(self)
        for talent in self:
            recruiter = talent.user_id or internal_user
            # sudo: the planned follow-up is logged for the public preference page too
            self.env["hr.recruitment.touchpoint"].sudo().create(
                {
                    "applicant_id": talent.id,
                    "date": datetime.combine(until, time.min),
                    "channel": talent.preferred_channel or "email",
                    "kind": "follow_up",
                    "outcome": "planned",
                    "summary": self.env._(
                        "Re-engage: the candidate said 'not now' on %(date)s.", date=today
                    ),
                    "user_id": recruiter.id,
                }
            )
            if recruiter:
                talent.activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    date_deadline=until,
                    summary=self.env._("Re-engage %(name)s", name=talent.partner_name),
                    note=escape(
                        self.env._(
                            "%(name)s asked to be contacted again from this date.",
                            name=talent.partner_name,
                        )
                    ),
                    user_id=recruiter.id,
                )

    def _outreach_reduce_frequency(self):
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        talents.write({"outreach_frequency": "reduced"})
        talents._outreach_log_boundary(
            "frequency", self.env._("Asked for fewer messages"), declined=True
        )

    def _outreach_update_openness(self, openness, timing):
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        openness_labels = dict(self._fields["openness"]._description_selection(self.env))
        timing_labels = dict(self._fields["desired_timing"]._description_selection(self.env))
        if openness not in openness_labels or (timing and timing not in timing_labels):
            raise UserError(self.env._("Choose one of the options offered."))
        talents.write({"openness": openness, "desired_timing": timing or False})
        talents._outreach_log_boundary(
            "openness",
            self.env._(
                "Openness: %(openness)s; timing: %(timing)s",
                openness=openness_labels[openness],
                timing=timing_labels.get(timing, "-"),
            ),
            declined=openness == "not_open",
        )

    def _outreach_opt_out(self, source):
        """Stop all contact: blacklist the email and phone, flag the talent and its
        applications, log the opt-out and stop drips. `source` says where it came from."""
        # sudo: public preference page, unsubscribe link or officer: stop every record of the person
        talents = self._get_talent().sudo()
        records = talents | talents.with_context(active_test=False).talent_application_ids | self
        message = Markup("<p>%s</p>") % self.env._(
            "Recruitment outreach opt-out (%(origin)s)", origin=source
        )
        for email in set(records.mapped("email_normalized")) - {False}:
            # sudo: mail.blacklist is writable by mass mailing users and admins only
            self.env["mail.blacklist"].sudo()._add(email, message=message)
        phones = list(set(records.mapped("phone_sanitized")) - {False})
        if phones:
            # sudo: phone.blacklist is writable by admins only
            self.env["phone.blacklist"].sudo()._add(phones, message=message)
        records.sudo().write({"outreach_opted_out": True})
        talents._outreach_log_boundary(
            "opt_out", self.env._("Stopped all contact (%(origin)s)", origin=source), declined=True
        )
        talents._outreach_stop("opted_out")

    def _outreach_is_sourced(self):
        """True when we found this person ourselves (GDPR art. 14 notice due) rather than
        them writing to us: no incoming email on the talent or any of its applications."""
        self.ensure_one()
        return self._get_talent().id in self._outreach_sourced_talent_ids()

    def _outreach_sourced_talent_ids(self):
        """Ids of the talents of these candidates with no incoming email on the talent or any
        of its applications (one query for the batch)."""
        # sudo: the privacy-notice rule counts emails on every record of the person, readable or not
        talents = self._get_talent().sudo()
        records = talents | talents.with_context(active_test=False).talent_application_ids
        talent_of = {record.id: (record.pool_applicant_id or record).id for record in records}
        wrote = (
            self.env["mail.message"]
            # sudo: mail.message of records the caller may not read count too
            .sudo()
            ._read_group(
                [
                    ("model", "=", "hr.applicant"),
                    ("res_id", "in", records.ids),
                    ("message_type", "=", "email"),
                ],
                ["res_id"],
            )
        )
        return set(talents.ids) - {talent_of[res_id] for (res_id,) in wrote}

    def _outreach_privacy_notice(self):
        """HTML to append to an automated message: the company's privacy notice, in the
        candidate's language, if this sourced candidate was never given it; else ''. The send
        path then creates its touchpoint with `privacy_notice=True`."""
        self.ensure_one()
        return self._outreach_privacy_notices()[self.id]

    def _outreach_privacy_notices(self):
        """Batch version of `_outreach_privacy_notice`: {candidate id: HTML or ''}, in a
        constant number of queries (send paths call it for a whole batch)."""
        # sudo: send paths (cron, share dialog) need every earlier notice of the person
        talents = self._get_talent().sudo()
        given = {
            applicant.id
            for (applicant,) in self.env["hr.recruitment.touchpoint"]
            .sudo()
            ._read_group(
                [("applicant_id", "in", talents.ids), ("privacy_notice", "=", True)],
                ["applicant_id"],
            )
        }
        due = self._outreach_sourced_talent_ids() - given
        notices = {}
        result = {}
        for applicant in self:
            # sudo: the talent behind an application, readable or not
            talent = applicant._get_talent().sudo()
            if talent.id not in due:
                result[applicant.id] = ""
                continue
            company = talent.company_id or self.env.company
            key = (company.id, talent._get_outreach_lang())
            if key not in notices:
                notice = company.with_context(lang=key[1]).outreach_privacy_notice
                notices[key] = "" if is_html_empty(notice) else notice
            result[applicant.id] = notices[key]
        return result

    @api.model
    def _outreach_privacy_notice_block(self, notice):
        """The privacy notice as appended to an email body."""
        return PRIVACY_NOTICE_BLOCK % Markup(notice)

    @api.model
    def _outreach_prepare_automated_mails(self, mails):
        """Give queued automated emails to candidates (mail.mail of hr.applicant records, from
        a template's send_mail) what the boundaries require of them: the RFC 8058 one-click
        unsubscribe headers and, in the first one to a sourced candidate, the privacy notice.
        (Drip emails get both from mass_mailing's composer instead.)
        :return: ids of the candidates whose email now carries the privacy notice"""
        # sudo: mail.mail is readable by admins only; the send path just queued these mails
        mails = mails.sudo().filtered(lambda m: m.model == "hr.applicant" and m.res_id)
        applicants = self.sudo().browse(mails.mapped("res_id"))
        notices = applicants._outreach_privacy_notices()
        noticed = set()
        for mail in mails:
            applicant = applicants.browse(mail.res_id)
            headers = ast.literal_eval(mail.headers) if mail.headers else {}
            values = {"headers": repr({**headers, **applicant._get_outreach_mail_headers()})}
            if notices[applicant.id] and applicant.id not in noticed:
                values["body_html"] = Markup(mail.body_html or "") + (
                    self._outreach_privacy_notice_block(notices[applicant.id])
                )
                noticed.add(applicant.id)
            mail.write(values)
        return noticed

    @api.model
    def _get_last_interaction_dates(self, talent_ids):
        """Last time each talent interacted (an open or click on our message, or any inbound
        touchpoint of the candidate's own: reply, preference, call... but no auto-reply and no
        third party's email): {talent id: datetime}."""
        # sudo: cleanup and retention read every interaction of the person (cron, settings page)
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        domain = (
            Domain("applicant_id", "in", talent_ids)
            & Domain("outcome", "!=", "planned")
            & (
                Touchpoint._get_candidate_response_domain()
                | (
                    Domain("direction", "=", "outbound")
                    & Domain("outcome", "in", ["opened", "clicked"])
                )
            )
        )
        return {
            talent.id: last
            for talent, last in Touchpoint._read_group(domain, ["applicant_id"], ["date:max"])
        }

    @api.model
    def _outreach_cleanup_domain(self, companies=None):
        """Talents the cleanup examines: contacted at least N days ago (the shortest N of
        the companies), no real response since, not excluded from outreach already."""
        today = fields.Date.context_today(self)
        if companies is None:
            [(days,)] = (
                self.env["res.company"]
                # sudo: cleanup cron: the settings of every company
                .sudo()
                ._read_group([], aggregates=["outreach_cleanup_days:min"])
            )
        else:
            days = min(companies.mapped("outreach_cleanup_days"))
        since = fields.Datetime.now() - timedelta(days=days or 0)
        domain = Domain(
            [
                ("is_passive_candidate", "=", True),
                ("talent_pool_ids", "!=", False),
                ("do_not_contact", "=", False),
                ("outreach_opted_out", "=", False),
                ("anonymized_date", "=", False),
                ("first_outreach_date", "<=", since),
            ]
        )
        if companies is not None:
            domain &= Domain("company_id", "in", companies.ids + [False])
        domain &= Domain("reengage_after", "<=", today) | (
            Domain("reengage_after", "=", False) & Domain("outreach_status", "!=", "unresponsive")
        )
        return domain & (
            Domain("last_response_date", "=", False) | Domain("last_response_date", "<", since)
        )

    def _outreach_unresponsive(self):
        """The subset of these talents the cleanup removes now: at least M outreach messages
        since their last interaction (and since a previous removal), the first of them at
        least N days old (M, N: company settings)."""
        if not self:
            return self
        now = fields.Datetime.now()
        last_interaction = self._get_last_interaction_dates(self.ids)
        messages = (
            self.env["hr.recruitment.touchpoint"]
            # sudo: cleanup: every outbound message of the person counts
            .sudo()
            .search_fetch(
                [
                    ("applicant_id", "in", self.ids),
                    ("direction", "=", "outbound"),
                    ("kind", "in", list(OUTREACH_MESSAGE_KINDS)),
                    ("outcome", "not in", list(OUTREACH_NOT_DELIVERED)),
                    ("date", "<=", now),
                ],
                ["applicant_id", "date"],
                order="date, id",
            )
        )
        dates_by_talent = defaultdict(list)
        for message in messages:
            dates_by_talent[message.applicant_id.id].append(message.date)
        unresponsive = self.browse()
        # sudo: cleanup: runs as the cron or from the settings page dry run
        for talent in self.sudo():
            company = talent.company_id or self.env.company
            since = max(
                (d for d in (last_interaction.get(talent.id), talent.unresponsive_date) if d),
                default=None,
            )
            unanswered = [d for d in dates_by_talent[talent.id] if not since or d > since]
            if len(unanswered) >= company.outreach_cleanup_min_messages and unanswered[
                0
            ] <= now - timedelta(days=company.outreach_cleanup_days):
                unresponsive |= talent
        return unresponsive

    @api.model
    def _outreach_cleanup_dry_run(self, company):
        """Talents of `company` the next cleanup run would remove (settings page)."""
        # sudo: settings page dry run (administrators): every talent of the company is counted
        talents = self.sudo().search(self._outreach_cleanup_domain(company))
        talents = talents.filtered(lambda t: (t.company_id or self.env.company) == company)
        return talents._outreach_unresponsive()

    def _outreach_remove_unresponsive(self):
        """Remove these talents from outreach: drips stop, status unresponsive, optional
        move out of talent pools, re-engagement date. Nothing is deleted. Talents that get the
        same values are written together; touchpoints and chatter notes are created in bulk."""
        # sudo: cleanup cron: writes pools and officer-only fields of every company's talents
        talents = self.sudo()
        if not talents:
            return
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        unresponsive_pool = self.env.ref(
            "hr_recruitment_passive.hr_talent_pool_unresponsive", raise_if_not_found=False
        )
        ids_by_vals = defaultdict(list)
        summaries = {}
        for talent in talents:
            company = talent.company_id or self.env.company
            months = company.outreach_reengage_months
            reengage_after = months and today + relativedelta(months=months)
            summary = self.env._(
                "Removed from outreach: no interaction for %(days)s days after %(count)s or more "
                "messages.",
                days=company.outreach_cleanup_days,
                count=company.outreach_cleanup_min_messages,
            )
            if months:
                summary += " " + self.env._(
                    "May be contacted again after %(date)s.", date=reengage_after
                )
            removed = self.env["hr.talent.pool"]
            if company.outreach_cleanup_remove_pools and unresponsive_pool:
                removed = talent.talent_pool_ids - unresponsive_pool
            if removed:
                summary += " " + self.env._(
                    "Moved out of talent pools: %(pools)s.",
                    pools=", ".join(removed.mapped("name")),
                )
            ids_by_vals[reengage_after, bool(removed)].append(talent.id)
            summaries[talent.id] = summary
        for (reengage_after, move), ids in ids_by_vals.items():
            vals = {"unresponsive_date": now, "reengage_after": reengage_after}
            if move:
                vals["talent_pool_ids"] = [Command.set(unresponsive_pool.ids)]
            # the chatter note below says all of it: no tracking message per talent
            talents.browse(ids).with_context(mail_notrack=True).write(vals)
        talents._message_log_batch(summaries)
        # sudo: cleanup cron: logs and stops for every company
        self.env["hr.recruitment.touchpoint"].sudo().create(
            [
                {
                    "applicant_id": talent.id,
                    "channel": "other",
                    "direction": "outbound",
                    "kind": "note",
                    "outcome": "done",
                    "boundary_event": "unresponsive",
                    "summary": summaries[talent.id],
                    "user_id": talent.user_id.id,
                }
                for talent in talents
            ]
        )
        talents._outreach_stop("unresponsive")

    @api.model
    def _outreach_retention_dry_run(self, company):
        """Every record the retention rule would change in `company` now (model, id,
        operation, reference without personal data): see hr.recruitment.retention."""
        return self.env["hr.recruitment.retention"]._dry_run(company)

    def _outreach_list_action(self, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "hr.applicant",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("hr_recruitment_passive.hr_applicant_view_list_passive").id, "list"),
                (False, "form"),
            ],
            "domain": [("id", "in", self.ids)],
            "context": {"create": False},
        }

    def _outreach_handle_auto_reply(self, message, until):
        """An out-of-office answer: note it on its touchpoint and pause drips until the
        return date when one was read (it neither stops drips nor counts as engagement)."""
        touchpoint = (
            self.env["hr.recruitment.touchpoint"]
            # sudo: mail gateway: the auto-reply's touchpoint was just logged as superuser
            .sudo()
            .search([("mail_message_id", "=", message.id)], limit=1)
        )
        note = (
            self.env._("Auto-reply (out of office until %(date)s)", date=until)
            if until
            else self.env._("Auto-reply")
        )
        touchpoint.summary = f"{note}: {touchpoint.summary or ''}"
        if until:
            # sudo: mail gateway: pause the person's drips whoever sent the message
            talent = self._get_talent().sudo()
            resume_at = datetime.combine(until, time.min)
            if not talent.outreach_paused_until or talent.outreach_paused_until < resume_at:
                talent.outreach_paused_until = resume_at
            talent._outreach_pause(resume_at)

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """Email Marketing sends to candidates ask the contact-policy gate too: a refused,
        snoozed, quiet or capped candidate is excluded (the mailing's schedule, not our sending
        window, decides the time)."""
        opt_out = set()
        if hasattr(super(), "_mailing_get_opt_out_list"):
            opt_out = set(super()._mailing_get_opt_out_list(mailing))
        domain = Domain(mailing._get_recipients_domain())
        batch_ids = self.env.context.get("passive_optout_res_ids")
        if batch_ids is not None:  # one composer batch (wizards/mail_compose_message.py)
            domain &= Domain("id", "in", batch_ids)
        # sudo: the mailing's whole audience is checked, whatever the marketer may read of it
        applicants = self.sudo().search(domain)
        decisions = self.env["hr.recruitment.contact.policy"]._check(applicants, "email")
        return opt_out | {
            applicant.email_normalized
            for applicant in applicants
            if applicant.email_normalized
            and decisions[applicant.id].state != "allowed"
            and decisions[applicant.id].reason != "window"
        }

    @api.model
    def _cron_outreach_cleanup(self, batch_size=200):
        """Daily: remove candidates who did not interact after repeated outreach."""
        # sudo: cron: every company's passive talents, whatever the cron's user
        talents = self.sudo().search(self._outreach_cleanup_domain(), order="id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(talents))
        for offset in range(0, len(talents), batch_size):
            batch = talents[offset : offset + batch_size]
            batch._outreach_unresponsive()._outreach_remove_unresponsive()
            if not cron._commit_progress(len(batch)):
                break

    @api.model
    def _cron_outreach_retention(self, batch_size=100):
        """Daily: the retention rule (kept on hr.applicant, where the scheduled action points)."""
        self.env["hr.recruitment.retention"]._cron_anonymize_expired(batch_size=batch_size)


class HrApplicantDrip(models.Model):
    """Drip sequences on candidates: enrollments, stop and pause rules, template helpers."""

    _inherit = "hr.applicant"

    drip_enrollment_ids = fields.One2many(
        "hr.recruitment.drip.enrollment",
        "applicant_id",
        string="Drip Enrollments",
        groups=OFFICER_GROUP,
    )
    drip_enrollment_count = fields.Integer(
        compute="_compute_drip_enrollment_count", groups=OFFICER_GROUP
    )

    running_drip_id = fields.Many2one(
        "hr.recruitment.drip",
        compute="_compute_running_drip_id",
        groups=OFFICER_GROUP,
        help="The drip sequence the candidate is running in now (the latest if several).",
    )

    def _compute_running_drip_id(self):
        talents = self._get_talent()
        running = (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: a user's own view of a candidate's drip; drips of other owners count too
            .sudo()
            .search_fetch(
                [("applicant_id", "in", talents.ids), ("state", "in", ("running", "paused"))],
                ["applicant_id", "drip_id"],
                order="id",
            )
        )
        drip_by_talent = {enrollment.applicant_id: enrollment.drip_id for enrollment in running}
        for applicant in self:
            applicant.running_drip_id = drip_by_talent.get(
                applicant.pool_applicant_id or applicant, False
            )

    def _compute_drip_enrollment_count(self):
        talents = self._get_talent()
        counts = dict(
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: the count includes drips of other owners
            .sudo()
            ._read_group([("applicant_id", "in", talents.ids)], ["applicant_id"], ["__count"])
        )
        for applicant in self:
            applicant.drip_enrollment_count = counts.get(
                applicant.pool_applicant_id or applicant, 0
            )

    @api.model_create_multi
    def create(self, vals_list):
        applicants = super().create(vals_list)
        # an application to a job created for a talent in a drip: the talent applied
        applied = applicants.filtered(
            lambda a: a.job_id and a.pool_applicant_id and a.pool_applicant_id != a
        )
        if applied:
            applied._outreach_stop("applied")
        return applicants

    def write(self, vals):
        res = super().write(vals)
        if vals.get("job_id"):
            self.filtered(
                lambda a: a.pool_applicant_id and a.pool_applicant_id != a
            )._outreach_stop("applied")
        if vals.get("outreach_opted_out"):
            self._outreach_stop("opted_out")
        if vals.get("do_not_contact"):
            self._outreach_stop("do_not_contact")
        return res

    def _get_drip_enrollments(self, domain):
        """The drip enrollments of these candidates' talents matching `domain` (sudo)."""
        return (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: stop and pause rules run on events (reply, bounce, public opt-out) of any user
            .sudo()
            .search(Domain("applicant_id", "in", self._get_talent().ids) & Domain(domain))
        )

    def _outreach_stop(self, reason):
        res = super()._outreach_stop(reason)
        enrollments = self._get_drip_enrollments([("state", "in", ("running", "paused"))])
        rule = {"replied": "stop_on_reply", "applied": "stop_on_apply", "bounced": "stop_on_bounce"}
        if reason in rule:
            enrollments = enrollments.filtered(lambda e: e.drip_id[rule[reason]])
        enrollments._stop(reason)
        return res

    def _outreach_pause(self, until):
        res = super()._outreach_pause(until)
        enrollments = self._get_drip_enrollments(
            [("state", "=", "running"), ("next_run_at", "!=", False), ("next_run_at", "<", until)]
        )
        enrollments._postpone(
            until,
            self.env._("Paused until %(date)s (UTC)", date=fields.Datetime.to_string(until)),
        )
        return res

    def _get_outreach_drip(self):
        drip_id = self.env.context.get("outreach_drip_id")
        # sudo: template rendering inside the drip cron or a preview: the drip of the context
        return self.env["hr.recruitment.drip"].sudo().browse(drip_id) if drip_id else False

    def _get_outreach_job(self):
        """The job a message talks about: the drip's first target job, else the applicant's."""
        self.ensure_one()
        drip = self._get_outreach_drip()
        return (drip and drip.job_ids[:1]) or self.job_id

    def _get_outreach_sender(self):
        """The user a message comes from: the drip owner, else the recruiter, else us."""
        self.ensure_one()
        drip = self._get_outreach_drip()
        return (drip and drip.user_id) or self.user_id or self.env.user

    def action_view_drip_enrollments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_recruitment_passive.hr_recruitment_drip_enrollment_action"
        )
        action["domain"] = [("applicant_id", "=", self._get_talent().id)]
        action["context"] = {}
        return action

    def action_open_drip_enroll_wizard(self):
        return self.env["hr.recruitment.drip.enroll"]._action_open(self)
