from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..const import OFFICER_GROUP

# a response older than this turns an engaged candidate into one we are nurturing
ENGAGED_DAYS = 30


class HrRecruitmentTalentFigures(models.AbstractModel):
    """What a talent's touchpoints say about it, stored on the talent and its applications:
    counts and dates, the engagement score (computed by hr.recruitment.engagement), the outreach
    status and the credit of an application made after outreach. Mixed into hr.applicant."""

    _name = "hr.recruitment.talent.figures"
    _description = "Talent Outreach Figures"

    outreach_status = fields.Selection(
        [
            ("new", "New"),
            ("contacted", "Contacted"),
            ("engaged", "Engaged"),
            ("nurturing", "Nurturing"),
            ("snoozed", "Snoozed"),
            ("unresponsive", "Unresponsive"),
            ("opted_out", "Opted out"),
            ("do_not_contact", "Do not contact"),
            ("converted", "Converted"),
        ],
        compute="_compute_outreach_status",
        store=True,
        index=True,
        groups=OFFICER_GROUP,
        group_expand="_read_group_outreach_status",
    )
    touchpoint_count = fields.Integer(
        compute="_compute_touchpoint_stats", store=True, groups=OFFICER_GROUP
    )
    first_outreach_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, groups=OFFICER_GROUP
    )
    last_touchpoint_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, index=True, groups=OFFICER_GROUP
    )
    last_response_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, index=True, groups=OFFICER_GROUP
    )
    next_touchpoint_date = fields.Datetime(
        compute="_compute_touchpoint_stats", store=True, index=True, groups=OFFICER_GROUP
    )
    outreach_converted = fields.Boolean(
        string="Applied After Outreach",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
        help="An application to a job created after the talent's first outreach: a conversion "
        "(the rule of the 'Converted' outreach status).",
    )
    conversion_touchpoint_id = fields.Many2one(
        "hr.recruitment.touchpoint",
        string="Last Touch Before Applying",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
        help="The last outbound touchpoint of the talent before this application: the drip, "
        "step and recruiter the conversion is credited to.",
    )
    conversion_drip_id = fields.Many2one(
        "hr.recruitment.drip",
        string="Converting Drip",
        compute="_compute_outreach_conversion",
        store=True,
        index="btree_not_null",
        groups=OFFICER_GROUP,
    )
    conversion_step_id = fields.Many2one(
        "hr.recruitment.drip.step",
        string="Converting Step",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
    )
    conversion_user_id = fields.Many2one(
        "res.users",
        string="Converting Recruiter",
        compute="_compute_outreach_conversion",
        store=True,
        groups=OFFICER_GROUP,
    )
    engagement_score = fields.Integer(
        compute="_compute_touchpoint_stats",
        store=True,
        aggregator="avg",
        groups=OFFICER_GROUP,
        help="0-100: recent replies, meetings, calls, clicks and opens, each losing half its "
        "weight every 30 days.",
    )

    @api.depends(
        "touchpoint_ids.date",
        "touchpoint_ids.direction",
        "touchpoint_ids.kind",
        "touchpoint_ids.outcome",
        "pool_applicant_id.touchpoint_ids.date",
        "pool_applicant_id.touchpoint_ids.direction",
        "pool_applicant_id.touchpoint_ids.kind",
        "pool_applicant_id.touchpoint_ids.outcome",
        "touchpoint_ids.opened_date",
        "touchpoint_ids.clicked_date",
        "pool_applicant_id.touchpoint_ids.opened_date",
        "pool_applicant_id.touchpoint_ids.clicked_date",
    )
    def _compute_touchpoint_stats(self):
        talent_by_record = {rec: (rec.pool_applicant_id or rec)._origin.id for rec in self}
        stats = self.env["hr.recruitment.engagement"]._get_talent_figures(
            [tid for tid in talent_by_record.values() if tid]
        )
        for rec, talent_id in talent_by_record.items():
            values = stats.get(talent_id, {})
            rec.touchpoint_count = values.get("count", 0)
            rec.first_outreach_date = values.get("first_outreach")
            rec.last_touchpoint_date = values.get("last")
            rec.last_response_date = values.get("last_response")
            rec.next_touchpoint_date = values.get("next")
            rec.engagement_score = values.get("score", 0)

    @api.depends(
        "do_not_contact",
        "outreach_opted_out",
        "unresponsive_date",
        "first_outreach_date",
        "last_response_date",
        "outreach_snoozed_until",
        "pool_applicant_id.outreach_snoozed_until",
        "talent_application_ids.job_id",
        "pool_applicant_id.talent_application_ids.job_id",
    )
    def _compute_outreach_status(self):
        """The talent's outreach status; a snooze that ends is picked up by the daily
        recompute (_cron_recompute_engagement)."""
        engaged_since = fields.Datetime.now() - timedelta(days=ENGAGED_DAYS)
        today = fields.Date.today()
        for rec in self:
            talent = rec.pool_applicant_id or rec
            applications = talent.talent_application_ids | rec
            first_outreach = rec.first_outreach_date
            converted = any(app._is_outreach_conversion(first_outreach) for app in applications)
            last_response = rec.last_response_date
            if rec.do_not_contact:
                rec.outreach_status = "do_not_contact"
            elif rec.outreach_opted_out:
                rec.outreach_status = "opted_out"
            elif converted:
                rec.outreach_status = "converted"
            elif talent.outreach_snoozed_until and talent.outreach_snoozed_until > today:
                rec.outreach_status = "snoozed"
            elif rec.unresponsive_date and (
                not last_response or last_response < rec.unresponsive_date
            ):
                rec.outreach_status = "unresponsive"
            elif last_response:
                rec.outreach_status = "engaged" if last_response >= engaged_since else "nurturing"
            elif first_outreach:
                rec.outreach_status = "contacted"
            else:
                rec.outreach_status = "new"

    @api.model
    def _read_group_outreach_status(self, values, domain):
        return [key for key, _label in self._fields["outreach_status"].selection]

    def _is_outreach_conversion(self, first_outreach):
        """Whether this record is an application made after the talent's first outreach
        (`first_outreach`): the one rule of the 'Converted' status and the Conversions report."""
        self.ensure_one()
        return bool(
            self.job_id
            and first_outreach
            and (self.create_date or fields.Datetime.now()) >= first_outreach
        )

    @api.depends(
        "job_id",
        "create_date",
        "first_outreach_date",
        "touchpoint_ids.date",
        "touchpoint_ids.direction",
        "touchpoint_ids.outcome",
        "pool_applicant_id.touchpoint_ids.date",
        "pool_applicant_id.touchpoint_ids.direction",
        "pool_applicant_id.touchpoint_ids.outcome",
    )
    def _compute_outreach_conversion(self):
        converted = self.filtered(lambda rec: rec._is_outreach_conversion(rec.first_outreach_date))
        (self - converted).update(
            {
                "outreach_converted": False,
                "conversion_touchpoint_id": False,
                "conversion_drip_id": False,
                "conversion_step_id": False,
                "conversion_user_id": False,
            }
        )
        if not converted:
            return
        talent_ids = {(rec.pool_applicant_id or rec)._origin.id for rec in converted}
        # sudo: the credit goes to the touch that happened, whoever recomputes the figure
        touches = (
            self.env["hr.recruitment.touchpoint"]
            .sudo()
            .search_fetch(
                Domain("applicant_id", "in", list(talent_ids))
                & self.env["hr.recruitment.touchpoint"]._get_outreach_touch_domain(),
                ["applicant_id", "date", "drip_id", "step_id", "user_id"],
                order="date desc, id desc",
            )
        )
        touches_by_talent = defaultdict(list)
        for touch in touches:
            touches_by_talent[touch.applicant_id.id].append(touch)
        now = fields.Datetime.now()
        for rec in converted:
            applied_at = rec.create_date or now
            last_touch = next(
                (
                    touch
                    for touch in touches_by_talent[(rec.pool_applicant_id or rec)._origin.id]
                    if touch.date <= applied_at
                ),
                touches.browse(),
            )
            rec.update(
                {
                    "outreach_converted": True,
                    "conversion_touchpoint_id": last_touch.id,
                    "conversion_drip_id": last_touch.drip_id.id,
                    "conversion_step_id": last_touch.step_id.id,
                    "conversion_user_id": last_touch.user_id.id,
                }
            )
