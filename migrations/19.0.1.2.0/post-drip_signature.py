"""The drip templates shipped with the addon (noupdate) sign with the sender's email signature
instead of their name: update them where they still hold the shipped text."""

import json

OLD = "object._get_outreach_sender().name or ''"
NEW = "object._get_outreach_signature()"
TEMPLATES = ("mail_template_drip_first_touch", "mail_template_drip_follow_up")


def migrate(cr, version):
    cr.execute(
        """SELECT t.id, t.body_html FROM mail_template t
             JOIN ir_model_data d ON d.model = 'mail.template' AND d.res_id = t.id
            WHERE d.module = 'hr_recruitment_passive' AND d.name IN %s""",
        [TEMPLATES],
    )
    for template_id, body in cr.fetchall():
        if not body:
            continue
        updated = {lang: text.replace(OLD, NEW) if text else text for lang, text in body.items()}
        if updated != body:
            cr.execute(
                "UPDATE mail_template SET body_html = %s WHERE id = %s",
                [json.dumps(updated), template_id],
            )
