# Run inside `odoo-bin shell` (see scripts/bench-drip): `env` is the shell's environment.
# Same candidates, same template body: a drip's due email step through the scheduled action's
# code path, then Odoo's own mailing.mailing.action_send_mail(); both only queue the mails.
# Its helpers (make_drip...) are imported by scripts/bench_scale.py; the run is under __main__.
import os
import time

from odoo.fields import Command

WARMUP = 50


def make_talents(env, count, prefix):
    pool = env.ref("hr_recruitment_passive.hr_talent_pool_passive")
    return env["hr.applicant"].create(
        [
            {
                "partner_name": f"{prefix} Talent {index}",
                "email_from": f"{prefix.lower()}.talent.{index}@example.com",
                "talent_pool_ids": [Command.link(pool.id)],
                "is_passive_candidate": True,
                "current_company": "Acme",
                "current_job_title": "Engineer",
            }
            for index in range(count)
        ]
    )


def make_drip(env, name):
    template = env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
    return env["hr.recruitment.drip"].create(
        {
            "name": name,
            **{f"send_{day}": True for day in ("saturday", "sunday")},
            "send_hour_from": 0.0,
            "send_hour_to": 24.0,
            "skip_public_holidays": False,
            "step_ids": [
                Command.create(
                    {
                        "name": "First touch",
                        "channel": "email",
                        "variant_ids": [
                            Command.create({"name": "A", "mail_template_id": template.id})
                        ],
                    }
                ),
                Command.create(
                    {
                        "name": "Follow-up",
                        "channel": "email",
                        "delay": 3,
                        "variant_ids": [
                            Command.create({"name": "A", "mail_template_id": template.id})
                        ],
                    }
                ),
            ],
        }
    )


def make_mailing(env, talents):
    template = env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
    return env["mailing.mailing"].create(
        {
            "subject": template.subject,
            "body_arch": template.body_html,
            "body_html": template.body_html,
            "mailing_model_id": env["ir.model"]._get_id("hr.applicant"),
            "mailing_domain": repr([("id", "in", talents.ids)]),
            "reply_to_mode": "update",
        }
    )


def main(env):
    N = int(os.environ.get("BENCH_N", "2000"))
    env.user.email = env.user.email or "admin@example.com"
    # both paths contact the same candidates (all at Acme) one after the other: lift the contact
    # caps (per candidate and per employer) for the run
    env.company.write(
        {
            "outreach_cap_short_count": 100,
            "outreach_cap_long_count": 100,
            "outreach_employer_cap_count": 0,
            # one sender sends them all: no daily cap nor new-mailbox ramp
            "outreach_sender_daily_cap": 0,
            "outreach_sender_ramp_start": 0,
        }
    )
    Enrollment = env["hr.recruitment.drip.enrollment"]
    # warm-up (not measured): both paths once on a few other candidates, so that neither pays for
    # first-use costs (template compilation, caches) in the measured run
    warm = make_talents(env, WARMUP, "Warm")
    make_drip(env, "Warm-up drip").enroll(warm)
    env.cr.commit()
    Enrollment._cron_process_due_steps()
    make_mailing(env, warm).action_send_mail()
    env.cr.commit()

    started = time.perf_counter()
    talents = make_talents(env, N, "Bench")
    env.cr.commit()
    print(f"created {N} candidates in {time.perf_counter() - started:.1f} s")
    drip = make_drip(env, "Benchmark drip")
    result = drip.enroll(talents)
    assert len(result["enrollments"]) == N, result["skipped"]
    env.cr.commit()

    started, queries = time.perf_counter(), env.cr.sql_log_count
    Enrollment._cron_process_due_steps()  # commits per batch (outside a cron: plain commits)
    drip_seconds = time.perf_counter() - started
    drip_queries = env.cr.sql_log_count - queries
    drip_mails = env["mail.mail"].search_count(
        [("mailing_id", "in", drip.step_ids.variant_ids.mailing_id.ids)]
    )
    assert drip_mails == N, f"{drip_mails} drip mails for {N} candidates"

    mailing = make_mailing(env, talents)
    env.cr.commit()
    started, queries = time.perf_counter(), env.cr.sql_log_count
    mailing.action_send_mail()  # commits internally
    mailing_seconds = time.perf_counter() - started
    mailing_queries = env.cr.sql_log_count - queries
    mailing_mails = env["mail.mail"].search_count([("mailing_id", "=", mailing.id)])
    assert mailing_mails == N, f"{mailing_mails} mass-mailing mails for {N} candidates"

    drip_per_k = drip_seconds / N * 1000
    mailing_per_k = mailing_seconds / N * 1000
    print(f"BENCH N={N}")
    print(
        f"BENCH drip due email step      : {drip_seconds:7.2f} s = {drip_per_k:5.2f} s / 1,000"
        f" | {drip_queries:6} queries = {drip_queries / N * 1000:5.0f} / 1,000"
    )
    print(
        f"BENCH mailing.action_send_mail : {mailing_seconds:7.2f} s "
        f"= {mailing_per_k:5.2f} s / 1,000"
        f" | {mailing_queries:6} queries = {mailing_queries / N * 1000:5.0f} / 1,000"
    )
    print(
        f"BENCH ratio drip / mass mailing: {drip_per_k / mailing_per_k:5.2f} (time),"
        f" {drip_queries / max(mailing_queries, 1):5.2f} (queries)"
    )


if __name__ == "__main__":  # odoo-bin shell runs its stdin as __main__ with `env` defined
    main(env)  # noqa: F821 - provided by odoo-bin shell
