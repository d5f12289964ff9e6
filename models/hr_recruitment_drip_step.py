import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_recruitment_drip import STAT_FIELDS

STEP_CHANNELS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("linkedin", "LinkedIn message (task)"),
    ("phone", "Phone call (task)"),
    ("task", "Other task"),
]
AUTOMATED_CHANNELS = ("email", "sms")
MANUAL_ACTIVITY_TYPES = {
    "linkedin": "hr_recruitment_passive.mail_activity_type_linkedin_message",
    "phone": "mail.mail_activity_data_call",
    "task": "mail.mail_activity_data_todo",
}
# placeholders of a template: {{ expr }} (inline) and t-out / t-esc / t-field="expr" (QWeb)
PLACEHOLDER_RE = re.compile(r"\{\{\s*(.+?)\s*\}\}|t-(?:out|esc|field|raw)=\"([^\"]+)\"")


class HrRecruitmentDripStep(models.Model):
    _name = "hr.recruitment.drip.step"
    _description = "Drip Sequence Step"
    _order = "drip_id, sequence, id"

    drip_id = fields.Many2one("hr.recruitment.drip", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="drip_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    channel = fields.Selection(STEP_CHANNELS, required=True, default="email")
    delay = fields.Integer(
        default=0, help="Time to wait after the previous step (after enrolling, for the first)."
    )
    delay_unit = fields.Selection(
        [("hours", "Hours"), ("days", "Days"), ("business_days", "Business days")],
        required=True,
        default="days",
        help="Business days follow the company's working calendar and skip its public holidays.",
    )
    condition = fields.Selection(
        [
            ("always", "Always"),
            ("opened", "Previous email opened"),
            ("not_opened", "Previous email not opened"),
            ("clicked", "Previous email clicked"),
            ("not_clicked", "Previous email not clicked"),
        ],
        required=True,
        default="always",
        help="Read on the previous email step of the sequence when this step is due. 'Opened' "
        "and 'Clicked' wait up to the drip's 'Wait for Open' days, then skip the step or end "
        "the sequence.",
    )
    variant_ids = fields.One2many(
        "hr.recruitment.drip.step.variant", "step_id", string="Variants", copy=True
    )
    variant_count = fields.Integer(compute="_compute_variant_count")
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        compute="_compute_activity_type_id",
        store=True,
        readonly=False,
        help="Activity scheduled for the drip owner on manual steps.",
    )
    sent_count = fields.Integer(compute="_compute_statistics")
    opened_count = fields.Integer(compute="_compute_statistics")
    clicked_count = fields.Integer(compute="_compute_statistics")
    replied_count = fields.Integer(compute="_compute_statistics")
    bounced_count = fields.Integer(compute="_compute_statistics")
    opened_rate = fields.Float(compute="_compute_statistics")
    clicked_rate = fields.Float(compute="_compute_statistics")
    replied_rate = fields.Float(compute="_compute_statistics")

    _delay_positive = models.Constraint("CHECK(delay >= 0)", "A step delay cannot be negative.")

    @api.depends("variant_ids")
    def _compute_variant_count(self):
        for step in self:
            step.variant_count = len(step.variant_ids)

    @api.depends("channel")
    def _compute_activity_type_id(self):
        for step in self:
            xmlid = MANUAL_ACTIVITY_TYPES.get(step.channel)
            step.activity_type_id = (
                self.env.ref(xmlid, raise_if_not_found=False) if xmlid else False
            )

    def _compute_statistics(self):
        steps = self.filtered("id")
        stats = self.env["hr.recruitment.touchpoint"]._get_drip_statistics(
            [("step_id", "in", steps.ids)], "step_id"
        )
        for step in self:
            figures = stats.get(step.id, {})
            step.update({f"{key}_count": figures.get(key, 0) for key in STAT_FIELDS})
            for key in ("opened_rate", "clicked_rate", "replied_rate"):
                step[key] = figures.get(key, 0.0)

    @api.constrains("condition", "sequence", "drip_id")
    def _check_condition_has_email(self):
        for step in self.filtered(lambda s: s.condition != "always"):
            if not step._get_previous_email_step():
                raise ValidationError(
                    self.env._(
                        "Step '%(step)s' depends on the previous email, but no email step comes "
                        "before it. Set its condition to 'Always' or move it after an email step.",
                        step=step.name,
                    )
                )

    @api.constrains("variant_ids")
    def _check_variant_split(self):
        for step in self.filtered("variant_ids"):
            total = sum(step.variant_ids.mapped("split_percent"))
            if round(total, 2) != 100:
                raise ValidationError(
                    self.env._(
                        "The variants of step '%(step)s' split %(total)s%% of the candidates; "
                        "make their percentages add up to 100.",
                        step=step.name,
                        total=round(total, 2),
                    )
                )

    def _check_ready(self):
        """Raise a UserError naming the first step that cannot run (no content)."""
        for step in self:
            if not step.variant_ids:
                raise UserError(
                    self.env._(
                        "Step '%(step)s' of drip '%(drip)s' has no message: add a variant with "
                        "a template or a text.",
                        step=step.name,
                        drip=step.drip_id.name,
                    )
                )
            step._check_variant_split()
            for variant in step.variant_ids:
                variant._check_content()

    def _get_previous_email_step(self):
        self.ensure_one()
        previous = self.drip_id.step_ids.filtered(
            lambda s: s.channel == "email" and (s.sequence, s.id) < (self.sequence, self.id or 0)
        )
        return previous[-1:]

    def _get_next_step(self):
        self.ensure_one()
        following = self.drip_id.step_ids.filtered(
            lambda s: (s.sequence, s.id) > (self.sequence, self.id)
        )
        return following[:1]

    def _get_due_date(self, start, talent=None):
        """When this step is due if the previous one happened at `start` (naive UTC)."""
        self.ensure_one()
        if self.delay_unit == "hours":
            return start + timedelta(hours=self.delay)
        if self.delay_unit == "days":
            return start + timedelta(days=self.delay)
        company = (talent and talent.company_id) or self.drip_id.company_id
        return self._add_business_days(start, self.delay, company)

    def _add_business_days(self, start, days, company):
        """`start` moved by `days` working days of the company calendar, same time of day."""
        if not days:
            return start
        calendar = company.resource_calendar_id
        holidays = self.env["hr.recruitment.drip.enrollment"]._get_holiday_dates(
            company, start.date(), start.date() + timedelta(days=days * 3 + 30)
        )
        day, found = start.date(), 0
        for _i in range(days * 7 + 60):
            day += timedelta(days=1)
            works = calendar._works_on_date(day) if calendar else day.weekday() < 5
            if works and day not in holidays:
                found += 1
                if found == days:
                    break
        return start + timedelta(days=(day - start.date()).days)

    def action_preview(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview: %(step)s", step=self.name),
            "res_model": "hr.recruitment.drip.step.preview",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_step_id": self.id},
        }

    def _render_preview(self, applicant, variant=None):
        """Render this step for one candidate: {subject, body}; raise a UserError listing the
        placeholders that failed."""
        self.ensure_one()
        variant = variant or self.variant_ids[:1]
        if not variant:
            raise UserError(
                self.env._("Step '%(step)s' has no variant to preview.", step=self.name)
            )
        variant._check_content()
        applicant = applicant.with_context(outreach_drip_id=self.drip_id.id)
        sources = variant._get_render_sources()
        Render = self.env["mail.render.mixin"].with_context(outreach_drip_id=self.drip_id.id)
        result = {}
        failures = []
        for key, (source, engine, model_name) in sources.items():
            try:
                rendered = Render._render_template(
                    source, model_name, applicant.ids, engine=engine
                )[applicant.id]
            except Exception:
                failures += self._find_failing_placeholders(source, applicant)
                rendered = ""
            result[key] = rendered
        if failures:
            raise UserError(
                self.env._(
                    "Step '%(step)s' cannot be rendered for %(name)s. Fix these placeholders:\n"
                    "%(lines)s",
                    step=self.name,
                    name=applicant.partner_name or applicant.display_name,
                    lines="\n".join(f"- {expr}: {error}" for expr, error in failures),
                )
            )
        return result

    @api.model
    def _find_failing_placeholders(self, source, applicant):
        """[(expression, error)] for each placeholder of `source` failing on `applicant`."""
        failures = []
        Render = self.env["mail.render.mixin"].with_context(outreach_drip_id=self.drip_id.id)
        for inline, qweb in PLACEHOLDER_RE.findall(source or ""):
            expression = (inline or qweb).strip()
            try:
                Render._render_template(
                    "{{ %s }}" % expression,
                    applicant._name,
                    applicant.ids,
                    engine="inline_template",
                )
            except Exception as error:
                message = str(error).strip().splitlines()
                failures.append((expression, message[-1] if message else type(error).__name__))
        if not failures:
            failures.append(("(template structure)", self.env._("the template itself is invalid")))
        return failures
