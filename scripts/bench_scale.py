# Run inside `odoo-bin shell` (see scripts/bench-scale): `env` is the shell's environment.
# Fixture: N talents (one partner each, in the passive pool) with 3-6 touchpoints over 12 months
# (email, LinkedIn, SMS, phone, meetings, events; outbound and inbound; every outcome) and N/2
# running enrollments, bulk-inserted in SQL; the addon's stored talent figures are then recomputed
# through the ORM in batches. Then each operation is timed and its queries counted; a second pass
# runs them again with the SQL log on and EXPLAINs their SELECTs to print sequential scans of
# large tables.
import logging
import os
import re
import sys
import time
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.fields import Command
from odoo.tools.safe_eval import safe_eval

sys.path.insert(0, os.environ["BENCH_TOOLS"])
from bench_drip import make_drip

N = int(os.environ.get("BENCH_TALENTS", "100000"))
ENROLLED = N // 2
DUE = min(1000, ENROLLED)
ENROLL = min(10000, N)
CHECKED = 200
RECOMPUTE_BATCH = 2000
LARGE_TABLE_ROWS = 5000  # a Seq Scan on a table with more rows is reported
MODULE = "hr_recruitment_passive"
env = env  # noqa: F821 - provided by odoo-bin shell
cr = env.cr


def step(label):
    print(f"-- {label}", flush=True)
    return time.perf_counter()


# --- fixture ---------------------------------------------------------------------------------


def build_fixture():
    started = step(f"fixture: {N} talents, touchpoints, {ENROLLED} enrollments")
    company = env.company
    pool = env.ref(f"{MODULE}.hr_talent_pool_passive")
    # the benchmark measures the work, not the holds: every day and hour may send, caps lifted
    company.write(
        {
            "outreach_cap_short_count": 100,
            "outreach_cap_long_count": 100,
            "outreach_employer_cap_count": 0,
            "outreach_sender_daily_cap": 0,
            "outreach_sender_ramp_start": 0,
            "outreach_window_start": 0.0,
            "outreach_window_end": 24.0,
            "outreach_window_weekdays": False,
            "outreach_retention_enabled": True,
        }
    )
    env.user.email = env.user.email or "admin@example.com"
    drip = make_drip(env, "Scale drip")
    first, follow_up = drip.step_ids.sorted("sequence")[:2]
    template = first.variant_ids.mail_template_id
    first.variant_ids = [
        Command.update(first.variant_ids.id, {"split_percent": 50}),
        Command.create({"name": "B", "split_percent": 50, "mail_template_id": template.id}),
    ]
    drip.ab_auto_apply = True
    variant_a, variant_b = first.variant_ids.sorted("id")
    enroll_drip = make_drip(env, "Enroll drip")
    enroll_drip.allow_overlap = True
    env.flush_all()
    params = {
        "n": N,
        "company": company.id,
        "uid": env.uid,
        "pool": pool.id,
        "drip": drip.id,
        "drip_user": drip.user_id.id,
        "first": first.id,
        "follow_up": follow_up.id,
        "variant_a": variant_a.id,
        "variant_b": variant_b.id,
        "template": variant_a.mail_template_id.id,
        "enrolled": ENROLLED,
        "due": DUE,
    }
    # g numbers the talents 1..N; res_partner.ref keeps it for the joins below
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, email, email_normalized, ref, company_id,
               lang, type, active, partner_share, create_uid, write_uid, create_date, write_date)
        SELECT 'Scale Talent ' || g, 'Scale Talent ' || g, 'scale.talent.' || g || '@example.com',
               'scale.talent.' || g || '@example.com', 'scale-' || g, %(company)s, 'en_US',
               'contact', TRUE, TRUE, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(n)s) g;
        UPDATE res_partner SET commercial_partner_id = id
         WHERE ref LIKE 'scale-%%' AND commercial_partner_id IS NULL;
        """,
        params,
    )
    # every 200th talent was created 3 years ago and has not been heard of for 2 years: the
    # retention rule (24 months) anonymizes it; every 100th has a work anniversary today
    cr.execute(
        """
        INSERT INTO hr_applicant (partner_id, company_id, partner_name, email_from,
               email_normalized, sequence, priority, kanban_state, active, is_passive_candidate,
               current_company, current_job_title, current_role_start_date, preferred_channel,
               outreach_status, outreach_frequency, do_not_contact, do_not_contact_reason,
               outreach_opted_out,
               create_uid, write_uid, create_date, write_date, date_last_stage_update)
        SELECT p.id, %(company)s, p.name, p.email, p.email_normalized, 10, '0', 'normal', TRUE,
               TRUE, 'Employer ' || (s.g %% 5000),
               (ARRAY['Engineer', 'Designer', 'Data Scientist', 'Product Manager',
                      'Sales Manager'])[1 + s.g %% 5],
               CASE WHEN s.g %% 100 = 7 THEN current_date - make_interval(years => 1 + s.g %% 9)
                    ELSE current_date - (s.g %% 3000) END,
               (ARRAY['email', 'email', 'linkedin', 'phone'])[1 + s.g %% 4],
               'new', 'normal', s.g %% 97 = 0,
               CASE WHEN s.g %% 97 = 0 THEN 'Asked not to be contacted' END, s.g %% 89 = 0,
               %(uid)s, %(uid)s, s.created, s.created, s.created
          FROM res_partner p
          CROSS JOIN LATERAL (
               SELECT substr(p.ref, 7)::int AS g,
                      CASE WHEN substr(p.ref, 7)::int %% 200 = 0 THEN now() - interval '3 years'
                           ELSE now() - interval '13 months'
                                + make_interval(days => substr(p.ref, 7)::int %% 30) END
                      AS created) s
         WHERE p.ref LIKE 'scale-%%'
         ORDER BY s.g;
        UPDATE hr_applicant SET pool_applicant_id = id WHERE pool_applicant_id IS NULL;
        INSERT INTO hr_applicant_hr_talent_pool_rel (hr_applicant_id, hr_talent_pool_id)
        SELECT id, %(pool)s FROM hr_applicant WHERE partner_id IS NOT NULL
        ON CONFLICT DO NOTHING;
        """,
        params,
    )
    cr.execute("SELECT min(id) FROM hr_applicant WHERE email_from LIKE 'scale.talent.%%'")
    params["first_id"] = cr.fetchone()[0]
    # touchpoints: 3-6 per talent, oldest first, the last within 60 days (2 years back for the
    # talents the retention rule expires); the last one is the candidate's reply except for 1 in
    # 50 talents (the cleanup removes those), 1 in 7 earlier ones are replies too; the first is the
    # drip's first email (variant A or B) for enrolled talents; 1 in 10 has a planned call
    cr.execute(
        """
        WITH t AS (
            SELECT a.id, a.id - %(first_id)s + 1 AS g, 3 + (a.id %% 4) AS n
              FROM hr_applicant a WHERE a.email_from LIKE 'scale.talent.%%'
        ), tp AS (
            SELECT t.id AS applicant_id, t.g, t.n, k,
                   (k = t.n AND t.g %% 50 <> 1) OR (k < t.n AND k > 1 AND (t.g + k) %% 7 = 0)
                   AS inbound,
                   k = 1 AND t.g %% 2 = 0 AND t.g / 2 <= %(enrolled)s AS drip_email,
                   (ARRAY['email', 'email', 'email', 'linkedin', 'phone', 'sms', 'meeting',
                          'event'])[1 + (t.g * 7 + k * 3) %% 8] AS channel,
                   now() - make_interval(days => (t.n - k) * 60 + t.g %% 59 + 1,
                                         mins => t.g %% 1440)
                   - CASE WHEN t.g %% 200 = 0 THEN interval '2 years' ELSE interval '0' END AS date
              FROM t CROSS JOIN LATERAL generate_series(1, t.n) k
        )
        INSERT INTO hr_recruitment_touchpoint (applicant_id, company_id, user_id, channel,
               direction, kind, outcome, date, opened_date, clicked_date, auto_reply,
               third_party, automated, privacy_notice, declined, drip_id, step_id, variant_id,
               mail_template_id, summary, create_uid, write_uid, create_date, write_date)
        SELECT applicant_id, %(company)s, %(uid)s,
               CASE WHEN drip_email THEN 'email' ELSE channel END,
               CASE WHEN inbound AND NOT drip_email THEN 'inbound' ELSE 'outbound' END,
               CASE WHEN drip_email THEN 'outreach'
                    WHEN inbound THEN 'reply'
                    WHEN channel = 'phone' THEN 'call'
                    WHEN channel IN ('meeting', 'event') THEN 'meeting'
                    WHEN k = 1 THEN 'outreach' ELSE 'follow_up' END,
               CASE WHEN inbound AND NOT drip_email THEN 'replied'
                    WHEN drip_email OR channel = 'email'
                        THEN (ARRAY['sent', 'delivered', 'opened', 'opened', 'clicked',
                                    'bounced'])[1 + (g + k) %% 6]
                    WHEN channel = 'phone' THEN (ARRAY['no_answer', 'done'])[1 + g %% 2]
                    WHEN channel IN ('linkedin', 'sms') THEN 'sent'
                    ELSE 'done' END,
               date,
               CASE WHEN (g + k) %% 6 IN (2, 3, 4) THEN date + interval '3 hours' END,
               CASE WHEN (g + k) %% 6 = 4 THEN date + interval '4 hours' END,
               FALSE, FALSE, drip_email, FALSE, FALSE,
               CASE WHEN drip_email THEN %(drip)s END,
               CASE WHEN drip_email THEN %(first)s END,
               CASE WHEN drip_email AND g %% 4 = 0 THEN %(variant_b)s
                    WHEN drip_email THEN %(variant_a)s END,
               CASE WHEN drip_email THEN %(template)s END,
               'Scale touchpoint ' || k, %(uid)s, %(uid)s, date, date
          FROM tp;
        INSERT INTO hr_recruitment_touchpoint (applicant_id, company_id, user_id, channel,
               direction, kind, outcome, date, auto_reply, third_party, automated, summary,
               create_uid, write_uid, create_date, write_date)
        SELECT id, %(company)s, %(uid)s, 'phone', 'outbound', 'call', 'planned',
               now() + make_interval(days => 1 + id %% 20), FALSE, FALSE, FALSE, 'Planned call',
               %(uid)s, %(uid)s, now(), now()
          FROM hr_applicant WHERE email_from LIKE 'scale.talent.%%' AND id %% 10 = 0;
        """,
        params,
    )
    # enrollments: the even talents up to N/2, in the follow-up step; DUE of them due now
    cr.execute(
        """
        INSERT INTO hr_recruitment_drip_enrollment (applicant_id, drip_id, company_id, user_id,
               state, step_id, next_run_at, create_uid, write_uid, create_date, write_date)
        SELECT a.id, %(drip)s, %(company)s, %(drip_user)s, 'running', %(follow_up)s,
               CASE WHEN (a.id - %(first_id)s + 1) / 2 <= %(due)s
                    THEN now() - interval '1 hour'
                    ELSE now() + make_interval(days => 1 + a.id %% 14) END,
               %(uid)s, %(uid)s, now() - interval '10 days', now() - interval '10 days'
          FROM hr_applicant a
         WHERE a.email_from LIKE 'scale.talent.%%' AND (a.id - %(first_id)s + 1) %% 2 = 0
           AND (a.id - %(first_id)s + 1) / 2 <= %(enrolled)s;
        UPDATE hr_recruitment_touchpoint tp SET enrollment_id = e.id
          FROM hr_recruitment_drip_enrollment e
         WHERE tp.drip_id = e.drip_id AND tp.applicant_id = e.applicant_id;
        """,
        params,
    )
    print(f"   SQL inserts: {time.perf_counter() - started:.0f} s", flush=True)
    # the addon's stored talent figures (touchpoint stats, engagement, outreach status...)
    Applicant = env["hr.applicant"].with_context(tracking_disable=True)
    computed = [
        field
        for field in Applicant._fields.values()
        if field.store and field.compute and field._module == MODULE
    ]
    cr.execute("SELECT id FROM hr_applicant WHERE email_from LIKE 'scale.talent.%%' ORDER BY id")
    ids = [row[0] for row in cr.fetchall()]
    for offset in range(0, len(ids), RECOMPUTE_BATCH):
        batch = Applicant.browse(ids[offset : offset + RECOMPUTE_BATCH])
        for field in computed:
            env.add_to_compute(field, batch)
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()
    cr.execute("ANALYZE")
    env.cr.commit()
    print(
        f"   fixture ready in {time.perf_counter() - started:.0f} s "
        f"({len(computed)} stored fields recomputed: {', '.join(f.name for f in computed)})",
        flush=True,
    )
    cr.execute("SELECT count(*) FROM hr_recruitment_touchpoint")
    touchpoints = cr.fetchone()[0]
    print(f"   {len(ids)} talents, {touchpoints} touchpoints", flush=True)
    return drip, enroll_drip, ids


# --- what the browser asks for ----------------------------------------------------------------


def spec_from_arch(node, Model):
    """The web client's read specification for the fields of a view arch (subviews inlined)."""
    spec = {}
    for field_node in node.iter("field"):
        if any(parent.tag == "field" for parent in field_node.iterancestors()):
            continue  # a subview's field: read with its own model below
        name = field_node.get("name")
        field = Model._fields.get(name)
        if not field:
            continue
        if field.relational:
            subview = next(iter(field_node.iterchildren("list", "kanban")), None)
            sub = (
                spec_from_arch(subview, env[field.comodel_name])
                if subview is not None
                else {"display_name": {}}
            )
            spec[name] = {"fields": sub}
            if field.type in ("one2many", "many2many") and subview is not None:
                spec[name]["limit"] = 40
        else:
            spec[name] = {}
    return spec


def view_spec(Model, view_ref, view_type):
    view_id = env.ref(view_ref).id if view_ref else False
    views = Model.get_views([(view_id, view_type)])
    return spec_from_arch(etree.fromstring(views["views"][view_type]["arch"]), Model)


# --- measure ----------------------------------------------------------------------------------


def operations(drip, enroll_drip, ids):
    Applicant = env["hr.applicant"]
    action = env.ref(f"{MODULE}.hr_applicant_action_passive")
    domain = safe_eval(action.domain)
    list_spec = view_spec(Applicant, f"{MODULE}.hr_applicant_view_list_passive", "list")
    kanban_spec = view_spec(Applicant, f"{MODULE}.hr_applicant_view_kanban_passive", "kanban")
    form_spec = view_spec(Applicant, None, "form")
    Enrollment = env["hr.recruitment.drip.enrollment"]
    Retention = env["hr.recruitment.retention"]
    talents = Applicant.browse(ids)
    checked = talents[len(ids) // 3 : len(ids) // 3 + CHECKED]
    form_id = ids[len(ids) // 2]
    return [
        # label, callable, count of talents it is about (for queries per talent)
        ("cron: cleanup", lambda: env["hr.recruitment.cleanup"]._cron_remove_unresponsive(), N),
        ("retention dry run", lambda: Retention._dry_run(env.company), N),
        ("cron: retention run (rule on)", lambda: Retention._cron_anonymize_expired(), N),
        (
            "cron: occasions",
            lambda: env["hr.recruitment.occasion"]._cron_send_occasion_messages(),
            N,
        ),
        ("cron: A/B winners", lambda: env["hr.recruitment.drip"]._cron_apply_ab_winners(), N),
        (
            "cron: engagement recompute",
            lambda: env["hr.recruitment.engagement"]._cron_recompute_engagement(),
            N,
        ),
        (f"cron: drip due steps ({DUE} due emails)", Enrollment._cron_process_due_steps, DUE),
        ("cron: drip due steps (none due)", Enrollment._cron_process_due_steps, N),
        (
            "list: web_search_read 80",
            lambda: Applicant.web_search_read(domain, list_spec, limit=80, count_limit=10001),
            N,
        ),
        (
            "list: web_read_group outreach_status",
            lambda: Applicant.web_read_group(domain, ["outreach_status"], ["__count"]),
            N,
        ),
        (
            "kanban: grouped, 40 per column",
            lambda: Applicant.web_read_group(
                domain,
                ["outreach_status"],
                ["__count"],
                auto_unfold=True,
                unfold_read_specification=kanban_spec,
                unfold_read_default_limit=40,
            ),
            N,
        ),
        ("form: web_read", lambda: Applicant.browse(form_id).web_read(form_spec), 1),
        (
            f"contact policy _check x{CHECKED}",
            lambda: env["hr.recruitment.contact.policy"]._check(checked, "email"),
            CHECKED,
        ),
        (f"enroll() x{ENROLL}", lambda: enroll_drip.enroll(talents[:ENROLL]), ENROLL),
    ]


class SqlLog(logging.Handler):
    """Collects the queries odoo.sql_db logs at debug level."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.queries = []

    def emit(self, record):
        if record.msg.startswith("[%.3f ms] query"):
            self.queries.append((record.args[0], record.args[1]))


EFFECTS = {
    "unresponsive": "SELECT count(*) FROM hr_applicant WHERE outreach_status = 'unresponsive'",
    "anonymized": "SELECT count(*) FROM hr_applicant WHERE anonymized_date IS NOT NULL",
    "touchpoints": "SELECT count(*) FROM hr_recruitment_touchpoint",
    "mails": "SELECT count(*) FROM mail_mail",
    "activities": "SELECT count(*) FROM mail_activity",
    "enrollments": "SELECT count(*) FROM hr_recruitment_drip_enrollment",
}


def effects():
    """Row counts an operation may change (read outside the measured part)."""
    counts = {}
    for name, query in EFFECTS.items():
        cr.execute(query)
        counts[name] = cr.fetchone()[0]
    return counts


def run(label, function):
    env.invalidate_all()
    count = cr.sql_log_count
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    queries = cr.sql_log_count - count
    env.cr.commit()
    return seconds, queries, result


def describe(label, result, before, after):
    changed = ", ".join(
        f"{after[name] - before[name]:+d} {name}" for name in EFFECTS if after[name] != before[name]
    )
    return " ".join(filter(None, [summary(label, result), changed]))


def summary(label, result):
    if isinstance(result, dict) and "enrollments" in result:
        return f"{len(result['enrollments'])} enrolled, {len(result['skipped'])} skipped"
    if isinstance(result, list) and label.startswith("retention"):
        return f"{len(result)} lines"
    if isinstance(result, dict) and "length" in result:
        return f"{result['length']} groups" if "groups" in result else f"{result['length']} rows"
    if isinstance(result, dict) and "groups" in result:
        return f"{result['length']} groups"
    return ""


def large_tables():
    cr.execute(
        "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples > %s"
        " AND relnamespace = 'public'::regnamespace",
        [LARGE_TABLE_ROWS],
    )
    return dict(cr.fetchall())


def explain(ops):
    """Second pass: the same operations with the SQL log on; EXPLAIN their SELECTs."""
    large = large_tables()
    print(f"\nEXPLAIN of the SELECTs of each operation (large tables: {', '.join(sorted(large))})")
    logger = logging.getLogger("odoo.sql_db")
    handler = SqlLog()
    logger.addHandler(handler)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # collected, not printed
    found = 0
    try:
        for label, function, _count in ops:
            handler.queries.clear()
            run(label, function)
            seen = set()
            for ms, query in list(handler.queries):
                if not query.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                shape = re.sub(r"\d+", "0", query)
                if shape in seen:
                    continue
                seen.add(shape)
                try:
                    with cr.savepoint():
                        cr.execute("EXPLAIN " + query)
                        plan = [row[0] for row in cr.fetchall()]
                except Exception as error:
                    print(f"  [{label}] EXPLAIN failed ({type(error).__name__}): {query[:120]}")
                    continue
                scans = [
                    line.strip()
                    for line in plan
                    if (m := re.search(r"Seq Scan on (\w+)", line)) and m.group(1) in large
                ]
                if scans:
                    found += 1
                    print(f"  [{label}] {ms:.0f} ms: {'; '.join(scans)}\n      {query[:300]}")
    finally:
        logger.setLevel(level)
        logger.propagate = propagate
        logger.removeHandler(handler)
    print(f"  {found} queries with a sequential scan on a large table")


def main():
    started = time.perf_counter()
    drip, enroll_drip, ids = build_fixture()
    ops = operations(drip, enroll_drip, ids)
    rows = []
    # nothing leaves the machine: the mail queue is not processed, and a send would fail here
    no_smtp = RuntimeError("no SMTP in benchmarks")
    with (
        patch("smtplib.SMTP", side_effect=no_smtp),
        patch("smtplib.SMTP_SSL", side_effect=no_smtp),
    ):
        for label, function, count in ops:
            print(f"-- {label}", flush=True)
            before = effects()
            seconds, queries, result = run(label, function)
            note = describe(label, result, before, effects())
            rows.append((label, seconds, queries, queries / count, note))
        cr.execute("SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
        print(f"   {cr.fetchone()[0]} mails queued (not sent)")
        print(f"\nBENCH {N} talents, {fields.Datetime.now():%Y-%m-%d}")
        print(f"BENCH {'operation':<40} {'seconds':>8} {'queries':>8} {'q/talent':>9}  result")
        for label, seconds, queries, per_talent, note in rows:
            print(f"BENCH {label:<40} {seconds:8.2f} {queries:8d} {per_talent:9.3f}  {note}")
        explain(ops)
    print(f"total {time.perf_counter() - started:.0f} s")


main()
