from odoo import fields, models


class HrRecruitmentDripStatMixin(models.AbstractModel):
    """Email figures of a drip, a step or a variant, computed by its `_compute_statistics`."""

    _name = "hr.recruitment.drip.stat.mixin"
    _description = "Drip Email Figures"

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
        """Each model using the mixin sets its own figures; none by default."""
        self.update(
            {
                **dict.fromkeys(("sent_count", "opened_count", "clicked_count"), 0),
                **dict.fromkeys(("replied_count", "bounced_count", "failed_count"), 0),
                **dict.fromkeys(("opened_rate", "clicked_rate", "replied_rate"), 0.0),
            }
        )
