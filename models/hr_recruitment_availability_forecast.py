import json

from odoo import fields, models, tools
from odoo.tools import SQL

# months after the timing was given at which a talent is expected to be open
TIMING_MONTHS = {"within_6_months": 6, "within_1_year": 12}
# years in the current role at which people commonly look around
ANNIVERSARY_YEARS = (2, 3, 4)


class HrRecruitmentAvailabilityForecast(models.Model):
    """When passive talents are expected to become open, from what they told us and their
    time in role: one row per talent, month and skill of the talent (count talents with the
    distinct-count measure, so a talent with two skills counts once in a month)."""

    _name = "hr.recruitment.availability.forecast"
    _description = "Passive Talent Availability Forecast"
    _auto = False
    _order = "expected_date, applicant_id"
    _rec_name = "applicant_id"

    applicant_id = fields.Many2one("hr.applicant", string="Talent", readonly=True)
    expected_date = fields.Date(string="Expected Open From", readonly=True)
    reason = fields.Selection(
        [
            ("not_now", "Said 'not now' until then"),
            ("snooze", "Snooze ends"),
            ("timing", "Timing they gave"),
            ("anniversary", "Work anniversary"),
        ],
        readonly=True,
    )
    anniversary_years = fields.Integer(string="Years in Role", readonly=True)
    skill_id = fields.Many2one("hr.skill", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    user_id = fields.Many2one("res.users", string="Recruiter", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(view)s AS (
            WITH talent AS (
                -- passive talents the contact policy does not refuse for good (its stored
                -- flags: do not contact, opted out, anonymized)
                SELECT a.id, a.company_id, a.user_id, a.outreach_snoozed_until,
                       a.desired_timing,
                       COALESCE(a.desired_timing_date, a.create_date::date) AS timing_date,
                       a.current_role_start_date,
                       COALESCE(last_application.department_id, a.department_id)
                           AS department_id
                  FROM hr_applicant a
                  LEFT JOIN LATERAL (
                        SELECT app.department_id
                          FROM hr_applicant app
                         WHERE app.pool_applicant_id = a.id
                           AND app.id != a.id
                           AND app.job_id IS NOT NULL
                         ORDER BY app.create_date DESC, app.id DESC
                         LIMIT 1
                  ) last_application ON TRUE
                 WHERE a.active
                   AND a.is_passive_candidate
                   AND EXISTS (SELECT 1 FROM hr_applicant_hr_talent_pool_rel pool
                                WHERE pool.hr_applicant_id = a.id)
                   AND a.do_not_contact IS NOT TRUE
                   AND a.outreach_opted_out IS NOT TRUE
                   AND a.anonymized_date IS NULL
            ), signal AS (
                SELECT tp.applicant_id AS talent_id, MAX(tp.snoozed_until) AS expected_date,
                       'not_now' AS reason, NULL::integer AS anniversary_years, 1 AS priority
                  FROM hr_recruitment_touchpoint tp
                 WHERE tp.reply_class = 'not_now' AND tp.snoozed_until IS NOT NULL
                 GROUP BY tp.applicant_id
                UNION ALL
                SELECT id, outreach_snoozed_until, 'snooze', NULL, 2
                  FROM talent
                 WHERE outreach_snoozed_until IS NOT NULL
                UNION ALL
                SELECT id, (timing_date + make_interval(
                           months => (%(timing)s::jsonb ->> desired_timing)::integer))::date,
                       'timing', NULL, 3
                  FROM talent
                 WHERE desired_timing IN %(timings)s
                UNION ALL
                SELECT id, (current_role_start_date + make_interval(years => years))::date,
                       'anniversary', years, 4
                  FROM talent, unnest(%(years)s) years
                 WHERE current_role_start_date IS NOT NULL
            ), best AS (
                -- one reason per talent and month; nothing before a snooze ends
                SELECT DISTINCT ON (s.talent_id, date_trunc('month', s.expected_date)) s.*
                  FROM signal s
                  JOIN talent t ON t.id = s.talent_id
                 WHERE s.expected_date >= COALESCE(t.outreach_snoozed_until, s.expected_date)
                 ORDER BY s.talent_id, date_trunc('month', s.expected_date), s.priority,
                          s.expected_date
            )
            SELECT row_number() OVER (ORDER BY b.expected_date, b.talent_id, sk.hr_skill_id)
                       AS id,
                   b.talent_id AS applicant_id, b.expected_date, b.reason,
                   b.anniversary_years, sk.hr_skill_id AS skill_id, t.department_id,
                   t.user_id, t.company_id
              FROM best b
              JOIN talent t ON t.id = b.talent_id
              LEFT JOIN hr_applicant_hr_skill_rel sk ON sk.hr_applicant_id = b.talent_id
            )
            """,
                view=SQL.identifier(self._table),
                timing=json.dumps(TIMING_MONTHS),
                timings=tuple(TIMING_MONTHS),
                years=list(ANNIVERSARY_YEARS),
            )
        )
