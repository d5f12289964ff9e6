import re

from odoo import api, models
from odoo.exceptions import UserError

# placeholders of a template: {{ expr }} (inline) and t-out / t-esc / t-field="expr" (QWeb)
PLACEHOLDER_RE = re.compile(r"\{\{\s*(.+?)\s*\}\}|t-(?:out|esc|field|raw)=\"([^\"]+)\"")


class HrRecruitmentDripContent(models.AbstractModel):
    """The message of a drip step or of one of its A/B variants: what it renders for its
    channel, with which template, whether it has anything to send, and how it renders for one
    candidate. The models using it have channel, mail_template_id, sms_template_id and body;
    the methods taking `variant` are about that variant's message instead of this one's."""

    _name = "hr.recruitment.drip.content"
    _description = "Drip Message Content"

    # ------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------

    def _get_content_step(self):
        """The step whose message this is: the step itself (a variant returns its step)."""
        return self

    def _get_content_source(self, variant=None):
        """The record holding the message meant (hook: a step in an A/B test sends its
        variants' messages, not its own)."""
        self.ensure_one()
        return variant or self

    def _get_no_content_message(self):
        """The sentence of the error raised when this message has nothing to send (a variant
        also names its step and drip)."""
        return self.env._(
            "Step '%(step)s' has no message yet: choose %(what)s.",
            step=self.name or self.env._("New"),
            what=self._get_content_label(self.channel),
        )

    # ------------------------------------------------------
    # CONTENT
    # ------------------------------------------------------

    @api.model
    def _get_content_label(self, channel):
        """What a message of `channel` needs to send: 'an email template', ..."""
        return {
            "email": self.env._("an email template"),
            "sms": self.env._("an SMS template"),
        }.get(channel, self.env._("a message text"))

    def _get_render_sources(self, variant=None):
        """{key: (source, engine, model)} of the message rendered for its channel (saved or
        not)."""
        source = self._get_content_source(variant)
        if source.channel == "email":
            template = source.mail_template_id
            return {
                "subject": (template.subject or "", "inline_template", template.model),
                "body": (template.body_html or "", "qweb", template.model),
            }
        if source.channel == "sms":
            return {"body": (source.sms_template_id.body or "", "inline_template", "hr.applicant")}
        return {"body": (source.body or "", "inline_template", "hr.applicant")}

    def _get_content_template(self, variant=None):
        """The email or SMS template the message is sent with (empty for a task's text)."""
        source = self._get_content_source(variant)
        if source.channel == "email":
            return source.mail_template_id
        if source.channel == "sms":
            return source.sms_template_id
        return self.env["mail.template"]

    def _check_content(self, variant=None):
        """Raise a UserError if a message has nothing to send."""
        for record in self:
            source = record._get_content_source(variant)
            sources = source._get_render_sources()
            if not any((text or "").strip() for text, _engine, _model in sources.values()):
                raise UserError(source._get_no_content_message())

    # ------------------------------------------------------
    # RENDERING
    # ------------------------------------------------------

    def _render_preview(self, applicant, variant=None):
        """Render the message for one candidate: {subject, body, held}, `held` saying what the
        candidate lacks (the drip holds them instead of sending); raise a UserError listing
        the placeholders that failed."""
        self.ensure_one()
        self._check_content(variant)
        step = self._get_content_step()
        context = self._get_render_context()
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
                    step=step.name or self.env._("New"),
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

    def _get_render_context(self):
        """The context templates render in for this message: its drip and step (the sender,
        the job and the links the placeholders read)."""
        step = self._get_content_step()
        return {
            "outreach_drip_id": step.drip_id._origin.id or False,
            "outreach_step_id": step._origin.id or False,
        }

    def _find_failing_placeholders(self, source, applicant):
        """[(expression, error)] for each placeholder of `source` failing on `applicant`,
        rendered in the same context as the whole message."""
        failures = []
        Render = self.env["mail.render.mixin"].with_context(**self._get_render_context())
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
