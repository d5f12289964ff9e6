from odoo import Command, api, fields, models


class HrJobPassiveMatch(models.TransientModel):
    """One passive talent matched to a job, as ranked by hr.job._outreach_match_rows; the
    rows of a job are rebuilt each time a recruiter opens them and belong to that recruiter."""

    _name = "hr.job.passive.match"
    _description = "Passive Talent Matching a Job"
    _order = "excluded, score desc, engagement_score desc, id"

    job_id = fields.Many2one("hr.job", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="job_id.company_id", store=True)
    applicant_id = fields.Many2one(
        "hr.applicant", string="Talent", required=True, ondelete="cascade"
    )
    score = fields.Integer(
        aggregator="avg",
        help="0-100: skills, openness, timing, engagement, "
        "time since the last contact and 'not now' dates.",
    )
    skill_fit = fields.Float(
        string="Skill Fit (%)",
        aggregator="avg",
        help="Share of the job's skills, weighted by "
        "the level the job asks, that the talent has at that level.",
    )
    matching_skill_ids = fields.Many2many("hr.skill", string="Matching Skills")
    reason = fields.Char(string="Why")
    excluded = fields.Boolean(help="The contact policy refuses this talent, or they applied.")
    exclusion_reason = fields.Char(string="Not Contactable Because")
    openness = fields.Selection(related="applicant_id.openness")
    desired_timing = fields.Selection(related="applicant_id.desired_timing")
    engagement_score = fields.Integer(related="applicant_id.engagement_score", store=True)
    last_touchpoint_date = fields.Datetime(
        related="applicant_id.last_touchpoint_date", string="Last Contact"
    )
    outreach_status = fields.Selection(related="applicant_id.outreach_status")

    @api.model
    def _action_open(self, job):
        """Rank the job's passive talents again for the current user and list them."""
        job.check_access("read")
        self.search([("job_id", "=", job.id), ("create_uid", "=", self.env.uid)]).unlink()
        self.create(
            [
                {
                    "job_id": job.id,
                    "applicant_id": row["talent"].id,
                    "score": row["score"],
                    "skill_fit": 100.0 * row["skill_fit"],
                    "matching_skill_ids": [Command.set(row["skills"].ids)],
                    "reason": row["reason"],
                    "excluded": row["excluded"],
                    "exclusion_reason": row["exclusion"],
                }
                for row in job._outreach_match_rows()
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_recruitment_passive.hr_job_passive_match_action"
        )
        action["name"] = self.env._("Passive talents for %(job)s", job=job.name)
        action["domain"] = [("job_id", "=", job.id), ("create_uid", "=", self.env.uid)]
        action["context"] = {"search_default_contactable": 1, "default_job_id": job.id}
        return action

    def action_enroll_in_drip(self):
        """One click: enroll the selected talents in the job's drip through `drip.enroll()` and
        show each one's result; without a drip for the job, the dialog opens to choose one."""
        job = self.job_id[:1]
        drip = job.passive_auto_enroll_drip_id or self.env["hr.recruitment.drip"].search(
            [("job_ids", "in", job.ids)], limit=1
        )
        if not drip:
            return self.env["hr.recruitment.drip.enroll"]._action_open(self.applicant_id)
        wizard = self.env["hr.recruitment.drip.enroll"].create(
            {"drip_id": drip.id, "applicant_ids": [Command.set(self.applicant_id.ids)]}
        )
        return wizard.action_enroll()
