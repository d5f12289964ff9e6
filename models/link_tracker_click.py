from odoo import api, fields, models


class LinkTrackerClick(models.Model):
    _inherit = "link.tracker.click"

    @api.model_create_multi
    def create(self, vals_list):
        clicks = super().create(vals_list)
        self._outreach_attribute_clicks(clicks)
        return clicks

    @api.model
    def _outreach_attribute_clicks(self, clicks):
        """A click on a candidate's own tracked link is that candidate's click."""
        link_ids = clicks.link_id.ids
        if not link_ids:
            return
        touchpoints = (
            self.env["hr.recruitment.touchpoint"]
            # sudo: clicks come from the public /r/ route
            .sudo()
            .search([("link_tracker_id", "in", link_ids)])
        )
        touchpoints._register_tracking_event("clicked", fields.Datetime.now())
