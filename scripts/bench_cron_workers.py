"""Benchmark: the drip cron run by one or by two real Odoo cron worker processes.

Two parts (see scripts/bench-cron-workers, which calls both):

* ``BENCH_STEP=build``, run inside ``odoo-bin shell``: a drip with two email steps, one candidate
  and its enrollment made through the ORM, then copied with bulk SQL to TOTAL running
  enrollments of which DUE are due now (the others are due in two days). Every other scheduled
  action is switched off (the mail queue too: emails stay queued in mail.mail, nothing is sent
  out); the drip's two scheduled actions (worker 1/2 and 2/2) wait.
* otherwise, plain Python (Odoo's virtualenv): for each run, a copy of that database, then
  ``odoo-bin --no-http`` with one cron thread, with two cron threads, with two cron worker
  processes (prefork: ``--workers=1 --max-cron-threads=2``), then two processes with one cron
  thread each; the clock starts when the drip's scheduled actions are made ready and
  the workers are woken (NOTIFY cron_trigger), and stops when no due enrollment remains. Then
  it checks, in SQL: one touchpoint and one queued mail per due enrollment (none twice, none
  skipped), nothing for the enrollments not due.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from odoo.fields import Command

# the drip's scheduled actions, one per cron worker (worker 1/2 and 2/2)
DRIP_CRON_XMLIDS = ("ir_cron_drip_process_due_steps", "ir_cron_drip_process_due_steps_2")


# ----------------------------------------------------------------------------------------------
# build (inside odoo-bin shell)
# ----------------------------------------------------------------------------------------------


def build(env, total, due):
    from odoo import fields

    cr = env.cr
    started = time.perf_counter()
    pool = env.ref("hr_recruitment_passive.hr_talent_pool_passive")
    template = env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
    env.user.email = env.user.email or "admin@example.com"
    # the run measures the work, not the holds: one sender sends them all (no daily cap nor
    # new-mailbox ramp), all at one employer (no per-employer cap)
    env.company.write(
        {
            "outreach_sender_daily_cap": 0,
            "outreach_sender_ramp_start": 0,
            "outreach_employer_cap_count": 0,
            "outreach_cap_short_count": 100,
            "outreach_cap_long_count": 100,
        }
    )
    drip = env["hr.recruitment.drip"].create(
        {
            "name": "Cron workers benchmark",
            **{f"send_{day}": True for day in ("saturday", "sunday")},
            "send_hour_from": 0.0,
            "send_hour_to": 24.0,
            "skip_public_holidays": False,
            "step_ids": [
                (
                    0,
                    0,
                    {
                        "name": name,
                        "channel": "email",
                        "delay": delay,
                        "variant_ids": [
                            Command.create({"name": "A", "mail_template_id": template.id})
                        ],
                    },
                )
                for name, delay in (("First touch", 0), ("Follow-up", 3))
            ],
        }
    )
    seed = env["hr.applicant"].create(
        {
            "partner_name": "Bench Talent 0",
            "email_from": "bench.talent.0@example.com",
            "talent_pool_ids": [Command.link(pool.id)],
            "is_passive_candidate": True,
            "current_company": "Acme",
            "current_job_title": "Engineer",
        }
    )
    seed_enrollment = drip.enroll(seed)["enrollments"]
    assert len(seed_enrollment) == 1
    env.flush_all()
    count = total - 1  # the seed is one of the enrollments that are not due

    partner_ids = copy_rows(
        cr,
        "res_partner",
        seed.partner_id.id,
        count,
        {
            "name": "'Bench Talent ' || n",
            "complete_name": "'Bench Talent ' || n",
            "email": "'bench.talent.' || n || '@example.com'",
            "email_normalized": "'bench.talent.' || n || '@example.com'",
        },
    )
    applicant_ids = copy_rows(
        cr,
        "hr_applicant",
        seed.id,
        count,
        {
            "partner_id": "ref",
            "partner_name": "'Bench Talent ' || n",
            "email_from": "'bench.talent.' || n || '@example.com'",
            "email_normalized": "'bench.talent.' || n || '@example.com'",
        },
        refs=partner_ids,
    )
    cr.execute("UPDATE hr_applicant SET pool_applicant_id = id WHERE id = ANY(%s)", [applicant_ids])
    rel = env["hr.applicant"]._fields["talent_pool_ids"]
    cr.execute(
        f'INSERT INTO "{rel.relation}" ("{rel.column1}", "{rel.column2}") '
        "SELECT unnest(%s::int[]), %s",
        [applicant_ids, pool.id],
    )
    now = fields.Datetime.now()
    copy_rows(
        cr,
        "hr_recruitment_drip_enrollment",
        seed_enrollment.id,
        count,
        {
            "applicant_id": "ref",
            "next_run_at": f"CASE WHEN n <= {int(due)} THEN %(due)s ELSE %(later)s END",
        },
        refs=applicant_ids,
        params={"due": now - timedelta(hours=1), "later": now + timedelta(hours=48)},
    )
    cr.execute(
        "UPDATE hr_recruitment_drip_enrollment SET next_run_at = %s WHERE id = %s",
        [now + timedelta(hours=48), seed_enrollment.id],
    )
    # the due set, kept for the checks after each run
    cr.execute(
        "CREATE TABLE bench_due AS SELECT id FROM hr_recruitment_drip_enrollment"
        " WHERE drip_id = %s AND state = 'running' AND next_run_at <= %s",
        [drip.id, now],
    )
    cr.execute("SELECT count(*) FROM bench_due")
    assert cr.fetchone()[0] == due
    # only the drip's scheduled actions run; no email leaves (the mail queue cron is off)
    env["ir.cron"].search([]).write({"active": False})
    for xmlid in DRIP_CRON_XMLIDS:
        env.ref(f"hr_recruitment_passive.{xmlid}").write(
            {"active": True, "nextcall": "2999-01-01 00:00:00"}
        )
    env["ir.cron.trigger"].search([]).unlink()
    cr.execute("ANALYZE")
    env.cr.commit()
    print(
        f"built {total} running enrollments ({due} due) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def copy_rows(cr, table, seed_id, count, overrides, refs=None, params=None):
    """Insert `count` copies of row `seed_id` of `table`; `n` is the copy's number (1..count),
    `ref` the n-th id of `refs`. Single-column unique indexes get NULL. Return the new ids."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " ORDER BY ordinal_position",
        [table],
    )
    columns = [name for (name,) in cr.fetchall() if name != "id"]
    cr.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = i.indkey[0] WHERE i.indrelid = %s::regclass AND i.indisunique"
        " AND i.indnatts = 1",
        [table],
    )
    unique = {name for (name,) in cr.fetchall()} - {"id"}
    exprs = []
    for column in columns:
        if column in overrides:
            exprs.append(overrides[column])
        elif column in unique:
            exprs.append("NULL")
        else:
            exprs.append(f't."{column}"')
    cols = ", ".join(f'"{column}"' for column in columns)
    source = (
        "unnest(%(refs)s::int[]) WITH ORDINALITY AS u(ref, n)"
        if refs is not None
        else "generate_series(1, %(count)s) AS n"
    )
    cr.execute(
        f'INSERT INTO "{table}" ({cols}) SELECT {", ".join(exprs)} '
        f'FROM "{table}" t, {source} WHERE t.id = %(seed)s ORDER BY n RETURNING id',
        {"refs": refs, "count": count, "seed": seed_id, **(params or {})},
    )
    ids = [row[0] for row in cr.fetchall()]
    assert len(ids) == count, (table, len(ids))
    return ids


# ----------------------------------------------------------------------------------------------
# runs (plain Python)
# ----------------------------------------------------------------------------------------------


def connect(dbname):
    import psycopg2

    connection = psycopg2.connect(dbname=dbname)
    connection.autocommit = True
    return connection


def one(connection, query, params=None):
    with connection.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchone()[0]


def cpu_seconds(pid):
    """User + system CPU time of a process and its live children (prefork cron workers), in
    seconds (Linux /proc)."""
    try:
        fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


def run(args, label, processes, threads, prefork=False):
    db = f"{args.base_db}_run"
    admin = connect("postgres")
    one(admin, "SELECT 1")
    with admin.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}"')
        cr.execute(f'CREATE DATABASE "{db}" TEMPLATE "{args.base_db}"')
    procs, logs = [], []
    try:
        for number in range(processes):
            log = Path(args.workdir) / f"{label.replace(' ', '_')}_{number}.log"
            logs.append(log)
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        args.odoo_bin,
                        "-c",
                        args.conf,
                        "-d",
                        db,
                        "--no-http",
                        f"--max-cron-threads={threads}",
                        # prefork: each cron worker is a process of its own
                        *(["--workers=1"] if prefork else []),
                        "--log-level=info",
                        f"--logfile={log}",
                    ],
                    env={**os.environ, "ODOO_NOTIFY_CRON_CHANGES": "1"},
                )
            )
        deadline = time.monotonic() + 600
        for log in logs:  # the cron thread starts once the registry is loaded
            while not (log.exists() and "Registry loaded" in log.read_text()):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{log} never loaded the registry")
                time.sleep(0.5)
        time.sleep(3)
        connection = connect(db)
        cpu_before = [cpu_seconds(proc.pid) for proc in procs]
        due_sql = (
            "SELECT count(*) FROM hr_recruitment_drip_enrollment e JOIN bench_due d ON d.id = e.id"
            " WHERE e.state = 'running' AND e.next_run_at <= now() at time zone 'utc'"
        )
        started = time.monotonic()
        with connection.cursor() as cr:
            cr.execute(
                "UPDATE ir_cron SET active = true, nextcall = now() at time zone 'utc'"
                " WHERE id IN (SELECT res_id FROM ir_model_data WHERE model = 'ir.cron'"
                " AND module = 'hr_recruitment_passive' AND name = ANY(%s))",
                [list(DRIP_CRON_XMLIDS)],
            )
            assert cr.rowcount == len(DRIP_CRON_XMLIDS), cr.rowcount
        last_notify = 0.0
        while True:
            if time.monotonic() - last_notify > 1:
                # the cron threads LISTEN on a connection to the "postgres" database
                one(admin, "SELECT pg_notify('cron_trigger', %s), 1", [db])
                last_notify = time.monotonic()
            if not one(connection, due_sql):
                break
            if time.monotonic() - started > args.timeout:
                raise RuntimeError(f"{label}: due enrollments left after {args.timeout} s")
            if any(proc.poll() is not None for proc in procs):
                raise RuntimeError(f"{label}: a worker process died, see {logs}")
            time.sleep(0.25)
        elapsed = time.monotonic() - started
        cpu = [
            cpu_seconds(proc.pid) - before for proc, before in zip(procs, cpu_before, strict=True)
        ]
        result = check(connection, args.due)
        connection.close()
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with admin.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()
    runs = [len(re.findall(r"Job '[^']*' \(\d+\) starting", log.read_text())) for log in logs]
    serialization = sum(log.read_text().count("Drip batch hit") for log in logs)
    return {
        "label": label,
        "elapsed": elapsed,
        "cpu": cpu,
        "job_runs": runs,
        "retries": serialization,
        **result,
    }


def check(connection, due):
    """Count what the run did to the due and to the other enrollments."""
    with connection.cursor() as cr:
        cr.execute(
            "SELECT count(*) FILTER (WHERE per = 1), count(*) FILTER (WHERE per > 1),"
            " coalesce(sum(per), 0) FROM (SELECT count(*) AS per FROM hr_recruitment_touchpoint t"
            " JOIN bench_due d ON d.id = t.enrollment_id GROUP BY t.enrollment_id, t.step_id) x"
        )
        once, twice, touchpoints = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM hr_recruitment_touchpoint t"
            " WHERE t.enrollment_id IS NOT NULL"
            " AND t.enrollment_id NOT IN (SELECT id FROM bench_due)"
        )
        (touchpoints_not_due,) = cr.fetchone()
        cr.execute(
            "SELECT count(*) FILTER (WHERE per = 1), count(*) FILTER (WHERE per > 1),"
            " coalesce(sum(per), 0) FROM (SELECT count(*) AS per FROM mail_mail mm"
            " JOIN mail_message m ON m.id = mm.mail_message_id"
            " JOIN hr_recruitment_drip_enrollment e ON e.applicant_id = m.res_id"
            " JOIN bench_due d ON d.id = e.id WHERE m.model = 'hr.applicant'"
            " AND mm.mailing_id IS NOT NULL GROUP BY e.id) x"
        )
        mails_once, mails_twice, mails = cr.fetchone()
        cr.execute(
            "SELECT e.state, s.sequence, count(*) FROM hr_recruitment_drip_enrollment e"
            " JOIN bench_due d ON d.id = e.id LEFT JOIN hr_recruitment_drip_step s"
            " ON s.id = e.step_id GROUP BY 1, 2 ORDER BY 1, 2"
        )
        states = cr.fetchall()
        cr.execute("SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
        (queued,) = cr.fetchone()
    return {
        "touchpoints": touchpoints,
        "enrollments_once": once,
        "enrollments_twice": twice,
        "skipped": due - once - twice,
        "touchpoints_not_due": touchpoints_not_due,
        "mails": mails,
        "mails_once": mails_once,
        "mails_twice": mails_twice,
        "queued": queued,
        "states": states,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--base-db", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--total", type=int, required=True)
    parser.add_argument("--due", type=int, required=True)
    parser.add_argument("--timeout", type=int, default=3600)
    args = parser.parse_args()
    # the drip has one scheduled action per cron worker (worker 1/2 and 2/2): one cron
    # thread runs them one after the other, two threads or two processes at the same time
    plans = [
        ("1 worker", 1, 1, False),
        ("2 cron threads, 1 process", 1, 2, False),
        ("2 cron worker processes", 1, 2, True),  # --workers=1 --max-cron-threads=2
        ("2 processes, 1 thread each", 2, 1, False),
    ]
    results = []
    for label, processes, threads, prefork in plans:
        print(f"== run: {label}", flush=True)
        result = run(args, label, processes, threads, prefork)
        results.append(result)
        print(f"   {result}", flush=True)
    print(f"BENCH total={args.total} due={args.due} (email steps; mails stay queued)")
    print(
        f"BENCH {'run':<26} | wall s | CPU s per worker | job runs | retries |"
        " done once | twice | skipped | mails | not-due touched"
    )
    ok = True
    for r in results:
        cpu = "+".join(f"{c:.0f}" for c in r["cpu"])
        runs = "+".join(str(n) for n in r["job_runs"])
        print(
            f"BENCH {r['label']:<26} | {r['elapsed']:6.1f} | {cpu:>16} | {runs:>8} |"
            f" {r['retries']:7} | {r['enrollments_once']:9} | {r['enrollments_twice']:5} |"
            f" {r['skipped']:7} | {r['mails']:5} | {r['touchpoints_not_due']}"
        )
        ok &= (
            r["enrollments_once"] == args.due
            and not r["enrollments_twice"]
            and r["mails_once"] == args.due
            and not r["mails_twice"]
            and not r["touchpoints_not_due"]
        )
    base = results[0]["elapsed"]
    for r in results[1:]:
        print(f"BENCH speed-up {r['label']}: {base / r['elapsed']:.2f}x")
    print("BENCH check: " + ("every due enrollment processed exactly once" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if os.environ.get("BENCH_STEP") == "build":
    build(
        env,  # noqa: F821 - provided by odoo-bin shell
        int(os.environ["BENCH_TOTAL"]),
        int(os.environ["BENCH_DUE"]),
    )
elif __name__ == "__main__":
    main()
