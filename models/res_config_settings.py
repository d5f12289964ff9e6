from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    outreach_cap_short_count = fields.Integer(
        related="company_id.outreach_cap_short_count", readonly=False
    )
    outreach_cap_short_days = fields.Integer(
        related="company_id.outreach_cap_short_days", readonly=False
    )
    outreach_cap_long_count = fields.Integer(
        related="company_id.outreach_cap_long_count", readonly=False
    )
    outreach_cap_long_days = fields.Integer(
        related="company_id.outreach_cap_long_days", readonly=False
    )
    outreach_gap_after_no_days = fields.Integer(
        related="company_id.outreach_gap_after_no_days", readonly=False
    )
    outreach_employer_cap_count = fields.Integer(
        related="company_id.outreach_employer_cap_count", readonly=False
    )
    outreach_excluded_employers = fields.Text(
        related="company_id.outreach_excluded_employers", readonly=False
    )
    outreach_sender_daily_cap = fields.Integer(
        related="company_id.outreach_sender_daily_cap", readonly=False
    )
    outreach_sender_ramp_start = fields.Integer(
        related="company_id.outreach_sender_ramp_start", readonly=False
    )
    outreach_sender_ramp_step = fields.Integer(
        related="company_id.outreach_sender_ramp_step", readonly=False
    )
    outreach_window_start = fields.Float(related="company_id.outreach_window_start", readonly=False)
    outreach_window_end = fields.Float(related="company_id.outreach_window_end", readonly=False)
    outreach_window_weekdays = fields.Boolean(
        related="company_id.outreach_window_weekdays", readonly=False
    )
    outreach_cleanup_days = fields.Integer(
        related="company_id.outreach_cleanup_days", readonly=False
    )
    outreach_cleanup_min_messages = fields.Integer(
        related="company_id.outreach_cleanup_min_messages", readonly=False
    )
    outreach_cleanup_remove_pools = fields.Boolean(
        related="company_id.outreach_cleanup_remove_pools", readonly=False
    )
    outreach_reengage_months = fields.Integer(
        related="company_id.outreach_reengage_months", readonly=False
    )
    outreach_privacy_notice = fields.Html(
        related="company_id.outreach_privacy_notice", readonly=False
    )
    outreach_retention_enabled = fields.Boolean(
        related="company_id.outreach_retention_enabled", readonly=False
    )
    outreach_retention_months = fields.Integer(
        related="company_id.outreach_retention_months", readonly=False
    )
    outreach_cleanup_dry_run_count = fields.Integer(
        string="Next Cleanup Would Remove", compute="_compute_outreach_dry_runs"
    )
    outreach_retention_dry_run_count = fields.Integer(
        string="Retention Rule Would Anonymize", compute="_compute_outreach_dry_runs"
    )
    outreach_occasion_auto_email = fields.Boolean(
        related="company_id.outreach_occasion_auto_email", readonly=False
    )
    outreach_word_budget = fields.Integer(related="company_id.outreach_word_budget", readonly=False)

    @api.depends("company_id")
    def _compute_outreach_dry_runs(self):
        Cleanup = self.env["hr.recruitment.cleanup"]
        for settings in self:
            settings.outreach_cleanup_dry_run_count = len(Cleanup._dry_run(settings.company_id))
            settings.outreach_retention_dry_run_count = len(
                self.env["hr.recruitment.retention"]._talents_to_anonymize(settings.company_id)
            )

    def action_outreach_cleanup_preview(self):
        self.ensure_one()
        talents = self.env["hr.recruitment.cleanup"]._dry_run(self.company_id)
        return self._outreach_list_action(self.env._("Next cleanup would remove"), talents)

    def action_outreach_retention_preview(self):
        """The dry run: a wizard listing every record the next run would change."""
        self.ensure_one()
        Retention = self.env["hr.recruitment.retention"]
        preview = self.env["hr.recruitment.retention.preview"].create(
            {
                "company_id": self.company_id.id,
                "talent_count": len(Retention._talents_to_anonymize(self.company_id)),
                "line_ids": [
                    fields.Command.create(line) for line in Retention._dry_run(self.company_id)
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Retention rule: dry run"),
            "res_model": preview._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    def _outreach_list_action(self, name, talents):
        """The talents of a dry run in the passive candidates' list."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "hr.applicant",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("hr_recruitment_passive.hr_applicant_view_list_passive").id, "list"),
                (False, "form"),
            ],
            "domain": [("id", "in", talents.ids)],
            "context": {"create": False},
        }
