"""19.0.2.0.0: one prefix for the addon. Its fields on companies, users and the settings were
named `drip_sender_*`, `passive_*` or `outreach_*`; they are all `outreach_*` now. The columns
and their `ir.model.fields` rows (with their xml ids, so translations and defaults follow) are
renamed before the registry loads, so no value is lost."""

from odoo.tools.sql import column_exists, rename_column

MODULE = "hr_recruitment_passive"
SENDER_FIELDS = {
    "drip_sender_daily_cap": "outreach_sender_daily_cap",
    "drip_sender_ramp_start": "outreach_sender_ramp_start",
    "drip_sender_ramp_step": "outreach_sender_ramp_step",
}
COMPANY_FIELDS = {
    **SENDER_FIELDS,
    "passive_occasion_auto_email": "outreach_occasion_auto_email",
    "passive_outreach_word_budget": "outreach_word_budget",
}
RENAMED_FIELDS = {
    "res.company": COMPANY_FIELDS,
    # the settings' fields are related to the company's: no column, only their description
    "res.config.settings": COMPANY_FIELDS,
    "res.users": {
        "drip_sender_daily_cap": "outreach_sender_daily_cap",
        "drip_sender_since": "outreach_sender_since",
        "passive_weekly_digest": "outreach_weekly_digest",
    },
}


def rename_field(cr, model, old, new):
    table = model.replace(".", "_")
    if column_exists(cr, table, old) and not column_exists(cr, table, new):
        rename_column(cr, table, old, new)
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
        [new, model, old],
    )
    cr.execute(
        """UPDATE ir_model_data SET name = %s
            WHERE module = %s AND model = 'ir.model.fields' AND name = %s""",
        [f"field_{table}__{new}", MODULE, f"field_{table}__{old}"],
    )


def migrate(cr, version):
    for model, names in RENAMED_FIELDS.items():
        for old, new in names.items():
            rename_field(cr, model, old, new)
