from odoo import fields, models
from odoo.fields import Domain

from ..const import OFFICER_GROUP


class HrRecruitmentDripCandidate(models.AbstractModel):
    """A candidate's drips seen from the candidate: its enrollments, the drip it runs in, and
    the stop and pause rules that its events (reply, application, opt-out, snooze, out of
    office) apply to them. Mixed into hr.applicant."""

    _name = "hr.recruitment.drip.candidate"
    _description = "Candidate in Drip Sequences"

    drip_enrollment_ids = fields.One2many(
        "hr.recruitment.drip.enrollment",
        "applicant_id",
        string="Drip Enrollments",
        groups=OFFICER_GROUP,
    )
    drip_enrollment_count = fields.Integer(
        compute="_compute_drip_enrollment_count", groups=OFFICER_GROUP
    )
    running_drip_id = fields.Many2one(
        "hr.recruitment.drip",
        compute="_compute_running_drip_id",
        groups=OFFICER_GROUP,
        help="The drip sequence the candidate is running in now (the latest if several).",
    )

    def _compute_running_drip_id(self):
        talents = self._get_talent()
        running = (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: a user's own view of a candidate's drip; drips of other owners count too
            .sudo()
            .search_fetch(
                [("applicant_id", "in", talents.ids), ("state", "in", ("running", "paused"))],
                ["applicant_id", "drip_id"],
                order="id",
            )
        )
        drip_by_talent = {enrollment.applicant_id: enrollment.drip_id for enrollment in running}
        for applicant in self:
            applicant.running_drip_id = drip_by_talent.get(
                applicant.pool_applicant_id or applicant, False
            )

    def _compute_drip_enrollment_count(self):
        talents = self._get_talent()
        counts = dict(
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: the count includes drips of other owners
            .sudo()
            ._read_group([("applicant_id", "in", talents.ids)], ["applicant_id"], ["__count"])
        )
        for applicant in self:
            applicant.drip_enrollment_count = counts.get(
                applicant.pool_applicant_id or applicant, 0
            )

    def _get_drip_enrollments(self, domain):
        """The drip enrollments of these candidates' talents matching `domain` (sudo)."""
        return (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: stop and pause rules run on events (reply, bounce, public opt-out) of any user
            .sudo()
            .search(Domain("applicant_id", "in", self._get_talent().ids) & Domain(domain))
        )

    def _outreach_stop(self, reason):
        """Stop the automated outreach to these candidates: their running drips end (reason:
        replied, applied, opted_out, bounced, unresponsive, do_not_contact, manual), as far as
        the drip's stop rules say for replies, applications and bounces."""
        enrollments = self._get_drip_enrollments([("state", "in", ("running", "paused"))])
        rule = {"replied": "stop_on_reply", "applied": "stop_on_apply", "bounced": "stop_on_bounce"}
        if reason in rule:
            enrollments = enrollments.filtered(lambda e: e.drip_id[rule[reason]])
        enrollments._stop(reason)

    def _outreach_pause(self, until, reason=None):
        """Hold automated outreach to these candidates until `until` (a snooze, an
        out-of-office reply: `reason` "snooze" or "out_of_office"): their running drips are
        paused (an automatic pause is moved, a pause by hand is left alone)."""
        enrollments = self._get_drip_enrollments(
            [
                "|",
                ("state", "=", "running"),
                "&",
                ("state", "=", "paused"),
                ("pause_reason", "not in", ("manual", False)),
                ("next_run_at", "!=", False),
                ("next_run_at", "<", until),
            ]
        )
        for enrollment in enrollments:
            note_env = enrollment._get_note_env()
            date = enrollment._format_note_date(until)
            enrollment._postpone(
                until,
                note_env._("Snoozed by the candidate until %(date)s", date=date)
                if reason == "snooze"
                else note_env._("Out of office until %(date)s", date=date)
                if reason == "out_of_office"
                else note_env._("Paused until %(date)s", date=date),
                reason=reason or "out_of_office",
            )
