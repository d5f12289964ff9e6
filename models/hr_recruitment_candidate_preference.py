from datetime import datetime, time, timedelta

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError

# the latest date a candidate may ask to be contacted again from
SNOOZE_MAX_DAYS = 730


class HrRecruitmentCandidatePreference(models.AbstractModel):
    """What a candidate may change about being contacted, from the preference page, the
    one-click unsubscribe or a reply classified by the recruiter: channel, snooze, fewer
    messages, openness, opt-out; each change is logged in the consent history (touchpoints
    with a boundary event). Mixed into hr.applicant."""

    _name = "hr.recruitment.candidate.preference"
    _description = "Candidate Contact Preferences"

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
        talents._outreach_pause(datetime.combine(until, time.min))
        talents._outreach_plan_reengagement(until)

    def _outreach_plan_reengagement(self, until):
        """A planned follow-up touchpoint on `until` and a to-do for the talent's recruiter."""
        internal_user = self.env.user if self.env.user._is_internal() else self.env["res.users"]
        today = fields.Date.context_today(self)
        for talent in self:
            recruiter = talent.user_id or internal_user
            # sudo: the planned follow-up is logged for the public preference page too
            self.env["hr.recruitment.touchpoint"].sudo().create(
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
            )
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
