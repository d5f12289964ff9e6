from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from .hr_recruitment_drip_stat_mixin import STAT_FIELDS

TOUCHPOINT_CHANNELS = [
    ("email", "Email"),
    ("linkedin", "LinkedIn"),
    ("sms", "SMS"),
    ("phone", "Phone"),
    ("meeting", "Meeting"),
    ("event", "Event"),
    ("other", "Other"),
]
TOUCHPOINT_KINDS = [
    ("outreach", "Outreach"),
    ("follow_up", "Follow-up"),
    ("congratulation", "Congratulation"),
    ("resource", "Shared resource"),
    ("reply", "Reply"),
    ("call", "Call"),
    ("meeting", "Meeting"),
    ("note", "Note"),
    ("preference", "Preference"),
]
TOUCHPOINT_OUTCOMES = [
    ("planned", "Planned"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("opened", "Opened"),
    ("clicked", "Clicked"),
    ("replied", "Replied"),
    ("bounced", "Bounced"),
    ("failed", "Failed"),
    ("no_answer", "No answer"),
    ("done", "Done"),
]
# the outcomes of a message in the order they may only move forward (a click implies an open)
OUTCOME_PROGRESS = ("planned", "sent", "delivered", "opened", "clicked", "replied")
# a message that left (drip figures and report), was opened, or never reached the candidate
SENT_OUTCOMES = ("sent", "delivered", "opened", "clicked", "replied", "done", "bounced")
OPENED_OUTCOMES = ("opened", "clicked", "replied")
NOT_DELIVERED_OUTCOMES = ("planned", "failed", "bounced")


def outcome_rank(outcome):
    """Position of `outcome` in OUTCOME_PROGRESS; any other outcome (bounced, done...) ranks
    last, so that no tracking event ever changes it."""
    return OUTCOME_PROGRESS.index(outcome) if outcome in OUTCOME_PROGRESS else len(OUTCOME_PROGRESS)


class HrRecruitmentTouchpoint(models.Model):
    _name = "hr.recruitment.touchpoint"
    _inherit = ["hr.recruitment.touchpoint.reply"]
    _description = "Candidate Touchpoint"
    _order = "date desc, id desc"
    _rec_names_search = ["applicant_id", "summary"]
    _check_company_auto = True

    applicant_id = fields.Many2one(
        "hr.applicant",
        string="Candidate",
        required=True,
        index=True,
        ondelete="cascade",
        help="The talent this interaction belongs to. Interactions made on one of the talent's "
        "applications are attached to the talent.",
    )
    origin_applicant_id = fields.Many2one(
        "hr.applicant",
        string="Made on",
        index="btree_not_null",
        ondelete="set null",
        help="The application or talent record on which the interaction happened.",
    )
    partner_name = fields.Char(related="applicant_id.partner_name", string="Candidate Name")
    company_id = fields.Many2one(
        "res.company", related="applicant_id.company_id", store=True, index=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    active = fields.Boolean(
        default=True,
        help="History is never deleted: a row logged by mistake is archived by a Recruitment "
        "administrator, with the reason, and leaves the timeline and the figures.",
    )
    archive_reason = fields.Char(readonly=True, help="Why an administrator archived this row.")
    channel = fields.Selection(TOUCHPOINT_CHANNELS, required=True, default="email")
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")], required=True, default="outbound"
    )
    kind = fields.Selection(TOUCHPOINT_KINDS, required=True, default="outreach")
    summary = fields.Text()
    job_id = fields.Many2one(
        "hr.job", string="Job Position", index="btree_not_null", check_company=True
    )
    user_id = fields.Many2one(
        "res.users", string="Recruiter", default=lambda self: self.env.user, index=True
    )
    outcome = fields.Selection(TOUCHPOINT_OUTCOMES, required=True, default="done")
    auto_reply = fields.Boolean(
        string="Auto-reply",
        help="An automatic answer (out of office, vacation): logged, but neither a response "
        "from the candidate nor a reason to stop outreach.",
    )
    third_party = fields.Boolean(
        string="From a Third Party",
        help="An email on the candidate's thread written by someone else (a colleague in copy, "
        "an assistant): logged as a note, but neither a response from the candidate nor a "
        "reason to stop outreach.",
    )
    automated = fields.Boolean(
        help="Sent by the addon itself (drip, occasion message, bulk send) rather than by a "
        "recruiter: outbound automated touchpoints count against the contact caps.",
    )
    privacy_notice = fields.Boolean(
        string="Privacy Notice Given",
        help="This message carried the privacy notice for sourced candidates.",
    )
    declined = fields.Boolean(
        string="Candidate Said No",
        help="An inbound 'no' or 'not now' (snooze, reduced frequency, not open): automated "
        "outreach keeps the minimum gap set in the Recruitment settings after it.",
    )
    boundary_event = fields.Selection(
        [
            ("channel", "Preferred channel"),
            ("snooze", "Snoozed"),
            ("frequency", "Frequency reduced"),
            ("openness", "Openness updated"),
            ("opt_out", "Opted out"),
            ("unresponsive", "Removed as unresponsive"),
            ("anonymized", "Anonymized"),
            ("erasure", "Deletion requested"),
        ],
        help="The communication boundary this touchpoint recorded (consent history).",
    )
    mail_message_id = fields.Many2one(
        "mail.message", string="Email", index="btree_not_null", ondelete="set null"
    )

    source_id = fields.Many2one(
        "utm.source", related="applicant_id.source_id", store=True, string="Source"
    )
    occasion_id = fields.Many2one(
        "hr.recruitment.occasion", index="btree_not_null", ondelete="set null", check_company=True
    )
    occasion_year = fields.Integer(help="Year of the occasion this congratulation was for.")
    resource_id = fields.Many2one(
        "hr.recruitment.resource",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    link_tracker_id = fields.Many2one(
        "link.tracker",
        string="Tracked Link",
        index="btree_not_null",
        ondelete="set null",
        help="The candidate's own tracked link: its clicks are this candidate's.",
    )
    opened_date = fields.Datetime(
        string="First Opened",
        help="When the message was first opened; an open within a minute of sending is "
        "probably a privacy proxy or a scanner and counts little in the engagement score.",
    )
    clicked_date = fields.Datetime(
        string="First Clicked",
        help="When a link of the message was first clicked; a click within a minute of sending "
        "is probably a link scanner and counts little in the engagement score.",
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Prepared Activity",
        index="btree_not_null",
        ondelete="set null",
        help="The recruiter's activity carrying a prepared message (occasion congratulation): "
        "marking it done marks this touchpoint done.",
    )
    # drip links
    enrollment_id = fields.Many2one(
        "hr.recruitment.drip.enrollment",
        string="Drip Enrollment",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    drip_id = fields.Many2one(
        related="enrollment_id.drip_id", string="Drip", store=True, index="btree_not_null"
    )
    step_id = fields.Many2one(
        "hr.recruitment.drip.step",
        string="Drip Step",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    variant_id = fields.Many2one(
        "hr.recruitment.drip.step.variant",
        string="Drip Variant",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    mailing_trace_id = fields.Many2one(
        "mailing.trace", string="Email Tracking", index="btree_not_null", ondelete="set null"
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        compute="_compute_mail_template_id",
        store=True,
        index="btree_not_null",
        help="The template of the drip variant this email was sent from (kept when the "
        "variant later changes template).",
    )

    _applicant_date_idx = models.Index("(applicant_id, date DESC)")

    @api.depends("variant_id")
    def _compute_mail_template_id(self):
        for touchpoint in self:
            touchpoint.mail_template_id = (
                touchpoint.variant_id.mail_template_id if touchpoint.channel == "email" else False
            )

    @api.depends("applicant_id", "channel", "kind", "date")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for touchpoint in self:
            touchpoint.display_name = " · ".join(
                part
                for part in (
                    touchpoint.applicant_id.partner_name,
                    channels.get(touchpoint.channel),
                    kinds.get(touchpoint.kind),
                )
                if part
            )

    @api.constrains("date", "outcome")
    def _check_date_not_in_future(self):
        now = fields.Datetime.now()
        for touchpoint in self:
            if touchpoint.outcome != "planned" and touchpoint.date and touchpoint.date > now:
                raise ValidationError(
                    self.env._(
                        "The touchpoint with %(name)s is dated %(date)s, in the future, but its "
                        "outcome says it already happened. Set the outcome to 'Planned' or use "
                        "a date that is not in the future.",
                        name=touchpoint.applicant_id.partner_name or "",
                        date=touchpoint.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        applicant_ids = {vals["applicant_id"] for vals in vals_list if vals.get("applicant_id")}
        # sudo: the poster may not read the talent behind an application (interviewer, gateway)
        applicants = self.env["hr.applicant"].browse(applicant_ids).sudo()
        talent_by_applicant = {a.id: (a.pool_applicant_id or a).id for a in applicants}
        for vals in vals_list:
            origin_id = vals.get("applicant_id")
            if origin_id and talent_by_applicant.get(origin_id) != origin_id:
                vals.setdefault("origin_applicant_id", origin_id)
                vals["applicant_id"] = talent_by_applicant[origin_id]
        touchpoints = super().create(vals_list)
        # a real reply of the candidate stops the drips (not an out-of-office answer, nor a
        # third party's email)
        replies = touchpoints.filtered(lambda t: t._is_classifiable_reply())
        if replies:
            replies.applicant_id._outreach_stop("replied")
        return touchpoints

    @api.model
    def _get_candidate_response_domain(self):
        """Touchpoints that are a response of the candidate: inbound, happened, and neither an
        automatic answer nor someone else's email (engagement, last response, cleanup)."""
        return (
            Domain("direction", "=", "inbound")
            & Domain("outcome", "!=", "planned")
            & Domain("auto_reply", "=", False)
            & Domain("third_party", "=", False)
        )

    def _candidate_summary(self):
        """This touchpoint in words for the candidate (their data page and download): made
        from its channel, direction and kind, never from the recruiter's free text, which may
        hold internal notes or other people's names."""
        self.ensure_one()
        channel = self._fields["channel"].convert_to_export(self.channel, self)
        if self.boundary_event:
            event = self._fields["boundary_event"].convert_to_export(self.boundary_event, self)
            if self.direction == "inbound":
                return self.env._("Your choice: %(event)s", event=event)
            return self.env._("Our decision: %(event)s", event=event)
        if self.direction == "inbound":
            sentences = {
                "reply": self.env._("You replied (%(channel)s)", channel=channel),
                "call": self.env._("You called us"),
                "meeting": self.env._("We met"),
            }
            return sentences.get(self.kind) or self.env._(
                "You contacted us (%(channel)s)", channel=channel
            )
        sentences = {
            "outreach": self.env._("We sent you a message (%(channel)s)", channel=channel),
            "follow_up": self.env._(
                "We sent you a follow-up message (%(channel)s)", channel=channel
            ),
            "congratulation": self.env._(
                "We sent you our congratulations (%(channel)s)", channel=channel
            ),
            "resource": self.env._("We shared a resource with you (%(channel)s)", channel=channel),
            "reply": self.env._("We answered you (%(channel)s)", channel=channel),
            "call": self.env._("We called you"),
            "meeting": self.env._("We met"),
            "note": self.env._("A recruiter wrote a note about you (its text is not shown here)"),
        }
        sentence = sentences.get(self.kind) or self.env._(
            "We contacted you (%(channel)s)", channel=channel
        )
        if self.outcome in ("failed", "bounced"):
            sentence = self.env._("%(sentence)s; it did not reach you", sentence=sentence)
        return sentence

    @api.model
    def _get_outreach_touch_domain(self):
        """Touchpoints that are our outreach to the candidate: outbound and happened (the first
        one makes a talent 'Contacted'; the last one before an application gets its credit)."""
        return Domain("direction", "=", "outbound") & Domain(
            "outcome", "not in", ("planned", "failed")
        )

    def write(self, vals):
        if "active" in vals and not self.env.su:
            self._check_archive_allowed(vals)
        if vals.get("applicant_id") and not self.env.su:
            self._check_same_company_talent(vals["applicant_id"])
        res = super().write(vals)
        if "applicant_id" in vals:
            self._check_company()  # the company came with the candidate: check every link
        return res

    def _check_archive_allowed(self, vals):
        """Only Recruitment administrators archive history rows, and always with a reason."""
        if not self.env.user.has_group("hr_recruitment.group_hr_recruitment_manager"):
            raise AccessError(
                self.env._(
                    "Only Recruitment administrators may archive or restore touchpoints: the "
                    "history of a candidate is kept."
                )
            )
        if not vals["active"] and not (vals.get("archive_reason") or "").strip():
            raise UserError(
                self.env._("Give the reason to archive these touchpoints (Archive button).")
            )

    def action_archive(self):
        """Archiving asks for the reason first (the wizard archives and logs it)."""
        self._check_archive_allowed({"active": False, "archive_reason": "-"})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Archive touchpoints"),
            "res_model": "hr.recruitment.touchpoint.archive",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_touchpoint_ids": self.ids},
        }

    def _archive_with_reason(self, reason):
        """Archive these touchpoints and log who did it and why on each candidate."""
        self.write({"active": False, "archive_reason": reason})
        for applicant, touchpoints in self.grouped("applicant_id").items():
            # sudo: the log goes on the talent's chatter whatever the admin may post there
            applicant.sudo()._message_log(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "%(user)s archived touchpoints of the history: %(reason)s",
                        user=self.env.user.name,
                        reason=reason,
                    ),
                    Markup().join(
                        Markup("<li>%s · %s</li>")
                        % (fields.Datetime.to_string(touchpoint.date), touchpoint.display_name)
                        for touchpoint in touchpoints
                    ),
                )
            )

    def _check_same_company_talent(self, applicant_id):
        """A touchpoint may move to another candidate the user can read, of its own company:
        the history of one company never lands on another company's talent."""
        applicant = self.env["hr.applicant"].browse(applicant_id)
        applicant.check_access("read")
        company = applicant._get_talent().company_id
        for touchpoint in self:
            if touchpoint.company_id != company:
                raise UserError(
                    self.env._(
                        "The touchpoint '%(touchpoint)s' belongs to %(company)s and cannot move "
                        "to a candidate of another company; log a new touchpoint there instead.",
                        touchpoint=touchpoint.display_name,
                        company=touchpoint.company_id.name or "-",
                    )
                )

    # ------------------------------------------------------------
    # Tracking events (mailing.trace and the link tracker call them)
    # ------------------------------------------------------------

    def _register_tracking_event(self, event, at=None):
        """Record an 'opened' or 'clicked' event: first date kept, outcome raised (a click
        implies an open; a reply is never downgraded)."""
        at = at or fields.Datetime.now()
        for touchpoint in self:
            vals = {}
            if event == "clicked" and not touchpoint.clicked_date:
                vals["clicked_date"] = at
            if not touchpoint.opened_date:
                vals["opened_date"] = at
            if outcome_rank(touchpoint.outcome) < outcome_rank(event):
                vals["outcome"] = event
            if vals:
                touchpoint.write(vals)

    def _on_activity_done(self):
        """The recruiter did the prepared action (e.g. sent the congratulation): it happened now."""
        self.filtered(lambda t: t.outcome == "planned").write(
            {"outcome": "done", "date": fields.Datetime.now()}
        )

    @api.model
    def _on_delivery_failure(self, messages, channel, failure_type, reasons):
        """`messages` (email or SMS) did not leave: their touchpoints are failed, gave no
        privacy notice, and the drip enrollments that sent them are held on their step.

        :param reasons: {mail.message id: failure reason}"""
        touchpoints = (
            self.env["hr.recruitment.touchpoint"]
            # sudo: the mail queue and the SMS provider results are processed as any user
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", messages.ids),
                    ("channel", "=", channel),
                    ("direction", "=", "outbound"),
                    ("outcome", "in", ("planned", "sent", "delivered", "failed")),
                ]
            )
        )
        if not touchpoints:
            return
        touchpoints.write({"outcome": "failed", "privacy_notice": False})
        touchpoints.enrollment_id._hold_after_failed_delivery(touchpoints, failure_type, reasons)

    @api.model
    def _get_drip_statistics(self, domain, groupby):
        """{group id: {sent, opened, clicked, replied, bounced, *_rate}} of drip touchpoints."""
        stats = {}
        # sudo: figures only (counts per drip, step, variant), shown with the drip
        for group, outcome, count, clicked_count in self.sudo()._read_group(
            domain + [("direction", "=", "outbound"), ("enrollment_id", "!=", False)],
            [groupby, "outcome"],
            ["__count", "clicked_date:count"],
        ):
            values = stats.setdefault(group.id, dict.fromkeys(STAT_FIELDS, 0))
            if outcome in SENT_OUTCOMES:
                values["sent"] += count
            if outcome in OPENED_OUTCOMES:
                values["opened"] += count
            # a candidate who clicked, then replied, clicked too
            if outcome == "clicked":
                values["clicked"] += count
            elif outcome == "replied":
                values["clicked"] += clicked_count
            if outcome == "replied":
                values["replied"] += count
            if outcome == "bounced":
                values["bounced"] += count
            if outcome == "failed":
                values["failed"] += count
        for values in stats.values():
            sent = values["sent"]
            for key in ("opened", "clicked", "replied"):
                values[f"{key}_rate"] = round(100.0 * values[key] / sent, 1) if sent else 0.0
        return stats
