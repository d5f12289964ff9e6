from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import email_normalize

from ..const import CANDIDATE_PROFILE_FIELDS, OFFICER_GROUP
from ..tools.senders import is_known_sender, sender_address
from .hr_recruitment_contact_policy import employer_key
from .hr_recruitment_touchpoint import TOUCHPOINT_CHANNELS

# profile fields kept identical on a talent and its applications
PASSIVE_PROFILE_FIELDS = (
    "is_passive_candidate",
    *CANDIDATE_PROFILE_FIELDS,
    "preferred_channel_confirmed",
    "do_not_contact",
    "do_not_contact_reason",
)


class HrApplicant(models.Model):
    _name = "hr.applicant"
    _inherit = [
        "hr.applicant",
        "hr.recruitment.outreach.link",
        "hr.recruitment.candidate.preference",
        "hr.recruitment.talent.figures",
        "hr.recruitment.drip.candidate",
        "hr.recruitment.outreach.content",
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
    touchpoint_ids = fields.One2many(
        "hr.recruitment.touchpoint", "applicant_id", string="Touchpoints", groups=OFFICER_GROUP
    )
    talent_application_ids = fields.One2many(
        "hr.applicant",
        "pool_applicant_id",
        string="Talent Applications",
        groups=OFFICER_GROUP,
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

    _outreach_status_idx = models.Index("(outreach_status) WHERE is_passive_candidate IS TRUE")
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
                    applicant.sudo().with_context(outreach_profile_sync=True).write(
                        applicant._convert_to_write(missing)
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
        if profile_vals and not self.env.context.get("outreach_profile_sync"):
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

    def _sync_passive_profile(self, profile_vals):
        """Keep the profile identical on a talent and all its applications."""
        talents = self._get_talent()
        # sudo: the profile is one per person: applications the editor may not write are kept equal
        related = (talents | talents.sudo().talent_application_ids) - self
        if related:
            related.with_context(outreach_profile_sync=True).sudo().write(profile_vals)

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
            [("applicant_id", "=", self._get_talent().id), ("reply_status", "=", "to_classify")],
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
        touchpoint = (
            self.env["hr.recruitment.touchpoint"]
            # sudo: the gateway or an interviewer posts: touchpoints are created for officers
            .sudo()
            .create(
                {
                    "applicant_id": self.id,
                    "channel": "email",
                    "job_id": self.job_id.id,
                    "mail_message_id": message.id,
                    "date": fields.Datetime.now(),  # receipt time: header dates are unreliable
                    **vals,
                }
            )
        )
        if vals.get("auto_reply") and not vals.get("third_party"):
            until = self.env.context["outreach_auto_reply"].get("until")
            self._outreach_handle_auto_reply(touchpoint, until)

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

    def _outreach_handle_auto_reply(self, touchpoint, until):
        """An out-of-office answer (`touchpoint`, just logged): note it on the touchpoint and
        pause drips until the return date when one was read (it neither stops drips nor
        counts as engagement)."""
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
        # hr.applicant has no such method in Odoo 19 (mass_mailing asks with hasattr, as here);
        # another addon defining it keeps its own exclusions
        if hasattr(super(), "_mailing_get_opt_out_list"):
            opt_out = set(super()._mailing_get_opt_out_list(mailing))
        domain = Domain(mailing._get_recipients_domain())
        batch_ids = self.env.context.get("outreach_optout_res_ids")
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
