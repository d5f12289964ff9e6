from collections import namedtuple

from odoo import api, fields, models

# state: "allowed", "postponed" (try again at `until`) or "refused" (reason says why)
ContactDecision = namedtuple("ContactDecision", ["state", "reason", "until", "message"])
CONTACT_CHANNELS = ("email", "sms", "linkedin", "phone")


class HrRecruitmentContactPolicy(models.AbstractModel):
    """The one gate every path that contacts a candidate asks before it sends."""

    _name = "hr.recruitment.contact.policy"
    _description = "Candidate Contact Policy"

    @api.model
    def _check(self, applicants, channel, at=None, automated=True):
        """Decide, per candidate, whether `channel` may be used at `at` (default now).

        :param applicants: hr.applicant records (talents or applications)
        :param channel: one of CONTACT_CHANNELS
        :param automated: True for messages the addon sends by itself (drips, occasions,
            bulk sends); False for a recruiter's own one-to-one task (a LinkedIn message, a call)
        :return: {applicant id: ContactDecision}
        """
        at = at or fields.Datetime.now()
        applicants = applicants.sudo()
        facts = self._prefetch_facts(applicants, channel, at)
        return {
            applicant.id: self._check_one(applicant, channel, at, automated, facts)
            for applicant in applicants
        }

    @api.model
    def _prefetch_facts(self, applicants, channel, at):
        """Batch look-ups shared by all candidates of one check (blacklists read fresh)."""
        facts = {"blacklisted_emails": set(), "blacklisted_phones": set()}
        emails = [e for e in applicants.mapped("email_normalized") if e]
        if channel == "email" and emails:
            facts["blacklisted_emails"] = set(
                self.env["mail.blacklist"].sudo().search([("email", "in", emails)]).mapped("email")
            )
        phones = [p for p in applicants.mapped("phone_sanitized") if p]
        if channel == "sms" and phones:
            facts["blacklisted_phones"] = set(
                self.env["phone.blacklist"]
                .sudo()
                .search([("number", "in", phones)])
                .mapped("number")
            )
        return facts

    @api.model
    def _check_one(self, applicant, channel, at, automated, facts):
        """Rules for one candidate; extended by the boundaries (caps, snooze, windows)."""
        talent = applicant.pool_applicant_id or applicant
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
        return ContactDecision("allowed", False, False, "")

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
        }
        message = messages.get(reason, reason)
        return f"{message}: {detail}" if detail else message
