import logging
from collections import defaultdict, namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..const import OFFICER_GROUP

_logger = logging.getLogger(__name__)

# match score out of 100 (README, "The match score"): MATCH_SKILL_POINTS x the skill fit, plus
# the points of openness, timing, engagement and the time since the last contact, plus or minus
# the "not now" date (passed: a bonus; still ahead: a penalty)
MATCH_SKILL_POINTS = 40
MATCH_OPENNESS_POINTS = {"open_to_offers": 20, "open_to_talk": 12, False: 6, "not_open": 0}
MATCH_TIMING_POINTS = {"now": 15, "within_6_months": 10, "within_1_year": 5, False: 4, "later": 0}
MATCH_ENGAGEMENT_POINTS = 10  # x engagement_score / 100
MATCH_ENGAGED_MIN = 30  # the reason mentions the engagement score from this value
# (days since the last touchpoint, points); a week or less is too soon to write again
MATCH_SILENCE_POINTS = ((90, 10), (30, 6), (7, 3), (0, 0))
MATCH_NOT_NOW_PASSED_BONUS = 5
MATCH_NOT_NOW_AHEAD_PENALTY = 15

PassiveMatch = namedtuple("PassiveMatch", ["talent", "score", "reason"])


class HrJob(models.Model):
    _inherit = "hr.job"

    passive_match_count = fields.Integer(
        string="Passive Matches",
        compute="_compute_passive_match_count",
        groups=OFFICER_GROUP,
        help="Passive talents who have at least one of the job's skills and may be contacted.",
    )
    passive_auto_enroll = fields.Boolean(
        string="Auto-enroll Top Matches",
        groups=OFFICER_GROUP,
        tracking=True,
        help="Every day, enroll the best passive matches of this job (not yet in the drip) in "
        "the drip below, up to the daily limit, while the job has a recruitment target.",
    )
    passive_auto_enroll_drip_id = fields.Many2one(
        "hr.recruitment.drip",
        string="Auto-enroll Drip",
        groups=OFFICER_GROUP,
        domain="[('company_id', '=?', company_id)]",
    )
    passive_auto_enroll_limit = fields.Integer(
        string="Matches per Day", default=5, groups=OFFICER_GROUP
    )
    passive_auto_enroll_date = fields.Date(
        string="Last Auto-enrollment", readonly=True, copy=False, groups=OFFICER_GROUP
    )

    @api.depends(
        "current_job_skill_ids.skill_id", "current_job_skill_ids.skill_level_id", "company_id"
    )
    def _compute_passive_match_count(self):
        for job in self:
            job.passive_match_count = len(job._get_passive_matches())

    @api.constrains(
        "passive_auto_enroll", "passive_auto_enroll_drip_id", "passive_auto_enroll_limit"
    )
    def _check_passive_auto_enroll(self):
        for job in self:
            if not job.passive_auto_enroll:
                continue
            if not job.passive_auto_enroll_drip_id or job.passive_auto_enroll_limit <= 0:
                raise ValidationError(
                    self.env._(
                        "Job '%(job)s' auto-enrolls its top matches: choose the drip and a "
                        "number of matches per day above zero.",
                        job=job.name,
                    )
                )

    def action_find_passive_talents(self):
        """Rank the passive talents for this job and open the list of matches."""
        self.ensure_one()
        return self.env["hr.job.passive.match"]._action_open(self)

    def _get_passive_matches(self, limit=None):
        """Ranked passive talents the contact policy lets us contact for this job.

        :return: [PassiveMatch(talent, score, reason)], best first (score 0-100, reason one
            line: "Python, Go; open to talk; said 'not now' until June 2026, now past")
        """
        self.ensure_one()
        rows = [row for row in self._outreach_match_rows() if not row["excluded"]]
        return [PassiveMatch(row["talent"], row["score"], row["reason"]) for row in rows[:limit]]

    def _outreach_match_rows(self, talents=None):
        """Score and explain each candidate talent: dicts with talent, score, reason,
        skill_fit (0-1), matching skills, snoozed (still ahead) and excluded + exclusion (the
        contact policy's refusal, or an application to this job), best first.
        Without `talents`, the passive talents having one of the job's skills."""
        self.ensure_one()
        job_skills = self.current_job_skill_ids
        Applicant = self.env["hr.applicant"]
        if talents is None:
            if not job_skills:
                return []
            talents = Applicant.search(self._outreach_match_domain(job_skills.skill_id))
        talents = talents._get_talent()
        if not talents:
            return []
        # the scoring reads the passive profile of talents the caller may see (a template
        # rendered for its recipient included); only the score and the one-line reason leave
        talents = talents.sudo()
        today = fields.Date.context_today(self)
        not_now = self._outreach_not_now_dates(talents)
        refusals = self._outreach_match_refusals(talents)
        rows = []
        for talent in talents:
            skill_fit, skills = self._outreach_skill_fit(talent, job_skills)
            until = max(
                filter(None, [not_now.get(talent.id), talent.outreach_snoozed_until]), default=None
            )
            score = (
                MATCH_SKILL_POINTS * skill_fit
                + MATCH_OPENNESS_POINTS.get(talent.openness, 0)
                + MATCH_TIMING_POINTS.get(talent.desired_timing, 0)
                + MATCH_ENGAGEMENT_POINTS * talent.engagement_score / 100
                + self._outreach_silence_points(talent.last_touchpoint_date)
            )
            if until:
                score += (
                    MATCH_NOT_NOW_PASSED_BONUS if until <= today else -MATCH_NOT_NOW_AHEAD_PENALTY
                )
            rows.append(
                {
                    "talent": talent.with_env(self.env),
                    "engagement": talent.engagement_score,
                    "score": max(0, min(100, round(score))),
                    "skill_fit": skill_fit,
                    "skills": skills,
                    "snoozed": bool(until and until > today),
                    "reason": self._outreach_match_reason_line(
                        talent, skills, until, until and until == not_now.get(talent.id)
                    ),
                    "excluded": talent.id in refusals,
                    "exclusion": refusals.get(talent.id, ""),
                }
            )
        rows.sort(key=lambda r: (-r["score"], -r["engagement"], r["talent"].id))
        return rows

    def _outreach_match_domain(self, skills):
        """Talents (not their applications) flagged passive, with one of `skills`, of the
        job's company (or of none)."""
        domain = [
            ("is_passive_candidate", "=", True),
            ("talent_pool_ids", "!=", False),
            ("skill_ids", "in", skills.ids),
        ]
        if self.company_id:
            domain.append(("company_id", "in", [self.company_id.id, False]))
        return domain

    @api.model
    def _outreach_not_now_dates(self, talents):
        """{talent id: latest 'not now until' date of its replies classified 'not now'}."""
        talents = talents._get_talent()
        return {
            talent.id: until
            for talent, until in self.env["hr.recruitment.touchpoint"]
            # sudo: match reasons read the talents' classified replies, whoever looks at the job
            .sudo()
            ._read_group(
                [
                    ("applicant_id", "in", talents.ids),
                    ("reply_class", "=", "not_now"),
                    ("snoozed_until", "!=", False),
                ],
                ["applicant_id"],
                ["snoozed_until:max"],
            )
        }

    def _outreach_match_refusals(self, talents):
        """{talent id: why not} for talents the contact policy refuses on their preferred
        channel (do not contact, opted out, anonymized, unresponsive, no address...) and for
        talents who already applied to this job."""
        refusals = {}
        by_channel = defaultdict(lambda: self.env["hr.applicant"])
        for talent in talents:
            by_channel[talent.preferred_channel or "email"] |= talent
        Policy = self.env["hr.recruitment.contact.policy"]
        for channel, group in by_channel.items():
            for talent_id, decision in Policy._check(group, channel).items():
                if decision.state == "refused":
                    refusals[talent_id] = decision.message
        if self._origin.id:
            applications = (
                self.env["hr.applicant"]
                .sudo()
                .with_context(active_test=False)
                .search_fetch(
                    [
                        ("job_id", "=", self._origin.id),
                        "|",
                        ("pool_applicant_id", "in", talents.ids),
                        ("id", "in", talents.ids),
                    ],
                    ["pool_applicant_id"],
                )
            )
            for application in applications:
                talent = application.pool_applicant_id or application
                refusals.setdefault(talent.id, self.env._("Already applied to this job"))
        return refusals

    @api.model
    def _outreach_skill_fit(self, talent, job_skills):
        """(0-1 fit, matching hr.skill): each job skill weighs its required level; a talent
        at or above that level gets it in full, below it in proportion."""
        levels = {s.skill_id: s.level_progress for s in talent.current_applicant_skill_ids}
        total = credit = 0
        matching = self.env["hr.skill"]
        for job_skill in job_skills:
            required = max(job_skill.level_progress, 1)
            total += required
            if job_skill.skill_id in levels:
                credit += min(max(levels[job_skill.skill_id], 1), required)
                matching |= job_skill.skill_id
        return (credit / total if total else 0.0), matching

    @api.model
    def _outreach_silence_points(self, last_contact):
        if not last_contact:
            return MATCH_SILENCE_POINTS[0][1]
        days = (fields.Datetime.now() - last_contact).days
        return next(points for min_days, points in MATCH_SILENCE_POINTS if days >= min_days)

    def _outreach_match_reason_line(self, talent, skills, until, said_not_now):
        """The one-line explanation of a match, e.g.
        "Python, Go; open to talk; said 'not now' until June 2026, now past"."""
        openness = {
            "open_to_offers": self.env._("open to offers"),
            "open_to_talk": self.env._("open to talk"),
            "not_open": self.env._("not open"),
        }
        timing = {
            "now": self.env._("available now"),
            "within_6_months": self.env._("available within 6 months"),
            "within_1_year": self.env._("available within a year"),
            "later": self.env._("available later"),
        }
        parts = [", ".join(skills.mapped("name")) or self.env._("no matching skill")]
        parts += [
            label
            for label in (openness.get(talent.openness), timing.get(talent.desired_timing))
            if label
        ]
        if until:
            month = format_date(self.env, until, date_format="MMMM yyyy")
            if until <= fields.Date.context_today(self):
                text = self.env._("said 'not now' until %(month)s, now past", month=month)
                parts.append(
                    text
                    if said_not_now
                    else self.env._("snoozed until %(month)s, now past", month=month)
                )
            else:
                text = self.env._("said 'not now' until %(month)s", month=month)
                parts.append(
                    text if said_not_now else self.env._("snoozed until %(month)s", month=month)
                )
        if talent.engagement_score >= MATCH_ENGAGED_MIN:
            parts.append(self.env._("engaged (%(score)s/100)", score=talent.engagement_score))
        last = talent.last_touchpoint_date
        if last and fields.Datetime.now() - last < timedelta(days=MATCH_SILENCE_POINTS[2][0]):
            parts.append(self.env._("contacted in the last week"))
        return "; ".join(parts)

    # ------------------------------------------------------------------
    # Auto-enrollment of the top matches
    # ------------------------------------------------------------------

    def _outreach_auto_enroll(self):
        """Enroll today's top matches not yet in the job's drip (snoozed ones wait), up to the
        daily limit, and say on the job's chatter who was enrolled and who was skipped."""
        self.ensure_one()
        drip = self.passive_auto_enroll_drip_id
        already = set(
            self.env["hr.recruitment.drip.enrollment"]
            .with_context(active_test=False)
            .search([("drip_id", "=", drip.id)])
            .applicant_id.ids
        )
        rows = [
            row
            for row in self._outreach_match_rows()
            if not row["excluded"] and not row["snoozed"] and row["talent"].id not in already
        ]
        talents = self.env["hr.applicant"].concat(
            *(row["talent"] for row in rows[: self.passive_auto_enroll_limit])
        )
        self.passive_auto_enroll_date = fields.Date.context_today(self)
        if not talents:
            return {"enrollments": self.env["hr.recruitment.drip.enrollment"], "skipped": {}}
        result = drip.enroll(talents)
        names = dict(zip(talents.ids, talents.mapped("partner_name"), strict=True))
        skipped = "; ".join(
            f"{names.get(tid, tid)} ({message})"
            for tid, (_code, message) in result["skipped"].items()
        )
        body = self.env._(
            "Auto-enrolled %(count)s passive talents in drip '%(drip)s': %(names)s.",
            count=len(result["enrollments"]),
            drip=drip.name,
            names=", ".join(result["enrollments"].applicant_id.mapped("partner_name")) or "-",
        )
        if skipped:
            body = self.env._("%(enrolled)s Skipped: %(skipped)s.", enrolled=body, skipped=skipped)
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        return result

    @api.model
    def _cron_passive_auto_enroll(self):
        """Daily: each job that auto-enrolls gets its top matches enrolled once a day."""
        today = fields.Date.context_today(self)
        jobs = self.search(
            [
                ("passive_auto_enroll", "=", True),
                ("passive_auto_enroll_drip_id.active", "=", True),
                ("no_of_recruitment", ">", 0),
                "|",
                ("passive_auto_enroll_date", "=", False),
                ("passive_auto_enroll_date", "<", today),
            ],
            order="id",
        )
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(jobs))
        for job in jobs:
            try:
                with self.env.cr.savepoint():
                    job._outreach_auto_enroll()
            except Exception:
                _logger.exception("Job %s: could not auto-enroll its passive matches", job.id)
                job.passive_auto_enroll_date = today  # retried tomorrow, not in a loop today
            if not cron._commit_progress(1):
                return
