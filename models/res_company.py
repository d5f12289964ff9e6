import ast

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty

DEFAULT_PRIVACY_NOTICE = (
    "<p>Why you are hearing from us: we found your public professional profile and think you "
    "could be interested in roles with us. We keep your name, contact details and professional "
    "background only to contact you about such roles. You can see, change or delete what we keep, "
    "or object to being contacted, at any time through the preference link in this message.</p>"
)
PRIVACY_NOTICE_BLOCK = Markup(
    '<div class="o_outreach_privacy_notice" style="font-size: 12px; color: #888888;">%s</div>'
)


class ResCompany(models.Model):
    _inherit = "res.company"

    outreach_cap_short_count = fields.Integer(
        string="Messages per Short Period",
        default=1,
        help="Automated messages a candidate may receive per short rolling period.",
    )
    outreach_cap_short_days = fields.Integer(string="Short Period (days)", default=7)
    outreach_cap_long_count = fields.Integer(
        string="Messages per Long Period",
        default=3,
        help="Automated messages a candidate may receive per long rolling period.",
    )
    outreach_cap_long_days = fields.Integer(string="Long Period (days)", default=30)
    outreach_gap_after_no_days = fields.Integer(
        string="Quiet Days after a 'No'",
        default=30,
        help="No automated message for this many days after a candidate said no or not now "
        "(snooze, reduced frequency, not open).",
    )
    outreach_employer_cap_count = fields.Integer(
        string="People per Employer per Week",
        default=3,
        help="People at one employer (current employer, else work email domain) who may receive "
        "automated outreach per rolling 7 days; the next ones wait. 0: no limit.",
    )
    outreach_excluded_employers = fields.Text(
        string="Employers Never Approached",
        help="Customers and partners whose people are never contacted: one employer name per "
        "line (legal suffixes and case ignored), or an email domain such as @acme.com. "
        "With Invoicing, invoiced customers are added automatically.",
    )
    outreach_sender_daily_cap = fields.Integer(
        string="Drip Emails per Sender per Day",
        default=150,
        help="Drip emails one sender (the user an email leaves as) may send per day, in the "
        "sender's time zone; the next ones wait for the next sending window. 0: no limit.",
    )
    outreach_sender_ramp_start = fields.Integer(
        string="New Mailbox: First Day",
        default=20,
        help="Drip emails a new mailbox may send on its first day (new: since its first drip "
        "email, or the date set on the user). 0: no ramp.",
    )
    outreach_sender_ramp_step = fields.Integer(
        string="New Mailbox: More per Day",
        default=10,
        help="Drip emails added to a new mailbox's daily limit each day, up to the daily cap.",
    )
    outreach_window_start = fields.Float(string="Sending Window From", default=9.0)
    outreach_window_end = fields.Float(string="Sending Window To", default=18.0)
    outreach_window_weekdays = fields.Boolean(string="Weekdays Only", default=True)
    outreach_cleanup_days = fields.Integer(
        string="Unresponsive after (days)",
        default=90,
        help="Candidates who did not interact for this many days after the minimum number of "
        "outreach messages are removed from outreach by the daily cleanup.",
    )
    outreach_cleanup_min_messages = fields.Integer(string="Minimum Unanswered Messages", default=3)
    outreach_cleanup_remove_pools = fields.Boolean(
        string="Move Unresponsive Candidates out of Talent Pools",
        help="Replace their talent pools with the 'Unresponsive Candidates' pool (Odoo requires "
        "a talent to belong to at least one pool).",
    )
    outreach_reengage_months = fields.Integer(
        string="Re-engage after (months)",
        default=12,
        help="Months after removal before an unresponsive candidate may be contacted again by "
        "automated outreach; 0 keeps them out until a recruiter sets a re-engagement date on the "
        "candidate.",
    )
    outreach_privacy_notice = fields.Html(
        string="Privacy Notice",
        translate=True,
        sanitize=True,
        default=DEFAULT_PRIVACY_NOTICE,
        help="Appended to the first automated message to a sourced candidate (GDPR art. 14): "
        "where their data comes from and how to object. Leave empty to send no notice.",
    )
    outreach_retention_enabled = fields.Boolean(string="Anonymize Inactive Passive Talents")
    outreach_retention_months = fields.Integer(string="Retention (months)", default=24)
    outreach_occasion_auto_email = fields.Boolean(
        string="Send Occasion Emails Automatically",
        help="Work anniversaries and other occasions of passive candidates who prefer email are "
        "emailed automatically. Otherwise the recruiter gets an activity with the message ready "
        "to send or paste into LinkedIn.",
    )
    outreach_word_budget = fields.Integer(
        default=150,
        help="Outreach templates longer than this many words are flagged as too long.",
    )

    @api.constrains(
        "outreach_cap_short_count",
        "outreach_cap_short_days",
        "outreach_cap_long_count",
        "outreach_cap_long_days",
        "outreach_gap_after_no_days",
        "outreach_employer_cap_count",
        "outreach_cleanup_days",
        "outreach_cleanup_min_messages",
        "outreach_reengage_months",
        "outreach_retention_months",
        "outreach_sender_daily_cap",
        "outreach_sender_ramp_start",
        "outreach_sender_ramp_step",
    )
    def _check_outreach_numbers(self):
        for company in self:
            if (
                min(
                    company.outreach_cap_short_count,
                    company.outreach_cap_long_count,
                    company.outreach_gap_after_no_days,
                    company.outreach_employer_cap_count,
                    company.outreach_reengage_months,
                    company.outreach_sender_daily_cap,
                    company.outreach_sender_ramp_start,
                    company.outreach_sender_ramp_step,
                )
                < 0
                or min(
                    company.outreach_cap_short_days,
                    company.outreach_cap_long_days,
                    company.outreach_cleanup_days,
                    company.outreach_cleanup_min_messages,
                    company.outreach_retention_months,
                )
                < 1
            ):
                raise ValidationError(
                    self.env._(
                        "Outreach limits of %(company)s must be positive numbers: periods, "
                        "cleanup days, minimum messages and retention months at least 1, caps, "
                        "people per employer, quiet days and re-engagement months at least 0.",
                        company=company.name,
                    )
                )

    @api.constrains("outreach_window_start", "outreach_window_end")
    def _check_outreach_window(self):
        for company in self:
            if not 0 <= company.outreach_window_start < company.outreach_window_end <= 24:
                raise ValidationError(
                    self.env._(
                        "The sending window of %(company)s must start before it ends, between "
                        "00:00 and 24:00 (e.g. from 09:00 to 18:00).",
                        company=company.name,
                    )
                )

    @api.model
    def _outreach_sourced_talent_ids(self, applicants):
        """Ids of the talents of `applicants` with no incoming email on the talent or any of
        its applications (one query for the batch): people we found ourselves, who are due the
        privacy notice (GDPR art. 14) rather than people who wrote to us."""
        # sudo: the privacy-notice rule counts emails on every record of the person, readable or not
        talents = applicants._get_talent().sudo()
        records = talents | talents.with_context(active_test=False).talent_application_ids
        talent_of = {record.id: (record.pool_applicant_id or record).id for record in records}
        wrote = (
            self.env["mail.message"]
            # sudo: mail.message of records the caller may not read count too
            .sudo()
            ._read_group(
                [
                    ("model", "=", "hr.applicant"),
                    ("res_id", "in", records.ids),
                    ("message_type", "=", "email"),
                ],
                ["res_id"],
            )
        )
        return set(talents.ids) - {talent_of[res_id] for (res_id,) in wrote}

    @api.model
    def _outreach_privacy_notices(self, applicants):
        """{candidate id: HTML to append to an automated message}: the company's privacy notice,
        in the candidate's language, for a sourced candidate never given it, else ''. The send
        path then creates its touchpoint with `privacy_notice=True`. A constant number of
        queries for the batch."""
        # sudo: send paths (cron, share dialog) need every earlier notice of the person
        talents = applicants._get_talent().sudo()
        given = {
            applicant.id
            for (applicant,) in self.env["hr.recruitment.touchpoint"]
            .sudo()
            ._read_group(
                [("applicant_id", "in", talents.ids), ("privacy_notice", "=", True)],
                ["applicant_id"],
            )
        }
        due = self._outreach_sourced_talent_ids(applicants) - given
        notices = {}
        result = {}
        for applicant in applicants:
            # sudo: the talent behind an application, readable or not
            talent = applicant._get_talent().sudo()
            if talent.id not in due:
                result[applicant.id] = ""
                continue
            company = talent.company_id or self.env.company
            key = (company.id, talent._get_outreach_lang())
            if key not in notices:
                notice = company.with_context(lang=key[1]).outreach_privacy_notice
                notices[key] = "" if is_html_empty(notice) else notice
            result[applicant.id] = notices[key]
        return result

    @api.model
    def _outreach_privacy_notice_block(self, notice):
        """The privacy notice as appended to an email body."""
        return PRIVACY_NOTICE_BLOCK % Markup(notice)

    @api.model
    def _outreach_prepare_automated_mails(self, mails):
        """Give queued automated emails to candidates (mail.mail of hr.applicant records, from
        a template's send_mail) what the boundaries require of them: the RFC 8058 one-click
        unsubscribe headers and, in the first one to a sourced candidate, the privacy notice.
        (Drip emails get both from mass_mailing's composer instead.)
        :return: ids of the candidates whose email now carries the privacy notice"""
        # sudo: mail.mail is readable by admins only; the send path just queued these mails
        mails = mails.sudo().filtered(lambda m: m.model == "hr.applicant" and m.res_id)
        applicants = self.env["hr.applicant"].sudo().browse(mails.mapped("res_id"))
        notices = self._outreach_privacy_notices(applicants)
        noticed = set()
        for mail in mails:
            applicant = applicants.browse(mail.res_id)
            headers = ast.literal_eval(mail.headers) if mail.headers else {}
            values = {"headers": repr({**headers, **applicant._get_outreach_mail_headers()})}
            if notices[applicant.id] and applicant.id not in noticed:
                values["body_html"] = Markup(mail.body_html or "") + (
                    self._outreach_privacy_notice_block(notices[applicant.id])
                )
                noticed.add(applicant.id)
            mail.write(values)
        return noticed
