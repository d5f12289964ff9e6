from odoo import api, fields, models, tools

REQUIRED_FIELD_HELP = (
    "Drip messages: a candidate missing one of these values is held (status 'needs ...' and a "
    "task for the drip owner) instead of getting a message with a hole. A value with a "
    "fallback in the template, e.g. {{ object.current_company ||| your team}}, needs not be "
    "listed here."
)


class HrRecruitmentOutreachField(models.Model):
    """A candidate value a message template may require ('current employer'): a candidate
    without it is held by the drip instead of getting a message with a hole."""

    _name = "hr.recruitment.outreach.field"
    _description = "Candidate Field a Template May Require"
    _order = "sequence, id"

    name = fields.Char(
        string="Label", required=True, translate=True, help="As in 'needs current employer'."
    )
    sequence = fields.Integer(default=10)
    field_id = fields.Many2one(
        "ir.model.fields",
        string="Candidate Field",
        required=True,
        ondelete="cascade",
        domain="[('model', '=', 'hr.applicant'), ('store', '=', True)]",
    )
    field_name = fields.Char(related="field_id.name", store=True, string="Field Name")
    active = fields.Boolean(default=True)

    _field_unique = models.UniqueIndex("(field_id)", "This candidate field is already listed.")

    def write(self, vals):
        res = super().write(vals)
        # the field names some template requires are cached (_outreach_required_field_names);
        # a new row is required by no template until one links it (which clears the cache)
        if "field_id" in vals:
            self.env.registry.clear_cache()
        return res


class HrRecruitmentOutreachRequirementMixin(models.AbstractModel):
    """Required candidate values of a message template (mail.template, sms.template): each
    defines outreach_required_field_ids (see REQUIRED_FIELD_HELP) with its own table."""

    _name = "hr.recruitment.outreach.requirement.mixin"
    _description = "Required Candidate Values of a Template"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if any(vals.get("outreach_required_field_ids") for vals in vals_list):
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if "outreach_required_field_ids" in vals:
            self.env.registry.clear_cache()
        return res

    @api.model
    @tools.ormcache()
    def _outreach_required_field_names(self):
        """Names of the candidate fields some template requires (a write on one of them may
        release held drip enrollments)."""
        names = set()
        for model in ("mail.template", "sms.template"):
            # sudo: which fields some template requires, whoever writes on a candidate
            templates = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([("outreach_required_field_ids", "!=", False)])
            )
            names.update(templates.outreach_required_field_ids.mapped("field_name"))
        return frozenset(names)

    def _outreach_missing_fields(self, applicants):
        """{applicant id: the required values (hr.recruitment.outreach.field) it lacks} for
        this template (none for an empty recordset), only the candidates missing some."""
        required = self[:1].outreach_required_field_ids.filtered(
            lambda f: f.field_name in applicants._fields
        )
        if not required or not applicants:
            return {}
        # sudo: only whether the profile fields are empty is read, for the drip or the preview
        rows = applicants.sudo().read(required.mapped("field_name"))
        missing = {}
        for row in rows:
            empty = required.filtered(
                lambda f, row=row: (
                    not row[f.field_name]
                    or (isinstance(row[f.field_name], str) and not row[f.field_name].strip())
                )
            )
            if empty:
                missing[row["id"]] = empty
        return missing

    @api.model
    def _outreach_missing_note(self, missing_fields):
        """'needs current employer, current title': what a held candidate lacks."""
        return self.env._("needs %(fields)s", fields=", ".join(missing_fields.mapped("name")))
