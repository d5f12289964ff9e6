from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

STOP_REASONS = [
    ("replied", "Replied"),
    ("applied", "Applied"),
    ("opted_out", "Opted out"),
    ("bounced", "Bounced"),
    ("unresponsive", "Unresponsive"),
    ("manual", "Stopped by hand"),
    ("do_not_contact", "Do not contact"),
    ("error", "Error"),
]
# why an enrollment is paused; all but "manual" come with an end (paused_until) and the cron
# resumes them then
PAUSE_REASONS = [
    ("manual", "Paused by hand"),
    ("snooze", "Snoozed by the candidate"),
    ("out_of_office", "Out of office"),
    ("sender_limit", "Sender limit reached"),
    ("delivery_retry", "Delivery failed, retrying"),
    ("missing_data", "Waiting for candidate data"),
]
# what a user may give when creating an enrollment directly: the rest belongs to enroll()
ENROLL_FIELDS = {"drip_id", "applicant_id"}


class HrRecruitmentDripEnrollment(models.Model):
    _name = "hr.recruitment.drip.enrollment"
    _inherit = ["hr.recruitment.drip.processing", "hr.recruitment.drip.sending"]
    _description = "Drip Sequence Enrollment"
    _order = "id desc"
    _rec_names_search = ["applicant_id", "drip_id"]
    _check_company_auto = True

    applicant_id = fields.Many2one(
        "hr.applicant",
        string="Candidate",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    partner_name = fields.Char(related="applicant_id.partner_name", string="Candidate Name")
    drip_id = fields.Many2one("hr.recruitment.drip", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="drip_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="drip_id.user_id", string="Owner", store=True, index=True)
    state = fields.Selection(
        [("running", "Running"), ("paused", "Paused"), ("done", "Done"), ("stopped", "Stopped")],
        required=True,
        default="running",
        index=True,
    )
    stop_reason = fields.Selection(STOP_REASONS, index="btree_not_null")
    stopped_by_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    stop_comment = fields.Text(string="Why Stopped", readonly=True)
    pause_reason = fields.Selection(
        PAUSE_REASONS, string="Paused Because", readonly=True, index="btree_not_null"
    )
    paused_until = fields.Datetime(
        readonly=True, help="When the drip resumes this paused enrollment by itself."
    )
    step_start_at = fields.Datetime(
        string="Step Counted From",
        readonly=True,
        help="When the previous step happened (or the candidate was enrolled): the current "
        "step's delay counts from here, so changing it reschedules the enrollment.",
    )
    step_id = fields.Many2one(
        "hr.recruitment.drip.step",
        string="Current Step",
        ondelete="set null",
        check_company=True,
        help="The step to run next (or the manual step waiting to be done).",
    )
    next_run_at = fields.Datetime(string="Next Run", index=True)
    last_error = fields.Text(readonly=True)
    status_note = fields.Char(
        string="Status",
        readonly=True,
        help="Why the step waits: sending window, contact policy postponement, open condition.",
    )
    wait_deadline = fields.Datetime(
        readonly=True, help="Until when an 'opened' / 'clicked' condition waits."
    )
    last_email_trace_id = fields.Many2one("mailing.trace", ondelete="set null", readonly=True)
    activity_id = fields.Many2one(
        "mail.activity", string="Pending Task", ondelete="set null", readonly=True
    )
    date_end = fields.Datetime(string="Ended On", readonly=True)
    missing_field_ids = fields.Many2many(
        "hr.recruitment.outreach.field",
        "hr_recruitment_drip_enrollment_missing_field_rel",
        "enrollment_id",
        "field_id",
        string="Missing Candidate Data",
        readonly=True,
        help="The candidate fields the step's template requires and this candidate lacks: the "
        "enrollment is paused until they are filled in on the candidate.",
    )
    hold_activity_id = fields.Many2one(
        "mail.activity", string="Data Task", ondelete="set null", readonly=True
    )
    touchpoint_ids = fields.One2many("hr.recruitment.touchpoint", "enrollment_id")
    touchpoint_count = fields.Integer(compute="_compute_touchpoint_count")
    undelivered = fields.Boolean(
        compute="_compute_undelivered",
        search="_search_undelivered",
        help="Waiting to send again a message that did not leave, or stopped because of it.",
    )

    _one_running_per_drip = models.UniqueIndex(
        "(applicant_id, drip_id) WHERE state IN ('running', 'paused')",
        "This candidate is already running in this drip.",
    )
    _due_idx = models.Index("(next_run_at, id) WHERE state = 'running'")
    _resume_idx = models.Index("(paused_until) WHERE state = 'paused'")

    def _compute_touchpoint_count(self):
        counts = dict(
            self.env["hr.recruitment.touchpoint"]._read_group(
                [("enrollment_id", "in", self.ids)], ["enrollment_id"], ["__count"]
            )
        )
        for enrollment in self:
            enrollment.touchpoint_count = counts.get(enrollment, 0)

    def _compute_undelivered(self):
        undelivered = self.filtered_domain(self._search_undelivered("in", [True]))
        for enrollment in self:
            enrollment.undelivered = enrollment in undelivered

    def _search_undelivered(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [
            "|",
            ("pause_reason", "=", "delivery_retry"),
            "&",
            ("state", "=", "stopped"),
            ("touchpoint_ids.outcome", "=", "failed"),
        ]

    @api.depends("applicant_id", "drip_id")
    def _compute_display_name(self):
        for enrollment in self:
            enrollment.display_name = " · ".join(
                filter(None, (enrollment.drip_id.name, enrollment.applicant_id.partner_name))
            )

    # ------------------------------------------------------------
    # CRUD: the state machine owns every field once enrolled
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            # enroll() (after its eligibility gate), tests simulating legacy data
            return super().create(vals_list)
        return self._create_through_enroll(vals_list)

    def _create_through_enroll(self, vals_list):
        """A user creating enrollments directly (RPC, import) goes through drip.enroll():
        same eligibility gate, and nothing but the drip and the candidate may be given."""
        for vals in vals_list:
            extra = set(vals) - ENROLL_FIELDS
            if extra or not (vals.get("drip_id") and vals.get("applicant_id")):
                raise UserError(
                    self.env._(
                        "Give only a drip and a candidate to enroll (not %(fields)s): the drip "
                        "sets the step, the state and the schedule. Use 'Add to drip sequence'.",
                        fields=", ".join(sorted(extra)) or "-",
                    )
                )
        enrollments = self.browse()
        by_drip = defaultdict(list)
        for vals in vals_list:
            by_drip[vals["drip_id"]].append(vals["applicant_id"])
        for drip_id, applicant_ids in by_drip.items():
            drip = self.env["hr.recruitment.drip"].browse(drip_id)
            result = drip.enroll(self.env["hr.applicant"].browse(applicant_ids))
            if result["skipped"]:
                raise UserError(
                    self.env._(
                        "Not enrolled in drip '%(drip)s': %(reasons)s",
                        drip=drip.name,
                        reasons="; ".join(message for _code, message in result["skipped"].values()),
                    )
                )
            enrollments |= result["enrollments"]
        return enrollments

    def write(self, vals):
        if not self.env.su and vals:
            raise UserError(
                self.env._(
                    "An enrollment changes only through its buttons (pause, resume, skip the "
                    "step, stop) and the drip itself; it cannot be edited directly (%(fields)s).",
                    fields=", ".join(sorted(vals)),
                )
            )
        return super().write(vals)

    def _as_state_machine(self):
        """These enrollments, allowed to change state: the caller may write them (checked)."""
        self.check_access("write")
        # sudo: write() refuses users; the state-machine methods below are the only writers
        return self.sudo()

    # ------------------------------------------------------------
    # Manual actions
    # ------------------------------------------------------------

    def action_pause(self):
        self._check_state(("running",), self.env._("Only running enrollments can be paused."))
        self._as_state_machine().write(
            {
                "state": "paused",
                "pause_reason": "manual",
                "paused_until": False,
                "status_note": False,
            }
        )

    def action_resume(self):
        """Resume a paused enrollment, retry one stopped on an error (after fixing it), or take
        back one stopped by hand; the step's time is computed again from now."""
        for enrollment in self:
            if not enrollment._is_resumable():
                raise UserError(
                    self.env._(
                        "%(name)s cannot be resumed: only paused enrollments, enrollments "
                        "stopped on an error and enrollments stopped by hand can.",
                        name=enrollment.display_name,
                    )
                )
        self._check_no_other_running()
        machine = self._as_state_machine()
        machine.write(
            {
                "state": "running",
                "stop_reason": False,
                "last_error": False,
                "status_note": False,
                "date_end": False,
                "pause_reason": False,
                "paused_until": False,
                "stopped_by_id": False,
                "stop_comment": False,
                # held for missing data: the cron checks it again (and holds it if still missing)
                "missing_field_ids": [fields.Command.clear()],
            }
        )
        machine.filtered(lambda e: not e.activity_id)._reschedule()
        self._trigger_processing()

    def _is_resumable(self):
        self.ensure_one()
        stopped_by_hand = self.stop_reason == "manual" and self.stopped_by_id
        return self.state == "paused" or (
            self.state == "stopped" and (self.stop_reason == "error" or bool(stopped_by_hand))
        )

    def action_stop(self):
        """Ask for a confirmation and the reason (wizard) before stopping."""
        self._check_state(
            ("running", "paused"), self.env._("Only running or paused enrollments can be stopped.")
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Stop the drip for these candidates"),
            "res_model": "hr.recruitment.drip.enrollment.stop",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_enrollment_ids": self.ids},
        }

    def _stop_by_hand(self, comment):
        """Stop these enrollments for a reason a user gave (the Stop wizard); resumable."""
        self._check_state(
            ("running", "paused"), self.env._("Only running or paused enrollments can be stopped.")
        )
        machine = self._as_state_machine()
        machine._stop("manual")
        machine.write({"stopped_by_id": self.env.user.id, "stop_comment": comment})

    def action_skip_step(self):
        """Skip the current step: the next one is scheduled from now."""
        self._check_state(
            ("running", "paused"), self.env._("Only running or paused enrollments skip steps.")
        )
        for enrollment in self._as_state_machine():
            step = enrollment.step_id
            enrollment._drop_activity()
            enrollment._advance(
                step,
                fields.Datetime.now(),
                note=self.env._("Step '%(step)s' skipped by hand", step=step.name),
            )

    def _check_state(self, states, message):
        if any(enrollment.state not in states for enrollment in self):
            raise UserError(message)

    def _check_no_other_running(self):
        running_again = self._filter_other_running()
        if running_again:
            raise UserError(
                self.env._(
                    "%(name)s is already running in another drip; stop that one first.",
                    name=running_again[0].applicant_id.partner_name,
                )
            )

    def action_view_touchpoints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_recruitment_passive.hr_recruitment_touchpoint_action"
        )
        action["domain"] = [("enrollment_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------
    # State transitions
    # ------------------------------------------------------------

    def _stop(self, reason, error=False):
        """Stop these enrollments for `reason` (see STOP_REASONS); idempotent."""
        active = self.filtered(lambda e: e.state in ("running", "paused"))
        if not active:
            return
        active._drop_activity()
        active.write(
            {
                "state": "stopped",
                "stop_reason": reason,
                "next_run_at": False,
                "last_error": error or False,
                "date_end": fields.Datetime.now(),
                "wait_deadline": False,
                "status_note": False,
                "pause_reason": False,
                "paused_until": False,
            }
        )

    def _drop_activity(self):
        """Cancel the pending manual task (without it counting as done or skipped)."""
        activities = self.activity_id
        if activities:
            self.activity_id = False
            # sudo: the drip owner's task may be assigned to someone else
            activities.sudo().with_context(drip_activity_dropped=True).unlink()

    def _finish(self, reason_note=False):
        self.write(
            {
                "state": "done",
                "next_run_at": False,
                "date_end": fields.Datetime.now(),
                "wait_deadline": False,
                "status_note": reason_note or False,
                "pause_reason": False,
                "paused_until": False,
            }
        )

    def _advance(self, step, now, note=False):
        """`step` is over for these enrollments: schedule the next step or finish; `note`
        says why (a skip), else the previous step's note is cleared."""
        next_step = step._get_next_step() if step else self.env["hr.recruitment.drip.step"]
        if not next_step:
            self.write({"step_id": False, "activity_id": False})
            self._finish(note)
            return
        for _company, enrollments in self.grouped(lambda e: e.applicant_id.company_id).items():
            enrollments.write(
                {
                    "step_id": next_step.id,
                    "next_run_at": next_step._get_due_date(now, enrollments.applicant_id[:1]),
                    "step_start_at": now,
                    "activity_id": False,
                    "wait_deadline": False,
                    "status_note": note,
                }
            )

    def _postpone(self, until, note, reason=None):
        """Hold these enrollments until `until` (naive UTC). With a `reason` (see
        PAUSE_REASONS: snooze, out of office, sender limit...) they are paused and the cron
        resumes them at `until`; without, it is a plain wait (sending window, caps) and they
        stay running."""
        values = {"next_run_at": until, "status_note": note}
        if not reason:
            self.write(values)
            return
        # a pause by hand or a stop is the user's: an automatic pause does not replace it
        self.filtered(
            lambda e: e.state == "running" or (e.state == "paused" and e.pause_reason != "manual")
        ).write({**values, "state": "paused", "pause_reason": reason, "paused_until": until})

    # ------------------------------------------------------------
    # Company check
    # ------------------------------------------------------------

    def _filter_other_company(self):
        """The enrollments whose candidate is not (any more) of the drip's company."""
        return self.filtered(
            lambda e: e.applicant_id.company_id and e.applicant_id.company_id != e.company_id
        )

    def _stop_other_company(self):
        """Stop (error) the enrollments whose candidate is not of the drip's company (moved
        since, or data made before the company check): a drip never writes on behalf of
        another company. Return them."""
        foreign = self._filter_other_company()
        for enrollment in foreign:
            enrollment._stop(
                "error",
                self.env._(
                    "%(name)s belongs to %(company)s, not to %(drip_company)s (the company of "
                    "drip '%(drip)s'): nothing was sent. Enroll them in a drip of their company.",
                    name=enrollment.applicant_id.partner_name,
                    company=enrollment.applicant_id.company_id.name,
                    drip_company=enrollment.company_id.name,
                    drip=enrollment.drip_id.name,
                ),
            )
        return foreign

    # ------------------------------------------------------------
    # Status notes (in the drip owner's language and time zone)
    # ------------------------------------------------------------

    def _get_note_env(self):
        """The environment status notes are written in: the drip owner's language."""
        owner = self[:1].drip_id.user_id
        return self.with_context(lang=owner.lang or self.env.lang).env

    def _format_note_date(self, value):
        """`value` (naive UTC) as the drip owner reads it: their time zone and language."""
        owner = self[:1].drip_id.user_id
        return format_datetime(
            self.env,
            value,
            tz=owner.tz or self.env.user.tz or "UTC",
            dt_format="medium",
            lang_code=owner.lang or self.env.lang,
        )
