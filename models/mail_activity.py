from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _get_drip_enrollments(self):
        if not self.ids:
            return self.env["hr.recruitment.drip.enrollment"]
        return (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: the activity's assignee finishes a drip task: any user, any enrollment
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "in", ("running", "paused"))])
        )

    def _get_planned_touchpoints(self):
        """Touchpoints prepared with these activities (occasion congratulations)."""
        if not self.ids:
            return self.env["hr.recruitment.touchpoint"]
        return (
            self.env["hr.recruitment.touchpoint"]
            # sudo: the assignee of an occasion activity may not be an officer
            .sudo()
            .search([("activity_id", "in", self.ids), ("outcome", "=", "planned")])
        )

    def _action_done(self, feedback=False, attachment_ids=None):
        enrollments = self._get_drip_enrollments()
        touchpoints = self._get_planned_touchpoints()
        result = super(MailActivity, self.with_context(drip_activity_dropped=True))._action_done(
            feedback=feedback, attachment_ids=attachment_ids
        )
        if enrollments:
            enrollments._on_activity_done(self, feedback=feedback)
        touchpoints._on_activity_done()
        return result

    def unlink(self):
        enrollments = (
            self.env["hr.recruitment.drip.enrollment"]
            if self.env.context.get("drip_activity_dropped")
            else self._get_drip_enrollments()
        )
        result = super().unlink()
        if enrollments:
            enrollments._on_activity_cancelled()
        return result
