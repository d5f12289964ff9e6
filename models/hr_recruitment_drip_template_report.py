from odoo import fields, models, tools
from odoo.tools import SQL

from .hr_recruitment_touchpoint import OPENED_OUTCOMES, SENT_OUTCOMES


class HrRecruitmentDripTemplateReport(models.Model):
    """One row per drip email sent, with 0/1 figures: sums are counts, averages are rates."""

    _name = "hr.recruitment.drip.template.report"
    _description = "Email Template Performance (Drips)"
    _auto = False
    _order = "date desc"

    mail_template_id = fields.Many2one("mail.template", string="Email Template", readonly=True)
    drip_id = fields.Many2one("hr.recruitment.drip", readonly=True)
    step_id = fields.Many2one("hr.recruitment.drip.step", readonly=True)
    variant_id = fields.Many2one("hr.recruitment.drip.step.variant", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Datetime(string="Sent On", readonly=True)
    sent_count = fields.Integer(string="Sent", readonly=True)
    opened_count = fields.Integer(string="Opened", readonly=True)
    clicked_count = fields.Integer(string="Clicked", readonly=True)
    replied_count = fields.Integer(string="Replied", readonly=True)
    bounced_count = fields.Integer(string="Bounced", readonly=True)
    opened_rate = fields.Float(string="Opened (%)", aggregator="avg", readonly=True)
    clicked_rate = fields.Float(string="Clicked (%)", aggregator="avg", readonly=True)
    replied_rate = fields.Float(string="Replied (%)", aggregator="avg", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT t.id, t.mail_template_id, t.drip_id, t.step_id, t.variant_id, t.user_id,
                       t.company_id, t.date, 1 AS sent_count,
                       f.opened AS opened_count, f.clicked AS clicked_count,
                       f.replied AS replied_count,
                       CASE WHEN t.outcome = 'bounced' THEN 1 ELSE 0 END AS bounced_count,
                       100.0 * f.opened AS opened_rate, 100.0 * f.clicked AS clicked_rate,
                       100.0 * f.replied AS replied_rate
                  FROM hr_recruitment_touchpoint t,
                       LATERAL (SELECT
                           CASE WHEN t.outcome IN %s
                                THEN 1 ELSE 0 END AS opened,
                           CASE WHEN t.outcome = 'clicked'
                                  OR (t.outcome = 'replied' AND t.clicked_date IS NOT NULL)
                                THEN 1 ELSE 0 END AS clicked,
                           CASE WHEN t.outcome = 'replied' THEN 1 ELSE 0 END AS replied) f
                 WHERE t.direction = 'outbound'
                   AND t.enrollment_id IS NOT NULL
                   AND t.mail_template_id IS NOT NULL
                   AND t.outcome IN %s
            )
            """,
                SQL.identifier(self._table),
                OPENED_OUTCOMES,
                SENT_OUTCOMES,
            )
        )
