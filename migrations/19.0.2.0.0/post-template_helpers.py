"""19.0.2.0.0: the talent's template helpers `object._passive_*()` are `object._outreach_*()`
now. Email and SMS templates (the shipped ones are noupdate, and recruiters write their own) and
the messages of manual drip steps are updated in every language, so none fails to render."""

from odoo.tools import SQL

OLD = "._passive_"
NEW = "._outreach_"
# translated (jsonb) columns and plain text columns holding template code; the names contain
# nothing JSON escapes, so the text of a jsonb value is replaced the same way as plain text
JSON_COLUMNS = (
    ("mail_template", "subject"),
    ("mail_template", "body_html"),
    ("sms_template", "body"),
)
TEXT_COLUMNS = (("hr_recruitment_drip_step_variant", "body"),)


def migrate(cr, version):
    for (table, column), cast in [
        *((json_column, SQL("::jsonb")) for json_column in JSON_COLUMNS),
        *((text_column, SQL()) for text_column in TEXT_COLUMNS),
    ]:
        cr.execute(
            SQL(
                "UPDATE %(table)s SET %(column)s = replace(%(column)s::text, %(old)s, %(new)s)"
                "%(cast)s WHERE %(column)s::text LIKE %(pattern)s",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                old=OLD,
                new=NEW,
                cast=cast,
                pattern=f"%{OLD}%",
            )
        )
