import uuid
from contextlib import contextmanager
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
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
                        "talent_pool_ids": [(4, pool.id)],
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
                        (0, 0, self._email_step(1, 0, template)),
                        (0, 0, self._email_step(2, 1, template)),
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
            "variant_ids": [(0, 0, {"name": "A", "mail_template_id": template.id})],
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
        """Worker B selects the due rows (its REPEATABLE READ snapshot), then worker A processes
        two of them and commits before B locks: B's lock raises a serialization failure. B
        rolls the batch back, selects again and runs the three others; nobody gets two mails."""
        Enrollment = type(self.env["hr.recruitment.drip.enrollment"])
        original_lock = Enrollment.try_lock_for_update
        failures = []
        raced = []

        def worker_a_commits_first(records, *args, **kwargs):
            if records._name == Enrollment._name and not raced:
                raced.append(records.ids)
                with self._real_env() as env_a:
                    mine = env_a[Enrollment._name].browse(self.enrollment_ids[:2])
                    mine.try_lock_for_update()._process_due()
                    env_a.cr.commit()
                try:
                    return original_lock(records, *args, **kwargs)
                except SerializationFailure as error:
                    failures.append(error)
                    raise
            return original_lock(records, *args, **kwargs)

        module = "odoo.addons.hr_recruitment_passive.models.hr_recruitment_drip_enrollment"
        with (
            self._real_env() as env_b,
            patch.object(Enrollment, "try_lock_for_update", worker_a_commits_first),
            patch(f"{module}.sleep") as back_off,
        ):
            env_b["hr.recruitment.drip.enrollment"]._cron_process_due_steps()
        self.assertEqual(len(failures), 1, "B's first lock must lose the race")
        back_off.assert_called_once()
        counts, touchpoints, steps = self._sent_per_applicant()
        self.assertEqual(set(counts.values()), {1}, "each candidate got step 1 exactly once")
        self.assertEqual(touchpoints, 5)
        self.assertEqual(steps, [2] * 5)
