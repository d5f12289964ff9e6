import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

# engagement score: each signal is worth WEIGHT points on the day it happens and loses half its
# value every HALF_LIFE_DAYS; the sum is capped at 100
ENGAGEMENT_HALF_LIFE_DAYS = 30
ENGAGEMENT_WINDOW_DAYS = 365
ENGAGEMENT_INBOUND_WEIGHTS = {
    "reply": 40,
    "meeting": 40,
    "call": 30,
    "preference": 15,
}
ENGAGEMENT_INBOUND_DEFAULT_WEIGHT = 20
ENGAGEMENT_OUTCOME_WEIGHTS = {"clicked": 15, "opened": 5}
# an open or click less than ENGAGEMENT_MACHINE_SECONDS after sending is most likely a privacy
# proxy (e.g. Apple Mail Privacy Protection) or a link scanner: it keeps only
# ENGAGEMENT_MACHINE_FACTOR of its weight; the n-th most recent open keeps FACTOR ** (n - 1)
ENGAGEMENT_MACHINE_SECONDS = 60
ENGAGEMENT_MACHINE_FACTOR = 0.2
ENGAGEMENT_REPEAT_OPEN_FACTOR = 0.5


class HrRecruitmentEngagement(models.AbstractModel):
    """A talent's figures read from its touchpoints: counts, first outreach, last response,
    next planned touchpoint, last interaction and the engagement score (with its daily cron)."""

    _name = "hr.recruitment.engagement"
    _description = "Talent Engagement Figures"

    @api.model
    def _get_talent_figures(self, talent_ids):
        """Figures per talent id from its touchpoints, in a few grouped queries."""
        if not talent_ids:
            return {}
        # sudo: the figures feed stored fields, recomputed whoever triggers it (gateway, cron)
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        now = fields.Datetime.now()
        stats = {tid: {} for tid in talent_ids}
        base = [("applicant_id", "in", talent_ids)]
        for talent, count, last in Touchpoint._read_group(
            base + [("outcome", "!=", "planned")], ["applicant_id"], ["__count", "date:max"]
        ):
            stats[talent.id].update(count=count, last=last)
        for talent, first in Touchpoint._read_group(
            Domain(base) & Touchpoint._get_outreach_touch_domain(),
            ["applicant_id"],
            ["date:min"],
        ):
            stats[talent.id]["first_outreach"] = first
        responses = Touchpoint._get_candidate_response_domain()
        for talent, last_response in Touchpoint._read_group(
            Domain(base) & responses, ["applicant_id"], ["date:max"]
        ):
            stats[talent.id]["last_response"] = last_response
        for talent, planned_count, next_date in Touchpoint._read_group(
            base + [("outcome", "=", "planned"), ("date", ">=", now)],
            ["applicant_id"],
            ["__count", "date:min"],
        ):
            stats[talent.id]["next"] = next_date
            stats[talent.id]["count"] = stats[talent.id].get("count", 0) + planned_count
        signals = Touchpoint.search_fetch(
            Domain(base)
            & Domain("date", ">=", now - timedelta(days=ENGAGEMENT_WINDOW_DAYS))
            & Domain("date", "<=", now)
            & (
                responses
                | (
                    Domain("direction", "=", "outbound")
                    & Domain("outcome", "in", list(ENGAGEMENT_OUTCOME_WEIGHTS))
                )
            ),
            ["applicant_id", "date", "direction", "kind", "outcome", "opened_date", "clicked_date"],
            order="date desc, id desc",
        )
        scores = dict.fromkeys(talent_ids, 0.0)
        opens_seen = dict.fromkeys(talent_ids, 0)
        for signal in signals:
            talent_id = signal.applicant_id.id
            is_open = signal.direction == "outbound" and signal.outcome == "opened"
            scores[talent_id] += self._engagement_points(
                signal, now, rank=opens_seen[talent_id] if is_open else 0
            )
            opens_seen[talent_id] += is_open
        for tid, score in scores.items():
            stats[tid]["score"] = min(100, round(score))
        return stats

    @api.model
    def _engagement_points(self, touchpoint, now, rank=0):
        """Points one touchpoint adds to the engagement score today.

        :param rank: for an open, how many more recent opens of the candidate were counted
            before it (each earlier open is worth half the previous one)"""
        if touchpoint.direction == "inbound":
            if touchpoint.outcome == "planned":
                return 0.0
            weight = ENGAGEMENT_INBOUND_WEIGHTS.get(
                touchpoint.kind, ENGAGEMENT_INBOUND_DEFAULT_WEIGHT
            )
        else:
            weight = ENGAGEMENT_OUTCOME_WEIGHTS.get(touchpoint.outcome, 0)
            event_date = (
                touchpoint.clicked_date
                if touchpoint.outcome == "clicked"
                else touchpoint.opened_date
                if touchpoint.outcome == "opened"
                else False
            )
            if event_date and (event_date - touchpoint.date).total_seconds() < (
                ENGAGEMENT_MACHINE_SECONDS
            ):
                # a scanner clicking every link, a privacy proxy fetching every image
                weight *= ENGAGEMENT_MACHINE_FACTOR
            if touchpoint.outcome == "opened":
                weight *= math.pow(ENGAGEMENT_REPEAT_OPEN_FACTOR, rank)
        age_days = max((now - touchpoint.date).total_seconds() / 86400.0, 0.0)
        return weight * math.pow(0.5, age_days / ENGAGEMENT_HALF_LIFE_DAYS)

    @api.model
    def _get_last_interaction_dates(self, talent_ids):
        """Last time each talent interacted (an open or click on our message, or any inbound
        touchpoint of the candidate's own: reply, preference, call... but no auto-reply and no
        third party's email): {talent id: datetime}."""
        # sudo: cleanup and retention read every interaction of the person (cron, settings page)
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        domain = (
            Domain("applicant_id", "in", talent_ids)
            & Domain("outcome", "!=", "planned")
            & (
                Touchpoint._get_candidate_response_domain()
                | (
                    Domain("direction", "=", "outbound")
                    & Domain("outcome", "in", ["opened", "clicked"])
                )
            )
        )
        return {
            talent.id: last
            for talent, last in Touchpoint._read_group(domain, ["applicant_id"], ["date:max"])
        }

    @api.model
    def _cron_recompute_engagement(self, batch_size=500):
        """Engagement decays with time: recompute every passive talent's figures daily."""
        Applicant = self.env["hr.applicant"]
        domain = [("is_passive_candidate", "=", True)]
        # sudo: cron: every company's passive talents, whatever the cron's user
        talents = Applicant.sudo().with_context(active_test=False).search(domain, order="id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(talents))
        for offset in range(0, len(talents), batch_size):
            batch = talents[offset : offset + batch_size]
            self.env.add_to_compute(Applicant._fields["engagement_score"], batch)
            self.env.add_to_compute(Applicant._fields["outreach_status"], batch)
            batch.flush_recordset(["engagement_score", "outreach_status"])
            if not cron._commit_progress(len(batch)):
                break
