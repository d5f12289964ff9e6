import logging
import re
from collections import defaultdict
from datetime import timedelta

from lxml import html
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import format_datetime

from .hr_recruitment_drip_step import AUTOMATED_CHANNELS
from .hr_recruitment_resource import RESOURCE_LINK_LABEL_PREFIX

_logger = logging.getLogger(__name__)

# a message that did not leave for a temporary reason (mail server down, SMS provider error) is
# sent again after each of these waits; after the last, the enrollment stops on an error
DELIVERY_RETRY_DELAYS = (timedelta(hours=1), timedelta(hours=4), timedelta(hours=24))
TEMPORARY_FAILURES = {"mail_smtp", "unknown", "sms_server", "sms_acc", "sms_credit"}


class HrRecruitmentDripSending(models.AbstractModel):
    """The execution of a drip step, mixed into hr.recruitment.drip.enrollment: email, SMS
    or a task for the owner, the touchpoints it logs, and what happens after (task done,
    tracking, a message that did not leave)."""

    _name = "hr.recruitment.drip.sending"
    _description = "Drip Enrollment: Sending Steps"

    # ------------------------------------------------------------
    # Executing a step
    # ------------------------------------------------------------

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

    def _log_sends(self, step, variant, now, sent, failures):
        """The one ending of every send (email, SMS): log a touchpoint per message queued,
        stop on an error the enrollments whose message could not be, advance the others.

        :param sent: {enrollment: touchpoint values of its message}
        :param failures: {enrollment: why its message could not be queued}
        :return: the enrollments whose message was queued"""
        # sudo: touchpoints of the send are logged by the cron
        self.env["hr.recruitment.touchpoint"].sudo().create(
            [
                enrollment._touchpoint_values(step, variant, **values)
                for enrollment, values in sent.items()
            ]
        )
        for enrollment, error in failures.items():
            enrollment._stop("error", error)
        queued = self.filtered(lambda e: e not in failures)
        queued._advance(step, now)
        return queued

    # ------------------------------------------------------------
    # Email
    # ------------------------------------------------------------

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
        # the user each email leaves as; the touchpoint names them (sender limits count them)
        senders = step._get_senders(self.applicant_id)
        # sudo: the drip cron (or an admin running it by hand) mass-mails with tracking
        applicants = self.applicant_id.sudo().with_context(
            **mailing._get_mass_mailing_context(),
            **resource_context,
            outreach_drip_id=drip.id,
            outreach_privacy_notices=notices,
            outreach_qweb_compile_memo={},  # one QWeb compilation per batch (models/ir_qweb.py)
        )
        mails = self._queue_emails_by_sender(
            step,
            applicants,
            senders,
            template,
            mass_mailing_id=mailing.id,
            auto_delete_keep_log=True,
            force_send=False,
            use_exclusion_list=True,
        )
        # the chatter copy of each email (mass mode: not what is sent) shows no token
        applicants._outreach_redact_message_links(mails.mail_message_id)
        mail_by_applicant = {mail.res_id: mail for mail in mails}
        sent, failures = {}, {}
        for enrollment in self:
            mail = mail_by_applicant.get(enrollment.applicant_id.id)
            if not mail or mail.state == "cancel":
                failures[enrollment] = self.env._(
                    "Step '%(step)s': the email could not be queued (%(why)s).",
                    step=step.name,
                    why=(mail and (mail.failure_type or mail.failure_reason)) or "no mail",
                )
                continue
            trace = mail.mailing_trace_ids[:1]
            sent[enrollment] = {
                "summary": mail.subject,
                "mail_message_id": mail.mail_message_id.id,
                "mailing_trace_id": trace.id,
                "privacy_notice": enrollment.applicant_id.id in notices,
                "user_id": senders[enrollment.applicant_id.id][0].id,
                **resource_values.get(enrollment.id, {}),
            }
            enrollment.last_email_trace_id = trace
        queued = self._log_sends(step, variant, now, sent, failures)
        # the owner sent instead of the step's sender (no hiring manager...): say so
        for enrollment in queued:
            note = senders[enrollment.applicant_id.id][1]
            if note and enrollment.state == "running":
                enrollment.status_note = note

    def _queue_emails_by_sender(self, step, applicants, senders, template, **composer_values):
        """Queue the emails of `step` to `applicants` (these enrollments' candidates, with the
        render context), one composer per sender (`senders`: step._get_senders): from the
        sender's address and in their name (signature), through their personal outgoing mail
        server when they have one, as replies to the previous drip email when the step says
        so. A sender missing (no hiring manager...) falls back to the owner (_send_email
        notes it on the enrollment). Return the mail.mail created (sudo)."""
        drip = step.drip_id
        threads = self._get_thread_values(step)
        # sudo: the mails the composers return (sudo) are gathered here
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
            "outreach_resource_urls": {
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

    # ------------------------------------------------------------
    # SMS
    # ------------------------------------------------------------

    def _send_sms(self, step, variant, now):
        template = variant.sms_template_id
        if not template:
            raise UserError(
                self.env._("the SMS template of variant '%(v)s' was deleted", v=variant.name)
            )
        # sudo: the drip cron sends SMS (sms.sms is admin-only)
        applicants = self.applicant_id.sudo().with_context(
            outreach_drip_id=step.drip_id.id, outreach_step_id=step.id
        )
        sms_all = applicants._message_sms_schedule_mass(template=template, mass_keep_log=True)
        applicants._outreach_redact_message_links(sms_all.mail_message_id)
        sms_by_applicant = {
            sms.mail_message_id.res_id: sms for sms in sms_all if sms.mail_message_id
        }
        sent, failures = {}, {}
        for enrollment in self:
            sms = sms_by_applicant.get(enrollment.applicant_id.id)
            if not sms or sms.state not in ("outgoing", "pending", "sent"):
                failures[enrollment] = self.env._(
                    "Step '%(step)s': the SMS could not be queued (%(why)s).",
                    step=step.name,
                    why=(sms and sms.failure_type) or self.env._("no valid phone number"),
                )
                continue
            sent[enrollment] = {
                "summary": applicants._outreach_redact_links(sms.body),
                "mail_message_id": sms.mail_message_id.id,
            }
        self._log_sends(step, variant, now, sent, failures)

    # ------------------------------------------------------------
    # Manual tasks (LinkedIn, call)
    # ------------------------------------------------------------

    def _schedule_task(self, step, variant, now):
        """Manual step: an activity for the owner with the rendered message to copy."""
        drip = step.drip_id
        # sudo: the task text is rendered by the cron for the drip owner
        applicants = self.applicant_id.sudo().with_context(
            outreach_drip_id=drip.id, outreach_step_id=step.id
        )
        source, engine, model_name = variant._get_render_sources()["body"]
        bodies = (
            self.env["mail.render.mixin"]
            .with_context(outreach_drip_id=drip.id, outreach_step_id=step.id)
            ._render_template(source, model_name, applicants.ids, engine=engine)
        )
        redact = self.env["hr.applicant"]._outreach_redact_links
        activities = self._plan_owner_tasks(
            step.activity_type_id,
            {
                enrollment: (
                    f"{drip.name}: {step.name}",
                    Markup("<br/>").join(
                        escape(redact(bodies[enrollment.applicant_id.id] or "")).split("\n")
                    ),
                )
                for enrollment in self
            },
            date_deadline=fields.Date.context_today(drip.with_user(drip.user_id), now),
        )
        for enrollment, activity in zip(self, activities, strict=True):
            enrollment.activity_id = activity
        self.write(
            {
                "next_run_at": False,
                "status_note": self.env._(
                    "Waiting for %(owner)s to do: %(step)s", owner=drip.user_id.name, step=step.name
                ),
            }
        )

    def _plan_owner_tasks(self, activity_type, contents, **values):
        """One automated activity per enrollment on its candidate, for the drip's owner
        (a manual step, data to fill in). `contents`: {enrollment: (summary, note)}."""
        model_id = self.env["ir.model"]._get_id("hr.applicant")
        # sudo: the cron plans the drip owner's tasks on the candidates
        return (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": enrollment.applicant_id.id,
                        "activity_type_id": activity_type.id,
                        "summary": contents[enrollment][0],
                        "note": contents[enrollment][1],
                        "user_id": enrollment.drip_id.user_id.id or self.env.uid,
                        "automated": True,
                        **values,
                    }
                    for enrollment in self
                ]
            )
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

    # ------------------------------------------------------------
    # Tracking and failed deliveries
    # ------------------------------------------------------------

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

    def _hold_after_failed_delivery(self, touchpoints, failure_type, reasons=None):
        """The messages of `touchpoints` (of these enrollments) never left: their step did
        not happen. Hold each enrollment on that step (the next step, or the end, waits):
        paused and sent again later for a temporary failure (back-off), stopped on an error
        for a permanent one or after the last retry. A failure reported after a later message
        was sent changes nothing (the enrollment has moved on).

        :param reasons: {mail.message id: why it did not leave}, else the failure type's label
        """
        reasons = reasons or {}
        failed_of = self._get_last_failed(touchpoints)
        done = self.browse([e.id for e in failed_of if e.state == "done"])
        restarted = done - done._filter_other_running()
        restarted.write({"state": "running", "date_end": False, "status_note": False})
        failing = self.browse([e.id for e in failed_of]) - (done - restarted)
        if not failing:
            return
        # sudo: the drip's own touchpoints, whoever reported the failure (mail queue, SMS)
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        attempts = {
            (enrollment, step): count
            for enrollment, step, count in Touchpoint._read_group(
                [
                    ("enrollment_id", "in", failing.ids),
                    ("step_id", "in", touchpoints.step_id.ids),
                    ("outcome", "=", "failed"),
                ],
                ["enrollment_id", "step_id"],
                ["__count"],
            )
        }
        previous_trace = defaultdict(lambda: self.env["mailing.trace"])
        for sent in Touchpoint.search_fetch(
            [
                ("enrollment_id", "in", failing.ids),
                ("mailing_trace_id", "!=", False),
                ("outcome", "!=", "failed"),
            ],
            ["enrollment_id", "mailing_trace_id"],
            order="id desc",
        ):
            enrollment = sent.enrollment_id
            if sent.id < failed_of[enrollment].id and enrollment not in previous_trace:
                previous_trace[enrollment] = sent.mailing_trace_id
        failing._drop_activity()
        for (step, trace), enrollments in failing.grouped(
            lambda e: (failed_of[e].step_id, previous_trace[e])
        ).items():
            enrollments.write(
                {"step_id": step.id, "wait_deadline": False, "last_email_trace_id": trace.id}
            )
        for (_owner, step, reason, count), enrollments in failing.grouped(
            lambda e: (
                e.drip_id.user_id,
                failed_of[e].step_id,
                reasons.get(failed_of[e].mail_message_id.id),
                attempts.get((e, failed_of[e].step_id), 0),
            )
        ).items():
            enrollments._hold_on_step(step, failure_type, reason, count)

    def _get_last_failed(self, touchpoints):
        """{enrollment: its failed touchpoint} for these enrollments a failure may hold: the
        failed message is still their latest, and no one paused them by hand."""
        holdable = self.filtered(
            lambda e: (
                e.state in ("running", "done")
                or (e.state == "paused" and e.pause_reason != "manual")
            )
        )
        latest = dict(
            self.env["hr.recruitment.touchpoint"]
            # sudo: the drip's own touchpoints, whoever reported the failure (mail queue, SMS)
            .sudo()
            ._read_group(
                [("enrollment_id", "in", holdable.ids), ("direction", "=", "outbound")],
                ["enrollment_id"],
                ["id:max"],
            )
        )
        return {
            touchpoint.enrollment_id: touchpoint
            for touchpoint in touchpoints
            if touchpoint.enrollment_id in holdable
            and latest.get(touchpoint.enrollment_id) == touchpoint.id
        }

    def _hold_on_step(self, step, failure_type, reason, attempts):
        """Send `step` again later (back-off) or stop: its message failed `attempts` times."""
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

    def _filter_other_running(self):
        """The enrollments whose candidate runs (running or paused) in another enrollment, or
        in an earlier one of these: of the same drip, or of any drip unless their drip allows
        overlap (the enroll gate's rule, hr.recruitment.drip._filter_already_enrolled)."""
        if not self:
            return self
        # sudo: a run in a drip of another owner counts too (as at enrollment)
        others = self.sudo().search_fetch(
            [
                ("id", "not in", self.ids),
                ("applicant_id", "in", self.applicant_id.ids),
                ("state", "in", ("running", "paused")),
            ],
            ["applicant_id", "drip_id"],
        )
        drips_of = defaultdict(set)  # {applicant id: ids of the drips they run in}
        for other in others:
            drips_of[other.applicant_id.id].add(other.drip_id.id)
        running_again = self.browse()
        for enrollment in self:
            drips = drips_of[enrollment.applicant_id.id]
            if enrollment.drip_id.id in drips or (drips and not enrollment.drip_id.allow_overlap):
                running_again |= enrollment
            drips.add(enrollment.drip_id.id)
        return running_again
