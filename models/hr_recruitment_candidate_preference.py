from datetime import datetime, time, timedelta

from markupsafe import Markup, escape

from odoo import Command, fields, models
from odoo.exceptions import UserError

from ..const import CANDIDATE_PROFILE_FIELDS, OFFICER_GROUP

# the latest date a candidate may ask to be contacted again from
SNOOZE_MAX_DAYS = 730
# what the candidate's own page shows and lets them download, in this order (plus skills,
# applications and touchpoints): identity, contact, profile and the choices they made
PERSONAL_DATA_FIELDS = (
    "partner_name",
    "email_from",
    "partner_phone",
    "linkedin_profile",
    *CANDIDATE_PROFILE_FIELDS,
    "outreach_frequency",
    "outreach_snoozed_until",
    "source_id",
)


class HrRecruitmentCandidatePreference(models.AbstractModel):
    """What a candidate may change about being contacted, from the preference page, the
    one-click unsubscribe or a reply classified by the recruiter: channel, snooze, fewer
    messages, openness, opt-out; each change is logged in the consent history (touchpoints
    with a boundary event). Mixed into hr.applicant."""

    _name = "hr.recruitment.candidate.preference"
    _description = "Candidate Contact Preferences"

    outreach_snoozed_until = fields.Date(
        string="Snoozed Until",
        tracking=True,
        groups=OFFICER_GROUP,
        help="The candidate asked not to be contacted before this date (preference page).",
    )
    outreach_frequency = fields.Selection(
        [("normal", "Normal"), ("reduced", "Reduced")],
        string="Contact Frequency",
        default="normal",
        tracking=True,
        groups=OFFICER_GROUP,
        help="Reduced: at most one automated message per long cap period (Recruitment settings).",
    )
    erasure_requested_date = fields.Datetime(
        string="Deletion Requested On",
        readonly=True,
        copy=False,
        groups=OFFICER_GROUP,
        help="The candidate asked, from their preference page, to delete the data we keep: "
        "outreach stops at once and the retention rule anonymizes the talent once the review "
        "period is over (or a recruiter does it sooner).",
    )
    consent_touchpoint_ids = fields.One2many(
        "hr.recruitment.touchpoint",
        "applicant_id",
        string="Consent and Preference History",
        domain=[
            "|",
            "|",
            ("kind", "=", "preference"),
            ("privacy_notice", "=", True),
            ("boundary_event", "!=", False),
        ],
        groups=OFFICER_GROUP,
    )

    def _outreach_log_boundary(self, event, summary, declined=False, direction="inbound"):
        """Record a boundary change as a touchpoint on each talent (the consent history)."""
        # sudo: consent history is written for the public preference page and the gateway too
        talents = self._get_talent().sudo()
        return (
            self.env["hr.recruitment.touchpoint"]
            .sudo()
            .create(
                [
                    {
                        "applicant_id": talent.id,
                        "channel": "other",
                        "direction": direction,
                        "kind": "preference" if direction == "inbound" else "note",
                        "outcome": "done",
                        "boundary_event": event,
                        "declined": declined,
                        "summary": summary,
                        "user_id": talent.user_id.id,
                    }
                    for talent in talents
                ]
            )
        )

    def _outreach_set_preferred_channel(self, channel):
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        labels = dict(self._fields["preferred_channel"]._description_selection(self.env))
        if channel not in labels:
            raise UserError(self.env._("Choose one of the channels offered."))
        talents.write({"preferred_channel": channel, "preferred_channel_confirmed": True})
        talents._outreach_log_boundary(
            "channel", self.env._("Preferred channel: %(channel)s", channel=labels[channel])
        )

    def _outreach_snooze(self, until, source=None):
        """'Not now, contact me again after <until>', from the preference page or a reply
        classified 'not now' (`source` says which): the date must be after today and within
        two years; the snooze is logged in the consent history, drips are paused and the
        recruiter gets the re-engagement planned for that date."""
        today = fields.Date.context_today(self)
        until = fields.Date.to_date(until)
        if not until or until <= today or until > today + timedelta(days=SNOOZE_MAX_DAYS):
            raise UserError(
                self.env._(
                    "Choose a date after today and within two years (until %(max)s).",
                    max=today + timedelta(days=SNOOZE_MAX_DAYS),
                )
            )
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        talents.write({"outreach_snoozed_until": until})
        talents._outreach_log_boundary(
            "snooze",
            self.env._(
                "Not now: contact again after %(date)s (%(origin)s)", date=until, origin=source
            )
            if source
            else self.env._("Not now: contact again after %(date)s", date=until),
            declined=True,
        )
        talents._outreach_pause(datetime.combine(until, time.min), reason="snooze")
        talents._outreach_plan_reengagement(until)

    def _outreach_plan_reengagement(self, until):
        """A planned follow-up touchpoint on `until` and a to-do for the talent's recruiter."""
        internal_user = self.env.user if self.env.user._is_internal() else self.env["res.users"]
        today = fields.Date.context_today(self)
        recruiters = {talent: talent.user_id or internal_user for talent in self}
        # sudo: the planned follow-up is logged for the public preference page too
        self.env["hr.recruitment.touchpoint"].sudo().create(
            [
                {
                    "applicant_id": talent.id,
                    "date": datetime.combine(until, time.min),
                    "channel": talent.preferred_channel or "email",
                    "kind": "follow_up",
                    "outcome": "planned",
                    "summary": self.env._(
                        "Re-engage: the candidate said 'not now' on %(date)s.", date=today
                    ),
                    "user_id": recruiter.id,
                }
                for talent, recruiter in recruiters.items()
            ]
        )
        for talent, recruiter in recruiters.items():
            if recruiter:
                talent.activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    date_deadline=until,
                    summary=self.env._("Re-engage %(name)s", name=talent.partner_name),
                    note=escape(
                        self.env._(
                            "%(name)s asked to be contacted again from this date.",
                            name=talent.partner_name,
                        )
                    ),
                    user_id=recruiter.id,
                )

    def _outreach_reduce_frequency(self):
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        talents.write({"outreach_frequency": "reduced"})
        talents._outreach_log_boundary(
            "frequency", self.env._("Asked for fewer messages"), declined=True
        )

    def _outreach_update_openness(self, openness, timing):
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo()
        openness_labels = dict(self._fields["openness"]._description_selection(self.env))
        timing_labels = dict(self._fields["desired_timing"]._description_selection(self.env))
        if openness not in openness_labels or (timing and timing not in timing_labels):
            raise UserError(self.env._("Choose one of the options offered."))
        talents.write({"openness": openness, "desired_timing": timing or False})
        talents._outreach_log_boundary(
            "openness",
            self.env._(
                "Openness: %(openness)s; timing: %(timing)s",
                openness=openness_labels[openness],
                timing=timing_labels.get(timing, "-"),
            ),
            declined=openness == "not_open",
        )

    def _outreach_opt_out(self, source):
        """Stop all contact: blacklist the email and phone, flag the talent and its
        applications, log the opt-out and stop drips. `source` says where it came from."""
        # sudo: public preference page, unsubscribe link or officer: stop every record of the person
        talents = self._get_talent().sudo()
        records = talents | talents.with_context(active_test=False).talent_application_ids | self
        message = Markup("<p>%s</p>") % self.env._(
            "Recruitment outreach opt-out (%(origin)s)", origin=source
        )
        for email in set(records.mapped("email_normalized")) - {False}:
            # sudo: mail.blacklist is writable by mass mailing users and admins only
            self.env["mail.blacklist"].sudo()._add(email, message=message)
        phones = list(set(records.mapped("phone_sanitized")) - {False})
        if phones:
            # sudo: phone.blacklist is writable by admins only
            self.env["phone.blacklist"].sudo()._add(phones, message=message)
        records.sudo().write({"outreach_opted_out": True})
        talents._outreach_log_boundary(
            "opt_out", self.env._("Stopped all contact (%(origin)s)", origin=source), declined=True
        )
        talents._outreach_stop("opted_out")

    # ------------------------------------------------------------
    # The candidate's data: see, download, ask for deletion
    # ------------------------------------------------------------
    def _outreach_request_erasure(self):
        """The candidate asks to delete what we keep (preference page): stop all contact now,
        log the request in the consent history and give the recruiter a to-do. The talent is
        anonymized by the retention rule (hr.recruitment.retention) after ERASURE_REVIEW_DAYS,
        or sooner by a recruiter; nothing is deleted here. Returns the talents newly asked."""
        # sudo: public preference page (token checked by the controller)
        talents = self._get_talent().sudo().filtered(lambda t: not t.erasure_requested_date)
        if not talents:
            return talents
        records = talents | talents.with_context(active_test=False).talent_application_ids
        # no blacklist entry (it would keep the address in clear after the anonymization):
        # the opt-out flag and, later, the hash of the forgotten address stop any contact
        records.write({"outreach_opted_out": True, "erasure_requested_date": fields.Datetime.now()})
        talents._outreach_log_boundary(
            "erasure", self.env._("Asked us to delete their data"), declined=True
        )
        talents._outreach_stop("opted_out")
        Retention = self.env["hr.recruitment.retention"]
        for talent in talents:
            recruiter = talent.user_id or Retention._erasure_fallback_user(talent.company_id)
            if not recruiter:
                continue
            talent.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                date_deadline=Retention._erasure_due_date(talent),
                summary=self.env._("Deletion request of %(name)s", name=talent.partner_name),
                note=escape(
                    self.env._(
                        "%(name)s asked us to delete their data. Their outreach is stopped. "
                        "Check that nothing must be kept (an ongoing application, a hire), "
                        "then use 'Deletion request: dry run' to see every record it changes "
                        "and anonymize; otherwise the retention rule anonymizes them on "
                        "%(date)s.",
                        name=talent.partner_name,
                        date=Retention._erasure_due_date(talent),
                    )
                ),
                user_id=recruiter.id,
            )
        return talents

    def action_erasure_dry_run(self):
        """The deletion request's dry run: every record its anonymization would change."""
        self.ensure_one()
        talent = self._get_talent()
        if not talent.erasure_requested_date or talent.anonymized_date:
            raise UserError(self.env._("This candidate has no pending deletion request."))
        lines = self.env["hr.recruitment.retention"]._erasure_dry_run(talent)
        # sudo: the dry run is a transient list of record references, no personal data
        preview = (
            self.env["hr.recruitment.retention.preview"]
            .sudo()
            .create(
                {
                    "company_id": talent.company_id.id,
                    "talent_count": 1,
                    "erasure_talent_id": talent.id,
                    "line_ids": [Command.create(line) for line in lines],
                }
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deletion request: dry run"),
            "res_model": preview._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    def _outreach_personal_data(self):
        """What we keep about this candidate, in plain words, for their own page and download:
        {"profile": [(field, label, value)], "applications": [(job, date)],
        "touchpoints": [{date, channel, direction, summary}]}. Touchpoints are told in words
        made for the candidate (`_candidate_summary`), never in a recruiter's own notes."""
        self.ensure_one()
        # sudo: the candidate reads their own record (token checked by the controller)
        talent = self._get_talent().sudo()
        env = self.env
        profile = []
        for name in PERSONAL_DATA_FIELDS:
            field = talent._fields[name]
            value = talent[name]
            if field.type == "selection":
                value = dict(field._description_selection(env)).get(value)
            elif field.type == "many2one":
                value = value.display_name
            elif field.type == "integer" and not value:
                value = False
            if value:
                profile.append((name, field._description_string(env), value))
        skills = talent.applicant_skill_ids.mapped(
            lambda s: (
                f"{s.skill_id.name} ({s.skill_level_id.name})"
                if s.skill_level_id
                else s.skill_id.name
            )
        )
        if skills:
            profile.append(("skills", env._("Skills"), ", ".join(skills)))
        applications = [
            (application.job_id.name, application.create_date)
            for application in talent.with_context(active_test=False).talent_application_ids
            if application.job_id and application != talent
        ]
        touchpoints = [
            {
                "date": touchpoint.date,
                "channel": touchpoint._fields["channel"].convert_to_export(
                    touchpoint.channel, touchpoint
                ),
                "direction": touchpoint._fields["direction"].convert_to_export(
                    touchpoint.direction, touchpoint
                ),
                "summary": touchpoint._candidate_summary(),
            }
            for touchpoint in talent.touchpoint_ids
            if touchpoint.outcome != "planned" and not touchpoint.third_party
        ]
        return {"profile": profile, "applications": applications, "touchpoints": touchpoints}
