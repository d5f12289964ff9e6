from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

RESOURCE_TYPES = [
    ("white_paper", "White paper"),
    ("research_guide", "Research guide"),
    ("product_page", "Product page"),
    ("video", "Video"),
    ("article", "Article"),
]
# label of the link.tracker of each share (a share's identity for click attribution)
RESOURCE_LINK_LABEL_PREFIX = "hr_recruitment_passive-"


class HrRecruitmentResource(models.Model):
    _name = "hr.recruitment.resource"
    _description = "Shareable Recruitment Resource"
    _order = "sequence, name, id"

    name = fields.Char(string="Title", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    url = fields.Char(string="URL", required=True)
    resource_type = fields.Selection(
        RESOURCE_TYPES, string="Type", required=True, default="article"
    )
    description = fields.Text(
        help="One sentence on why a candidate would care; shown in the share dialog."
    )
    category_ids = fields.Many2many(
        "hr.applicant.category", string="Audience Tags", help="Candidates this resource suits."
    )
    skill_ids = fields.Many2many("hr.skill", string="Skills")
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the resource with every company.",
    )
    share_count = fields.Integer(string="Shares", compute="_compute_click_figures")
    click_count = fields.Integer(string="Clicked", compute="_compute_click_figures")
    click_rate = fields.Float(
        string="Click-through (%)",
        compute="_compute_click_figures",
        aggregator="avg",
        help="Share of the candidates it was sent to who opened the link.",
    )

    def _compute_click_figures(self):
        # the reader's companies only: a shared resource shows each company its own figures
        Touchpoint = self.env["hr.recruitment.touchpoint"]
        base = [("resource_id", "in", self.ids), ("kind", "=", "resource")]
        shares = dict(Touchpoint._read_group(base, ["resource_id"], ["__count"]))
        clicks = dict(
            Touchpoint._read_group(
                base + [("clicked_date", "!=", False)], ["resource_id"], ["__count"]
            )
        )
        for resource in self:
            resource.share_count = shares.get(resource, 0)
            resource.click_count = clicks.get(resource, 0)
            resource.click_rate = (
                100.0 * resource.click_count / resource.share_count if resource.share_count else 0.0
            )

    @api.constrains("url")
    def _check_url(self):
        for resource in self:
            parts = urlsplit(resource.url or "")
            if parts.scheme != "https" or not parts.netloc:
                raise ValidationError(
                    self.env._(
                        "The URL of '%(title)s' must be a full https:// address "
                        "(e.g. https://example.com/white-paper.pdf); got '%(url)s'.",
                        title=resource.name,
                        url=resource.url,
                    )
                )

    def action_view_touchpoints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_recruitment_passive.hr_recruitment_touchpoint_action"
        )
        action["domain"] = [("resource_id", "=", self.id)]
        action["context"] = {"search_default_group_outcome": 1}
        return action

    def _create_tracked_links(self, touchpoints):
        """One tracked link per share, so a click tells which candidate it was."""
        self.ensure_one()
        trackers = self._get_tracked_links(
            [f"{RESOURCE_LINK_LABEL_PREFIX}{touchpoint.id}" for touchpoint in touchpoints]
        )
        for touchpoint, tracker in zip(touchpoints, trackers, strict=True):
            touchpoint.link_tracker_id = tracker
        return trackers

    def _get_tracked_links(self, labels):
        """The link.tracker of this resource for each label (created when missing), in order."""
        self.ensure_one()
        return (
            self.env["link.tracker"]
            # sudo: officers have no access to link.tracker (mass_mailing users only)
            .sudo()
            .search_or_create(
                [{"url": self.url, "title": self.name, "label": label} for label in labels]
            )
        )

    def _get_share_context(self, sender):
        """Render context of the share template (title, type, description, sender)."""
        self.ensure_one()
        type_label = dict(self._fields["resource_type"]._description_selection(self.env))
        return {
            "passive_resource_title": self.name,
            "passive_resource_type": type_label.get(self.resource_type, ""),
            "passive_resource_description": self.description or "",
            "passive_sender_name": sender.name,
        }
