from odoo import api, models
from odoo.tools import SQL


class HrRecruitmentPartnerUsage(models.AbstractModel):
    """Whether a contact is used by anything else than some records about to be anonymized
    or deleted: one SQL query over every stored reference to res.partner (the retention rule
    keeps such a contact as it is)."""

    _name = "hr.recruitment.partner.usage"
    _description = "Contact Usage Check"

    @api.model
    def _partners_used_elsewhere(self, partners, excluded):
        """The subset of `partners` that something other than the records in `excluded`
        ({model name: ids about to be anonymized or deleted}) refers to: a user, an employee's
        work contact, a meeting, another company's application, a child contact... One
        query over every stored reference to res.partner."""
        if not partners:
            return partners
        # every reference counts, whatever the user's rights on ir.model.fields
        queries = [
            query
            for field in self.env["ir.model.fields"]
            .sudo()
            .search_fetch(
                [
                    ("relation", "=", "res.partner"),
                    ("ttype", "in", ("many2one", "many2many")),
                    ("store", "=", True),
                ],
                ["model", "name"],
            )
            if (query := self._partner_reference_query(field.model, field.name, partners, excluded))
        ]
        if not queries:
            return partners.browse()
        rows = self.env.execute_query(SQL(" UNION ").join(queries))
        return partners.browse({row[0] for row in rows})

    @api.model
    def _partner_reference_query(self, model_name, field_name, partners, excluded):
        """SQL selecting the ids of `partners` that field `field_name` of `model_name`
        refers to, leaving out the rows about to disappear (see `_partners_used_elsewhere`)."""
        Model = self.env.get(model_name)
        if Model is None or Model._transient or Model._abstract or not Model._auto:
            return None
        field = Model._fields.get(field_name)
        if not field or not field.store or field.company_dependent:
            return None
        row_filter = self._vanishing_rows_filter(Model, excluded)
        if field.type == "many2one":
            conditions = [SQL("%s = ANY(%s)", SQL.identifier(field_name), partners.ids)]
            if Model._name == "res.partner":
                conditions.append(SQL("id != %s", SQL.identifier(field_name)))
            if "res_id" in Model._fields:
                model_column = "model" if "model" in Model._fields else "res_model"
                if model_column in Model._fields:
                    conditions.append(
                        SQL(
                            "NOT (%s = 'res.partner' AND res_id = %s)",
                            SQL.identifier(model_column),
                            SQL.identifier(field_name),
                        )
                    )
            if row_filter:
                conditions.append(row_filter)
            return SQL(
                "SELECT %s FROM %s WHERE %s",
                SQL.identifier(field_name),
                SQL.identifier(Model._table),
                SQL(" AND ").join(conditions),
            )
        conditions = [SQL("%s = ANY(%s)", SQL.identifier(field.column2), partners.ids)]
        if Model._name == "res.partner":
            conditions.append(
                SQL("%s != %s", SQL.identifier(field.column1), SQL.identifier(field.column2))
            )
        if row_filter:
            conditions.append(
                SQL(
                    "%s IN (SELECT id FROM %s WHERE %s)",
                    SQL.identifier(field.column1),
                    SQL.identifier(Model._table),
                    row_filter,
                )
            )
        return SQL(
            "SELECT %s FROM %s WHERE %s",
            SQL.identifier(field.column2),
            SQL.identifier(field.relation),
            SQL(" AND ").join(conditions),
        )

    @api.model
    def _vanishing_rows_filter(self, Model, excluded):
        """SQL condition keeping the rows of `Model` that survive the anonymization: not in
        `excluded` and not deleted in cascade with an excluded record (e.g. the notification
        or outgoing mail of a deleted message)."""
        conditions = []
        if excluded.get(Model._name):
            conditions.append(SQL("id != ALL(%s)", excluded[Model._name]))
        for name, field in Model._fields.items():
            if (
                field.type == "many2one"
                and field.store
                and field.ondelete == "cascade"
                and excluded.get(field.comodel_name)
            ):
                conditions.append(
                    SQL(
                        "(%s IS NULL OR %s != ALL(%s))",
                        SQL.identifier(name),
                        SQL.identifier(name),
                        excluded[field.comodel_name],
                    )
                )
        return SQL(" AND ").join(conditions) if conditions else None
