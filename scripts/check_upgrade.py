"""Run inside `odoo-bin shell` (code on stdin) by scripts/check-upgrade; PASSIVE_UPGRADE_STEP says:

fill       create talents, applications, touchpoints and edit the addon's noupdate data, commit
snapshot   write to PASSIVE_UPGRADE_OUT every stored value of every record of this addon's
           models and of its fields on other models (hr.applicant), plus record counts
legacy_crons  put the drip's scheduled action back as it was before one per cron worker
crons      check the drip's scheduled actions after the upgrade (one per worker)
legacy_fields  put the fields renamed in 19.0.2.0.0 back under their old names (columns, field
           descriptions, xml ids) and the shipped templates back on the old helper names
fields     after the upgrade: no old field or helper name left, the shipped templates render
"""

import importlib.util
import json
import os
from datetime import timedelta
from pathlib import Path

from odoo.fields import Command
from odoo.modules.module import get_module_path

ADDON = "hr_recruitment_passive"
step = os.environ["PASSIVE_UPGRADE_STEP"]
env = env(context=dict(env.context, active_test=False, tracking_disable=True))  # noqa: F821


def fill():
    now = env.cr.now().replace(microsecond=0)
    pool = env.ref(f"{ADDON}.hr_talent_pool_passive")
    other_pool = env["hr.talent.pool"].create({"name": "Upgrade check pool"})
    talents = env["hr.applicant"].create(
        [
            {
                "partner_name": f"Upgrade Talent {i}",
                "email_from": f"upgrade.talent.{i}@example.com",
                "talent_pool_ids": [Command.link(pool.id), Command.link(other_pool.id)],
                "is_passive_candidate": True,
                "current_company": f"Company {i}",
                "current_job_title": "Engineer",
                "current_role_start_date": "2022-05-17",
                "years_of_experience": i + 3,
                "openness": ["not_open", "open_to_talk", "open_to_offers"][i % 3],
                "desired_timing": ["now", "within_6_months", "within_1_year", "later"][i % 4],
                "preferred_channel": ["email", "linkedin", "sms", "phone"][i % 4],
                "preferred_channel_confirmed": bool(i % 2),
                "do_not_contact": i == 4,
                "do_not_contact_reason": "Asked us to stop" if i == 4 else False,
                "outreach_opted_out": i == 5,
                "unresponsive_date": now - timedelta(days=3) if i == 6 else False,
            }
            for i in range(8)
        ]
    )
    job = env["hr.job"].create({"name": "Upgrade check job"})
    env["hr.applicant"].create(
        {
            "partner_name": "Upgrade Talent 0",
            "email_from": "upgrade.talent.0@example.com",
            "job_id": job.id,
            "pool_applicant_id": talents[0].id,
        }
    )
    values = []
    for i, talent in enumerate(talents):
        for days, direction, kind, outcome in (
            (200, "outbound", "outreach", "sent"),
            (150, "outbound", "follow_up", "opened"),
            (40, "inbound", "reply", "replied"),
            (5, "inbound", "call", "done"),
        )[: 1 + i % 4]:
            values.append(
                {
                    "applicant_id": talent.id,
                    "date": now - timedelta(days=days + i),
                    "channel": "linkedin" if kind == "call" else "email",
                    "direction": direction,
                    "kind": kind,
                    "outcome": outcome,
                    "summary": f"{kind} with {talent.partner_name}",
                }
            )
        values.append(
            {
                "applicant_id": talent.id,
                "date": now + timedelta(days=10 + i),
                "kind": "follow_up",
                "outcome": "planned",
            }
        )
    env["hr.recruitment.touchpoint"].create(values)
    if "hr.recruitment.drip" in env:
        _fill_drips(talents)
    if "hr.recruitment.resource" in env:
        _fill_resources(talents)
    # an administrator's edits of noupdate data must survive the upgrade
    pool.write({"name": "Passive talent (renamed by the admin)"})
    env.ref(f"{ADDON}.ir_cron_recompute_engagement").write({"interval_number": 3})
    # settings whose fields 19.0.2.0.0 renames: the values must follow the new names
    env.company.write(
        {
            "outreach_sender_daily_cap": 77,
            "outreach_sender_ramp_start": 5,
            "outreach_sender_ramp_step": 4,
            "outreach_occasion_auto_email": True,
            "outreach_word_budget": 123,
        }
    )
    env.ref("base.user_admin").write(
        {
            "outreach_sender_daily_cap": 42,
            "outreach_sender_since": "2026-01-02",
            "outreach_weekly_digest": True,
        }
    )
    env.cr.commit()
    print(f"UPGRADE CHECK: created {len(talents)} talents and {len(values)} touchpoints")


def _fill_drips(talents):
    template = env.ref(f"{ADDON}.mail_template_drip_first_touch", raise_if_not_found=False)
    drip = env["hr.recruitment.drip"].create(
        {
            "name": "Upgrade check drip",
            "step_ids": [
                Command.create(
                    {
                        "sequence": 1,
                        "name": "First touch",
                        "channel": "email",
                        "variant_ids": [
                            Command.create(
                                {"name": "A", "split_percent": 50, "mail_template_id": template.id}
                            ),
                            Command.create(
                                {"name": "B", "split_percent": 50, "mail_template_id": template.id}
                            ),
                        ],
                    }
                ),
                Command.create(
                    {
                        "sequence": 2,
                        "name": "LinkedIn",
                        "channel": "linkedin",
                        "delay": 3,
                        "variant_ids": [
                            Command.create({"name": "A", "body": "Hello {{ object.partner_name }}"})
                        ],
                    }
                ),
            ],
        }
    )
    result = drip.enroll(talents)
    print(f"UPGRADE CHECK: enrolled {len(result['enrollments'])} talents in a drip")


def _fill_resources(talents):
    resource = env["hr.recruitment.resource"].create(
        {"name": "Upgrade check guide", "url": "https://example.com/guide"}
    )
    env["hr.recruitment.touchpoint"].create(
        [
            {
                "applicant_id": talent.id,
                "resource_id": resource.id,
                "kind": "resource",
                "channel": "email",
                "outcome": "sent",
            }
            for talent in talents[:3]
        ]
    )


def _is_table(model):
    return model._auto and not model._abstract and not model._transient


def snapshot():
    Data = env["ir.model.data"]
    own_models = env["ir.model"].browse(
        Data.search([("module", "=", ADDON), ("model", "=", "ir.model")]).mapped("res_id")
    )
    own_fields = env["ir.model.fields"].browse(
        Data.search([("module", "=", ADDON), ("model", "=", "ir.model.fields")]).mapped("res_id")
    )
    fields_by_model = {}
    for model in own_models.filtered(lambda m: m.model in env and _is_table(env[m.model])):
        fields_by_model[model.model] = [
            name for name, field in env[model.model]._fields.items() if field.store
        ]
    for field in own_fields:
        if (
            field.model in env
            and _is_table(env[field.model])
            and field.model not in fields_by_model
        ):
            field_obj = env[field.model]._fields.get(field.name)
            if field_obj is not None and field_obj.store:
                fields_by_model.setdefault(f"+{field.model}", []).append(field.name)
    result = {"counts": {}, "records": {}}
    for key, names in sorted(fields_by_model.items()):
        model = key.lstrip("+")
        records = env[model].search([], order="id")
        if key.startswith("+"):  # another addon's model: only its records touched by ours
            records = records.filtered(lambda r, names=names: any(r[n] for n in names))
        skip = {"write_date", "write_uid", "__last_update"}
        rows = records.read([n for n in names if n not in skip] + ["id"])
        result["counts"][model] = len(records)
        result["records"][model] = rows
    for xmlid in (f"{ADDON}.hr_talent_pool_passive", f"{ADDON}.ir_cron_recompute_engagement"):
        record = env.ref(xmlid)
        result["records"][xmlid] = record.read(["name", "active"])[0] | (
            {"interval_number": record.interval_number} if record._name == "ir.cron" else {}
        )
    with open(os.environ["PASSIVE_UPGRADE_OUT"], "w", encoding="utf-8") as out:
        json.dump(result, out, default=str, indent=1, sort_keys=True)
    print(f"UPGRADE CHECK: snapshot {result['counts']}")


DRIP_CRONS = {
    "ir_cron_drip_process_due_steps": "model._cron_process_due_steps(worker=1, workers=2)",
    "ir_cron_drip_process_due_steps_2": "model._cron_process_due_steps(worker=2, workers=2)",
}
LEGACY_DRIP_CRON = (
    "Recruitment: send due drip sequence steps",
    "model._cron_process_due_steps()",
    "19.0.1.1.0",
)


def legacy_crons():
    """Put the drip's scheduled action back as 19.0.1.1.0 had it: one action running every
    candidate (the second worker's action does not exist yet)."""
    name, code, version = LEGACY_DRIP_CRON
    first, second = (env.ref(f"{ADDON}.{xmlid}") for xmlid in DRIP_CRONS)
    first.write({"name": name, "code": code})
    env["ir.model.data"].search(
        [("module", "=", ADDON), ("name", "=", "ir_cron_drip_process_due_steps_2")]
    ).unlink()
    second.unlink()
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    env.cr.execute(
        "UPDATE ir_module_module SET latest_version = %s WHERE id = %s", [version, module.id]
    )
    env.cr.commit()
    print(f"UPGRADE CHECK: drip scheduled action set back to {version}")


def crons():
    """After the upgrade: one drip action per worker, each running its share."""
    for xmlid, code in DRIP_CRONS.items():
        cron = env.ref(f"{ADDON}.{xmlid}", raise_if_not_found=False)
        assert cron, f"{xmlid} is missing after the upgrade"
        assert cron.code.strip() == code, f"{xmlid}: {cron.code!r}"
        assert cron.active, f"{xmlid} is not active"
    other = env["ir.cron"].search([("code", "=", LEGACY_DRIP_CRON[1])])
    assert not other, f"a drip action still runs every candidate: {other.mapped('name')}"
    print(f"UPGRADE CHECK: drip scheduled actions {', '.join(DRIP_CRONS)} in place")


def _load_migration(version, name):
    path = Path(get_module_path(ADDON)) / "migrations" / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"passive_upgrade_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHIPPED_TEMPLATES = ("mail_template_work_anniversary", "mail_template_recent_hires")


def legacy_fields():
    """Put the database back as 19.0.1.2.0 had it for what 19.0.2.0.0 renames: the company's
    and the users' `drip_sender_*` / `passive_*` fields, and `object._passive_*()` in the shipped
    (noupdate) templates."""
    renames = _load_migration("19.0.2.0.0", "pre-rename_fields")
    for model, names in renames.RENAMED_FIELDS.items():
        for old, new in names.items():
            renames.rename_field(env.cr, model, new, old)
    for xmlid in SHIPPED_TEMPLATES:
        template = env.ref(f"{ADDON}.{xmlid}")
        env.cr.execute(
            "UPDATE mail_template SET body_html = %s, subject = %s WHERE id = %s",
            [
                json.dumps({"en_US": template.body_html.replace("._outreach_", "._passive_")}),
                json.dumps({"en_US": template.subject.replace("._outreach_", "._passive_")}),
                template.id,
            ],
        )
    env.cr.execute("SELECT count(*) FROM mail_template WHERE body_html::text LIKE '%._passive_%'")
    legacy_templates = env.cr.fetchone()[0]
    env.cr.commit()
    print(
        f"UPGRADE CHECK: {sum(map(len, renames.RENAMED_FIELDS.values()))} fields and "
        f"{legacy_templates} templates set back to 19.0.1.2.0 names"
    )


def fields_renamed():
    """After the upgrade: the old names are gone and the shipped templates render."""
    renames = _load_migration("19.0.2.0.0", "pre-rename_fields")
    for model, names in renames.RENAMED_FIELDS.items():
        for old, new in names.items():
            assert old not in env[model]._fields and new in env[model]._fields, (model, old)
            assert env["ir.model.fields"]._get(model, new), (model, new)
            assert not env["ir.model.fields"]._get(model, old), (model, old)
    env.cr.execute("SELECT count(*) FROM mail_template WHERE body_html::text LIKE '%._passive_%'")
    assert not env.cr.fetchone()[0], "a template still calls object._passive_*()"
    talent = env["hr.applicant"].search(
        [("is_passive_candidate", "=", True), ("pool_applicant_id", "!=", False)], limit=1
    )
    for xmlid in SHIPPED_TEMPLATES:
        template = env.ref(f"{ADDON}.{xmlid}")
        body = template._render_field("body_html", talent.ids)[talent.id]
        assert "_outreach_" not in body and "_passive_" not in body, xmlid
    print(f"UPGRADE CHECK: renamed fields migrated, {len(SHIPPED_TEMPLATES)} templates render")


{
    "fill": fill,
    "snapshot": snapshot,
    "legacy_crons": legacy_crons,
    "crons": crons,
    "legacy_fields": legacy_fields,
    "fields": fields_renamed,
}[step]()
