from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import plaintext2html

STEP_CHANNELS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("linkedin", "LinkedIn message (task)"),
    ("phone", "Phone call (task)"),
    ("task", "Other task"),
]
AUTOMATED_CHANNELS = ("email", "sms")
# who an email step comes from (hr.recruitment.drip.step._get_senders)
STEP_SENDERS = [
    ("owner", "Drip owner"),
    ("job_recruiter", "Job recruiter"),
    ("hiring_manager", "Hiring manager"),
    ("user", "Chosen user"),
]
MANUAL_ACTIVITY_TYPES = {
    "linkedin": "hr_recruitment_passive.mail_activity_type_linkedin_message",
    "phone": "mail.mail_activity_data_call",
    "task": "mail.mail_activity_data_todo",
}


class HrRecruitmentDripStep(models.Model):
    """One step of a drip: its channel, delay and condition on the previous email, its message
    (its only variant's, or several variants in an A/B test), who sends it, and its preview."""

    _name = "hr.recruitment.drip.step"
    _inherit = [
        "hr.recruitment.drip.stat.mixin",
        "hr.recruitment.drip.content",
        "hr.recruitment.drip.ab.testing",
    ]
    _drip_stat_field = "step_id"
    _description = "Drip Sequence Step"
    _order = "drip_id, sequence, id"
    _check_company_auto = True

    drip_id = fields.Many2one("hr.recruitment.drip", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="drip_id.company_id", store=True, index=True)
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
    # the step's own message: the content of its only variant (a step with one message needs no
    # A/B line); hidden once a second variant is added, each variant then has its own
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        compute="_compute_content",
        inverse="_inverse_content",
        domain="[('model', '=', 'hr.applicant')]",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        compute="_compute_content",
        inverse="_inverse_content",
        domain="[('model', '=', 'hr.applicant')]",
    )
    body = fields.Text(
        string="Message to Send",
        compute="_compute_content",
        inverse="_inverse_content",
        help="LinkedIn, call and task steps: the message the owner copies or uses for the call. "
        "Insert the candidate's fields with the magic wand (or type #); a field can have a "
        "fallback, e.g. {{ object.current_company ||| your team}}.",
    )
    render_model = fields.Char(compute="_compute_render_model")
    preview_applicant_id = fields.Many2one(
        "hr.applicant",
        string="Preview For",
        compute="_compute_preview_applicant_id",
        readonly=False,
        domain="[('is_passive_candidate', '=', True), ('company_id', 'in', [company_id, False])]",
        help="The candidate the preview is rendered for (not saved).",
    )
    preview_subject = fields.Char(string="Subject", compute="_compute_preview")
    preview_body = fields.Html(string="Message", compute="_compute_preview", sanitize=False)
    preview_error = fields.Text(compute="_compute_preview")
    preview_held = fields.Char(compute="_compute_preview")
    resource_id = fields.Many2one(
        "hr.recruitment.resource",
        string="Share a Resource",
        ondelete="set null",
        check_company=True,
        help="Email steps: each candidate gets their own tracked link to this resource of the "
        "library (placeholder object._get_outreach_resource_url() in the template, e.g. the "
        "'share a resource' template); the touchpoint is a 'Shared resource' one and a click "
        "counts for the step.",
    )
    reply_to_previous = fields.Boolean(
        string="Send as a Reply",
        compute="_compute_reply_to_previous",
        store=True,
        readonly=False,
        help="Email steps: send this email as a reply to the candidate's previous email of the "
        "drip ('Re: <first subject>', in the same conversation in the candidate's mail client). "
        "On by default for follow-ups; the first email of a candidate always starts a thread.",
    )
    reply_quote = fields.Boolean(
        string="Quote the Previous Email",
        default=True,
        help="Reply steps: quote the previous email below this one, as a mail client does.",
    )
    sender_type = fields.Selection(
        STEP_SENDERS,
        string="Sender",
        required=True,
        default="owner",
        help="Who the email comes from (name, address, signature, personal outgoing server): "
        "the drip owner, the recruiter of the job, the hiring manager (the manager of the "
        "job's department) or a chosen user. When the job, its department or manager has no "
        "user, the owner sends it and the enrollment says so.",
    )
    sender_user_id = fields.Many2one(
        "res.users",
        string="Sending User",
        domain="[('share', '=', False)]",
        help="The user sending this step (Sender: Chosen user). A user who is not a "
        "Recruitment officer can be chosen by a Recruitment administrator only.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        compute="_compute_activity_type_id",
        store=True,
        readonly=False,
        help="Activity scheduled for the drip owner on manual steps.",
    )
    quality_warnings = fields.Html(
        string="Template Quality",
        compute="_compute_quality_warnings",
        sanitize=True,
        help="Brevity and quality checks of the variants' email templates. A blocking issue "
        "(no preference or unsubscribe link, a template that does not render) keeps candidates "
        "from being enrolled in the drip.",
    )

    _delay_positive = models.Constraint("CHECK(delay >= 0)", "A step delay cannot be negative.")

    # ------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------

    @api.depends("variant_ids")
    def _compute_variant_count(self):
        for step in self:
            step.variant_count = len(step.variant_ids)

    @api.depends("variant_ids.mail_template_id", "variant_ids.sms_template_id", "variant_ids.body")
    def _compute_content(self):
        for step in self:
            single = step.variant_ids if len(step.variant_ids) == 1 else step.variant_ids.browse()
            step.mail_template_id = single.mail_template_id
            step.sms_template_id = single.sms_template_id
            step.body = single.body

    def _inverse_content(self):
        """The step's message is its only variant's (variant 'A', created with the first)."""
        for step in self:
            values = {
                "mail_template_id": step.mail_template_id.id,
                "sms_template_id": step.sms_template_id.id,
                "body": step.body,
            }
            if len(step.variant_ids) > 1:
                continue  # A/B test: each variant holds its own message (the field is hidden)
            if step.variant_ids:
                variant = step.variant_ids
                changed = {
                    key: value
                    for key, value in values.items()
                    if (variant[key].id if key != "body" else variant[key]) != value
                }
                if changed:
                    variant.write(changed)
            elif any(values.values()):
                self.env["hr.recruitment.drip.step.variant"].create(
                    {"step_id": step.id, "name": "A", "split_percent": 100.0, **values}
                )

    @api.depends("channel", "sequence", "drip_id")
    def _compute_reply_to_previous(self):
        for step in self:
            step.reply_to_previous = step.channel == "email" and bool(
                step._get_previous_email_step()
            )

    @api.depends("channel")
    def _compute_activity_type_id(self):
        for step in self:
            xmlid = MANUAL_ACTIVITY_TYPES.get(step.channel)
            step.activity_type_id = (
                self.env.ref(xmlid, raise_if_not_found=False) if xmlid else False
            )

    @api.depends("variant_ids.quality_warnings", "resource_id")
    def _compute_quality_warnings(self):
        for step in self:
            parts = [
                Markup("<p><b>%s</b></p>%s") % (variant.name, variant.quality_warnings)
                for variant in step.variant_ids
                if variant.quality_warnings
            ]
            if step.resource_id and step.channel == "email":
                parts += [
                    Markup("<p><b>%s</b></p><ul><li>%s</li></ul>")
                    % (
                        variant.name,
                        self.env._(
                            "The template does not contain the resource link: add "
                            "object._get_outreach_resource_url()."
                        ),
                    )
                    for variant in step.variant_ids
                    if variant.mail_template_id
                    and "_get_outreach_resource_url"
                    not in (variant.mail_template_id.body_html or "")
                ]
            step.quality_warnings = Markup().join(parts) if parts else False

    # ------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------

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

    # ------------------------------------------------------
    # ORM
    # ------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if {"delay", "delay_unit"} & set(vals):
            self.drip_id._get_waiting_enrollments([("step_id", "in", self.ids)])._reschedule()
        return res

    # ------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------

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

    # ------------------------------------------------------
    # MESSAGE (hr.recruitment.drip.content)
    # ------------------------------------------------------

    def _get_content_source(self, variant=None):
        """`variant`, else the first variant of an A/B test, else the step's own message."""
        self.ensure_one()
        return variant or (self.variant_ids[:1] if len(self.variant_ids) > 1 else self)

    def _check_ready(self):
        """Raise a UserError naming the first step that cannot run (no content)."""
        for step in self:
            step._check_variant_split()
            # a step without a variant has no message: its own check says what to choose
            (step.variant_ids or step)._check_content()
        self.variant_ids.filtered("split_percent")._check_quality()

    # ------------------------------------------------------
    # PREVIEW
    # ------------------------------------------------------

    def _compute_render_model(self):
        self.render_model = "hr.applicant"

    @api.depends("drip_id", "company_id")
    def _compute_preview_applicant_id(self):
        for step in self:
            drip = step.drip_id._origin
            enrolled = (
                self.env["hr.recruitment.drip.enrollment"].search(
                    [("drip_id", "=", drip.id)], limit=1
                )
                if drip
                else False
            )
            step.preview_applicant_id = (
                enrolled.applicant_id
                if enrolled
                else self.env["hr.applicant"].search(
                    [
                        ("is_passive_candidate", "=", True),
                        ("company_id", "in", [step.company_id.id or self.env.company.id, False]),
                    ],
                    limit=1,
                )
            )

    @api.depends(
        "channel",
        "mail_template_id",
        "sms_template_id",
        "body",
        "variant_ids",
        "preview_applicant_id",
    )
    def _compute_preview(self):
        """The step's message as the candidate would get it, saved or not (form preview)."""
        for step in self:
            step.update(
                {
                    "preview_subject": False,
                    "preview_body": False,
                    "preview_error": False,
                    "preview_held": False,
                }
            )
            applicant = step.preview_applicant_id
            if not applicant:
                continue
            try:
                rendered = step._render_preview(applicant)
            except UserError as error:
                step.preview_error = str(error.args[0])
                continue
            step.preview_subject = rendered.get("subject", False)
            body = rendered.get("body") or ""
            step.preview_body = body if step.channel == "email" else plaintext2html(body)
            step.preview_held = rendered.get("held") or False

    # ------------------------------------------------------
    # SENDERS
    # ------------------------------------------------------

    @api.constrains("sender_type", "sender_user_id")
    def _check_sender_user(self):
        """A chosen sender is an internal user; one who is not a Recruitment officer sends in
        someone else's name: only a Recruitment administrator may set that up (today only
        administrators edit steps at all, see the access rights: this keeps the rule if drip
        owners get to edit their steps)."""
        for step in self.filtered(lambda s: s.sender_type == "user"):
            sender = step.sender_user_id
            if not sender or sender.share:
                raise ValidationError(
                    self.env._(
                        "Step '%(step)s': choose the internal user who sends it.", step=step.name
                    )
                )
            if self.env.su or sender.has_group("hr_recruitment.group_hr_recruitment_user"):
                continue
            if not self.env.user.has_group("hr_recruitment.group_hr_recruitment_manager"):
                raise ValidationError(
                    self.env._(
                        "Step '%(step)s': %(user)s is not a Recruitment officer; only a "
                        "Recruitment administrator can make them the sender of a drip step.",
                        step=step.name,
                        user=sender.name,
                    )
                )

    def _get_senders(self, applicants):
        """The user each candidate's email of this step comes from, by sender type:
        {applicant id: (res.users, note)}; the note says why the owner sends it instead
        (the job, its department or manager has no user), else False."""
        self.ensure_one()
        # sudo: the job's recruiter and department manager are read for whoever runs the drip
        step = self.sudo()
        owner = step.drip_id.user_id
        result = {}
        for applicant in applicants.sudo().with_context(outreach_drip_id=step.drip_id.id):
            job = applicant._get_outreach_job() if step.sender_type != "owner" else False
            if step.sender_type == "job_recruiter":
                sender = job and job.user_id
                missing = self.env._("the job has no recruiter")
            elif step.sender_type == "hiring_manager":
                sender = job and job.department_id.manager_id.user_id
                missing = self.env._("the job's department has no manager with a user")
            elif step.sender_type == "user":
                sender = step.sender_user_id
                missing = self.env._("no sending user is chosen")
            else:
                sender = owner
            if sender:
                result[applicant.id] = (sender, False)
                continue
            result[applicant.id] = (
                owner,
                self.env._(
                    "Step '%(step)s' sent by the owner %(owner)s: %(why)s.",
                    step=self.name,
                    owner=owner.name,
                    why=missing if job or step.sender_type == "user" else self.env._("no job"),
                ),
            )
        return result

    # ------------------------------------------------------
    # SCHEDULE
    # ------------------------------------------------------

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
