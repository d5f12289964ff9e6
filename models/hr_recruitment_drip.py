from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

WEEKDAY_FIELDS = (
    "send_monday",
    "send_tuesday",
    "send_wednesday",
    "send_thursday",
    "send_friday",
    "send_saturday",
    "send_sunday",
)
# a change of these reschedules the drip's waiting enrollments
WINDOW_FIELDS = {*WEEKDAY_FIELDS, "send_hour_from", "send_hour_to", "skip_public_holidays"}


class HrRecruitmentDrip(models.Model):
    _name = "hr.recruitment.drip"
    _description = "Drip Sequence"
    _inherit = ["mail.thread", "hr.recruitment.drip.stat.mixin"]
    _drip_stat_field = "drip_id"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        help="The sender of the emails and the assignee of the manual tasks; replies reach the "
        "candidate's chatter.",
    )
    job_ids = fields.Many2many(
        "hr.job",
        string="Target Jobs",
        check_company=True,
        help="The job the messages talk about (the first one) and the jobs whose applications "
        "count as conversions.",
    )
    talent_pool_ids = fields.Many2many(
        "hr.talent.pool",
        string="Target Talent Pools",
        check_company=True,
        help="The talents of these pools are proposed when enrolling from the drip form.",
    )
    step_ids = fields.One2many("hr.recruitment.drip.step", "drip_id", string="Steps", copy=True)
    enrollment_ids = fields.One2many("hr.recruitment.drip.enrollment", "drip_id")
    allow_overlap = fields.Boolean(
        help="Enroll candidates even when they are already running in another drip.",
    )
    # sending window, in the candidate's timezone (else the owner's, else the company's)
    send_monday = fields.Boolean(string="Monday", default=True)
    send_tuesday = fields.Boolean(string="Tuesday", default=True)
    send_wednesday = fields.Boolean(string="Wednesday", default=True)
    send_thursday = fields.Boolean(string="Thursday", default=True)
    send_friday = fields.Boolean(string="Friday", default=True)
    send_saturday = fields.Boolean(string="Saturday")
    send_sunday = fields.Boolean(string="Sunday")
    send_hour_from = fields.Float(
        string="Send From", default=lambda self: self.env.company.outreach_window_start
    )
    send_hour_to = fields.Float(
        string="Send Until", default=lambda self: self.env.company.outreach_window_end
    )
    skip_public_holidays = fields.Boolean(
        default=True,
        help="Send nothing on the public holidays of the company's working calendar.",
    )
    # stop rules (an opt-out always stops)
    stop_on_reply = fields.Boolean(default=True, help="Stop when the candidate replies.")
    stop_on_apply = fields.Boolean(
        string="Stop on Application",
        default=True,
        help="Stop when the candidate applies or is added to a job pipeline.",
    )
    stop_on_bounce = fields.Boolean(default=True, help="Stop when an email bounces.")
    open_wait_days = fields.Integer(
        string="Wait for Open (days)",
        default=7,
        help="A step with the condition 'opened' or 'clicked' waits up to this many days after "
        "it is due for the previous email to be opened (clicked).",
    )
    open_timeout_action = fields.Selection(
        [("skip", "Skip the step, go on"), ("end", "End the sequence")],
        string="If Never Opened",
        default="skip",
        required=True,
    )
    ab_auto_apply = fields.Boolean(
        string="Apply A/B Winners",
        tracking=True,
        help="When a variant of a step wins its A/B test with enough evidence, give it every "
        "candidate (100 %) automatically, once a day. Otherwise the drip only suggests it.",
    )
    ab_winner_step_ids = fields.Many2many(
        "hr.recruitment.drip.step",
        string="A/B Winners to Apply",
        compute="_compute_ab_winner_step_ids",
        help="Steps with an A/B winner that does not get every candidate yet.",
    )
    enrollment_count = fields.Integer(compute="_compute_statistics")
    running_count = fields.Integer(compute="_compute_statistics")
    error_count = fields.Integer(compute="_compute_statistics")
    converted_count = fields.Integer(compute="_compute_statistics")
    opted_out_count = fields.Integer(compute="_compute_statistics")
    converted_rate = fields.Float(compute="_compute_statistics", aggregator="avg")
    sender_sent_today = fields.Integer(
        string="Sent Today by the Owner", compute="_compute_sender_usage"
    )
    sender_daily_limit = fields.Integer(
        string="Owner's Limit Today", compute="_compute_sender_usage", help="0: no limit."
    )
    sender_usage = fields.Char(
        string="Sent Today / Limit",
        compute="_compute_sender_usage",
        help="Drip emails the owner (the sender) sent today, in their time zone, out of their "
        "daily limit (Settings, or the user's own); the next ones wait for the next sending "
        "window.",
    )
    last_batch_date = fields.Datetime(
        string="Last Send", compute="_compute_last_batch", help="When the drip last sent."
    )
    last_batch_count = fields.Integer(compute="_compute_last_batch")
    last_batch_note = fields.Char(compute="_compute_last_batch")
    last_batch_failed_count = fields.Integer(
        string="Undelivered in Last Send",
        compute="_compute_last_batch",
        help="Messages of the drip's last send that never left (mail server or SMS provider).",
    )

    _send_hours_check = models.Constraint(
        "CHECK(send_hour_from >= 0 AND send_hour_to <= 24 AND send_hour_from < send_hour_to)",
        "The sending window must start before it ends, between 0:00 and 24:00.",
    )
    _open_wait_days_check = models.Constraint(
        "CHECK(open_wait_days >= 0)", "The days to wait for an open cannot be negative."
    )

    @api.depends("user_id")
    def _compute_sender_usage(self):
        usage = self.env["hr.recruitment.contact.policy"]._get_sender_usage(self.user_id)
        for drip in self:
            today = usage.get(drip.user_id.id)
            if not today:
                drip.update({"sender_sent_today": 0, "sender_daily_limit": 0, "sender_usage": ""})
                continue
            drip.sender_sent_today = today["sent"]
            drip.sender_daily_limit = today["limit"] or 0
            drip.sender_usage = (
                f"{today['sent']} / {today['limit']}"
                if today["limit"] is not None
                else self.env._("%(sent)s / no limit", sent=today["sent"])
            )

    @api.depends("enrollment_ids.state", "step_ids")
    def _compute_statistics(self):
        drips = self.filtered("id")
        (self - drips).update(dict.fromkeys(self._statistic_fields(), 0))
        if not drips:
            return
        Enrollment = self.env["hr.recruitment.drip.enrollment"]
        counts = {}
        for drip, state, stop_reason, count in Enrollment._read_group(
            [("drip_id", "in", drips.ids)], ["drip_id", "state", "stop_reason"], ["__count"]
        ):
            values = counts.setdefault(drip.id, {})
            values["enrolled"] = values.get("enrolled", 0) + count
            if state in ("running", "paused"):
                values["running"] = values.get("running", 0) + count
            if stop_reason:
                values[stop_reason] = values.get(stop_reason, 0) + count
        figures = drips._get_email_figures()
        # the Conversions report's rule: talents who applied after outreach, credited to the
        # drip of the last message before the application
        conversions = dict(
            # sudo: counts of applications, shown with the drip whatever the user may read
            self.env["hr.applicant"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("conversion_drip_id", "in", drips.ids)],
                ["conversion_drip_id"],
                ["pool_applicant_id:count_distinct"],
            )
        )
        for drip in drips:
            values = counts.get(drip.id, {})
            enrolled = values.get("enrolled", 0)
            converted = conversions.get(drip, 0)
            drip.update(
                {
                    "enrollment_count": enrolled,
                    "running_count": values.get("running", 0),
                    "error_count": values.get("error", 0),
                    "converted_count": converted,
                    "opted_out_count": values.get("opted_out", 0),
                    **figures[drip.id],
                    "converted_rate": 100.0 * converted / enrolled if enrolled else 0.0,
                }
            )

    def _compute_last_batch(self):
        """The drip's last send: the automated messages logged in its last run (one
        transaction, one creation time), and how many of them never left."""
        # sudo: figures only, shown with the drip
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        base = [("automated", "=", True), ("direction", "=", "outbound")]
        latest = dict(
            Touchpoint._read_group(
                [("drip_id", "in", self.filtered("id").ids), *base],
                ["drip_id"],
                ["create_date:max"],
            )
        )
        for drip in self:
            date = latest.get(drip)
            counts = (
                dict(
                    Touchpoint._read_group(
                        [("drip_id", "=", drip.id), ("create_date", "=", date), *base],
                        ["outcome"],
                        ["__count"],
                    )
                )
                if date
                else {}
            )
            drip.last_batch_date = date or False
            drip.last_batch_count = sum(counts.values())
            drip.last_batch_failed_count = counts.get("failed", 0)
            drip.last_batch_note = drip.last_batch_failed_count and self.env._(
                "The last send (%(date)s) was not delivered for %(failed)s of %(total)s "
                "messages: the mail server or the SMS provider refused them. Those candidates "
                "wait; the drip sends again later, or stops them with the reason.",
                date=format_datetime(self.env, date),
                failed=drip.last_batch_failed_count,
                total=drip.last_batch_count,
            )

    @api.depends("step_ids.ab_winner_to_apply")
    def _compute_ab_winner_step_ids(self):
        for drip in self:
            drip.ab_winner_step_ids = drip.step_ids.filtered("ab_winner_to_apply")

    @api.model
    def _statistic_fields(self):
        return [
            fname for fname, field in self._fields.items() if field.compute == "_compute_statistics"
        ]

    @api.constrains(*WEEKDAY_FIELDS)
    def _check_send_days(self):
        for drip in self:
            if not any(drip[fname] for fname in WEEKDAY_FIELDS):
                raise ValidationError(
                    self.env._(
                        "Drip '%(name)s' has no sending day: tick at least one weekday.",
                        name=drip.name,
                    )
                )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for drip, vals in zip(self, vals_list, strict=True):
            vals.setdefault("name", self.env._("%(name)s (copy)", name=drip.name))
        return vals_list

    def write(self, vals):
        restored = self.filtered(lambda d: not d.active) if vals.get("active") else self.browse()
        res = super().write(vals)
        # a drip restored with a template the drip may not send is refused (see _check_ready)
        restored.step_ids.variant_ids.filtered("split_percent")._check_quality()
        if WINDOW_FIELDS & set(vals):
            self._get_waiting_enrollments()._reschedule()
        return res

    def _get_waiting_enrollments(self, domain=()):
        """The running enrollments of these drips waiting for a later step time (sudo)."""
        return (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: a change of the drip reschedules every candidate in it, whoever enrolled them
            .sudo()
            .search(
                [
                    ("drip_id", "in", self.ids),
                    ("state", "=", "running"),
                    ("next_run_at", "!=", False),
                    *domain,
                ]
            )
        )

    def _get_sender_email(self, sender=None):
        """From address of the drip's emails: the sender's (the step's, by default the
        owner), else the company's, else the company's alias domain default sender, else
        the current user's (a fresh database's admin has no email)."""
        self.ensure_one()
        company = self.company_id
        return (
            (sender or self.user_id).email_formatted
            or company.partner_id.email_formatted
            or company.alias_domain_id.default_from_email
            or self.env.user.email_formatted
        )

    def action_view_undelivered(self):
        """The enrollments held or stopped because a message did not leave."""
        action = self.action_view_enrollments()
        action["context"] = {"search_default_undelivered": 1}
        return action

    def action_open_enroll_wizard(self):
        self.ensure_one()
        return self.env["hr.recruitment.drip.enroll"]._action_open(
            self.talent_pool_ids.talent_ids, drip=self
        )

    def action_view_enrollments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_recruitment_passive.hr_recruitment_drip_enrollment_action"
        )
        action["domain"] = [("drip_id", "=", self.id)]
        action["context"] = {"default_drip_id": self.id, "search_default_group_state": 1}
        return action

    def action_view_touchpoints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_recruitment_passive.hr_recruitment_touchpoint_action"
        )
        action["domain"] = [("drip_id", "=", self.id)]
        action["context"] = {}
        return action

    def enroll(self, applicants):
        """Enroll candidates (talents, or the talents behind applications) in this drip.

        :return: {"enrollments": created enrollments,
                  "skipped": {applicant id: (reason code, sentence)}}; never skips silently
        """
        self.ensure_one()
        self.check_access("read")
        self.env["hr.recruitment.drip.enrollment"].check_access("create")
        applicants.check_access("read")
        # sudo: rights checked above; enrollments are created only as superuser (create())
        drip = self.sudo()
        if not drip.active:
            raise UserError(
                self.env._("Drip '%(name)s' is archived: restore it to enroll.", name=drip.name)
            )
        if not drip.step_ids:
            raise UserError(
                self.env._(
                    "Drip '%(name)s' has no step yet: add at least one step before enrolling.",
                    name=drip.name,
                )
            )
        drip.step_ids._check_ready()
        skipped = {}
        talents = self.env["hr.applicant"]
        # sudo: an application's talent may be a record the caller cannot read (other recruiter)
        for applicant in applicants.sudo():
            talent = applicant._get_talent()
            if talent in talents:
                continue
            talents |= talent
        eligible = talents.filtered(lambda t: t.active)
        for talent in talents - eligible:
            skipped[talent.id] = ("archived", self.env._("Archived candidate"))
        other_company = eligible.filtered(
            lambda t: t.company_id and t.company_id != drip.company_id
        )
        for talent in other_company:
            skipped[talent.id] = (
                "other_company",
                self.env._(
                    "Belongs to another company (%(company)s)", company=talent.company_id.name
                ),
            )
        eligible -= other_company
        eligible = drip._filter_already_enrolled(eligible, skipped)
        for channel in drip._get_automated_channels():
            decisions = self.env["hr.recruitment.contact.policy"]._check(eligible, channel)
            for talent in eligible:
                decision = decisions[talent.id]
                # a snoozed candidate asked to be left alone; any other hold (caps, sending
                # window, quiet days, out of office) only delays the first step at send time
                if decision.state == "refused" or decision.reason == "snoozed":
                    skipped[talent.id] = (decision.reason, decision.message)
            eligible = eligible.filtered(lambda t: t.id not in skipped)
        first_step = drip.step_ids[:1]
        now = fields.Datetime.now()
        enrollments = (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: create() refuses users: enrollments are born here, past the gate above
            .sudo()
            .create(
                [
                    {
                        "drip_id": drip.id,
                        "applicant_id": talent.id,
                        "step_id": first_step.id,
                        "next_run_at": first_step._get_due_date(now, talent),
                        "step_start_at": now,
                    }
                    for talent in eligible
                ]
            )
        )
        if enrollments:
            self.env["hr.recruitment.drip.enrollment"]._trigger_processing(
                min(enrollments.mapped("next_run_at"))
            )
        return {"enrollments": enrollments.sudo(False), "skipped": skipped}

    def action_apply_ab_winners(self):
        self.ensure_one()
        return self.ab_winner_step_ids.action_apply_ab_winner()

    @api.model
    def _cron_apply_ab_winners(self):
        """Daily: give A/B winners every candidate in the drips whose owner allows it."""
        drips = self.search([("ab_auto_apply", "=", True)])
        drips.step_ids._apply_ab_winner()

    def _filter_already_enrolled(self, talents, skipped):
        """Drop the talents already running in this drip, or in any drip unless overlap."""
        self.ensure_one()
        domain = [("applicant_id", "in", talents.ids), ("state", "in", ("running", "paused"))]
        if self.allow_overlap:
            domain.append(("drip_id", "=", self.id))
        running = (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: the candidate may run in a drip of another owner: still already enrolled
            .sudo()
            .search_fetch(domain, ["applicant_id", "drip_id"])
        )
        for enrollment in running:
            skipped[enrollment.applicant_id.id] = (
                "already_enrolled",
                self.env._("Already in running drip '%(drip)s'", drip=enrollment.drip_id.name),
            )
        return talents.filtered(lambda t: t.id not in skipped)

    def _get_automated_channels(self):
        """Channels a candidate must be reachable on to be enrolled (email, sms)."""
        self.ensure_one()
        channels = self.step_ids.mapped("channel")
        return [channel for channel in ("email", "sms") if channel in channels]

    def _get_window_weekdays(self):
        self.ensure_one()
        return {day for day, fname in enumerate(WEEKDAY_FIELDS) if self[fname]}
