from odoo import api, fields, models
from odoo.fields import Command


class HrRecruitmentDripEnroll(models.TransientModel):
    _name = "hr.recruitment.drip.enroll"
    _description = "Add Candidates to a Drip Sequence"

    drip_id = fields.Many2one(
        "hr.recruitment.drip",
        string="Drip Sequence",
        required=True,
        domain="[('active', '=', True)]",
    )
    applicant_ids = fields.Many2many("hr.applicant", string="Candidates")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    line_ids = fields.One2many("hr.recruitment.drip.enroll.line", "wizard_id", readonly=True)
    enrolled_count = fields.Integer(compute="_compute_counts")
    skipped_count = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids.result")
    def _compute_counts(self):
        for wizard in self:
            results = wizard.line_ids.mapped("result")
            wizard.enrolled_count = results.count("enrolled")
            wizard.skipped_count = results.count("skipped")

    @api.model
    def _action_open(self, applicants, drip=False):
        """The 'Add to drip sequence' dialog, from the candidates list or from a drip."""
        context = {"default_applicant_ids": applicants.ids}
        if drip:
            context["default_drip_id"] = drip.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add to drip sequence"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_enroll(self):
        self.ensure_one()
        result = self.drip_id.enroll(self.applicant_ids)
        lines = [
            {
                "applicant_id": enrollment.applicant_id.id,
                "result": "enrolled",
                "enrollment_id": enrollment.id,
            }
            for enrollment in result["enrollments"]
        ]
        lines += [
            {"applicant_id": applicant_id, "result": "skipped", "reason": message}
            for applicant_id, (_code, message) in result["skipped"].items()
        ]
        line_commands = [Command.clear()] + [Command.create(v) for v in lines]
        self.write({"state": "done", "line_ids": line_commands})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add to drip sequence"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
