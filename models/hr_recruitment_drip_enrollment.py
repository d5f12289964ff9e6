import logging
import random
import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from time import sleep

import pytz
from lxml import html
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, format_datetime

from .hr_recruitment_drip_step import AUTOMATED_CHANNELS
from .hr_recruitment_resource import RESOURCE_LINK_LABEL_PREFIX

_logger = logging.getLogger(__name__)

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
# contact-policy postponements that pause (the candidate is away); the others (caps, quiet
# days, window) are the drip's own pace: the enrollment keeps running and waits
POLICY_PAUSE_REASONS = {"snoozed": "snooze", "away": "out_of_office"}
# contact-policy refusals → stop reason (anything else is an error: no email, no phone, ...)
POLICY_STOP_REASONS = {
    "opted_out": "opted_out",
    "do_not_contact": "do_not_contact",
    "excluded_employer": "do_not_contact",
    "unresponsive": "unresponsive",
}
# the contact-policy channel asked for each step channel (a generic task is a manual contact)
POLICY_CHANNELS = {"email": "email", "sms": "sms", "linkedin": "linkedin", "phone": "phone"}
# a message that did not leave for a temporary reason (mail server down, SMS provider error) is
# sent again after each of these waits; after the last, the enrollment stops on an error
DELIVERY_RETRY_DELAYS = (timedelta(hours=1), timedelta(hours=4), timedelta(hours=24))
TEMPORARY_FAILURES = {"mail_smtp", "unknown", "sms_server", "sms_acc", "sms_credit"}
DRIP_BATCH_SIZE = 200
# a batch that loses a race with another cron worker is selected again up to this many times
DRIP_CONCURRENCY_RETRIES = 5
# what a user may give when creating an enrollment directly: the rest belongs to enroll()
ENROLL_FIELDS = {"drip_id", "applicant_id"}


class HrRecruitmentDripEnrollment(models.Model):
    _name = "hr.recruitment.drip.enrollment"
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
        for enrollment in self:
            domain = [
                ("id", "!=", enrollment.id),
                ("applicant_id", "=", enrollment.applicant_id.id),
                ("state", "in", ("running", "paused")),
            ]
            if enrollment.drip_id.allow_overlap:
                domain.append(("drip_id", "=", enrollment.drip_id.id))
            if self.search_count(domain, limit=1):
                raise UserError(
                    self.env._(
                        "%(name)s is already running in another drip; stop that one first.",
                        name=enrollment.applicant_id.partner_name,
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

    def _get_drip_sender(self, step):
        """The user the email of `step` leaves as for this enrollment (its sender limit
        applies): the step's sender (step._get_senders), by default the drip's owner."""
        self.ensure_one()
        return step._get_senders(self.applicant_id)[self.applicant_id.id][0]

    # ------------------------------------------------------------
    # Processing due steps
    # ------------------------------------------------------------

    @api.model
    def _get_due_domain(self):
        return [("state", "=", "running"), ("next_run_at", "<=", fields.Datetime.now())]

    @api.model
    def _cron_process_due_steps(self, batch_size=DRIP_BATCH_SIZE, worker=1, workers=1):
        """Run the due steps in batches; each batch commits with its sends, so a crash loses
        or repeats nothing.

        Several scheduled actions share the work (one per cron worker, see
        data/ir_cron_data.xml): action `worker` of `workers` runs the candidates whose id
        modulo `workers` is `worker - 1` (one candidate's enrollments never run on two workers
        at once), and claims its batches with FOR UPDATE SKIP LOCKED, so rows another run
        holds (a copy of the action, a run by hand) are left to it.

        A batch that hits a serialization failure or a deadlock (another worker committed
        these rows, or sent as the same limited sender, after this transaction's snapshot)
        is rolled back and claimed again, a few times with a short back-off, so the run goes
        on instead of failing."""
        cron = self.env["ir.cron"]
        self._resume_paused_due()
        shard = (worker, workers)
        cron._commit_progress(remaining=self._count_due(shard))
        seen = []  # already handled in this run (some stay due: a wait that ends now...)
        retries = 0
        while True:
            try:
                batch = self._claim_due_batch(batch_size, shard, seen)
                if not batch:
                    break
                batch._process_due()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                if retries >= DRIP_CONCURRENCY_RETRIES:
                    raise
                retries += 1
                # the batch's work is all in this transaction (the previous batch committed):
                # roll it all back; a savepoint would keep the stale REPEATABLE READ snapshot
                self.env.cr.rollback()
                _logger.info(
                    "Drip batch hit %s, retry %s of %s",
                    type(error).__name__,
                    retries,
                    DRIP_CONCURRENCY_RETRIES,
                )
                sleep(random.uniform(0.1, 0.5) * retries)
                continue
            retries = 0
            seen += batch.ids
            if not cron._commit_progress(len(batch)):
                break

    @api.model
    def _due_query(self, shard=(1, 1), exclude=(), order=None):
        """The due enrollments of one share of the work (see _cron_process_due_steps)."""
        domain = self._get_due_domain()
        if exclude:
            domain = [*domain, ("id", "not in", list(exclude))]
        query = self._search(domain, order=order)
        worker, workers = shard
        if workers > 1:
            query.add_where(
                SQL(
                    "%s %% %s = %s",
                    SQL.identifier(self._table, "applicant_id"),
                    workers,
                    (worker - 1) % workers,
                )
            )
        return query

    @api.model
    def _count_due(self, shard=(1, 1)):
        query = self._due_query(shard)
        return self.env.execute_query(query.select(SQL("COUNT(*)")))[0][0]

    @api.model
    def _claim_due_batch(self, batch_size, shard=(1, 1), exclude=()):
        """Lock and return the next `batch_size` due enrollments of this share that no other
        transaction holds, oldest first, in one query."""
        query = self._due_query(shard, exclude, order="next_run_at, id")
        query.limit = batch_size
        rows = self.env.execute_query(
            SQL(
                "%s FOR UPDATE OF %s SKIP LOCKED",
                query.select(),
                SQL.identifier(self._table),
            )
        )
        return self.browse(row[0] for row in rows)

    @api.model
    def _trigger_processing(self, at=None):
        """Wake every scheduled action that runs the due steps (one per cron worker)."""
        # sudo: scheduling the drip's own technical actions, whoever enrolled or resumed
        crons = (
            self.env["ir.cron"]
            .sudo()
            .search(
                [("model_id.model", "=", self._name), ("code", "like", "._cron_process_due_steps(")]
            )
        )
        for cron in crons:
            cron._trigger(at)

    def _process_due(self):
        """Run the current step of these (locked, due) enrollments: one send per step/variant."""
        if not self:
            return
        now = fields.Datetime.now()
        self.fetch(["applicant_id", "drip_id", "step_id", "last_email_trace_id", "next_run_at"])
        self.applicant_id.fetch(["company_id", "partner_id", "email_normalized"])
        orphans = self.filtered(lambda e: not e.step_id)
        orphans._stop("error", self.env._("The step to run was deleted from the drip."))
        foreign = (self - orphans)._stop_other_company()
        busy = (self - orphans - foreign)._filter_busy_senders()
        if busy:
            # another worker sends as their sender right now: they stay due, for a later run
            self._trigger_processing(now + timedelta(minutes=1))
        holidays = {}
        sent_email = False
        for step, enrollments in (self - orphans - foreign - busy).grouped("step_id").items():
            enrollments = enrollments._apply_condition(step, now)
            if step.channel in AUTOMATED_CHANNELS:
                enrollments = enrollments._apply_window(step.drip_id, now, holidays)
            enrollments = enrollments._apply_contact_policy(step, now, holidays)
            if not enrollments:
                continue
            variants = step.variant_ids
            if not variants:
                enrollments._stop(
                    "error",
                    self.env._("Step '%(step)s' has no message to send.", step=step.name),
                )
                continue
            picked = self.env["hr.recruitment.drip.step.variant"]._pick_for(enrollments, variants)
            # a template edited after activation may have lost its opt-out link: never send it
            blockers = variants._get_quality_blockers() if step.channel == "email" else {}
            for variant, subset in picked.items():
                if subset and variant in blockers:
                    subset._stop("error", blockers[variant])
                    continue
                subset = subset._hold_missing_data(step, variant)
                if subset:
                    subset._execute_isolated(step, variant, now)
                    sent_email |= step.channel == "email"
        if sent_email:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

    def _hold_missing_data(self, step, variant):
        """Pause the enrollments whose candidate lacks a value the template requires (status
        'needs current employer', a task for the drip owner): a message is never sent with a
        hole. Return the others."""
        template = step._get_content_template(variant)
        if not template:
            return self  # a manual step: the owner reads the message before sending it
        missing = template._outreach_missing_fields(self.applicant_id)
        held = self.filtered(lambda e: e.applicant_id.id in missing)
        if not held:
            return self
        drip = step.drip_id
        model_id = self.env["ir.model"]._get_id("hr.applicant")
        todo = self.env.ref("mail.mail_activity_data_todo")
        for enrollment in held:
            fields_missing = missing[enrollment.applicant_id.id]
            what = template._outreach_missing_note(fields_missing)
            values = {
                "state": "paused",
                "pause_reason": "missing_data",
                "paused_until": False,
                "missing_field_ids": [fields.Command.set(fields_missing.ids)],
                "status_note": self.env._(
                    "Held at step '%(step)s': %(what)s", step=step.name, what=what
                ),
            }
            if not enrollment.hold_activity_id:
                # sudo: the cron plans the owner's task on the candidate
                values["hold_activity_id"] = (
                    self.env["mail.activity"]
                    .sudo()
                    .create(
                        {
                            "res_model_id": model_id,
                            "res_id": enrollment.applicant_id.id,
                            "activity_type_id": todo.id,
                            "summary": self.env._("%(drip)s: %(what)s", drip=drip.name, what=what),
                            "note": escape(
                                self.env._(
                                    "Step '%(step)s' of drip '%(drip)s' waits for this "
                                    "candidate's data (%(what)s). Fill it in: the drip goes on "
                                    "by itself.",
                                    step=step.name,
                                    drip=drip.name,
                                    what=what,
                                )
                            ),
                            "user_id": drip.user_id.id or self.env.uid,
                            "automated": True,
                        }
                    )
                    .id
                )
            enrollment.write(values)
        return self - held

    def _release_held(self):
        """Resume the held enrollments (paused for missing data) whose candidate now has every
        value they waited for; the owner's data task is marked done."""
        held = self.filtered(lambda e: e.state == "paused" and e.missing_field_ids)
        released = self.browse()
        for enrollment in held:
            names = enrollment.missing_field_ids.mapped("field_name")
            # sudo: whether the profile fields are filled in, whoever filled them
            values = enrollment.applicant_id.sudo().read(names)[0]
            if all(values.get(name) not in (False, None, "") for name in names):
                released |= enrollment
        if not released:
            return released
        activities = released.hold_activity_id
        released.write(
            {
                "state": "running",
                "pause_reason": False,
                "missing_field_ids": [fields.Command.clear()],
                "hold_activity_id": False,
                "status_note": False,
                "next_run_at": fields.Datetime.now(),
            }
        )
        if activities:
            # sudo: the data task of the owner is done by whoever filled the data in
            activities.sudo().action_feedback(
                feedback=self.env._("The candidate's data was filled in: the drip goes on.")
            )
        self._trigger_processing()
        return released

    def _filter_busy_senders(self):
        """Hold the limited senders of these enrollments' email steps for this transaction
        (contact policy, sender limits); return the enrollments whose sender another
        transaction holds."""
        emails = self.filtered(lambda e: e.step_id.channel == "email")
        sender_of = {
            enrollment: enrollment._get_drip_sender(enrollment.step_id) for enrollment in emails
        }
        if not sender_of:
            return self.browse()
        busy = self.env["hr.recruitment.contact.policy"]._hold_senders(
            self.env["res.users"].union(*sender_of.values())
        )
        return emails.filtered(lambda e: sender_of[e] in busy)

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

    def _apply_condition(self, step, now):
        """Branch on the previous email's tracking; return the enrollments that go on."""
        if step.condition == "always":
            return self
        go = self.browse()
        skip = self.browse()
        end = self.browse()
        waits = defaultdict(lambda: self.browse())
        drip = step.drip_id
        undelivered = self.filtered(lambda e: e.last_email_trace_id.trace_status == "error")
        undelivered._hold_undelivered(step)
        for enrollment in self - undelivered:
            trace = enrollment.last_email_trace_id
            opened = bool(
                trace
                and (
                    trace.trace_status in ("open", "reply")
                    or trace.open_datetime
                    or trace.links_click_datetime
                )
            )
            clicked = bool(trace and trace.links_click_datetime)
            if step.condition in ("not_opened", "not_clicked"):
                hit = not (opened if step.condition == "not_opened" else clicked)
                if hit:
                    go |= enrollment
                else:
                    skip |= enrollment
                continue
            if opened if step.condition == "opened" else clicked:
                go |= enrollment
                continue
            deadline = enrollment.wait_deadline or (
                (enrollment.next_run_at or now) + timedelta(days=drip.open_wait_days)
            )
            if now >= deadline:
                if drip.open_timeout_action == "end":
                    end |= enrollment
                else:
                    skip |= enrollment
            else:
                waits[deadline] |= enrollment
        for deadline, enrollments in waits.items():
            enrollments.write(
                {
                    "wait_deadline": deadline,
                    "next_run_at": deadline,
                    "status_note": self.env._(
                        "Waiting for the previous email to be %(what)s",
                        what=self.env._("opened")
                        if step.condition == "opened"
                        else self.env._("clicked"),
                    ),
                }
            )
        if skip:
            skip._advance(
                step,
                now,
                note=self.env._(
                    "Step '%(step)s' skipped: its condition was not met", step=step.name
                ),
            )
        end._finish(self.env._("Ended: the previous email was never opened"))
        return go

    def _hold_undelivered(self, step):
        """The previous email never left: no condition on it may fire ("not opened" would
        follow up on an email the candidate never got). Hold on that email's step, or stop."""
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        for enrollment in self:
            trace = enrollment.last_email_trace_id
            touchpoint = Touchpoint.search([("mailing_trace_id", "=", trace.id)], limit=1)
            if touchpoint:
                enrollment._hold_after_failed_delivery(touchpoint, trace.failure_type)
            if enrollment.state == "running" and enrollment.step_id == step:
                enrollment._stop(
                    "error",
                    self.env._(
                        "Step '%(step)s' depends on the previous email, which was not delivered.",
                        step=step.name,
                    ),
                )

    def _apply_window(self, drip, now, holidays):
        """Postpone the enrollments outside the drip's sending window; return the others."""
        inside = self.browse()
        later = defaultdict(lambda: self.browse())
        for enrollment in self:
            start = enrollment._get_window_start(drip, now, holidays)
            if start <= now:
                inside |= enrollment
            else:
                later[start] |= enrollment
        for start, enrollments in later.items():
            enrollments._postpone_to_window(start)
        return inside

    def _postpone_to_window(self, start):
        """Wait (running) for the sending window opening at `start`, with a note in the
        drip owner's time zone and language."""
        for enrollment in self:
            enrollment._postpone(
                start,
                enrollment._get_note_env()._(
                    "Outside the sending window: next send at %(date)s",
                    date=enrollment._format_note_date(start),
                ),
            )

    def _get_window_starts(self, drip, at, holidays):
        """{enrollment: first moment >= `at` in the drip's sending window} (see
        _get_window_start)."""
        return {enrollment: enrollment._get_window_start(drip, at, holidays) for enrollment in self}

    def _get_window_start(self, drip, at, holidays):
        """First moment >= `at` (naive UTC) in the drip's sending window for this candidate,
        in their time zone (the contact policy's one chain). `holidays` caches
        {company id: public holiday dates} across calls."""
        self.ensure_one()
        Policy = self.env["hr.recruitment.contact.policy"]
        company = self.applicant_id.company_id or drip.company_id
        company_holidays = set()
        if drip.skip_public_holidays:
            if company.id not in holidays:
                holidays[company.id] = self._get_holiday_dates(
                    company, at.date() - timedelta(days=1), at.date() + timedelta(days=30)
                )
            company_holidays = holidays[company.id]
        return Policy._next_window_start(
            at,
            Policy._get_candidate_tz(self.applicant_id, company, drip.user_id),
            drip.send_hour_from,
            drip.send_hour_to,
            drip._get_window_weekdays(),
            company_holidays,
        )

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

    def _reschedule(self, now=None):
        """Compute again when the current step of these waiting enrollments runs: its delay
        from `step_start_at`, not before now, then the drip's sending window. Called when a
        drip's window or a step's delay changes, and on Resume."""
        now = now or fields.Datetime.now()
        holidays = {}
        waiting = self.filtered(lambda e: e.state == "running" and e.step_id and not e.activity_id)
        for enrollment in waiting:
            step = enrollment.step_id
            if enrollment.wait_deadline:
                continue  # waiting for an open: the deadline decides, not the delay
            due = (
                step._get_due_date(enrollment.step_start_at, enrollment.applicant_id)
                if enrollment.step_start_at
                else enrollment.next_run_at or now
            )
            when = max(due, now)
            start = (
                enrollment._get_window_start(step.drip_id, when, holidays)
                if step.channel in AUTOMATED_CHANNELS
                else when
            )
            if start > when:
                enrollment._postpone_to_window(start)
            else:
                enrollment.write({"next_run_at": when, "status_note": False})
        if waiting:
            self._trigger_processing(min(waiting.mapped("next_run_at")))

    @api.model
    def _resume_paused_due(self, limit=DRIP_BATCH_SIZE * 10):
        """Paused enrollments whose pause ends (snooze, out of office, sender limit, delivery
        retry) run again: the contact policy decides at send time whether they may."""
        now = fields.Datetime.now()
        paused = self.search(
            [
                ("state", "=", "paused"),
                ("pause_reason", "!=", "manual"),
                ("paused_until", "<=", now),
            ],
            limit=limit,
            order="paused_until, id",
        )
        if not paused:
            return paused
        locked = paused.try_lock_for_update()
        locked.write(
            {"state": "running", "pause_reason": False, "paused_until": False, "status_note": False}
        )
        return locked

    @api.model
    def _get_holiday_dates(self, company, date_from, date_to):
        """Dates of the company's public holidays (global leaves of its working calendar)."""
        calendar = company.resource_calendar_id
        leaves = (
            self.env["resource.calendar.leaves"]
            # sudo: public holidays of the company's calendar (readable by HR users only)
            .sudo()
            .search_fetch(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [calendar.id, False]),
                    ("company_id", "in", [company.id, False]),
                    ("date_from", "<=", datetime.combine(date_to, time.max)),
                    ("date_to", ">=", datetime.combine(date_from, time.min)),
                ],
                ["date_from", "date_to"],
            )
        )
        tz = pytz.timezone(calendar.tz or company.partner_id.tz or "UTC")
        dates = set()
        for leave in leaves:
            day = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            last = pytz.utc.localize(leave.date_to).astimezone(tz).date()
            while day <= last:
                dates.add(day)
                day += timedelta(days=1)
        return dates

    def _apply_contact_policy(self, step, now, holidays=None):
        """Ask the contact policy (per candidate, and per sender for emails); stop the
        refused, postpone the postponed, return the rest."""
        channel = POLICY_CHANNELS.get(step.channel, "phone")
        automated = step.channel in AUTOMATED_CHANNELS
        senders = {}
        if step.channel == "email":
            senders = {
                applicant_id: sender
                for applicant_id, (sender, _note) in step._get_senders(self.applicant_id).items()
            }
        # the drip's own sending window (checked before) replaces the company's
        Policy = self.env["hr.recruitment.contact.policy"].with_context(outreach_own_window=True)
        decisions = Policy._check(
            self.applicant_id, channel, at=now, automated=automated, senders=senders or None
        )
        allowed = self.browse()
        over_limit = self.browse()
        for enrollment in self:
            decision = decisions[enrollment.applicant_id.id]
            if decision.state == "allowed":
                allowed |= enrollment
            elif decision.state == "postponed" and decision.reason == "sender_limit":
                over_limit |= enrollment
            elif decision.state == "postponed":
                until = decision.until or now + timedelta(hours=1)
                enrollment._postpone(
                    until,
                    enrollment._get_policy_note(decision, until),
                    reason=POLICY_PAUSE_REASONS.get(decision.reason),
                )
            else:
                reason = POLICY_STOP_REASONS.get(decision.reason, "error")
                enrollment._stop(reason, decision.message if reason == "error" else False)
                enrollment.status_note = decision.message
        over_limit._postpone_to_next_window(step, decisions, holidays or {})
        if senders and allowed:
            Policy._reserve_senders(
                self.env["res.users"].union(*(senders[a.id] for a in allowed.applicant_id)), now
            )
        return allowed

    def _postpone_to_next_window(self, step, decisions, holidays):
        """Over their sender's limit: wait for the drip's first sending window from the
        sender's next day (never dropped)."""
        for until, enrollments in self.grouped(
            lambda e: decisions[e.applicant_id.id].until
        ).items():
            starts = enrollments._get_window_starts(step.drip_id, until, holidays)
            for enrollment in enrollments:
                enrollment._postpone(
                    starts[enrollment],
                    enrollment._get_note_env()._(
                        "%(why)s: next send at %(date)s",
                        why=decisions[enrollment.applicant_id.id].message,
                        date=enrollment._format_note_date(starts[enrollment]),
                    ),
                    reason="sender_limit",
                )

    def _get_policy_note(self, decision, until):
        """The contact policy's postponement, with its date as the drip owner reads it."""
        self.ensure_one()
        date = self._format_note_date(until)
        Policy = self.env["hr.recruitment.contact.policy"].with_env(self._get_note_env())
        if Policy._reason_message(decision.reason) != decision.reason:
            return Policy._reason_message(decision.reason, date)
        # a rule with its own sentence (employer pressure): only the date is localized
        return decision.message.replace(fields.Datetime.to_string(until), date)

    def _execute_isolated(self, step, variant, now):
        """Execute in a savepoint; on failure retry one by one so one bad candidate stops
        alone (state stopped, reason error, last_error) and the others go on."""
        try:
            with self.env.cr.savepoint():
                self._execute_step(step, variant, now)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # a race with another worker, not a bad candidate: the cron retries the batch
        except Exception as error:
            if len(self) > 1:
                for enrollment in self:
                    enrollment._execute_isolated(step, variant, now)
                return
            _logger.info("Drip step %s failed for enrollment %s: %s", step.id, self.id, error)
            self._stop("error", self._format_error(step, error))

    def _format_error(self, step, error):
        message = str(error.args[0] if getattr(error, "args", None) else error)
        return self.env._(
            "Step '%(step)s' failed: %(error)s", step=step.name, error=message.strip()
        )

    def _execute_step(self, step, variant, now):
        # the whole batch in one composer chunk (models/ir_config_parameter.py)
        enrollments = self.with_context(outreach_mail_batch_size=len(self))
        executor = {"email": enrollments._send_email, "sms": enrollments._send_sms}.get(
            step.channel, enrollments._schedule_task
        )
        executor(step, variant, now)

    def _touchpoint_values(self, step, variant, **values):
        kind = "outreach" if step == step.drip_id.step_ids[:1] else "follow_up"
        channel = step.channel if step.channel != "task" else "other"
        return {
            "applicant_id": self.applicant_id.id,
            "channel": channel,
            "direction": "outbound",
            "kind": kind,
            "outcome": "sent",
            "job_id": step.drip_id.job_ids[:1].id,
            "user_id": step.drip_id.user_id.id,
            "enrollment_id": self.id,
            "step_id": step.id,
            "variant_id": variant.id,
            "automated": step.channel in AUTOMATED_CHANNELS,
            **values,
        }

    def _send_email(self, step, variant, now):
        template = variant.mail_template_id
        if not template:
            raise UserError(
                self.env._("the email template of variant '%(v)s' was deleted", v=variant.name)
            )
        # sudo: officers and administrators have no access to mailing.mailing
        variant.sudo()._ensure_mailing()
        mailing = variant.sudo().mailing_id
        drip = step.drip_id
        # the first email to a sourced candidate carries the privacy notice (mail_compose_message)
        notices = {
            applicant_id: notice
            for applicant_id, notice in self.env["res.company"]
            ._outreach_privacy_notices(self.applicant_id)
            .items()
            if notice
        }
        resource_context, resource_values = self._prepare_resource_links(step)
        # sudo: the drip cron (or an admin running it by hand) mass-mails with tracking
        applicants = self.applicant_id.sudo().with_context(
            **mailing._get_mass_mailing_context(),
            **resource_context,
            outreach_drip_id=drip.id,
            outreach_privacy_notices=notices,
            passive_qweb_compile_memo={},  # one QWeb compilation per batch (models/ir_qweb.py)
        )
        mails = self._queue_emails_by_sender(
            step,
            applicants,
            template,
            mass_mailing_id=mailing.id,
            auto_delete_keep_log=True,
            force_send=False,
            use_exclusion_list=True,
        )
        # the chatter copy of each email (mass mode: not what is sent) shows no token
        applicants._outreach_redact_message_links(mails.mail_message_id)
        mail_by_applicant = {mail.res_id: mail for mail in mails}
        # the touchpoint names the user the email left as (sender limits count them)
        senders = step._get_senders(self.applicant_id)
        touchpoint_values = []
        failed = self.browse()
        for enrollment in self:
            mail = mail_by_applicant.get(enrollment.applicant_id.id)
            trace = mail.mailing_trace_ids[:1] if mail else False
            if not mail or mail.state == "cancel":
                failed |= enrollment
                continue
            touchpoint_values.append(
                enrollment._touchpoint_values(
                    step,
                    variant,
                    summary=mail.subject,
                    mail_message_id=mail.mail_message_id.id,
                    mailing_trace_id=trace.id,
                    privacy_notice=enrollment.applicant_id.id in notices,
                    user_id=senders[enrollment.applicant_id.id][0].id,
                    **resource_values.get(enrollment.id, {}),
                )
            )
            enrollment.last_email_trace_id = trace
        # sudo: touchpoints of the send are logged by the cron
        self.env["hr.recruitment.touchpoint"].sudo().create(touchpoint_values)
        for enrollment in failed:
            mail = mail_by_applicant.get(enrollment.applicant_id.id)
            enrollment._stop(
                "error",
                self.env._(
                    "Step '%(step)s': the email could not be queued (%(why)s).",
                    step=step.name,
                    why=(mail and (mail.failure_type or mail.failure_reason)) or "no mail",
                ),
            )
        (self - failed)._advance(step, now)
        # the owner sent instead of the step's sender (no hiring manager...): say so
        for enrollment in self - failed:
            note = senders[enrollment.applicant_id.id][1]
            if note and enrollment.state == "running":
                enrollment.status_note = note

    def _queue_emails_by_sender(self, step, applicants, template, **composer_values):
        """Queue the emails of `step` to `applicants` (these enrollments' candidates, with the
        render context), one composer per sender of the step (step._get_senders): from the
        sender's address and in their name (signature), through their personal outgoing mail
        server when they have one, as replies to the previous drip email when the step says
        so. A sender missing (no hiring manager...) falls back to the owner (_send_email
        notes it on the enrollment). Return the mail.mail created (sudo)."""
        drip = step.drip_id
        senders = step._get_senders(applicants)
        threads = self._get_thread_values(step) if step.channel == "email" else {}
        mails = self.env["mail.mail"].sudo()
        for sender, batch in applicants.grouped(lambda a: senders[a.id][0]).items():
            batch = batch.with_context(outreach_step_id=step.id, outreach_thread_values=threads)
            if sender._get_personal_mail_server():
                # sudo as the sender: Odoo sends a message through the personal server of the
                # user who created it (mail.mail._filter_mail_mail_servers), with its throttling
                batch = batch.with_user(sender).with_company(drip.company_id).sudo()
            mails |= batch.message_mail_with_source(
                template,
                email_from=drip._get_sender_email(sender),
                author_id=sender.partner_id.id,
                **composer_values,
            )
        return mails

    def _get_thread_values(self, step):
        """How each candidate's email of `step` replies to the previous drip emails of their
        enrollment (step option 'Send as a Reply'): {applicant id: {subject: 'Re: <subject
        of the first email>', in_reply_to: Message-Id of the last one, references: all their
        Message-Ids, quote: the last one quoted (option) or False}}; candidates without a
        previous drip email are absent (their email starts the conversation)."""
        if not step.reply_to_previous:
            return {}
        # sudo: the cron reads the drip's own touchpoints and the messages it sent
        touchpoints = (
            self.env["hr.recruitment.touchpoint"]
            .sudo()
            .search_fetch(
                [
                    ("enrollment_id", "in", self.ids),
                    ("channel", "=", "email"),
                    ("direction", "=", "outbound"),
                    ("mail_message_id", "!=", False),
                    ("outcome", "!=", "failed"),  # never left: nothing to reply to
                ],
                ["enrollment_id", "mail_message_id"],
                order="date, id",
            )
        )
        values = {}
        for enrollment, sent in touchpoints.grouped("enrollment_id").items():
            messages = sent.mail_message_id.filtered("message_id")
            if not messages:
                continue
            first, last = messages[0], messages[-1]
            subject = re.sub(r"^\s*(re\s*:\s*)+", "", first.subject or "", flags=re.IGNORECASE)
            values[enrollment.applicant_id.id] = {
                "subject": self.env._("Re: %(subject)s", subject=subject),
                "in_reply_to": last.message_id,
                "references": " ".join(messages.mapped("message_id")),
                "quote": step.reply_quote and self._quote_email(last),
            }
        return values

    @api.model
    def _quote_email(self, message):
        """`message` (a drip email's chatter copy) quoted as mail clients quote the email
        replied to: 'On <date>, <author> wrote:' and its text, without the links of its
        chatter copy (tokens hidden) and without its privacy notice."""
        body = message.body or ""
        # the chatter copy of a mass mailing wraps the email sent in a quote of its own
        tree = html.fromstring(f"<div>{body}</div>")
        inner = tree.xpath("//blockquote[@data-o-mail-quote-node]")
        root = inner[0] if inner else tree
        for link in list(root.iter("a")):
            link.drop_tag()
        # the privacy notice is given once, in the email itself
        for notice in root.xpath("//*[contains(@class, 'o_outreach_privacy_notice')]"):
            notice.drop_tree()
        content = Markup("").join(
            Markup(html.tostring(child, encoding="unicode")) for child in root
        ) or escape(root.text_content())
        date = format_datetime(self.env, message.date, tz=message.author_id.tz, dt_format="medium")
        return Markup(
            '<br/><div class="o_outreach_quote">%s</div>'
            '<blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">'
            "%s</blockquote>"
        ) % (
            self.env._(
                "On %(date)s, %(author)s wrote:",
                date=date,
                author=message.email_from or message.author_id.name or "",
            ),
            content,
        )

    def _prepare_resource_links(self, step):
        """An email step sharing a resource: each candidate's own tracked link.

        :return: (render context, {enrollment id: touchpoint values})"""
        # sudo: link.tracker and shared resources of the step, for the cron
        resource = step.resource_id.sudo()
        if not resource:
            return {}, {}
        trackers = resource._get_tracked_links(
            [f"{RESOURCE_LINK_LABEL_PREFIX}drip-{enrollment.id}-{step.id}" for enrollment in self]
        )
        context = {
            **resource._get_share_context(step.drip_id.user_id),
            "passive_resource_urls": {
                enrollment.applicant_id.id: enrollment.applicant_id._get_outreach_resource_link(
                    tracker
                )
                for enrollment, tracker in zip(self, trackers, strict=True)
            },
        }
        values = {
            enrollment.id: {
                "kind": "resource",
                "resource_id": resource.id,
                "link_tracker_id": tracker.id,
            }
            for enrollment, tracker in zip(self, trackers, strict=True)
        }
        return context, values

    def _send_sms(self, step, variant, now):
        template = variant.sms_template_id
        if not template:
            raise UserError(
                self.env._("the SMS template of variant '%(v)s' was deleted", v=variant.name)
            )
        # sudo: the drip cron sends SMS (sms.sms is admin-only)
        applicants = self.applicant_id.sudo().with_context(outreach_drip_id=step.drip_id.id)
        sms_all = applicants._message_sms_schedule_mass(template=template, mass_keep_log=True)
        applicants._outreach_redact_message_links(sms_all.mail_message_id)
        sms_by_applicant = {
            sms.mail_message_id.res_id: sms for sms in sms_all if sms.mail_message_id
        }
        touchpoint_values = []
        failed = self.browse()
        for enrollment in self:
            sms = sms_by_applicant.get(enrollment.applicant_id.id)
            if not sms or sms.state not in ("outgoing", "pending", "sent"):
                failed |= enrollment
                continue
            touchpoint_values.append(
                enrollment._touchpoint_values(
                    step,
                    variant,
                    summary=applicants._outreach_redact_links(sms.body),
                    mail_message_id=sms.mail_message_id.id,
                )
            )
        # sudo: touchpoints of the send are logged by the cron
        self.env["hr.recruitment.touchpoint"].sudo().create(touchpoint_values)
        for enrollment in failed:
            sms = sms_by_applicant.get(enrollment.applicant_id.id)
            enrollment._stop(
                "error",
                self.env._(
                    "Step '%(step)s': the SMS could not be queued (%(why)s).",
                    step=step.name,
                    why=(sms and sms.failure_type) or self.env._("no valid phone number"),
                ),
            )
        (self - failed)._advance(step, now)

    def _schedule_task(self, step, variant, now):
        """Manual step: an activity for the owner with the rendered message to copy."""
        drip = step.drip_id
        # sudo: the task text is rendered by the cron for the drip owner
        applicants = self.applicant_id.sudo().with_context(outreach_drip_id=drip.id)
        bodies = (
            self.env["mail.render.mixin"]
            .with_context(outreach_drip_id=drip.id)
            ._render_template(
                variant.body or "", "hr.applicant", applicants.ids, engine="inline_template"
            )
        )
        model_id = self.env["ir.model"]._get_id("hr.applicant")
        redact = self.env["hr.applicant"]._outreach_redact_links
        deadline = fields.Date.context_today(drip.with_user(drip.user_id), now)
        activities = (
            self.env["mail.activity"]
            # sudo: the drip owner's task is created for them by the cron
            .sudo()
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": enrollment.applicant_id.id,
                        "activity_type_id": step.activity_type_id.id,
                        "summary": f"{drip.name}: {step.name}",
                        "note": Markup("<br/>").join(
                            escape(redact(bodies[enrollment.applicant_id.id] or "")).split("\n")
                        ),
                        "user_id": drip.user_id.id,
                        "date_deadline": deadline,
                        "automated": True,
                    }
                    for enrollment in self
                ]
            )
        )
        for enrollment, activity in zip(self, activities, strict=True):
            enrollment.write(
                {
                    "activity_id": activity.id,
                    "next_run_at": False,
                    "status_note": self.env._(
                        "Waiting for %(owner)s to do: %(step)s",
                        owner=drip.user_id.name,
                        step=step.name,
                    ),
                }
            )

    def _on_activity_done(self, activities, feedback=False):
        """The owner did the manual step: log the touchpoint and go on."""
        foreign = self._filter_other_company()
        if foreign:
            foreign.activity_id = False  # the task is done: keep it, do not drop it
            foreign._stop_other_company()
        going = self - foreign
        now = fields.Datetime.now()
        Variant = self.env["hr.recruitment.drip.step.variant"]
        values = []
        for enrollment in going:
            activity = enrollment.activity_id
            step = enrollment.step_id
            # the split is stable: this gives the variant the task was rendered from
            picked = Variant._pick_for(enrollment, step.variant_ids)
            variant = next((v for v, e in picked.items() if e), Variant)
            values.append(
                enrollment._touchpoint_values(
                    step,
                    variant,
                    outcome="done",
                    summary=feedback or activity.summary,
                    date=now,
                )
            )
        # sudo: the task's assignee may not be an officer (touchpoints are officer-only)
        self.env["hr.recruitment.touchpoint"].sudo().create(values)
        for enrollment in going:
            enrollment.status_note = False
            enrollment._advance(enrollment.step_id, now)
        self._trigger_processing()

    def _on_activity_cancelled(self):
        """The owner cancelled the manual step: skip it, go on."""
        now = fields.Datetime.now()
        for enrollment in self:
            step = enrollment.step_id
            enrollment._advance(
                step,
                now,
                note=self.env._("Step '%(step)s' cancelled by its owner", step=step.name),
            )

    def _wake_for_tracking(self, traces):
        """An open or click arrived: enrollments waiting on it run at once."""
        waiting = self.search(
            [
                ("state", "=", "running"),
                ("wait_deadline", "!=", False),
                ("last_email_trace_id", "in", traces.ids),
            ]
        )
        if waiting:
            waiting.write({"next_run_at": fields.Datetime.now()})
            self._trigger_processing()

    def _hold_after_failed_delivery(self, touchpoint, failure_type, reason=None):
        """The message of `touchpoint` never left: its step did not happen. Hold this
        enrollment on that step (the next step, or the end, waits): paused and sent again
        later for a temporary failure (back-off), stopped on an error for a permanent one or
        after the last retry. A failure reported after a later message was sent changes
        nothing (the enrollment has moved on)."""
        self.ensure_one()
        if self.state not in ("running", "paused", "done") or (
            self.state == "paused" and self.pause_reason == "manual"
        ):
            return
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        latest = Touchpoint.search(
            [("enrollment_id", "=", self.id), ("direction", "=", "outbound")],
            order="id desc",
            limit=1,
        )
        if latest != touchpoint:
            return
        if self.state == "done":
            if self._is_other_running():
                return
            self.write({"state": "running", "date_end": False, "status_note": False})
        step = touchpoint.step_id
        attempts = Touchpoint.search_count(
            [("enrollment_id", "=", self.id), ("step_id", "=", step.id), ("outcome", "=", "failed")]
        )
        previous_trace = Touchpoint.search(
            [
                ("enrollment_id", "=", self.id),
                ("id", "<", touchpoint.id),
                ("mailing_trace_id", "!=", False),
                ("outcome", "!=", "failed"),
            ],
            order="id desc",
            limit=1,
        ).mailing_trace_id
        self._drop_activity()
        self.write(
            {
                "step_id": step.id,
                "wait_deadline": False,
                "last_email_trace_id": previous_trace.id,
            }
        )
        note_env = self._get_note_env()
        why = reason or dict(
            self.env["mail.mail"]._fields["failure_type"]._description_selection(note_env)
            + self.env["sms.sms"]._fields["failure_type"]._description_selection(note_env)
        ).get(failure_type, failure_type)
        if failure_type in TEMPORARY_FAILURES and attempts <= len(DELIVERY_RETRY_DELAYS):
            retry_at = fields.Datetime.now() + DELIVERY_RETRY_DELAYS[attempts - 1]
            self._postpone(
                retry_at,
                note_env._(
                    "Step '%(step)s' was not delivered (%(why)s): sent again at %(date)s "
                    "(attempt %(attempt)s of %(attempts)s)",
                    step=step.name,
                    why=why,
                    date=self._format_note_date(retry_at),
                    attempt=attempts + 1,
                    attempts=len(DELIVERY_RETRY_DELAYS) + 1,
                ),
                reason="delivery_retry",
            )
            return
        self._stop(
            "error",
            note_env._("Step '%(step)s' was not delivered: %(why)s", step=step.name, why=why),
        )

    def _is_other_running(self):
        """Whether the candidate runs in this drip again (another enrollment)."""
        self.ensure_one()
        return bool(
            self.search_count(
                [
                    ("id", "!=", self.id),
                    ("applicant_id", "=", self.applicant_id.id),
                    ("drip_id", "=", self.drip_id.id),
                    ("state", "in", ("running", "paused")),
                ],
                limit=1,
            )
        )
