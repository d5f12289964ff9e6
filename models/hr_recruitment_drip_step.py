import re
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import plaintext2html

# what an A/B test of a step's variants counts as a success (a rate over the emails sent)
AB_METRICS = [("replied", "Reply rate"), ("clicked", "Click rate"), ("opened", "Open rate")]

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
# placeholders of a template: {{ expr }} (inline) and t-out / t-esc / t-field="expr" (QWeb)
PLACEHOLDER_RE = re.compile(r"\{\{\s*(.+?)\s*\}\}|t-(?:out|esc|field|raw)=\"([^\"]+)\"")


def message_sources(channel, mail_template, sms_template, body):
    """{key: (source, engine, model)} a step or variant renders for `channel`."""
    if channel == "email":
        return {
            "subject": (mail_template.subject or "", "inline_template", mail_template.model),
            "body": (mail_template.body_html or "", "qweb", mail_template.model),
        }
    if channel == "sms":
        return {"body": (sms_template.body or "", "inline_template", "hr.applicant")}
    return {"body": (body or "", "inline_template", "hr.applicant")}


class HrRecruitmentDripStep(models.Model):
    _name = "hr.recruitment.drip.step"
    _inherit = ["hr.recruitment.drip.stat.mixin"]
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
    ab_testing = fields.Boolean(
        string="A/B Test",
        compute="_compute_ab_testing",
        inverse="_inverse_ab_testing",
        help="Test two (or more) versions of this message: each candidate gets one of them.",
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
    ab_metric = fields.Selection(
        AB_METRICS,
        string="A/B Metric",
        default="replied",
        required=True,
        help="What makes a variant better. Replies are the reliable figure: opens are inflated "
        "by mail privacy protection and clicks by link scanners.",
    )
    ab_result = fields.Html(
        string="A/B Result", compute="_compute_ab_result", sanitize=True, readonly=True
    )
    ab_p_value = fields.Float(string="p-value", compute="_compute_ab_result", digits=(16, 4))
    ab_verdict = fields.Char(string="Verdict", compute="_compute_ab_result")
    ab_winner_id = fields.Many2one(
        "hr.recruitment.drip.step.variant",
        string="A/B Winner",
        compute="_compute_ab_result",
        help="The variant that wins with enough evidence (see README, 'Learning what works').",
    )
    ab_winner_to_apply = fields.Boolean(
        compute="_compute_ab_result",
        help="A winner exists and does not get every candidate yet.",
    )

    _delay_positive = models.Constraint("CHECK(delay >= 0)", "A step delay cannot be negative.")

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

    @api.depends("variant_ids")
    def _compute_ab_testing(self):
        for step in self:
            step.ab_testing = len(step.variant_ids) > 1

    def _inverse_ab_testing(self):
        """Saved through variant_ids (see _onchange_ab_testing): nothing to store."""

    def _compute_render_model(self):
        self.render_model = "hr.applicant"

    @api.onchange("ab_testing")
    def _onchange_ab_testing(self):
        """Turning the A/B test on adds variant B (a copy of A, each gets half the candidates);
        turning it off keeps the first variant only, unless the others already sent."""
        Command = fields.Command
        for step in self:
            variants = step.variant_ids
            if step.ab_testing and len(variants) < 2:
                content = {
                    "mail_template_id": step.mail_template_id.id,
                    "sms_template_id": step.sms_template_id.id,
                    "body": step.body,
                }
                commands = [Command.update(v.id, {"split_percent": 50.0}) for v in variants]
                if not variants:
                    commands.append(Command.create({"name": "A", "split_percent": 50.0, **content}))
                commands.append(Command.create({"name": "B", "split_percent": 50.0, **content}))
                step.variant_ids = commands
            elif not step.ab_testing and len(variants) > 1:
                others = variants[1:]
                if any(v.sent_count for v in others if v._origin):
                    step.ab_testing = True
                    return {
                        "warning": {
                            "title": self.env._("Variants with results"),
                            "message": self.env._(
                                "Other variants of this step already sent messages: set their "
                                "split to 0 %% instead of removing them, to keep their figures."
                            ),
                        }
                    }
                step.variant_ids = [Command.update(variants[0].id, {"split_percent": 100.0})] + [
                    Command.unlink(v.id) for v in others
                ]

    @api.onchange("variant_ids")
    def _onchange_variant_split(self):
        """A variant added by hand shares the candidates evenly with the others."""
        for step in self:
            variants = step.variant_ids
            added = variants.filtered(lambda v: not v._origin and v.split_percent == 100)
            total = round(sum(variants.mapped("split_percent")), 2)
            if len(variants) < 2 or not added or total == 100:
                continue
            share = round(100.0 / len(variants), 2)
            for variant in variants[:-1]:
                variant.split_percent = share
            variants[-1].split_percent = round(100.0 - share * (len(variants) - 1), 2)
            names = variants.mapped("name")
            for index, variant in enumerate(variants):
                if names.count(variant.name) > 1 and index:
                    variant.name = chr(ord("A") + index) if index < 26 else str(index + 1)

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

    @api.depends("ab_metric", "variant_ids.split_percent")
    def _compute_ab_result(self):
        comparisons = self._get_ab_comparisons()
        for step in self:
            comparison = comparisons.get(step)
            if not comparison:
                step.update(
                    {
                        "ab_result": False,
                        "ab_p_value": 0.0,
                        "ab_verdict": False,
                        "ab_winner_id": False,
                        "ab_winner_to_apply": False,
                    }
                )
                continue
            result, variant_by_key = comparison
            winner = variant_by_key.get(result["winner"]) if result["winner"] else False
            step.update(
                {
                    "ab_result": step._format_ab_result(result, variant_by_key),
                    "ab_p_value": result["p_value"],
                    "ab_verdict": result["reason"],
                    "ab_winner_id": winner,
                    "ab_winner_to_apply": bool(winner and winner.split_percent < 100),
                }
            )

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

    def write(self, vals):
        res = super().write(vals)
        if {"delay", "delay_unit"} & set(vals):
            self.drip_id._get_waiting_enrollments([("step_id", "in", self.ids)])._reschedule()
        return res

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
        self.variant_ids.filtered("split_percent")._check_quality()

    def action_apply_ab_winner(self):
        """Give the A/B winner every candidate (the owner's one click on the suggestion)."""
        applied = self._apply_ab_winner()
        if not applied:
            raise UserError(
                self.env._(
                    "There is no A/B winner to apply: %(verdict)s",
                    verdict="; ".join(filter(None, self.mapped("ab_verdict")))
                    or self.env._("the step needs two or more variants with results."),
                )
            )
        return True

    def _get_ab_comparisons(self):
        """{step: (hr.recruitment.ab.test._compare result, {key: variant})} for the steps with
        two or more variants, from their drip touchpoints (one grouped query)."""
        steps = self.filtered(lambda s: s.id and len(s.variant_ids) > 1)
        if not steps:
            return {}
        stats = self.env["hr.recruitment.touchpoint"]._get_drip_statistics(
            [("variant_id", "in", steps.variant_ids.ids)], "variant_id"
        )
        AbTest = self.env["hr.recruitment.ab.test"]
        comparisons = {}
        for step in steps:
            variants = step.variant_ids
            names = variants.mapped("name")
            variant_by_key = {
                (v.name if names.count(v.name) == 1 else f"{v.name} #{v.id}"): v for v in variants
            }
            rows = []
            for key, variant in variant_by_key.items():
                figures = stats.get(variant.id, {})
                rows.append(
                    {
                        "key": key,
                        "sent": figures.get("sent", 0),
                        "successes": min(figures.get(step.ab_metric, 0), figures.get("sent", 0)),
                    }
                )
            comparisons[step] = (AbTest._compare(rows), variant_by_key)
        return comparisons

    def _format_ab_result(self, result, variant_by_key):
        self.ensure_one()
        metric = dict(self._fields["ab_metric"]._description_selection(self.env))[self.ab_metric]
        rows = Markup().join(
            Markup(
                "<tr><td>%s</td><td class='text-end'>%s %%</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s %%</td></tr>"
            )
            % (
                row["key"],
                round(variant_by_key[row["key"]].split_percent),
                row["sent"],
                row["successes"],
                round(row["rate"] * 100, 1),
            )
            for row in result["variants"]
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            "<p>%s</p><p><b>%s</b></p>"
        ) % (
            self.env._("Variant"),
            self.env._("Split"),
            self.env._("Sent"),
            self.env._("Successes"),
            metric,
            rows,
            self.env._(
                "%(leader)s vs %(runner_up)s: p = %(p).4f (needs < %(alpha).3f)",
                leader=result["leader"],
                runner_up=result["runner_up"],
                p=result["p_value"],
                alpha=result["alpha"],
            ),
            result["reason"],
        )

    def _apply_ab_winner(self):
        """Set the split of each step's A/B winner to 100 % and the others' to 0 %, and log it
        in the drip's chatter; return the steps changed. Two writes and one batch of chatter
        notes for all the steps."""
        winners = self.env["hr.recruitment.drip.step.variant"]
        notes = defaultdict(list)
        for step, (result, variant_by_key) in self._get_ab_comparisons().items():
            winner = variant_by_key.get(result["winner"]) if result["winner"] else False
            if not winner or winner.split_percent >= 100:
                continue
            winners |= winner
            notes[step.drip_id].append(
                Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._(
                        "Step '%(step)s': variant '%(variant)s' won its A/B test and now gets "
                        "100 %% of the candidates (the other variants 0 %%).",
                        step=step.name,
                        variant=winner.name,
                    ),
                    result["reason"],
                )
            )
        applied = winners.step_id
        if not applied:
            return applied
        # sudo: the daily cron or the drip's button applies it (officers do not edit variants)
        (applied.variant_ids - winners).sudo().write({"split_percent": 0.0})
        winners.sudo().write({"split_percent": 100.0})
        applied._check_variant_split()
        drips = self.env["hr.recruitment.drip"].union(*notes)
        # sudo: the chatter note of the drip is logged for the cron too
        drips.sudo()._message_log_batch({drip.id: Markup().join(notes[drip]) for drip in drips})
        return applied

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

    def _get_render_sources(self, variant=None):
        """{key: (source, engine, model)} of `variant`, else of the step's own message (saved
        or not), else of its first variant."""
        self.ensure_one()
        if variant or len(self.variant_ids) > 1:
            return (variant or self.variant_ids[:1])._get_render_sources()
        return message_sources(self.channel, self.mail_template_id, self.sms_template_id, self.body)

    def _get_content_template(self, variant=None):
        """The email or SMS template the step sends with `variant` (or its own)."""
        self.ensure_one()
        source = variant or (self.variant_ids[:1] if len(self.variant_ids) > 1 else self)
        if self.channel == "email":
            return source.mail_template_id
        if self.channel == "sms":
            return source.sms_template_id
        return self.env["mail.template"]

    def _check_content(self, variant=None):
        """Raise a UserError if the step (or `variant`) has nothing to send."""
        self.ensure_one()
        if variant or len(self.variant_ids) > 1:
            (variant or self.variant_ids[:1])._check_content()
            return
        sources = self._get_render_sources()
        if not any((source or "").strip() for source, _engine, _model in sources.values()):
            raise UserError(
                self.env._(
                    "Step '%(step)s' has no message yet: choose %(what)s.",
                    step=self.name or self.env._("New"),
                    what=self._get_content_label(self.channel),
                )
            )

    @api.model
    def _get_content_label(self, channel):
        """What a step of `channel` needs to send: 'an email template', ..."""
        return {
            "email": self.env._("an email template"),
            "sms": self.env._("an SMS template"),
        }.get(channel, self.env._("a message text"))

    def _render_preview(self, applicant, variant=None):
        """Render this step (its own message, or `variant`) for one candidate: {subject, body,
        held}, `held` saying what the candidate lacks (the drip holds them instead of sending);
        raise a UserError listing the placeholders that failed."""
        self.ensure_one()
        self._check_content(variant)
        context = {
            "outreach_drip_id": self.drip_id._origin.id or False,
            "outreach_step_id": self._origin.id or False,
        }
        applicant = applicant.with_context(**context)
        sources = self._get_render_sources(variant)
        Render = self.env["mail.render.mixin"].with_context(**context)
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
                    step=self.name or self.env._("New"),
                    name=applicant.partner_name or applicant.display_name,
                    lines="\n".join(f"- {expr}: {error}" for expr, error in failures),
                )
            )
        template = self._get_content_template(variant)
        missing = template and template._outreach_missing_fields(applicant).get(applicant.id)
        if missing:
            result["held"] = self.env._(
                "Held for %(name)s: %(what)s. The drip does not send this step to them until "
                "it is filled in.",
                name=applicant.partner_name or applicant.display_name,
                what=template._outreach_missing_note(missing),
            )
        return result

    @api.model
    def _find_failing_placeholders(self, source, applicant):
        """[(expression, error)] for each placeholder of `source` failing on `applicant`."""
        failures = []
        Render = self.env["mail.render.mixin"].with_context(
            outreach_drip_id=self.drip_id._origin.id or False
        )
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
