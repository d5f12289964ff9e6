import logging
import random
from collections import defaultdict
from datetime import datetime, time, timedelta
from time import sleep

import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

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
# contact-policy refusals → stop reason (anything else is an error: no email, no phone, ...)
POLICY_STOP_REASONS = {
    "opted_out": "opted_out",
    "do_not_contact": "do_not_contact",
    "excluded_employer": "do_not_contact",
    "unresponsive": "unresponsive",
}
# the contact-policy channel asked for each step channel (a generic task is a manual contact)
POLICY_CHANNELS = {"email": "email", "sms": "sms", "linkedin": "linkedin", "phone": "phone"}
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
    touchpoint_ids = fields.One2many("hr.recruitment.touchpoint", "enrollment_id")
    touchpoint_count = fields.Integer(compute="_compute_touchpoint_count")

    _one_running_per_drip = models.UniqueIndex(
        "(applicant_id, drip_id) WHERE state IN ('running', 'paused')",
        "This candidate is already running in this drip.",
    )
    _due_idx = models.Index("(next_run_at, id) WHERE state = 'running'")

    def _compute_touchpoint_count(self):
        counts = dict(
            self.env["hr.recruitment.touchpoint"]._read_group(
                [("enrollment_id", "in", self.ids)], ["enrollment_id"], ["__count"]
            )
        )
        for enrollment in self:
            enrollment.touchpoint_count = counts.get(enrollment, 0)

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
            {"state": "paused", "status_note": self.env._("Paused by hand")}
        )

    def action_resume(self):
        """Resume a paused enrollment, or retry one stopped on an error (after fixing it)."""
        for enrollment in self:
            if not (
                enrollment.state == "paused"
                or (enrollment.state == "stopped" and enrollment.stop_reason == "error")
            ):
                raise UserError(
                    self.env._(
                        "%(name)s cannot be resumed: only paused enrollments and enrollments "
                        "stopped on an error can.",
                        name=enrollment.display_name,
                    )
                )
        self._check_no_other_running()
        now = fields.Datetime.now()
        for enrollment in self:
            values = {
                "state": "running",
                "stop_reason": False,
                "last_error": False,
                "status_note": False,
                "date_end": False,
            }
            if not enrollment.activity_id:
                values["next_run_at"] = max(enrollment.next_run_at or now, now)
            enrollment._as_state_machine().write(values)
        self.env.ref("hr_recruitment_passive.ir_cron_drip_process_due_steps")._trigger()

    def action_stop(self):
        self._check_state(
            ("running", "paused"), self.env._("Only running or paused enrollments can be stopped.")
        )
        self._as_state_machine()._stop("manual")

    def action_skip_step(self):
        """Skip the current step: the next one is scheduled from now."""
        self._check_state(
            ("running", "paused"), self.env._("Only running or paused enrollments skip steps.")
        )
        for enrollment in self._as_state_machine():
            step = enrollment.step_id
            enrollment._drop_activity()
            enrollment.status_note = self.env._("Step '%(step)s' skipped by hand", step=step.name)
            enrollment._advance(step, fields.Datetime.now())

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
            }
        )

    def _advance(self, step, now):
        """`step` is over for these enrollments: schedule the next step or finish."""
        next_step = step._get_next_step() if step else self.env["hr.recruitment.drip.step"]
        if not next_step:
            self.write({"step_id": False, "activity_id": False})
            self._finish()
            return
        for _company, enrollments in self.grouped(lambda e: e.applicant_id.company_id).items():
            enrollments.write(
                {
                    "step_id": next_step.id,
                    "next_run_at": next_step._get_due_date(now, enrollments.applicant_id[:1]),
                    "activity_id": False,
                    "wait_deadline": False,
                }
            )

    def _postpone(self, until, note):
        self.write({"next_run_at": until, "status_note": note})

    # ------------------------------------------------------------
    # Processing due steps
    # ------------------------------------------------------------

    @api.model
    def _get_due_domain(self):
        return [("state", "=", "running"), ("next_run_at", "<=", fields.Datetime.now())]

    @api.model
    def _cron_process_due_steps(self, batch_size=DRIP_BATCH_SIZE):
        """Run the due steps in batches; rows locked by another worker are skipped (it runs
        them), each batch commits with its sends, so a crash loses or repeats nothing.

        A batch that hits a serialization failure or a deadlock (another worker committed
        these rows after this transaction's snapshot) is rolled back and selected again, a
        few times with a short back-off, so the run goes on instead of failing."""
        cron = self.env["ir.cron"]
        domain = self._get_due_domain()
        cron._commit_progress(remaining=self.search_count(domain))
        seen = []  # locked by another worker, or already handled in this run
        retries = 0
        while True:
            try:
                batch = self.search(
                    domain + [("id", "not in", seen)], limit=batch_size, order="next_run_at, id"
                )
                if not batch:
                    break
                locked = batch.try_lock_for_update()
                # read again after locking: another worker may have moved them meanwhile
                locked.invalidate_recordset()
                locked.filtered_domain(domain)._process_due()
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
            if not cron._commit_progress(len(locked)):
                break

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
        holidays = {}
        sent_email = False
        for step, enrollments in (self - orphans - foreign).grouped("step_id").items():
            enrollments = enrollments._apply_condition(step, now)
            if step.channel in AUTOMATED_CHANNELS:
                enrollments = enrollments._apply_window(step.drip_id, now, holidays)
            enrollments = enrollments._apply_contact_policy(step, now)
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
                elif subset:
                    subset._execute_isolated(step, variant, now)
                    sent_email |= step.channel == "email"
        if sent_email:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()

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
        for enrollment in self:
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
            skip.write(
                {
                    "status_note": self.env._(
                        "Step '%(step)s' skipped: its condition was not met", step=step.name
                    )
                }
            )
            skip._advance(step, now)
        end._finish(self.env._("Ended: the previous email was never opened"))
        return go

    def _apply_window(self, drip, now, holidays):
        """Postpone the enrollments outside the drip's sending window; return the others."""
        inside = self.browse()
        weekdays = drip._get_window_weekdays()
        Policy = self.env["hr.recruitment.contact.policy"]
        later = defaultdict(lambda: self.browse())
        for enrollment in self:
            company = enrollment.applicant_id.company_id or drip.company_id
            if drip.skip_public_holidays:
                if company.id not in holidays:
                    holidays[company.id] = self._get_holiday_dates(
                        company, now.date() - timedelta(days=1), now.date() + timedelta(days=30)
                    )
                company_holidays = holidays[company.id]
            else:
                company_holidays = set()
            start = Policy._next_window_start(
                now,
                Policy._get_candidate_tz(enrollment.applicant_id, company, drip.user_id),
                drip.send_hour_from,
                drip.send_hour_to,
                weekdays,
                company_holidays,
            )
            if start <= now:
                inside |= enrollment
            else:
                later[start] |= enrollment
        for start, enrollments in later.items():
            enrollments._postpone(
                start,
                self.env._(
                    "Outside the sending window: next send at %(date)s (UTC)",
                    date=fields.Datetime.to_string(start),
                ),
            )
        return inside

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

    def _apply_contact_policy(self, step, now):
        """Ask the contact policy; stop the refused, postpone the postponed, return the rest."""
        channel = POLICY_CHANNELS.get(step.channel, "phone")
        automated = step.channel in AUTOMATED_CHANNELS
        # the drip's own sending window (checked before) replaces the company's
        decisions = (
            self.env["hr.recruitment.contact.policy"]
            .with_context(outreach_own_window=True)
            ._check(self.applicant_id, channel, at=now, automated=automated)
        )
        allowed = self.browse()
        for enrollment in self:
            decision = decisions[enrollment.applicant_id.id]
            if decision.state == "allowed":
                allowed |= enrollment
            elif decision.state == "postponed":
                enrollment._postpone(decision.until or now + timedelta(hours=1), decision.message)
            else:
                reason = POLICY_STOP_REASONS.get(decision.reason, "error")
                enrollment._stop(reason, decision.message if reason == "error" else False)
                enrollment.status_note = decision.message
        return allowed

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
        executor = {"email": self._send_email, "sms": self._send_sms}.get(
            step.channel, self._schedule_task
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
        mails = applicants.message_mail_with_source(
            template,
            mass_mailing_id=mailing.id,
            auto_delete_keep_log=True,
            force_send=False,
            use_exclusion_list=True,
            email_from=drip._get_sender_email(),
            author_id=drip.user_id.partner_id.id,
        )
        # the chatter copy of each email (mass mode: not what is sent) shows no token
        applicants._outreach_redact_message_links(mails.mail_message_id)
        mail_by_applicant = {mail.res_id: mail for mail in mails}
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
        self.env.ref("hr_recruitment_passive.ir_cron_drip_process_due_steps")._trigger()

    def _on_activity_cancelled(self):
        """The owner cancelled the manual step: skip it, go on."""
        now = fields.Datetime.now()
        for enrollment in self:
            step = enrollment.step_id
            enrollment.status_note = self.env._(
                "Step '%(step)s' cancelled by its owner", step=step.name
            )
            enrollment._advance(step, now)

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
            self.env.ref("hr_recruitment_passive.ir_cron_drip_process_due_steps")._trigger()
