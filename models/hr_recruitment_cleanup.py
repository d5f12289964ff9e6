from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.fields import Domain

from .hr_recruitment_touchpoint import NOT_DELIVERED_OUTCOMES

# outbound touchpoints that are messages to the candidate (the cleanup counts them)
OUTREACH_MESSAGE_KINDS = ("outreach", "follow_up", "congratulation", "resource")


class HrRecruitmentCleanup(models.AbstractModel):
    """Removal of unresponsive talents from outreach: after M messages over N days without any
    interaction (company settings), drips stop and the talent is set aside. Nothing is deleted."""

    _name = "hr.recruitment.cleanup"
    _description = "Unresponsive Talent Cleanup"

    @api.model
    def _get_candidate_domain(self, companies=None):
        """Talents the cleanup examines: contacted at least N days ago (the shortest N of
        the companies), no real response since, not excluded from outreach already."""
        today = fields.Date.context_today(self)
        if companies is None:
            [(days,)] = (
                self.env["res.company"]
                # sudo: cleanup cron: the settings of every company
                .sudo()
                ._read_group([], aggregates=["outreach_cleanup_days:min"])
            )
        else:
            days = min(companies.mapped("outreach_cleanup_days"))
        since = fields.Datetime.now() - timedelta(days=days or 0)
        domain = Domain(
            [
                ("is_passive_candidate", "=", True),
                ("talent_pool_ids", "!=", False),
                ("do_not_contact", "=", False),
                ("outreach_opted_out", "=", False),
                ("anonymized_date", "=", False),
                ("first_outreach_date", "<=", since),
            ]
        )
        if companies is not None:
            domain &= Domain("company_id", "in", companies.ids + [False])
        domain &= Domain("reengage_after", "<=", today) | (
            Domain("reengage_after", "=", False) & Domain("outreach_status", "!=", "unresponsive")
        )
        return domain & (
            Domain("last_response_date", "=", False) | Domain("last_response_date", "<", since)
        )

    def _find_unresponsive(self, talents):
        """The subset of these talents the cleanup removes now: at least M outreach messages
        since their last interaction (and since a previous removal), the first of them at
        least N days old (M, N: company settings)."""
        if not talents:
            return talents
        now = fields.Datetime.now()
        last_interaction = self.env["hr.recruitment.engagement"]._get_last_interaction_dates(
            talents.ids
        )
        messages = (
            self.env["hr.recruitment.touchpoint"]
            # sudo: cleanup: every outbound message of the person counts
            .sudo()
            .search_fetch(
                [
                    ("applicant_id", "in", talents.ids),
                    ("direction", "=", "outbound"),
                    ("kind", "in", list(OUTREACH_MESSAGE_KINDS)),
                    ("outcome", "not in", list(NOT_DELIVERED_OUTCOMES)),
                    ("date", "<=", now),
                ],
                ["applicant_id", "date"],
                order="date, id",
            )
        )
        dates_by_talent = defaultdict(list)
        for message in messages:
            dates_by_talent[message.applicant_id.id].append(message.date)
        unresponsive = talents.browse()
        # sudo: cleanup: runs as the cron or from the settings page dry run
        for talent in talents.sudo():
            company = talent.company_id or self.env.company
            since = max(
                (d for d in (last_interaction.get(talent.id), talent.unresponsive_date) if d),
                default=None,
            )
            unanswered = [d for d in dates_by_talent[talent.id] if not since or d > since]
            if len(unanswered) >= company.outreach_cleanup_min_messages and unanswered[
                0
            ] <= now - timedelta(days=company.outreach_cleanup_days):
                unresponsive |= talent
        return unresponsive

    @api.model
    def _dry_run(self, company):
        """Talents of `company` the next cleanup run would remove (settings page)."""
        # sudo: settings page dry run (administrators): every talent of the company is counted
        talents = self.env["hr.applicant"].sudo().search(self._get_candidate_domain(company))
        talents = talents.filtered(lambda t: (t.company_id or self.env.company) == company)
        return self._find_unresponsive(talents)

    def _remove(self, talents):
        """Remove these talents from outreach: drips stop, status unresponsive, optional
        move out of talent pools, re-engagement date. Nothing is deleted. Talents that get the
        same values are written together; touchpoints and chatter notes are created in bulk."""
        # sudo: cleanup cron: writes pools and officer-only fields of every company's talents
        talents = talents.sudo()
        if not talents:
            return
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        unresponsive_pool = self.env.ref(
            "hr_recruitment_passive.hr_talent_pool_unresponsive", raise_if_not_found=False
        )
        ids_by_vals = defaultdict(list)
        summaries = {}
        for talent in talents:
            company = talent.company_id or self.env.company
            months = company.outreach_reengage_months
            reengage_after = months and today + relativedelta(months=months)
            summary = self.env._(
                "Removed from outreach: no interaction for %(days)s days after %(count)s or more "
                "messages.",
                days=company.outreach_cleanup_days,
                count=company.outreach_cleanup_min_messages,
            )
            if months:
                summary += " " + self.env._(
                    "May be contacted again after %(date)s.", date=reengage_after
                )
            removed = self.env["hr.talent.pool"]
            if company.outreach_cleanup_remove_pools and unresponsive_pool:
                removed = talent.talent_pool_ids - unresponsive_pool
            if removed:
                summary += " " + self.env._(
                    "Moved out of talent pools: %(pools)s.",
                    pools=", ".join(removed.mapped("name")),
                )
            ids_by_vals[reengage_after, bool(removed)].append(talent.id)
            summaries[talent.id] = summary
        for (reengage_after, move), ids in ids_by_vals.items():
            vals = {"unresponsive_date": now, "reengage_after": reengage_after}
            if move:
                vals["talent_pool_ids"] = [Command.set(unresponsive_pool.ids)]
            # the chatter note below says all of it: no tracking message per talent
            talents.browse(ids).with_context(mail_notrack=True).write(vals)
        talents._message_log_batch(summaries)
        # sudo: cleanup cron: logs and stops for every company
        self.env["hr.recruitment.touchpoint"].sudo().create(
            [
                {
                    "applicant_id": talent.id,
                    "channel": "other",
                    "direction": "outbound",
                    "kind": "note",
                    "outcome": "done",
                    "boundary_event": "unresponsive",
                    "summary": summaries[talent.id],
                    "user_id": talent.user_id.id,
                }
                for talent in talents
            ]
        )
        talents._outreach_stop("unresponsive")

    @api.model
    def _cron_remove_unresponsive(self, batch_size=200):
        """Daily: remove candidates who did not interact after repeated outreach."""
        # sudo: cron: every company's passive talents, whatever the cron's user
        talents = self.env["hr.applicant"].sudo().search(self._get_candidate_domain(), order="id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(talents))
        for offset in range(0, len(talents), batch_size):
            batch = talents[offset : offset + batch_size]
            self._remove(self._find_unresponsive(batch))
            if not cron._commit_progress(len(batch)):
                break
