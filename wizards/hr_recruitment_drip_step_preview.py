from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mail import plaintext2html


class HrRecruitmentDripStepPreview(models.TransientModel):
    _name = "hr.recruitment.drip.step.preview"
    _description = "Preview a Drip Step"

    step_id = fields.Many2one("hr.recruitment.drip.step", required=True)
    variant_id = fields.Many2one(
        "hr.recruitment.drip.step.variant",
        domain="[('step_id', '=', step_id)]",
        compute="_compute_variant_id",
        store=True,
        readonly=False,
    )
    applicant_id = fields.Many2one("hr.applicant", string="Candidate")
    subject = fields.Char(compute="_compute_preview")
    body = fields.Html(compute="_compute_preview", sanitize=False)
    error = fields.Text(compute="_compute_preview")
    held = fields.Char(compute="_compute_preview")

    @api.depends("step_id")
    def _compute_variant_id(self):
        for preview in self:
            preview.variant_id = preview.step_id.variant_ids[:1]

    @api.depends("step_id", "variant_id", "applicant_id")
    def _compute_preview(self):
        for preview in self:
            preview.subject = preview.body = preview.error = preview.held = False
            if not (preview.step_id and preview.applicant_id and preview.variant_id):
                continue
            try:
                rendered = preview.step_id._render_preview(preview.applicant_id, preview.variant_id)
            except UserError as error:
                preview.error = str(error.args[0])
                continue
            preview.subject = rendered.get("subject", False)
            preview.held = rendered.get("held", False)
            body = rendered.get("body") or ""
            if preview.step_id.channel != "email":
                body = plaintext2html(body)
            preview.body = body
