import threading
import uuid
from contextlib import contextmanager
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDripConcurrency(TransactionCase):
    """Real transactions on separate connections: two cron workers, and a crash mid-batch.

    The data is committed (other connections cannot see the test's own transaction) and
    removed again at the end of each test."""

    def setUp(self):
        super().setUp()
        self.dbname = self.env.cr.dbname
        self.tag = uuid.uuid4().hex[:8]
        with self._real_env() as env:
            pool = env.ref("hr_recruitment_passive.hr_talent_pool_passive")
            applicants = env["hr.applicant"].create(
                [
                    {
                        "partner_name": f"Concurrent {self.tag} {index}",
                        "email_from": f"concurrent.{self.tag}.{index}@example.com",
                        "talent_pool_ids": [Command.link(pool.id)],
                        "is_passive_candidate": True,
                    }
                    for index in range(5)
                ]
            )
            template = env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
            drip = env["hr.recruitment.drip"].create(
                {
                    "name": f"Concurrency {self.tag}",
                    "user_id": env.ref("base.user_admin").id,
                    **{f"send_{day}": True for day in ("saturday", "sunday")},
                    "send_hour_from": 0.0,
                    "send_hour_to": 24.0,
                    "skip_public_holidays": False,
                    "step_ids": [
                        Command.create(self._email_step(1, 0, template)),
                        Command.create(self._email_step(2, 1, template)),
                    ],
                }
            )
            enrollments = drip.enroll(applicants)["enrollments"]
            self.assertEqual(len(enrollments), 5)
            self.applicant_ids = applicants.ids
            self.drip_id = drip.id
            self.enrollment_ids = enrollments.ids
            self.mailing_ids = drip.step_ids.variant_ids.mailing_id.ids
            env.cr.commit()
        self.addCleanup(self._remove_committed_data)

    @staticmethod
    def _email_step(sequence, delay, template):
        return {
            "sequence": sequence,
            "name": f"Email {sequence}",
            "channel": "email",
            "delay": delay,
            "variant_ids": [Command.create({"name": "A", "mail_template_id": template.id})],
        }

    @contextmanager
    def _real_env(self):
        """An environment on its own database connection, as a cron worker has."""
        cr = db_connect(self.dbname).cursor()
        try:
            yield api.Environment(cr, SUPERUSER_ID, {})
        finally:
            cr.rollback()
            cr.close()

    def _remove_committed_data(self):
        with self._real_env() as env:
            applicants = (
                env["hr.applicant"].with_context(active_test=False).browse(self.applicant_ids)
            )
            mails = env["mail.mail"].search([("mailing_id", "in", self.mailing_ids)])
            mails.mailing_trace_ids.unlink()
            mails.unlink()
            env["hr.recruitment.touchpoint"].search(
                [("applicant_id", "in", self.applicant_ids)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "hr.applicant"), ("res_id", "in", self.applicant_ids)]
            ).unlink()
            partners = applicants.partner_id
            env["hr.recruitment.drip"].browse(self.drip_id).unlink()
            env["mailing.mailing"].with_context(active_test=False).browse(self.mailing_ids).unlink()
            applicants.unlink()
            partners.unlink()
            env.cr.commit()

    def _sent_per_applicant(self):
        """{applicant id: number of drip mails}, read on a fresh connection."""
        with self._real_env() as env:
            mails = env["mail.mail"].search([("mailing_id", "in", self.mailing_ids)])
            counts = dict.fromkeys(self.applicant_ids, 0)
            for mail in mails:
                counts[mail.res_id] += 1
            touchpoints = env["hr.recruitment.touchpoint"].search_count(
                [("enrollment_id", "in", self.enrollment_ids)]
            )
            enrollments = env["hr.recruitment.drip.enrollment"].browse(self.enrollment_ids)
            steps = [enrollment.step_id.sequence for enrollment in enrollments]
            return counts, touchpoints, steps

    def test_two_workers_never_send_twice(self):
        with self._real_env() as env_a, self._real_env() as env_b:
            Enrollment_a = env_a["hr.recruitment.drip.enrollment"]
            due = Enrollment_a.search(
                Enrollment_a._get_due_domain() + [("drip_id", "=", self.drip_id)]
            )
            # worker A locks the due enrollments and is busy sending them...
            locked = due.try_lock_for_update()
            self.assertEqual(len(locked), 5)
            # ... while worker B runs the whole scheduled action: it skips the locked rows
            env_b["hr.recruitment.drip.enrollment"]._cron_process_due_steps()
            counts, touchpoints, _steps = self._sent_per_applicant()
            self.assertEqual(set(counts.values()), {0}, "B must not send what A holds")
            locked._process_due()
            env_a.cr.commit()
            # B again, right after A committed: nothing is due any more
            env_b["hr.recruitment.drip.enrollment"]._cron_process_due_steps()
        counts, touchpoints, steps = self._sent_per_applicant()
        self.assertEqual(set(counts.values()), {1})
        self.assertEqual(touchpoints, 5)
        self.assertEqual(steps, [2] * 5)

    def test_crash_mid_batch_neither_skips_nor_duplicates(self):
        Enrollment = type(self.env["hr.recruitment.drip.enrollment"])
        original = Enrollment._process_due
        batches = []

        def process_then_crash(records):
            batches.append(records.ids)
            original(records)
            if len(batches) == 2:
                raise RuntimeError("worker killed in the middle of the run")

        with self._real_env() as env:
            with (
                patch.object(Enrollment, "_process_due", process_then_crash),
                self.assertRaises(RuntimeError),
            ):
                env["hr.recruitment.drip.enrollment"]._cron_process_due_steps(batch_size=2)
        # the first batch was committed, the second rolled back with the crash
        counts, touchpoints, _steps = self._sent_per_applicant()
        self.assertEqual(sorted(counts.values()), [0, 0, 0, 1, 1])
        self.assertEqual(touchpoints, 2)
        with self._real_env() as env:
            env["hr.recruitment.drip.enrollment"]._cron_process_due_steps(batch_size=2)
        counts, touchpoints, steps = self._sent_per_applicant()
        self.assertEqual(set(counts.values()), {1}, "every candidate got step 1 exactly once")
        self.assertEqual(touchpoints, 5)
        self.assertEqual(steps, [2] * 5)

    def test_serialization_failure_is_retried_in_the_same_run(self):
        """Worker B's transaction has started (its REPEATABLE READ snapshot), then worker A
        processes two of the due rows and commits before B claims them: B's claim raises a
        serialization failure. B rolls the batch back, claims again and runs the three
        others; nobody gets two mails."""
        Enrollment = type(self.env["hr.recruitment.drip.enrollment"])
        original_claim = Enrollment._claim_due_batch
        failures = []
        raced = []

        def worker_a_commits_first(model, *args, **kwargs):
            if not raced:
                raced.append(True)
                model.env.cr.execute("SELECT 1")  # B's snapshot is taken
                with self._real_env() as env_a:
                    mine = env_a[Enrollment._name].browse(self.enrollment_ids[:2])
                    mine.try_lock_for_update()._process_due()
                    env_a.cr.commit()
                try:
                    return original_claim(model, *args, **kwargs)
                except SerializationFailure as error:
                    failures.append(error)
                    raise
            return original_claim(model, *args, **kwargs)

        module = "odoo.addons.hr_recruitment_passive.models.hr_recruitment_drip_processing"
        with (
            self._real_env() as env_b,
            patch.object(Enrollment, "_claim_due_batch", worker_a_commits_first),
            patch(f"{module}.sleep") as back_off,
        ):
            env_b["hr.recruitment.drip.enrollment"]._cron_process_due_steps()
        self.assertEqual(len(failures), 1, "B's first claim must lose the race")
        back_off.assert_called_once()
        counts, touchpoints, steps = self._sent_per_applicant()
        self.assertEqual(set(counts.values()), {1}, "each candidate got step 1 exactly once")
        self.assertEqual(touchpoints, 5)
        self.assertEqual(steps, [2] * 5)

    def _run_workers(self, shards, batch_size=2):
        """Run the scheduled action once per shard, each in its own thread on its own
        database connection, all at the same time; return the errors raised."""
        errors = []
        barrier = threading.Barrier(len(shards))

        def work(worker, workers):
            try:
                with self._real_env() as env:
                    barrier.wait(timeout=30)
                    env["hr.recruitment.drip.enrollment"]._cron_process_due_steps(
                        batch_size=batch_size, worker=worker, workers=workers
                    )
            except Exception as error:  # reported by the test
                errors.append(error)

        threads = [threading.Thread(target=work, args=shard) for shard in shards]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return errors

    def _commit_values(self, records_getter, values):
        """Write and commit `values` on the records `records_getter(env)` returns; put the
        old values back (committed) at the end of the test."""
        with self._real_env() as env:
            records = records_getter(env)
            old = records.read(list(values))
            records.write(values)
            env.cr.commit()

        def restore():
            with self._real_env() as env:
                for row in old:
                    record_id = row.pop("id")
                    records_getter(env).browse(record_id).write(row)
                env.cr.commit()

        self.addCleanup(restore)

    def _no_sender_limits(self):
        self._commit_values(
            lambda env: env.ref("base.main_company"),
            {"outreach_sender_daily_cap": 0, "outreach_sender_ramp_start": 0},
        )

    def test_two_worker_actions_share_the_work(self):
        """The two scheduled actions (worker 1/2 and 2/2) run at once on real connections:
        each candidate is run by exactly one of them, and every candidate is run."""
        self._no_sender_limits()
        self.assertEqual(self._run_workers([(1, 2), (2, 2)]), [])
        counts, touchpoints, steps = self._sent_per_applicant()
        self.assertEqual(set(counts.values()), {1}, "nobody twice, nobody skipped")
        self.assertEqual(touchpoints, 5)
        self.assertEqual(steps, [2] * 5)

    def test_two_runs_of_one_action_claim_disjoint_batches(self):
        """Two runs of the same share at once (a copied action, a run by hand): the SKIP
        LOCKED claim gives them disjoint batches; nothing twice, nothing skipped."""
        self._no_sender_limits()
        self.assertEqual(self._run_workers([(1, 1), (1, 1)], batch_size=1), [])
        counts, touchpoints, steps = self._sent_per_applicant()
        self.assertEqual(set(counts.values()), {1}, "nobody twice, nobody skipped")
        self.assertEqual(touchpoints, 5)
        self.assertEqual(steps, [2] * 5)

    def test_shards_split_by_candidate(self):
        """Worker k of N runs the candidates whose id modulo N is k - 1, and only those."""
        with self._real_env() as env:
            Enrollment = env["hr.recruitment.drip.enrollment"]
            mine = Enrollment.browse(self.enrollment_ids)
            shares = []
            for worker in (1, 2):
                claimed = Enrollment._claim_due_batch(100, (worker, 2)) & mine
                shares.append(claimed)
                expected = mine.filtered(lambda e, w=worker: e.applicant_id.id % 2 == w - 1)
                self.assertEqual(claimed, expected)
            self.assertEqual(shares[0] | shares[1], mine)

    def test_two_workers_respect_one_sender_limit(self):
        """Both workers send as the same sender, limited to 3 a day: whatever the timing,
        3 emails leave in all, nobody twice, and the 2 others wait for tomorrow (a worker
        finding the sender held by the other leaves its candidates due for a later run)."""
        self._commit_values(
            lambda env: env.ref("base.user_admin"),
            {"outreach_sender_daily_cap": 3, "outreach_sender_since": "2020-01-01"},
        )
        self.assertEqual(self._run_workers([(1, 2), (2, 2)], batch_size=1), [])
        counts, _touchpoints, _steps = self._sent_per_applicant()
        self.assertLessEqual(max(counts.values()), 1)
        self.assertLessEqual(sum(counts.values()), 3)
        with self._real_env() as env:  # the later run
            env["hr.recruitment.drip.enrollment"]._cron_process_due_steps()
        counts, touchpoints, steps = self._sent_per_applicant()
        self.assertEqual(sorted(counts.values()), [0, 0, 1, 1, 1])
        self.assertEqual(touchpoints, 3)
        self.assertEqual(sorted(steps), [1, 1, 2, 2, 2])
        with self._real_env() as env:
            waiting = (
                env["hr.recruitment.drip.enrollment"]
                .browse(self.enrollment_ids)
                .filtered(lambda e: e.step_id.sequence == 1)
            )
            self.assertEqual(set(waiting.mapped("state")), {"paused"})
            self.assertEqual(set(waiting.mapped("pause_reason")), {"sender_limit"})
            for enrollment in waiting:
                self.assertIn("Sender limit", enrollment.status_note)
                self.assertGreater(enrollment.next_run_at, env.cr.now())
