from odoo import api, fields, models
from odoo.exceptions import UserError


class HrRecruitmentDripStepVariant(models.Model):
    _name = "hr.recruitment.drip.step.variant"
    _inherit = ["hr.recruitment.drip.stat.mixin", "hr.recruitment.drip.content"]
    _drip_stat_field = "variant_id"
    _description = "Drip Step Variant (A/B)"
    _order = "step_id, sequence, id"

    step_id = fields.Many2one(
        "hr.recruitment.drip.step", required=True, ondelete="cascade", index=True
    )
    drip_id = fields.Many2one(related="step_id.drip_id", store=True, index=True)
    company_id = fields.Many2one(related="step_id.company_id", store=True, index=True)
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
    quality_warnings = fields.Html(
        string="Template Quality",
        compute="_compute_quality",
        sanitize=True,
        help="Brevity and quality checks of the email template, as sent by the drip (automated): "
        "blocking issues keep the step from running.",
    )
    quality_blocking = fields.Boolean(string="Blocking Issue", compute="_compute_quality")

    # 0 % is allowed: a variant that lost its A/B test stays, with its figures, but gets nobody
    _split_range = models.Constraint(
        "CHECK(split_percent >= 0 AND split_percent <= 100)",
        "A variant's split must be between 0% and 100%.",
    )

    @api.depends("mail_template_id.body_html", "mail_template_id.subject", "step_id.channel")
    def _compute_quality(self):
        issues_by_variant = self._get_quality_issues()
        Template = self.env["mail.template"]
        for variant in self:
            issues = issues_by_variant.get(variant, [])
            variant.quality_warnings = Template._format_outreach_quality_issues(issues)
            variant.quality_blocking = any(severity == "blocking" for severity, _msg in issues)

    @api.model_create_multi
    def create(self, vals_list):
        variants = super().create(vals_list)
        variants._ensure_mailing()
        variants._check_live_quality()
        return variants

    def write(self, vals):
        res = super().write(vals)
        if "mail_template_id" in vals or "step_id" in vals:
            self._ensure_mailing()
            self._check_live_quality()
        return res

    def _get_quality_issues(self):
        """{variant: [(severity, message)]} of the email variants' templates, checked as
        automated emails (the drip sends them without a recruiter); one check per template."""
        by_template = {}
        result = {}
        for variant in self.filtered(lambda v: v.channel == "email" and v.mail_template_id):
            template = variant.mail_template_id
            if template not in by_template:
                by_template[template] = template._get_outreach_quality_issues(automated=True)
            result[variant] = by_template[template]
        return result

    def _get_quality_blockers(self):
        """{variant: sentence listing the blocking issues of its template}."""
        return {
            variant: self.env._(
                "Step '%(step)s', variant '%(variant)s' (template '%(template)s'): %(issues)s",
                step=variant.step_id.name,
                variant=variant.name,
                template=variant.mail_template_id.name,
                issues=" ".join(message for severity, message in issues if severity == "blocking"),
            )
            for variant, issues in self._get_quality_issues().items()
            if any(severity == "blocking" for severity, _message in issues)
        }

    def _check_quality(self):
        """Raise a UserError listing the blocking template issues of these variants."""
        blockers = self._get_quality_blockers()
        if blockers:
            raise UserError(
                self.env._(
                    "Drip '%(drip)s' cannot send these emails; fix their templates (or choose "
                    "others) first:\n%(lines)s",
                    drip=self.drip_id[:1].name,
                    lines="\n".join(f"- {line}" for line in blockers.values()),
                )
            )

    def _check_live_quality(self):
        """A template chosen on a live drip (active, with candidates running) is checked at once."""
        live = self.filtered(lambda v: v.drip_id.active)
        if not live:
            return
        running = (
            self.env["hr.recruitment.drip.enrollment"]
            # sudo: a count of running enrollments, whoever edits the template
            .sudo()
            ._read_group(
                [("drip_id", "in", live.drip_id.ids), ("state", "in", ("running", "paused"))],
                ["drip_id"],
            )
        )
        live_drips = self.env["hr.recruitment.drip"].union(*(drip for (drip,) in running))
        live.filtered(lambda v: v.drip_id in live_drips)._check_quality()

    def _get_content_step(self):
        return self.step_id

    def _get_no_content_message(self):
        return self.env._(
            "Variant '%(variant)s' of step '%(step)s' (drip '%(drip)s') has no content: "
            "choose %(what)s.",
            variant=self.name,
            step=self.step_id.name,
            drip=self.step_id.drip_id.name,
            what=self._get_content_label(self.channel),
        )

    def _ensure_mailing(self):
        """Give each email variant its hidden technical mailing (archived, flagged)."""
        to_create = self.filtered(
            lambda v: v.step_id.channel == "email" and v.mail_template_id and not v.mailing_id
        )
        if not to_create:
            return
        model_id = self.env["ir.model"]._get_id("hr.applicant")
        for drip in to_create.step_id.drip_id:
            if not drip._get_sender_email():
                raise UserError(
                    self.env._(
                        "Drip '%(drip)s' has no sender address: give its owner %(owner)s an "
                        "email address, or set the email of company %(company)s.",
                        drip=drip.name,
                        owner=drip.user_id.name or "-",
                        company=drip.company_id.name,
                    )
                )
        mailings = (
            self.env["mailing.mailing"]
            # sudo: officers and administrators have no access to mailing.mailing
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
                        "email_from": v.step_id.drip_id._get_sender_email(),
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
