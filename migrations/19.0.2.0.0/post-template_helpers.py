"""19.0.2.0.0: the talent's template helpers `object._passive_*()` are `object._outreach_*()`
now. Email and SMS templates (the shipped ones are noupdate, and recruiters write their own) and
the messages of manual drip steps are updated in every language, so none fails to render."""

import json

from odoo.tools import SQL

OLD = "._passive_"
NEW = "._outreach_"
# translated (jsonb) columns and plain text columns holding template code
JSON_COLUMNS = (
    ("mail_template", "subject"),
    ("mail_template", "body_html"),
    ("sms_template", "body"),
)
TEXT_COLUMNS = (("hr_recruitment_drip_step_variant", "body"),)


def migrate(cr, version):
    for table, column in JSON_COLUMNS:
        cr.execute(
            SQL(
                "SELECT id, %(column)s FROM %(table)s WHERE %(column)s::text LIKE %(old)s",
                column=SQL.identifier(column),
                table=SQL.identifier(table),
                old=f"%{OLD}%",
            )
        )
        for record_id, value in cr.fetchall():
            updated = {
                lang: text.replace(OLD, NEW) if text else text for lang, text in value.items()
            }
            cr.execute(
                SQL(
                    "UPDATE %(table)s SET %(column)s = %(value)s WHERE id = %(id)s",
                    table=SQL.identifier(table),
                    column=SQL.identifier(column),
                    value=json.dumps(updated),
                    id=record_id,
                )
            )
    for table, column in TEXT_COLUMNS:
        cr.execute(
            SQL(
                "UPDATE %(table)s SET %(column)s = replace(%(column)s, %(old)s, %(new)s) "
                "WHERE %(column)s LIKE %(pattern)s",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                old=OLD,
                new=NEW,
                pattern=f"%{OLD}%",
            )
        )
