from odoo import fields, models

# the figures shown per drip, step, variant and recruiter (see _get_drip_statistics)
STAT_FIELDS = ("sent", "opened", "clicked", "replied", "bounced", "failed")
RATE_FIELDS = ("opened_rate", "clicked_rate", "replied_rate")


class HrRecruitmentDripStatMixin(models.AbstractModel):
    """Email figures of a drip, a step or a variant, from the drip touchpoints linked to it
    through `_drip_stat_field`."""

    _name = "hr.recruitment.drip.stat.mixin"
    _description = "Drip Email Figures"
    _drip_stat_field = None  # the touchpoint's many2one to the model using the mixin

    sent_count = fields.Integer(compute="_compute_statistics")
    opened_count = fields.Integer(compute="_compute_statistics")
    clicked_count = fields.Integer(compute="_compute_statistics")
    replied_count = fields.Integer(compute="_compute_statistics")
    bounced_count = fields.Integer(compute="_compute_statistics")
    failed_count = fields.Integer(
        string="Undelivered",
        compute="_compute_statistics",
        help="Messages that never left: the mail server or the SMS provider refused them.",
    )
    opened_rate = fields.Float(compute="_compute_statistics", aggregator="avg")
    clicked_rate = fields.Float(compute="_compute_statistics", aggregator="avg")
    replied_rate = fields.Float(compute="_compute_statistics", aggregator="avg")

    def _compute_statistics(self):
        stats = self._get_email_figures()
        for record in self:
            record.update(stats.get(record.id, {}))

    def _get_email_figures(self):
        """{record id: {sent_count, ..., replied_rate}} for every record (zero when new)."""
        records = self.filtered("id")
        stats = self.env["hr.recruitment.touchpoint"]._get_drip_statistics(
            [(self._drip_stat_field, "in", records.ids)], self._drip_stat_field
        )
        figures = {}
        for record in self:
            values = stats.get(record.id, {})
            figures[record.id] = {
                **{f"{key}_count": values.get(key, 0) for key in STAT_FIELDS},
                **{key: values.get(key, 0.0) for key in RATE_FIELDS},
            }
        return figures
