import re
from collections import defaultdict, namedtuple
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.iap.tools.iap_tools import mail_prepare_for_domain_search

from .hr_recruitment_touchpoint import NOT_DELIVERED_OUTCOMES

# state: "allowed", "postponed" (try again at `until`) or "refused" (reason says why)
ContactDecision = namedtuple("ContactDecision", ["state", "reason", "until", "message"])
CONTACT_CHANNELS = ("email", "sms", "linkedin", "phone")
# employer pressure: people contacted at one employer per rolling period
EMPLOYER_PERIOD_DAYS = 7
# trailing words dropped from an employer's name ("Acme S.A." and "ACME" are one employer)
LEGAL_SUFFIXES = {
    "ab", "ag", "as", "bv", "co", "corp", "corporation", "gmbh", "inc", "incorporated", "kg",
    "limited", "llc", "llp", "ltd", "nv", "oy", "plc", "pty", "sa", "sarl", "sas", "spa", "srl",
}  # fmt: skip


def employer_key(company_name, email=None):
    """The employer a candidate works for: the normalized name of `company_name` ("acme"), else
    the domain of `email` ("@acme.com") unless it is a free-mail domain (Odoo's IAP list:
    gmail.com, outlook.com, gmx.*, orange.fr...), else False."""
    words = re.sub(r"\W+", " ", (company_name or "").replace(".", "").casefold()).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if words:
        return " ".join(words)
    domain = mail_prepare_for_domain_search(email) if email else False
    return domain if domain and domain.startswith("@") else False


class HrRecruitmentContactPolicy(models.AbstractModel):
    """The one gate every path that contacts a candidate asks before it sends."""

    _name = "hr.recruitment.contact.policy"
    _description = "Candidate Contact Policy"

    @api.model
    def _check(self, applicants, channel, at=None, automated=True, senders=None):
        """Decide, per candidate, whether `channel` may be used at `at` (default now).

        :param applicants: hr.applicant records (talents or applications)
        :param channel: one of CONTACT_CHANNELS
        :param automated: True for messages the addon sends by itself (drips, occasions,
            bulk sends); False for a recruiter's own one-to-one task (a LinkedIn message, a call)
        :param senders: {applicant id: res.users} the user each automated email would leave
            as (drips): the sender's daily limit is decided in the same call
        :return: {applicant id: ContactDecision}
        """
        at = at or fields.Datetime.now()
        # sudo: the one gate sees every fact of the person, whatever the caller may read
        applicants = applicants.sudo()
        facts = self._prefetch_facts(applicants, channel, at)
        decisions = {
            applicant.id: self._check_one(applicant, channel, at, automated, facts)
            for applicant in applicants
        }
        decisions = self._check_employer_pressure(applicants, at, automated, decisions)
        if senders and channel == "email" and automated:
            decisions = self._check_sender_limits(applicants, at, decisions, senders)
        return decisions

    # --- sender limits ---
    @api.model
    def _check_sender_limits(self, applicants, at, decisions, senders):
        """Postpone the allowed candidates beyond their sender's limit of the day (counting
        those allowed earlier in this check) to the start of the sender's next day."""
        users = self.env["res.users"].browse({user.id for user in senders.values() if user})
        usage = self._get_sender_usage(users, at)
        for applicant in applicants:
            sender = senders.get(applicant.id)
            if not sender or decisions[applicant.id].state != "allowed":
                continue
            today = usage[sender.id]
            if today["limit"] is None or today["sent"] < today["limit"]:
                today["sent"] += 1
                continue
            decisions[applicant.id] = ContactDecision(
                "postponed",
                "sender_limit",
                today["next_day"],
                self.env._(
                    "Sender limit: %(sender)s sent %(limit)s of %(limit)s drip emails today",
                    sender=sender.name,
                    limit=today["limit"],
                ),
            )
        return decisions

    @api.model
    def _get_sender_usage(self, users, at=None):
        """{user id: {sent, limit, next_day}}: drip emails sent by each user on their day of
        `at` (their time zone), their limit that day (None: no limit) and when their next
        day starts (naive UTC). Two queries for all users of one time zone."""
        at = at or fields.Datetime.now()
        # sudo: a sender's count covers every drip email they sent, whoever asks
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        users = users.sudo()
        first_sent = {}
        new = users.filtered(lambda user: not user.outreach_sender_since)
        if new:
            first_sent = dict(
                Touchpoint._read_group(self._sender_sent_domain(new), ["user_id"], ["date:min"])
            )
        usage = {}
        for tz_name, group in users.grouped(lambda user: user.tz or "UTC").items():
            tz = pytz.timezone(tz_name)
            day = pytz.utc.localize(at).astimezone(tz).date()
            start, end = (
                tz.localize(datetime.combine(day + timedelta(days=offset), time.min))
                .astimezone(pytz.utc)
                .replace(tzinfo=None)
                for offset in (0, 1)
            )
            counts = dict(
                Touchpoint._read_group(
                    [*self._sender_sent_domain(group), ("date", ">=", start), ("date", "<", end)],
                    ["user_id"],
                    ["__count"],
                )
            )
            for user in group:
                since = user.outreach_sender_since or (
                    first_sent.get(user) and first_sent[user].date()
                )
                usage[user.id] = {
                    "sent": counts.get(user, 0),
                    "limit": self._sender_daily_limit(user, day, since),
                    "next_day": end,
                }
        return usage

    @api.model
    def _sender_sent_domain(self, users):
        """Touchpoints of the drip emails that left as `users`."""
        return [
            ("user_id", "in", users.ids),
            ("enrollment_id", "!=", False),
            ("channel", "=", "email"),
            ("direction", "=", "outbound"),
            ("automated", "=", True),
            ("outcome", "!=", "planned"),
        ]

    @api.model
    def _sender_daily_limit(self, user, day, since):
        """Drip emails `user` may send on `day`: the daily cap (the user's, else the company's),
        and while the mailbox is new (first drip email, or the user's date, on `since`) the
        ramp: first-day count plus the daily step per day since. None: no limit."""
        company = user.company_id
        cap = user.outreach_sender_daily_cap or company.outreach_sender_daily_cap
        limit = None
        if company.outreach_sender_ramp_start:
            age = max(0, (day - since).days) if since else 0
            limit = company.outreach_sender_ramp_start + company.outreach_sender_ramp_step * age
        if cap > 0:
            limit = min(cap, limit) if limit is not None else cap
        return limit

    @api.model
    def _sender_is_limited(self, user):
        """Whether `user` has a daily limit at all (a cap or a new-mailbox ramp)."""
        return self._sender_daily_limit(user, fields.Date.today(), None) is not None

    @api.model
    def _hold_senders(self, users):
        """Before counting what the limited `users` sent today, take each one's row for this
        transaction; return those another transaction (a cron worker sending as them right
        now) holds: their emails wait for it. The row is also marked as written, so a worker
        whose snapshot predates this transaction's commit fails to take it (serialization
        error, its batch is run again) instead of counting on a stale total."""
        # sudo: the cron's technical bookkeeping on the sender, whoever runs the drip
        limited = users.sudo().filtered(self._sender_is_limited)
        if not limited:
            return users.browse()
        limited.flush_recordset(["outreach_sender_since"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM res_users WHERE id IN %s ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                tuple(limited.ids),
            )
        )
        held = [row[0] for row in rows]
        if held:
            self.env.cr.execute(
                SQL(
                    "UPDATE res_users SET outreach_sender_since = outreach_sender_since "
                    "WHERE id IN %s",
                    tuple(held),
                )
            )
        return limited.browse(set(limited.ids) - set(held)).sudo(False)

    @api.model
    def _reserve_senders(self, users, at):
        """The limited `users` send their drip emails now (rows held, see _hold_senders): a
        new mailbox's ramp starts with its first drip email."""
        # sudo: the cron's technical bookkeeping on the sender, whoever runs the drip
        limited = users.sudo().filtered(
            lambda user: not user.outreach_sender_since and self._sender_is_limited(user)
        )
        if limited:
            limited.outreach_sender_since = at.date()

    # --- end sender limits ---

    @api.model
    def _prefetch_facts(self, applicants, channel, at):
        """Batch look-ups shared by all candidates of one check (blacklists read fresh)."""
        facts = {"blacklisted_emails": set(), "blacklisted_phones": set()}
        emails = [e for e in applicants.mapped("email_normalized") if e]
        if channel == "email" and emails:
            facts["blacklisted_emails"] = set(
                # sudo: mail.blacklist is readable by mass mailing users and admins only
                self.env["mail.blacklist"].sudo().search([("email", "in", emails)]).mapped("email")
            )
        phones = [p for p in applicants.mapped("phone_sanitized") if p]
        if channel == "sms" and phones:
            facts["blacklisted_phones"] = set(
                self.env["phone.blacklist"]
                # sudo: phone.blacklist is readable by admins only
                .sudo()
                .search([("number", "in", phones)])
                .mapped("number")
            )
        facts["forgotten"] = self.env["hr.recruitment.forgotten.email"]._forgotten_keys(emails)
        facts.update(self._prefetch_boundary_facts(applicants, at))
        return facts

    @api.model
    def _prefetch_boundary_facts(self, applicants, at):
        """Automated messages sent and last 'no' per talent, in two queries."""
        talents = applicants.mapped(lambda a: a.pool_applicant_id or a)
        companies = talents.company_id | self.env.company
        longest = max(
            companies.mapped("outreach_cap_short_days") + companies.mapped("outreach_cap_long_days")
        )
        # sudo: caps count every automated message of the person, whoever sent it
        Touchpoint = self.env["hr.recruitment.touchpoint"].sudo()
        sent = defaultdict(list)
        for touchpoint in Touchpoint.search_fetch(
            [("applicant_id", "in", talents.ids), *self._counted_domain(at, longest)],
            ["applicant_id", "date"],
            order="date, id",
        ):
            sent[touchpoint.applicant_id.id].append(touchpoint.date)
        last_no = {
            talent.id: last
            for talent, last in Touchpoint._read_group(
                [
                    ("applicant_id", "in", talents.ids),
                    ("direction", "=", "inbound"),
                    ("declined", "=", True),
                    ("date", "<=", at),
                ],
                ["applicant_id"],
                ["date:max"],
            )
        }
        return {"automated_sent": sent, "last_no": last_no}

    @api.model
    def _check_one(self, applicant, channel, at, automated, facts):
        """Rules for one candidate; extended by the boundaries (caps, snooze, windows)."""
        talent = applicant.pool_applicant_id or applicant
        if facts["forgotten"] and self._is_forgotten(applicant, facts["forgotten"]):
            return self._refuse("forgotten")
        if talent.do_not_contact or applicant.do_not_contact:
            return self._refuse("do_not_contact", talent.do_not_contact_reason or "")
        if talent.outreach_opted_out or applicant.outreach_opted_out:
            return self._refuse("opted_out")
        if channel == "email":
            if not applicant.email_normalized:
                return self._refuse("no_email")
            if applicant.email_normalized in facts["blacklisted_emails"]:
                return self._refuse("opted_out")
        elif channel == "sms":
            if not applicant.phone_sanitized:
                return self._refuse("no_phone")
            if applicant.phone_sanitized in facts["blacklisted_phones"]:
                return self._refuse("opted_out")
        return self._check_boundaries(talent, channel, at, automated, facts)

    @api.model
    def _is_forgotten(self, applicant, forgotten):
        """The retention rule anonymized this address in the candidate's company: only a
        hash of it is left, and it must never be contacted again (any channel)."""
        email_hash = self.env["hr.recruitment.forgotten.email"]._hash_email(
            applicant.email_normalized
        )
        company = applicant.company_id or self.env.company
        return (email_hash, company.id) in forgotten

    @api.model
    def _check_boundaries(self, talent, channel, at, automated, facts):
        """Re-engagement date, snooze, quiet days after a 'no', caps and the sending window;
        every hold but the re-engagement date postpones to the first moment all allow it."""
        if talent.anonymized_date:
            return self._refuse("anonymized")
        if (
            automated
            and talent.outreach_status == "unresponsive"
            and (not talent.reengage_after or at.date() < talent.reengage_after)
        ):
            return self._refuse("unresponsive", str(talent.reengage_after or "-"))
        company = talent.company_id or self.env.company
        holds = []
        if talent.outreach_snoozed_until and at.date() < talent.outreach_snoozed_until:
            holds.append(("snoozed", datetime.combine(talent.outreach_snoozed_until, time.min)))
        if automated and talent.outreach_paused_until and at < talent.outreach_paused_until:
            holds.append(("away", talent.outreach_paused_until))
        if automated:
            last_no = facts["last_no"].get(talent.id)
            gap = timedelta(days=company.outreach_gap_after_no_days)
            if last_no and at < last_no + gap:
                holds.append(("quiet_after_no", last_no + gap))
            holds.extend(self._cap_holds(talent, company, at, facts["automated_sent"][talent.id]))
        reason, until = max(holds, key=lambda hold: hold[1], default=(None, None))
        # a sender with a sending window of its own (a drip) passes outreach_own_window
        if automated and not self.env.context.get("outreach_own_window"):
            window_start = self._next_window_start(
                until or at,
                self._get_candidate_tz(talent, company),
                company.outreach_window_start,
                company.outreach_window_end,
                range(5) if company.outreach_window_weekdays else range(7),
            )
            if window_start != (until or at):
                reason, until = reason or "window", window_start
        if not until:
            return ContactDecision("allowed", False, False, "")
        return self._postpone(reason, until, fields.Datetime.to_string(until))

    @api.model
    def _cap_holds(self, talent, company, at, sent_dates):
        """(reason, until) for each cap reached: until = when the oldest message counted
        leaves the rolling period. A candidate who asked for fewer messages gets one per long
        period."""
        caps = [
            (company.outreach_cap_short_count, company.outreach_cap_short_days),
            (company.outreach_cap_long_count, company.outreach_cap_long_days),
        ]
        if talent.outreach_frequency == "reduced":
            caps.append((1, company.outreach_cap_long_days))
        holds = []
        for count, days in caps:
            until = self._cap_until(sent_dates, count, days, at)
            if until:
                holds.append(("cap", until))
        return holds

    @api.model
    def _counted_domain(self, at, days):
        """Touchpoints the caps count: automated messages that left in the `days` before `at`."""
        return [
            ("automated", "=", True),
            ("direction", "=", "outbound"),
            ("outcome", "not in", list(NOT_DELIVERED_OUTCOMES)),
            ("date", ">", at - timedelta(days=days)),
            ("date", "<=", at),
        ]

    @api.model
    def _cap_until(self, dates, count, days, at):
        """A rolling cap of `count` per `days`, given the sorted `dates` counted: None while
        under it, else when the oldest date counted leaves the period."""
        in_period = [d for d in dates if d > at - timedelta(days=days)]
        if len(in_period) < count:
            return None
        oldest = in_period[len(in_period) - count] if count else at
        return oldest + timedelta(days=days)

    # --- employer pressure ---
    @api.model
    def _check_employer_pressure(self, applicants, at, automated, decisions):
        """Refuse candidates working for an excluded employer (customer, partner) on every
        path; postpone automated outreach once the company's cap of people at one employer
        were contacted in the last 7 days, counting those allowed earlier in this check."""
        talent_of = {applicant.id: applicant._get_talent() for applicant in applicants}
        keyed = applicants._get_talent().filtered("outreach_employer_key")
        if not keyed:
            return decisions
        excluded = self._get_excluded_employer_keys(keyed.company_id | self.env.company)
        contacted = self._get_employer_contacts(keyed, at) if automated else {}
        for applicant in applicants:
            talent = talent_of[applicant.id]
            key = talent.outreach_employer_key
            if not key or decisions[applicant.id].state == "refused":
                continue
            company = talent.company_id or self.env.company
            employer = (talent.current_company or "").strip() or key.lstrip("@")
            if key in excluded[company.id]:
                decisions[applicant.id] = ContactDecision(
                    "refused",
                    "excluded_employer",
                    False,
                    self.env._(
                        "%(employer)s is a customer/partner: never approached", employer=employer
                    ),
                )
                continue
            cap = company.outreach_employer_cap_count
            if not automated or not cap or decisions[applicant.id].state != "allowed":
                continue
            people = contacted[(talent.company_id.id, key)]
            until = talent.id not in people and self._cap_until(
                sorted(people.values()), cap, EMPLOYER_PERIOD_DAYS, at
            )
            if until:
                decisions[applicant.id] = ContactDecision(
                    "postponed",
                    "employer_cap",
                    until,
                    self.env._(
                        "%(count)s people at %(employer)s already contacted this week; "
                        "postponed until %(date)s",
                        count=len(people),
                        employer=employer,
                        date=fields.Datetime.to_string(until),
                    ),
                )
            else:
                people[talent.id] = at
        return decisions

    @api.model
    def _get_employer_contacts(self, talents, at):
        """{(company id, employer key): {talent id: last automated message}} over the last
        7 days for the employers of `talents`, in one query."""
        keys = talents.mapped("outreach_employer_key")
        contacted = defaultdict(dict)
        # counts messages to talents of any recruiter: only the totals leave this method
        for company, key, talent, last in (
            self.env["hr.recruitment.touchpoint"]
            .sudo()
            ._read_group(
                [
                    ("applicant_id.outreach_employer_key", "in", keys),
                    *self._counted_domain(at, EMPLOYER_PERIOD_DAYS),
                ],
                ["company_id", "applicant_id.outreach_employer_key", "applicant_id"],
                ["date:max"],
            )
        ):
            contacted[(company.id, key)][talent.id] = last
        return contacted

    @api.model
    def _get_excluded_employer_keys(self, companies):
        """{company id: employer keys never approached}: the company's own list, plus the
        customers invoiced by the company when Invoicing is installed."""
        excluded = defaultdict(set)
        for company in companies:
            for line in (company.outreach_excluded_employers or "").splitlines():
                line = line.strip()
                key = employer_key(None, line) if line.startswith("@") else employer_key(line)
                if key:
                    excluded[company.id].add(key)
        if "account.move" in self.env:
            # customers are not the recruiter's to read; only their names and domains are used
            invoiced = (
                self.env["account.move"]
                .sudo()
                ._read_group(
                    [
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("company_id", "in", companies.ids),
                    ],
                    ["company_id", "commercial_partner_id"],
                )
            )
            for company, partner in invoiced:
                excluded[company.id].update(
                    filter(None, [employer_key(partner.name), employer_key(None, partner.email)])
                )
        return excluded

    # --- end employer pressure ---

    @api.model
    def _get_candidate_tz(self, talent, company, sender=None):
        """The time zone a sending window is read in for `talent`: the candidate's, else the
        sender's (a drip's owner), else the company's, else its working calendar's, else UTC."""
        return pytz.timezone(
            talent.partner_id.tz
            or (sender and sender.tz)
            or company.partner_id.tz
            or company.resource_calendar_id.tz
            or "UTC"
        )

    @api.model
    def _next_window_start(self, at, tz, hour_from, hour_to, weekdays, holidays=()):
        """`at` (naive UTC) if it is inside the sending window, else the window's next opening
        (naive UTC): from `hour_from` to `hour_to` in time zone `tz`, on the `weekdays`
        (0 = Monday) that are not `holidays` (dates)."""
        local = pytz.utc.localize(at).astimezone(tz)
        for offset in range(15):
            day = local.date() + timedelta(days=offset)
            if day.weekday() not in weekdays or day in holidays:
                continue
            midnight = datetime.combine(day, time.min)
            opening = tz.localize(midnight + timedelta(hours=hour_from))
            closing = tz.localize(midnight + timedelta(hours=hour_to))
            if local >= closing:
                continue
            if local >= opening:
                return at
            return opening.astimezone(pytz.utc).replace(tzinfo=None)
        return at

    @api.model
    def _refuse(self, reason, detail=""):
        return ContactDecision("refused", reason, False, self._reason_message(reason, detail))

    @api.model
    def _postpone(self, reason, until, detail=""):
        return ContactDecision("postponed", reason, until, self._reason_message(reason, detail))

    @api.model
    def _reason_message(self, reason, detail=""):
        messages = {
            "do_not_contact": self.env._("Marked 'Do Not Contact'"),
            "opted_out": self.env._("Opted out of recruitment outreach"),
            "no_email": self.env._("No valid email address"),
            "no_phone": self.env._("No valid phone number"),
            "anonymized": self.env._("Personal data anonymized"),
            "forgotten": self.env._(
                "This email address was erased by the retention rule: do not contact again"
            ),
            "unresponsive": self.env._("Removed as unresponsive; may be contacted again after"),
            "snoozed": self.env._("Snoozed by the candidate; postponed until"),
            "quiet_after_no": self.env._(
                "Quiet period after the candidate said no; postponed until"
            ),
            "away": self.env._("Out of office; postponed until"),
            "cap": self.env._("Contact cap reached; postponed until"),
            "window": self.env._("Outside the sending window; postponed until"),
        }
        message = messages.get(reason, reason)
        return f"{message}: {detail}" if detail else message
