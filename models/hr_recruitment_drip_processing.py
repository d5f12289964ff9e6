import logging
import random
from collections import defaultdict
from datetime import datetime, time, timedelta
from time import sleep

import pytz
from markupsafe import escape

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from .hr_recruitment_drip_step import AUTOMATED_CHANNELS

_logger = logging.getLogger(__name__)

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
DRIP_BATCH_SIZE = 200
# a batch that loses a race with another cron worker is selected again up to this many times
DRIP_CONCURRENCY_RETRIES = 5
# the scheduled actions that run the due steps, one per cron worker (data/ir_cron_data.xml)
DRIP_CRON_XMLIDS = (
    "hr_recruitment_passive.ir_cron_drip_process_due_steps",
    "hr_recruitment_passive.ir_cron_drip_process_due_steps_2",
)


class HrRecruitmentDripProcessing(models.AbstractModel):
    """The scheduled run of the due drip steps, mixed into hr.recruitment.drip.enrollment:
    claiming, conditions, sending window, contact policy and holds, before a step is sent
    (hr.recruitment.drip.sending)."""

    _name = "hr.recruitment.drip.processing"
    _description = "Drip Enrollment: Processing Due Steps"

    # ------------------------------------------------------------
    # Scheduled action (due steps claimed in batches, shared between cron workers)
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
        for xmlid in DRIP_CRON_XMLIDS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                # sudo: scheduling the drip's own technical actions, whoever enrolled or resumed
                cron.sudo()._trigger(at)

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

    # ------------------------------------------------------------
    # Holds (missing data, busy senders, undelivered email)
    # ------------------------------------------------------------

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
        what = {e: template._outreach_missing_note(missing[e.applicant_id.id]) for e in held}
        held._plan_data_tasks(step, what)
        for fields_missing, enrollments in held.grouped(
            lambda e: missing[e.applicant_id.id]
        ).items():
            enrollments.write(
                {
                    "state": "paused",
                    "pause_reason": "missing_data",
                    "paused_until": False,
                    "missing_field_ids": [fields.Command.set(fields_missing.ids)],
                    "status_note": self.env._(
                        "Held at step '%(step)s': %(what)s",
                        step=step.name,
                        what=template._outreach_missing_note(fields_missing),
                    ),
                }
            )
        return self - held

    def _plan_data_tasks(self, step, what):
        """A task for the drip owner on each held candidate that has none yet: fill in the
        data the step waits for (`what`: {enrollment: what is missing})."""
        todo = self.filtered(lambda e: not e.hold_activity_id)
        if not todo:
            return
        drip = step.drip_id
        activities = todo._plan_owner_tasks(
            self.env.ref("mail.mail_activity_data_todo"),
            {
                enrollment: (
                    self.env._("%(drip)s: %(what)s", drip=drip.name, what=what[enrollment]),
                    escape(
                        self.env._(
                            "Step '%(step)s' of drip '%(drip)s' waits for this candidate's "
                            "data (%(what)s). Fill it in: the drip goes on by itself.",
                            step=step.name,
                            drip=drip.name,
                            what=what[enrollment],
                        )
                    ),
                )
                for enrollment in todo
            },
        )
        for enrollment, activity in zip(todo, activities, strict=True):
            enrollment.hold_activity_id = activity

    def _release_held(self):
        """Resume the held enrollments (paused for missing data) whose candidate now has every
        value they waited for; the owner's data task is marked done."""
        held = self.filtered(lambda e: e.state == "paused" and e.missing_field_ids)
        released = self.browse()
        for waited, enrollments in held.grouped("missing_field_ids").items():
            # the templates' one rule of a missing value (_outreach_missing_fields), for the
            # fields these wait for: one read per set of fields, not per candidate
            requirement = self.env["mail.template"].new(
                {"outreach_required_field_ids": [fields.Command.set(waited.ids)]}
            )
            missing = requirement._outreach_missing_fields(enrollments.applicant_id)
            released |= enrollments.filtered(lambda e, m=missing: e.applicant_id.id not in m)
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
        sender_of = {}
        for step, enrollments in emails.grouped("step_id").items():
            senders = step._get_senders(enrollments.applicant_id)
            sender_of.update((e, senders[e.applicant_id.id][0]) for e in enrollments)
        if not sender_of:
            return self.browse()
        busy = self.env["hr.recruitment.contact.policy"]._hold_senders(
            self.env["res.users"].union(*sender_of.values())
        )
        return emails.filtered(lambda e: sender_of[e] in busy)

    def _hold_undelivered(self, step):
        """The previous email never left: no condition on it may fire ("not opened" would
        follow up on an email the candidate never got). Hold on that email's step, or stop."""
        # sudo: the cron reads the drip's own touchpoints
        touchpoints = self.env["hr.recruitment.touchpoint"].sudo()
        touchpoints = touchpoints.search([("mailing_trace_id", "in", self.last_email_trace_id.ids)])
        for failure_type, enrollments in self.grouped(
            lambda e: e.last_email_trace_id.failure_type
        ).items():
            enrollments._hold_after_failed_delivery(touchpoints, failure_type)
        self.filtered(lambda e: e.state == "running" and e.step_id == step)._stop(
            "error",
            self.env._(
                "Step '%(step)s' depends on the previous email, which was not delivered.",
                step=step.name,
            ),
        )

    # ------------------------------------------------------------
    # Branch conditions
    # ------------------------------------------------------------

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
            clicked = bool(trace.links_click_datetime)
            opened = clicked or bool(trace.open_datetime) or trace.trace_status in ("open", "reply")
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

    # ------------------------------------------------------------
    # Sending window and public holidays
    # ------------------------------------------------------------

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
        for enrollments in self.grouped(lambda e: e.drip_id.user_id).values():
            enrollments._postpone(
                start,
                enrollments._get_note_env()._(
                    "Outside the sending window: next send at %(date)s",
                    date=enrollments._format_note_date(start),
                ),
            )

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

    def _reschedule(self, now=None):
        """Compute again when the current step of these waiting enrollments runs: its delay
        from `step_start_at`, not before now, then the drip's sending window. Called when a
        drip's window or a step's delay changes, and on Resume."""
        now = now or fields.Datetime.now()
        holidays = {}
        waiting = self.filtered(lambda e: e.state == "running" and e.step_id and not e.activity_id)
        later = defaultdict(lambda: self.browse())
        due_at = defaultdict(lambda: self.browse())
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
                later[start] |= enrollment
            else:
                due_at[when] |= enrollment
        for start, enrollments in later.items():
            enrollments._postpone_to_window(start)
        for when, enrollments in due_at.items():
            enrollments.write({"next_run_at": when, "status_note": False})
        if waiting:
            self._trigger_processing(min(waiting.mapped("next_run_at")))

    # ------------------------------------------------------------
    # Contact policy
    # ------------------------------------------------------------

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
            starts = {e: e._get_window_start(step.drip_id, until, holidays) for e in enrollments}
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
