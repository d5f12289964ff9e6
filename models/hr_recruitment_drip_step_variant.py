from odoo import api, fields, models
from odoo.exceptions import UserError

from .hr_recruitment_drip import STAT_FIELDS


class HrRecruitmentDripStepVariant(models.Model):
    _name = "hr.recruitment.drip.step.variant"
    _description = "Drip Step Variant (A/B)"
    _order = "step_id, sequence, id"

    step_id = fields.Many2one(
        "hr.recruitment.drip.step", required=True, ondelete="cascade", index=True
    )
    drip_id = fields.Many2one(related="step_id.drip_id", store=True, index=True)
    channel = fields.Selection(related="step_id.channel")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, default="A")
    split_percent = fields.Float(
        string="Split (%)", default=100.0, help="Share of the candidates who get this variant."
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'hr.applicant')]",
        ondelete="set null",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        domain="[('model', '=', 'hr.applicant')]",
        ondelete="set null",
    )
    body = fields.Text(
        string="Message to Send",
        help="Manual steps: the message the owner copies into LinkedIn or uses for the call. "
        "Placeholders such as {{ object.partner_name }} are rendered per candidate.",
    )
    mailing_id = fields.Many2one(
        "mailing.mailing",
        string="Tracking Mailing",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Hidden technical mailing carrying the tracking (opens, clicks, replies, bounces) "
        "of this variant's emails.",
    )
    sent_count = fields.Integer(compute="_compute_statistics")
    opened_count = fields.Integer(compute="_compute_statistics")
    clicked_count = fields.Integer(compute="_compute_statistics")
    replied_count = fields.Integer(compute="_compute_statistics")
    bounced_count = fields.Integer(compute="_compute_statistics")
    opened_rate = fields.Float(compute="_compute_statistics")
    clicked_rate = fields.Float(compute="_compute_statistics")
    replied_rate = fields.Float(compute="_compute_statistics")

    _split_range = models.Constraint(
        "CHECK(split_percent > 0 AND split_percent <= 100)",
        "A variant's split must be more than 0% and at most 100%.",
    )

    def _compute_statistics(self):
        variants = self.filtered("id")
        stats = self.env["hr.recruitment.touchpoint"]._get_drip_statistics(
            [("variant_id", "in", variants.ids)], "variant_id"
        )
        for variant in self:
            figures = stats.get(variant.id, {})
            variant.update({f"{key}_count": figures.get(key, 0) for key in STAT_FIELDS})
            for key in ("opened_rate", "clicked_rate", "replied_rate"):
                variant[key] = figures.get(key, 0.0)

    @api.model_create_multi
    def create(self, vals_list):
        variants = super().create(vals_list)
        variants._ensure_mailing()
        return variants

    def write(self, vals):
        res = super().write(vals)
        if "mail_template_id" in vals or "step_id" in vals:
            self._ensure_mailing()
        return res

    def _check_content(self):
        for variant in self:
            channel = variant.step_id.channel
            missing = (
                (channel == "email" and not variant.mail_template_id)
                or (channel == "sms" and not variant.sms_template_id)
                or (channel not in ("email", "sms") and not (variant.body or "").strip())
            )
            if missing:
                what = {
                    "email": self.env._("an email template"),
                    "sms": self.env._("an SMS template"),
                }.get(channel, self.env._("a message text"))
                raise UserError(
                    self.env._(
                        "Variant '%(variant)s' of step '%(step)s' (drip '%(drip)s') has no "
                        "content: choose %(what)s.",
                        variant=variant.name,
                        step=variant.step_id.name,
                        drip=variant.step_id.drip_id.name,
                        what=what,
                    )
                )

    def _get_render_sources(self):
        """{key: (source, engine, model)} rendered for this variant's channel."""
        self.ensure_one()
        channel = self.step_id.channel
        if channel == "email":
            template = self.mail_template_id
            return {
                "subject": (template.subject or "", "inline_template", template.model),
                "body": (template.body_html or "", "qweb", template.model),
            }
        if channel == "sms":
            return {"body": (self.sms_template_id.body or "", "inline_template", "hr.applicant")}
        return {"body": (self.body or "", "inline_template", "hr.applicant")}

    def _ensure_mailing(self):
        """Give each email variant its hidden technical mailing (archived, flagged)."""
        to_create = self.filtered(
            lambda v: v.step_id.channel == "email" and v.mail_template_id and not v.mailing_id
        )
        if not to_create:
            return
        model_id = self.env["ir.model"]._get_id("hr.applicant")
        mailings = (
            self.env["mailing.mailing"]
            .sudo()
            .create(
                [
                    {
                        "subject": f"{v.step_id.drip_id.name} / {v.step_id.name} / {v.name}",
                        "mailing_type": "mail",
                        "mailing_model_id": model_id,
                        "mailing_domain": "[('id', '=', 0)]",
                        "reply_to_mode": "update",
                        "state": "done",
                        "active": False,
                        "is_drip_mailing": True,
                        "user_id": v.step_id.drip_id.user_id.id,
                        "body_html": "<p></p>",
                    }
                    for v in to_create
                ]
            )
        )
        for variant, mailing in zip(to_create, mailings, strict=True):
            variant.mailing_id = mailing

    @api.model
    def _pick_for(self, enrollments, variants):
        """Split enrollments over variants by their split %, stably (an enrollment always gets
        the same variant): {variant: enrollments}."""
        result = {variant: enrollments.browse() for variant in variants}
        bounds = []
        total = 0.0
        for variant in variants:
            total += variant.split_percent
            bounds.append((total, variant))
        for enrollment in enrollments:
            bucket = (enrollment.id * 2654435761) % 10000 / 100.0
            chosen = next((v for bound, v in bounds if bucket < bound), variants[-1:])
            result[chosen] |= enrollment
        return result
