from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import email_normalize, is_html_empty

from ..tools import wording
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
# a response older than this turns an engaged candidate into one we are nurturing
ENGAGED_DAYS = 30


class HrApplicant(models.Model):
    _name = "hr.applicant"
    _inherit = [
        "hr.applicant",
        "hr.recruitment.outreach.link",
        "hr.recruitment.candidate.preference",
    ]

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
            ("snoozed", "Snoozed"),
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
    outreach_converted = fields.Boolean(
        string="Applied After Outreach",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
        help="An application to a job created after the talent's first outreach: a conversion "
        "(the rule of the 'Converted' outreach status).",
    )
    conversion_touchpoint_id = fields.Many2one(
        "hr.recruitment.touchpoint",
        string="Last Touch Before Applying",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
        help="The last outbound touchpoint of the talent before this application: the drip, "
        "step and recruiter the conversion is credited to.",
    )
    conversion_drip_id = fields.Many2one(
        "hr.recruitment.drip",
        string="Converting Drip",
        compute="_compute_outreach_conversion",
        store=True,
        index="btree_not_null",
        groups=OFFICER_GROUP,
    )
    conversion_step_id = fields.Many2one(
        "hr.recruitment.drip.step",
        string="Converting Step",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
    )
    conversion_user_id = fields.Many2one(
        "res.users",
        string="Converting Recruiter",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
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
    erasure_requested_date = fields.Datetime(
        string="Deletion Requested On",
        readonly=True,
        copy=False,
        groups=OFFICER_GROUP,
        help="The candidate asked, from their preference page, to delete the data we keep: "
        "outreach stops at once and the retention rule anonymizes the talent once the review "
        "period is over (or a recruiter does it sooner).",
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
        stats = self.env["hr.recruitment.engagement"]._get_talent_figures(
            [tid for tid in talent_by_record.values() if tid]
        )
        for rec, talent_id in talent_by_record.items():
            values = stats.get(talent_id, {})
            rec.touchpoint_count = values.get("count", 0)
            rec.first_outreach_date = values.get("first_outreach")
            rec.last_touchpoint_date = values.get("last")
            rec.last_response_date = values.get("last_response")
            rec.next_touchpoint_date = values.get("next")
            rec.engagement_score = values.get("score", 0)

    @api.depends(
        "do_not_contact",
        "outreach_opted_out",
        "unresponsive_date",
        "first_outreach_date",
        "last_response_date",
        "outreach_snoozed_until",
        "pool_applicant_id.outreach_snoozed_until",
        "talent_application_ids.job_id",
        "pool_applicant_id.talent_application_ids.job_id",
    )
    def _compute_outreach_status(self):
        """The talent's outreach status; a snooze that ends is picked up by the daily
        recompute (_cron_recompute_engagement)."""
        engaged_since = fields.Datetime.now() - timedelta(days=ENGAGED_DAYS)
        today = fields.Date.today()
        for rec in self:
            talent = rec.pool_applicant_id or rec
            applications = talent.talent_application_ids | rec
            first_outreach = rec.first_outreach_date
            converted = any(app._is_outreach_conversion(first_outreach) for app in applications)
            last_response = rec.last_response_date
            if rec.do_not_contact:
                rec.outreach_status = "do_not_contact"
            elif rec.outreach_opted_out:
                rec.outreach_status = "opted_out"
            elif converted:
                rec.outreach_status = "converted"
            elif talent.outreach_snoozed_until and talent.outreach_snoozed_until > today:
                rec.outreach_status = "snoozed"
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

    def _is_outreach_conversion(self, first_outreach):
        """Whether this record is an application made after the talent's first outreach
        (`first_outreach`): the one rule of the 'Converted' status and the Conversions report."""
        self.ensure_one()
        return bool(
            self.job_id
            and first_outreach
            and (self.create_date or fields.Datetime.now()) >= first_outreach
        )

    @api.depends(
        "job_id",
        "create_date",
        "first_outreach_date",
        "touchpoint_ids.date",
        "touchpoint_ids.direction",
        "touchpoint_ids.outcome",
        "pool_applicant_id.touchpoint_ids.date",
        "pool_applicant_id.touchpoint_ids.direction",
        "pool_applicant_id.touchpoint_ids.outcome",
    )
    def _compute_outreach_conversion(self):
        converted = self.filtered(lambda rec: rec._is_outreach_conversion(rec.first_outreach_date))
        (self - converted).update(
            {
                "outreach_converted": False,
                "conversion_touchpoint_id": False,
                "conversion_drip_id": False,
                "conversion_step_id": False,
                "conversion_user_id": False,
            }
        )
        if not converted:
            return
        talent_ids = {(rec.pool_applicant_id or rec)._origin.id for rec in converted}
        # sudo: the credit goes to the touch that happened, whoever recomputes the figure
        touches = (
            self.env["hr.recruitment.touchpoint"]
            .sudo()
            .search_fetch(
                Domain("applicant_id", "in", list(talent_ids))
                & self.env["hr.recruitment.touchpoint"]._get_outreach_touch_domain(),
                ["applicant_id", "date", "drip_id", "step_id", "user_id"],
                order="date desc, id desc",
            )
        )
        touches_by_talent = defaultdict(list)
        for touch in touches:
            touches_by_talent[touch.applicant_id.id].append(touch)
        now = fields.Datetime.now()
        for rec in converted:
            applied_at = rec.create_date or now
            last_touch = next(
                (
                    touch
                    for touch in touches_by_talent[(rec.pool_applicant_id or rec)._origin.id]
                    if touch.date <= applied_at
                ),
                touches.browse(),
            )
            rec.update(
                {
                    "outreach_converted": True,
                    "conversion_touchpoint_id": last_touch.id,
                    "conversion_drip_id": last_touch.drip_id.id,
                    "conversion_step_id": last_touch.step_id.id,
                    "conversion_user_id": last_touch.user_id.id,
                }
            )

    @api.model
    def _read_group_outreach_status(self, values, domain):
        return [key for key, _label in self._fields["outreach_status"].selection]

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
        # an application to a job created for a talent in a drip: the talent applied
        applied = applicants.filtered(
            lambda a: a.job_id and a.pool_applicant_id and a.pool_applicant_id != a
        )
        if applied:
            applied._outreach_stop("applied")
        return applicants

    def write(self, vals):
        self._stamp_desired_timing(vals)
        res = super().write(vals)
        profile_vals = {f: vals[f] for f in PASSIVE_PROFILE_FIELDS if f in vals}
        if profile_vals and not self.env.context.get("passive_profile_sync"):
            self._sync_passive_profile(profile_vals)
        if vals.get("job_id"):
            self.filtered(
                lambda a: a.pool_applicant_id and a.pool_applicant_id != a
            )._outreach_stop("applied")
        if vals.get("outreach_opted_out"):
            self._outreach_stop("opted_out")
        if vals.get("do_not_contact"):
            self._outreach_stop("do_not_contact")
        filled = set(vals) & self.env["mail.template"]._outreach_required_field_names()
        if filled:
            self._get_drip_enrollments(
                [("state", "=", "paused"), ("missing_field_ids.field_name", "in", list(filled))]
            )._release_held()
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

    # ------------------------------------------------------------
    # Messages: every email to or from a candidate is a touchpoint
    # ------------------------------------------------------------
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
            talent._outreach_pause(resume_at, reason="out_of_office")

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

    # ------------------------------------------------------------
    # Drips: stop and pause rules
    # ------------------------------------------------------------
    def _get_drip_enrollments(self, domain):
        """The drip enrollments of these candidates' talents matching `domain` (sudo)."""
        return (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: stop and pause rules run on events (reply, bounce, public opt-out) of any user
            .sudo()
            .search(Domain("applicant_id", "in", self._get_talent().ids) & Domain(domain))
        )

    def _outreach_stop(self, reason):
        """Stop the automated outreach to these candidates: their running drips end (reason:
        replied, applied, opted_out, bounced, unresponsive, do_not_contact, manual), as far as
        the drip's stop rules say for replies, applications and bounces."""
        enrollments = self._get_drip_enrollments([("state", "in", ("running", "paused"))])
        rule = {"replied": "stop_on_reply", "applied": "stop_on_apply", "bounced": "stop_on_bounce"}
        if reason in rule:
            enrollments = enrollments.filtered(lambda e: e.drip_id[rule[reason]])
        enrollments._stop(reason)

    def _outreach_pause(self, until, reason=None):
        """Hold automated outreach to these candidates until `until` (a snooze, an
        out-of-office reply: `reason` "snooze" or "out_of_office"): their running drips are
        paused (an automatic pause is moved, a pause by hand is left alone)."""
        enrollments = self._get_drip_enrollments(
            [
                "|",
                ("state", "=", "running"),
                "&",
                ("state", "=", "paused"),
                ("pause_reason", "not in", ("manual", False)),
                ("next_run_at", "!=", False),
                ("next_run_at", "<", until),
            ]
        )
        for enrollment in enrollments:
            note_env = enrollment._get_note_env()
            date = enrollment._format_note_date(until)
            enrollment._postpone(
                until,
                note_env._("Snoozed by the candidate until %(date)s", date=date)
                if reason == "snooze"
                else note_env._("Out of office until %(date)s", date=date)
                if reason == "out_of_office"
                else note_env._("Paused until %(date)s", date=date),
                reason=reason or "out_of_office",
            )

    # ------------------------------------------------------------
    # Template helpers: object.<method>() in mail templates
    # ------------------------------------------------------------
    def _get_outreach_lang(self):
        self.ensure_one()
        return self.partner_id.lang or self.company_id.partner_id.lang or self.env.lang or "en_US"

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
        """The user a message comes from: the sender of the drip step being sent (its owner,
        the job's recruiter, the hiring manager, a chosen user), else the drip owner, else
        the recruiter, else us."""
        self.ensure_one()
        step_id = self.env.context.get("outreach_step_id")
        if step_id:
            # sudo: template rendering inside the drip cron or a preview: the step of the context
            step = self.env["hr.recruitment.drip.step"].sudo().browse(step_id)
            return step._get_senders(self)[self.id][0]
        drip = self._get_outreach_drip()
        return (drip and drip.user_id) or self.user_id or self.env.user

    def _get_outreach_signature(self):
        """The email signature of the message's sender (placeholder of drip templates):
        their signature, else their name."""
        sender = self._get_outreach_sender()
        # sudo: the sender's signature is read to sign a message in their name
        signature = sender.sudo().signature
        return signature if not is_html_empty(signature) else sender.name

    def _outreach_first_name(self):
        """The candidate's first name, for a greeting ('Hello Ada,')."""
        self.ensure_one()
        return wording.first_name(self.partner_name or self.partner_id.name)

    @api.model
    def _outreach_a(self, phrase):
        """The phrase with its English article, for templates: 'an Experienced Developer'."""
        return wording.with_indefinite_article(phrase)

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
