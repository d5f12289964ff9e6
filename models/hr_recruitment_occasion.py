import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)


class HrRecruitmentOccasion(models.Model):
    _name = "hr.recruitment.occasion"
    _description = "Candidate Occasion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Congratulate only the candidates of this company; empty: every company.",
    )
    date_field_id = fields.Many2one(
        "ir.model.fields",
        required=True,
        ondelete="cascade",
        domain=[
            ("model", "=", "hr.applicant"),
            ("ttype", "in", ("date", "datetime")),
            ("store", "=", True),
        ],
        help="Date of the candidate whose yearly anniversary is the occasion, e.g. "
        "'In Role Since'.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Message Template",
        required=True,
        ondelete="restrict",
        domain=[("model", "=", "hr.applicant")],
        help="The congratulation, rendered for the candidate: emailed, or put in the recruiter's "
        "activity ready to paste.",
    )
    min_years = fields.Integer(
        string="From Year",
        default=1,
        help="First anniversary to celebrate: 1 skips the date itself.",
    )
    touchpoint_count = fields.Integer(compute="_compute_touchpoint_count")

    def _compute_touchpoint_count(self):
        counts = dict(
            self.env["hr.recruitment.touchpoint"]._read_group(
                [("occasion_id", "in", self.ids)], ["occasion_id"], ["__count"]
            )
        )
        for occasion in self:
            occasion.touchpoint_count = counts.get(occasion, 0)

    @api.constrains("date_field_id", "template_id", "min_years")
    def _check_configuration(self):
        for occasion in self:
            field = occasion.date_field_id
            if field.model != "hr.applicant" or field.ttype not in ("date", "datetime"):
                raise ValidationError(
                    self.env._(
                        "Occasion '%(name)s': choose a date field of the candidate "
                        "(e.g. 'In Role Since'); '%(field)s' is not one.",
                        name=occasion.name,
                        field=field.field_description,
                    )
                )
            if occasion.template_id.model != "hr.applicant":
                raise ValidationError(
                    self.env._(
                        "Occasion '%(name)s': the template must be a template for applicants "
                        "(model 'hr.applicant').",
                        name=occasion.name,
                    )
                )
            if occasion.min_years < 0:
                raise ValidationError(
                    self.env._(
                        "Occasion '%(name)s': 'From Year' cannot be negative; use 0 or more.",
                        name=occasion.name,
                    )
                )

    def _get_due_domain(self, today):
        """Passive talents whose date falls on `today` (29 February on 28 February in other
        years) at least `min_years` ago, not yet congratulated for this occasion this year."""
        self.ensure_one()
        fname = self.date_field_id.name
        days = [(today.month, today.day)]
        if (today.month, today.day) == (2, 28) and not _is_leap(today.year):
            days.append((2, 29))
        same_day = Domain.OR(
            Domain(f"{fname}.month_number", "=", month) & Domain(f"{fname}.day_of_month", "=", day)
            for month, day in days
        )
        latest = today - relativedelta(years=self.min_years)
        company = Domain("company_id", "=", self.company_id.id) if self.company_id else Domain.TRUE
        return (
            company
            & Domain("is_passive_candidate", "=", True)
            & Domain("talent_pool_ids", "!=", False)
            & Domain(fname, "!=", False)
            & Domain(fname, "<", fields.Date.to_string(latest + relativedelta(days=1)))
            & same_day
            & Domain(
                "touchpoint_ids",
                "not any",
                [("occasion_id", "=", self.id), ("occasion_year", "=", today.year)],
            )
        )

    def _prepare_messages(self, talents, today):
        """Congratulate `talents` on this occasion: an email when the company sends them
        automatically and the candidate prefers email, otherwise an activity for the recruiter
        with the message ready to send. The contact policy decides first.
        :return: the touchpoints created"""
        self.ensure_one()
        Policy = self.env["hr.recruitment.contact.policy"]
        # sudo: cron: officer-only profile fields of every company's talents
        talents = talents.sudo()
        by_email = talents.filtered(
            lambda t: (
                (t.preferred_channel or "email") == "email"
                and (t.company_id or self.env.company).outreach_occasion_auto_email
            )
        )
        # an automatic email goes through every rule; postponed only by the sending window it
        # is queued for the window's opening (a congratulation days late is none)
        email_at = {}
        decisions = Policy._check(by_email, "email", automated=True)
        for talent in by_email:
            decision = decisions[talent.id]
            if decision.state == "allowed":
                email_at[talent] = False
            elif decision.reason == "window" and decision.until.date() <= today + timedelta(days=1):
                email_at[talent] = decision.until
            else:
                self._log_skip(talent, decision)
        # an activity is the recruiter's own message: sent when and how they choose
        allowed = self.env["hr.applicant"]
        for channel in set((talents - by_email).mapped(lambda t: t.preferred_channel or "email")):
            group = (talents - by_email).filtered(
                lambda t, c=channel: (t.preferred_channel or "email") == c
            )
            decisions = Policy._check(group, channel, automated=False)
            for talent in group:
                if decisions[talent.id].state == "allowed":
                    allowed |= talent
                else:
                    self._log_skip(talent, decisions[talent.id])
        touchpoints = self.env["hr.recruitment.touchpoint"]
        for scheduled_at in set(email_at.values()):
            group = self.env["hr.applicant"].union(
                *(t for t, at in email_at.items() if at == scheduled_at)
            )
            touchpoints |= self._send_emails(group, today, scheduled_at)
        touchpoints |= self._schedule_activities(allowed, today)
        return touchpoints

    def _log_skip(self, talent, decision):
        _logger.info(
            "Occasion %s for applicant %s skipped: %s", self.name, talent.id, decision.message
        )

    def _send_emails(self, talents, today, scheduled_at=False):
        if not talents:
            return self.env["hr.recruitment.touchpoint"]
        email_values = {"scheduled_date": scheduled_at} if scheduled_at else None
        # sudo: cron: send the occasion template, which officers cannot edit
        mails = self.template_id.sudo().send_mail_batch(talents.ids, email_values=email_values)
        mail_by_talent = {mail.res_id: mail for mail in mails}
        # the chatter copy of each email shows no token (the email sent has its own body)
        talents._outreach_redact_message_links(mails.mail_message_id)
        noticed = self.env["res.company"]._outreach_prepare_automated_mails(mails)
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return self._create_touchpoints(
            talents,
            today,
            {
                talent.id: {
                    "channel": "email",
                    "outcome": "sent",
                    "automated": True,
                    "privacy_notice": talent.id in noticed,
                    "mail_message_id": mail_by_talent[talent.id].mail_message_id.id,
                }
                for talent in talents
                if talent.id in mail_by_talent
            },
        )

    def _schedule_activities(self, talents, today):
        if not talents:
            return self.env["hr.recruitment.touchpoint"]
        # sudo: cron: render the template for the recruiter's activity
        template = self.template_id.sudo()
        subjects = template._render_field("subject", talents.ids, compute_lang=True)
        bodies = template._render_field("body_html", talents.ids, compute_lang=True)
        channel_labels = dict(talents._fields["preferred_channel"]._description_selection(self.env))
        activity_types = {
            "email": self.env.ref("mail.mail_activity_data_email"),
            "other": self.env.ref("mail.mail_activity_data_todo"),
        }
        model_id = self.env["ir.model"]._get_id("hr.applicant")
        activity_vals = []
        redact = self.env["hr.applicant"]._outreach_redact_links
        values = {}
        for talent in talents:
            channel = talent.preferred_channel or "email"
            subject = redact(subjects[talent.id] or "")
            text = redact(html2plaintext(bodies[talent.id] or ""))
            note = Markup(
                self.env._(
                    "<p>%(occasion)s of %(name)s today. Message ready to send by %(channel)s:</p>"
                    "<p><b>%(subject)s</b></p><pre>%(text)s</pre>"
                )
            ) % {
                "occasion": self.name,
                "name": talent.partner_name or "",
                "channel": channel_labels.get(channel),
                "subject": subject,
                "text": text,
            }
            activity_type = activity_types["email" if channel == "email" else "other"]
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": talent.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": today,
                    "summary": self.env._(
                        "Congratulate %(name)s: %(occasion)s",
                        name=talent.partner_name,
                        occasion=self.name,
                    ),
                    "note": note,
                    "user_id": (talent.user_id or talent.create_uid).id,
                    "automated": True,
                }
            )
            values[talent.id] = {
                "channel": channel,
                "outcome": "planned",
                "summary": f"{subject}\n{text}".strip(),
            }
        # one creation for the batch, and one notification per recruiter below instead of
        # Odoo's email per assigned activity
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(activity_vals)
        )
        for talent, activity in zip(talents, activities, strict=True):
            values[talent.id]["activity_id"] = activity.id
        self._notify_recruiters(talents, activities)
        return self._create_touchpoints(talents, today, values)

    def _notify_recruiters(self, talents, activities):
        """Tell each recruiter once which congratulations of this occasion they have to
        prepare today (their activities list them one by one)."""
        for user, user_activities in activities.grouped("user_id").items():
            if not user.partner_id or user == self.env.user:
                continue
            occasion = self.with_context(lang=user.lang)
            names = talents.browse(user_activities.mapped("res_id")).mapped("partner_name")
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                occasion.env._(
                    "%(occasion)s today: %(count)s congratulations to prepare, each in an "
                    "activity with the message ready to send.",
                    occasion=occasion.name,
                    count=len(names),
                ),
                Markup().join(Markup("<li>%s</li>") % (name or "") for name in names),
            )
            self.env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                subject=occasion.env._(
                    "%(occasion)s: %(count)s congratulations to prepare",
                    occasion=occasion.name,
                    count=len(names),
                ),
                body=body,
                email_layout_xmlid="mail.mail_notification_layout",
            )

    def _create_touchpoints(self, talents, today, values_by_talent):
        return (
            self.env["hr.recruitment.touchpoint"]
            # sudo: cron: touchpoints are logged for every company
            .sudo()
            .create(
                [
                    {
                        "applicant_id": talent.id,
                        "direction": "outbound",
                        "kind": "congratulation",
                        "summary": self.name,
                        "user_id": (talent.user_id or talent.create_uid).id,
                        "occasion_id": self.id,
                        "occasion_year": today.year,
                        **values,
                    }
                    for talent in talents
                    if (values := values_by_talent.get(talent.id)) is not None
                ]
            )
        )

    @api.model
    def _cron_send_occasion_messages(self, batch_size=200):
        """Daily: prepare today's congratulations, occasion by occasion, in batches."""
        today = fields.Date.context_today(self)
        # sudo: cron: every company's passive talents, whatever the cron's user
        Applicant = self.env["hr.applicant"].sudo()
        cron = self.env["ir.cron"]
        due = [
            (occasion, Applicant.search(occasion._get_due_domain(today), order="id"))
            for occasion in self.search([])
        ]
        cron._commit_progress(remaining=sum(len(talents) for _occasion, talents in due))
        for occasion, talents in due:
            for offset in range(0, len(talents), batch_size):
                batch = talents[offset : offset + batch_size]
                try:
                    with self.env.cr.savepoint():
                        occasion._prepare_messages(batch, today)
                except Exception:
                    _logger.exception(
                        "Occasion %s: could not prepare messages for applicants %s",
                        occasion.name,
                        batch.ids,
                    )
                if not cron._commit_progress(len(batch)):
                    return


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
