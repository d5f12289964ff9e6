from odoo import api, fields, models
from odoo.tools import is_html_empty

from ..tools import wording


class HrRecruitmentOutreachContent(models.AbstractModel):
    """What mail and SMS templates may call on a candidate (``object.<method>()``): language,
    drip, job and sender of the message, greeting, hiring facts, anniversaries and why the
    candidate matches a job. Mixed into hr.applicant."""

    _name = "hr.recruitment.outreach.content"
    _description = "Candidate Message Content"

    def _get_outreach_lang(self):
        self.ensure_one()
        return self.partner_id.lang or self.company_id.partner_id.lang or self.env.lang or "en_US"

    def _get_outreach_drip(self):
        drip_id = self.env.context.get("outreach_drip_id")
        # sudo: template rendering inside the drip cron or a preview: the drip of the context
        return self.env["hr.recruitment.drip"].sudo().browse(drip_id) if drip_id else False

    def _get_outreach_job(self):
        """The job a message talks about: the drip's first target job, else the applicant's."""
        self.ensure_one()
        drip = self._get_outreach_drip()
        return (drip and drip.job_ids[:1]) or self.job_id

    def _get_outreach_sender(self):
        """The user a message comes from: the sender of the drip step being sent (its owner,
        the job's recruiter, the hiring manager, a chosen user), else the drip owner, else
        the recruiter, else us."""
        self.ensure_one()
        step_id = self.env.context.get("outreach_step_id")
        if step_id:
            # sudo: template rendering inside the drip cron or a preview: the step of the context
            step = self.env["hr.recruitment.drip.step"].sudo().browse(step_id)
            return step._get_senders(self)[self.id][0]
        drip = self._get_outreach_drip()
        return (drip and drip.user_id) or self.user_id or self.env.user

    def _get_outreach_signature(self):
        """The email signature of the message's sender (placeholder of drip templates):
        their signature, else their name."""
        sender = self._get_outreach_sender()
        # sudo: the sender's signature is read to sign a message in their name
        signature = sender.sudo().signature
        return signature if not is_html_empty(signature) else sender.name

    def _outreach_first_name(self):
        """The candidate's first name, for a greeting ('Hello Ada,')."""
        self.ensure_one()
        return wording.first_name(self.partner_name or self.partner_id.name)

    @api.model
    def _outreach_a(self, phrase):
        """The phrase with its English article, for templates: 'an Experienced Developer'."""
        return wording.with_indefinite_article(phrase)

    def _outreach_facts(self, job=None):
        """Hiring figures of the department of `job` (default: this application's job, or the
        talent's latest application's job) for templates: ``object._outreach_facts().hires_6m``.
        Aggregates only (see HiringFacts); empty facts when no department is known."""
        self.ensure_one()
        from .hr_department import HiringFacts

        # sudo: template helper: aggregates; the composer may not read the applications
        job = job or self.job_id or self.sudo().talent_application_ids.sorted("id")[-1:].job_id
        department = job.department_id or self.department_id
        if not department:
            return HiringFacts()
        return department._outreach_hiring_facts(job=job or None)

    def _outreach_years_since(self, field_name="current_role_start_date"):
        """Whole years from a date of the candidate until today (anniversary templates)."""
        self.ensure_one()
        # sudo: template helper: officer-only date read for a rendering that may run as the composer
        value = fields.Date.to_date(self.sudo()[field_name])
        if not value:
            return 0
        today = fields.Date.context_today(self)
        return today.year - value.year - ((today.month, today.day) < (value.month, value.day))

    def _outreach_match_reason(self, job=None):
        """Why this candidate matches `job` (default: the job the message talks about), in
        one line for templates: ``{{ object._outreach_match_reason() }}`` gives e.g.
        "Python, Go; open to talk; said 'not now' until June 2026, now past"."""
        self.ensure_one()
        job = job or self._get_outreach_job()
        if not job:
            return ""
        rows = job._outreach_match_rows(talents=self)
        return rows[0]["reason"] if rows else ""
