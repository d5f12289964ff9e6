import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

DIGEST_MATCHES_PER_JOB = 5
DIGEST_SECTIONS = ("replies", "not_nows", "matches", "drip_errors")


class ResUsers(models.Model):
    _inherit = "res.users"

    outreach_weekly_digest = fields.Boolean(
        string="Passive Talents Weekly Digest",
        default=True,
        help="Every week, one email listing the replies to handle, the 'not now' that end, the "
        "matches for your open roles and your drips in error (sent only when there is something).",
    )

    outreach_sender_daily_cap = fields.Integer(
        string="Drip Emails per Day",
        help="Drip emails this user may send per day as a sender; 0: the company's setting.",
    )
    outreach_sender_since = fields.Date(
        string="Mailbox Sending Since",
        help="Start of this mailbox's ramp (fewer drip emails per day while it is new). Set "
        "on its first drip email when empty; set an old date for a mailbox already warmed up.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["outreach_weekly_digest"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["outreach_weekly_digest"]

    def _get_personal_mail_server(self):
        """This user's own outgoing mail server (Odoo's personal servers, owner_user_id), when
        Odoo would send their messages through it; else an empty recordset."""
        self.ensure_one()
        # sudo: mail servers and their settings are admin-only; only the server is returned
        if self.env["ir.config_parameter"].sudo().get_param("mail.disable_personal_mail_servers"):
            return self.env["ir.mail_server"]
        server = self.sudo().outgoing_mail_server_id
        if server.active and server.owner_user_id == self:
            return server
        return self.env["ir.mail_server"]

    def _get_passive_digests(self, now=None):
        """{user: digest} for these recruiters, skipping those with nothing to report; a digest
        has the lists replies, not_nows, matches and drip_errors of {name, detail, url}."""
        now = now or fields.Datetime.now()
        today = now.date()
        base_url = self.env["hr.applicant"].get_base_url()
        digests = defaultdict(lambda: {section: [] for section in DIGEST_SECTIONS})

        def add(user, section, applicant, detail, model="hr.applicant", res_id=None):
            # a recruiter hears only of candidates of the companies they work for
            if user not in self or (
                applicant.company_id and applicant.company_id not in user.company_ids
            ):
                return
            digests[user][section].append(
                {
                    "name": applicant.partner_name or applicant.display_name,
                    "detail": detail,
                    "url": f"{base_url}/odoo/{model}/{res_id or applicant.id}",
                }
            )

        # the digest reads the talents of every recruiter it is sent to (cron, one batch)
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        replies = Touchpoint.search(
            [
                ("reply_status", "=", "to_classify"),
                ("date", ">", now - timedelta(days=7)),
                ("date", "<=", now),
                "|",
                ("applicant_id.user_id", "in", self.ids),
                ("enrollment_id.user_id", "in", self.ids),
            ],
            order="date desc",
        )
        for reply in replies:
            user = reply.applicant_id.user_id or reply.enrollment_id.user_id
            detail = reply.summary or fields.Datetime.to_string(reply.date)
            add(user, "replies", reply.applicant_id, detail)
        week_end = today + timedelta(days=7)
        not_now_touchpoints = Touchpoint.search(
            [
                ("reply_class", "=", "not_now"),
                ("snoozed_until", ">=", today),
                ("snoozed_until", "<", week_end),
                ("applicant_id.user_id", "in", self.ids),
            ]
        )
        ends = {tp.applicant_id: tp.snoozed_until for tp in not_now_touchpoints}
        for talent in (
            self.env["hr.applicant"]
            .sudo()
            .search(
                [
                    ("outreach_snoozed_until", ">=", today),
                    ("outreach_snoozed_until", "<", week_end),
                    ("user_id", "in", self.ids),
                ]
            )
        ):
            ends[talent] = talent.outreach_snoozed_until
        for talent, until in sorted(ends.items(), key=lambda item: item[1]):
            add(talent.user_id, "not_nows", talent, fields.Date.to_string(until))
        errors = (
            self.env["hr.recruitment.drip.enrollment"]
            .sudo()
            .search(
                [
                    ("state", "=", "stopped"),
                    ("stop_reason", "=", "error"),
                    ("date_end", ">", now - timedelta(days=7)),
                    ("user_id", "in", self.ids),
                ],
                order="date_end desc",
            )
        )
        for enrollment in errors:
            add(
                enrollment.user_id,
                "drip_errors",
                enrollment.applicant_id,
                f"{enrollment.drip_id.name}: {enrollment.last_error or ''}",
                model="hr.recruitment.drip.enrollment",
                res_id=enrollment.id,
            )
        self._add_passive_digest_matches(add)
        return {user: digest for user, digest in digests.items() if any(digest.values())}

    def _add_passive_digest_matches(self, add):
        """Best passive talents for each open job of these recruiters."""
        # the digest reads the jobs of every recruiter it is sent to (cron, one batch)
        jobs = (
            self.env["hr.job"]
            .sudo()
            .search([("user_id", "in", self.ids), ("no_of_recruitment", ">", 0)])
        )
        for job in jobs:
            for match in job._get_passive_matches(limit=DIGEST_MATCHES_PER_JOB):
                detail = f"{job.name}: {match.score}/100, {match.reason}"
                add(job.user_id, "matches", match.talent, detail)

    @api.model
    def _cron_send_passive_digest(self):
        """Weekly: one email per recruiter of passive talents or drips who has something to
        report and did not switch the digest off."""
        owners = {
            user
            for [user] in self.env["hr.applicant"]._read_group(
                [("talent_pool_ids", "!=", False), ("user_id", "!=", False)], ["user_id"]
            )
        } | {
            user
            for [user] in self.env["hr.recruitment.drip"]._read_group(
                [("user_id", "!=", False)], ["user_id"]
            )
        }
        recruiters = self.browse([user.id for user in owners]).filtered(
            lambda u: u.active and not u.share and u.outreach_weekly_digest and u.email
        )
        digests = recruiters._get_passive_digests()
        template = self.env.ref("hr_recruitment_passive.mail_template_passive_weekly_digest")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(digests))
        for user, digest in digests.items():
            try:
                with self.env.cr.savepoint():
                    template.with_context(passive_digest=digest).send_mail(user.id)
            except Exception:
                _logger.exception("Weekly digest could not be queued for user %s", user.id)
            if not cron._commit_progress(1):
                break
