from odoo import api, fields, models
from odoo.exceptions import ValidationError

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


class HrRecruitmentTouchpoint(models.Model):
    _name = "hr.recruitment.touchpoint"
    _description = "Candidate Touchpoint"
    _order = "date desc, id desc"
    _rec_names_search = ["applicant_id", "summary"]

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
    channel = fields.Selection(TOUCHPOINT_CHANNELS, required=True, default="email")
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")], required=True, default="outbound"
    )
    kind = fields.Selection(TOUCHPOINT_KINDS, required=True, default="outreach")
    summary = fields.Text()
    job_id = fields.Many2one("hr.job", string="Job Position", index="btree_not_null")
    user_id = fields.Many2one(
        "res.users", string="Recruiter", default=lambda self: self.env.user, index=True
    )
    outcome = fields.Selection(TOUCHPOINT_OUTCOMES, required=True, default="done")
    auto_reply = fields.Boolean(
        string="Auto-reply",
        help="An automatic answer (out of office, vacation): logged, but neither a response "
        "from the candidate nor a reason to stop outreach.",
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
        ],
        help="The communication boundary this touchpoint recorded (consent history).",
    )
    mail_message_id = fields.Many2one(
        "mail.message", string="Email", index="btree_not_null", ondelete="set null"
    )

    _applicant_date_idx = models.Index("(applicant_id, date DESC)")

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
        applicants = self.env["hr.applicant"].browse(applicant_ids).sudo()
        talent_by_applicant = {a.id: (a.pool_applicant_id or a).id for a in applicants}
        for vals in vals_list:
            origin_id = vals.get("applicant_id")
            if origin_id and talent_by_applicant.get(origin_id) != origin_id:
                vals.setdefault("origin_applicant_id", origin_id)
                vals["applicant_id"] = talent_by_applicant[origin_id]
        return super().create(vals_list)


class HrRecruitmentTouchpointDrip(models.Model):
    """Drip links of a touchpoint, drip statistics, and the reply stop rule."""

    _inherit = "hr.recruitment.touchpoint"

    enrollment_id = fields.Many2one(
        "hr.recruitment.drip.enrollment",
        string="Drip Enrollment",
        index="btree_not_null",
        ondelete="set null",
    )
    drip_id = fields.Many2one(
        related="enrollment_id.drip_id", string="Drip", store=True, index="btree_not_null"
    )
    step_id = fields.Many2one(
        "hr.recruitment.drip.step", string="Drip Step", index="btree_not_null", ondelete="set null"
    )
    variant_id = fields.Many2one(
        "hr.recruitment.drip.step.variant",
        string="Drip Variant",
        index="btree_not_null",
        ondelete="set null",
    )
    mailing_trace_id = fields.Many2one(
        "mailing.trace", string="Email Tracking", index="btree_not_null", ondelete="set null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        touchpoints = super().create(vals_list)
        # a real reply stops the drips (an out-of-office answer is created with auto_reply)
        replies = touchpoints.filtered(
            lambda t: (
                t.direction == "inbound"
                and t.kind == "reply"
                and not t.auto_reply
                and t.outcome != "planned"
            )
        )
        if replies:
            replies.applicant_id._outreach_stop("replied")
        return touchpoints

    @api.model
    def _get_drip_statistics(self, domain, groupby):
        """{group id: {sent, opened, clicked, replied, bounced, *_rate}} of drip touchpoints."""
        stats = {}
        for group, outcome, count in self.sudo()._read_group(
            domain + [("direction", "=", "outbound"), ("enrollment_id", "!=", False)],
            [groupby, "outcome"],
            ["__count"],
        ):
            values = stats.setdefault(group.id, dict.fromkeys(DRIP_STAT_KEYS, 0))
            if outcome in ("sent", "delivered", "opened", "clicked", "replied", "done", "bounced"):
                values["sent"] += count
            if outcome in ("opened", "clicked", "replied"):
                values["opened"] += count
            if outcome == "clicked":
                values["clicked"] += count
            if outcome == "replied":
                values["replied"] += count
            if outcome == "bounced":
                values["bounced"] += count
        for values in stats.values():
            sent = values["sent"]
            for key in ("opened", "clicked", "replied"):
                values[f"{key}_rate"] = round(100.0 * values[key] / sent, 1) if sent else 0.0
        return stats


DRIP_STAT_KEYS = ("sent", "opened", "clicked", "replied", "bounced")
