from datetime import datetime

from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripPerformance(DripCommon):
    """Processing due steps costs the same number of queries for 10 or 100 candidates."""

    def _enroll_new(self, count, tag):
        """`count` new talents (one employer each) enrolled in the drip: (talents, enrollments)."""
        talents = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Perf {tag} {index}",
                    "email_from": f"perf.{tag}.{index}@example.com",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "current_company": f"Employer {tag} {index}",
                }
                for index in range(count)
            ]
        )
        return talents, self.drip.enroll(talents)["enrollments"].sudo()

    def _process_counting_queries(self, enrollments):
        """Run the due steps of `enrollments` (mail gateway mocked): the queries it took."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with self.mock_mail_gateway():
            enrollments._process_due()
            self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _queries_to_process(self, count, tag):
        talents, enrollments = self._enroll_new(count, tag)
        queries = self._process_counting_queries(enrollments)
        self.assertEqual(len(enrollments.touchpoint_ids), count)
        self.assertEqual(
            len(self._drip_mails(self.step_1).filtered(lambda m: m.res_id in talents.ids)), count
        )
        self.assertEqual(set(enrollments.mapped("step_id")), {self.step_2})
        return queries

    def test_query_count_independent_of_batch_size(self):
        # Odoo's mass-mail composer works in chunks of 'mail.batch_size' (50 by default, about
        # 30 queries each); one chunk for the whole drip batch here, see doc/performance.md
        self.env["ir.config_parameter"].sudo().set_param("mail.batch_size", 200)
        self._queries_to_process(3, "warmup")
        small = self._queries_to_process(10, "small")
        large = self._queries_to_process(100, "large")
        self.assertLessEqual(abs(large - small), 5, f"10 steps: {small} queries, 100: {large}")

    def test_one_composer_chunk_per_drip_batch(self):
        """Without touching 'mail.batch_size' (50 by default), 10 or 200 due email steps cost
        the same queries: the drip batch is one composer chunk (models/ir_config_parameter.py),
        not one more chunk of ~30 queries per 50 candidates."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("mail.batch_size", False)
        self.assertFalse(params.get_param("mail.batch_size"))
        self.company.outreach_sender_daily_cap = 0  # 213 emails from one owner today
        self._queries_to_process(3, "warmup")
        small = self._queries_to_process(10, "ten")
        large = self._queries_to_process(200, "twohundred")
        # the ORM writes 100 rows per INSERT/UPDATE statement (INSERT_BATCH_SIZE): 8 tables
        # written (mails, messages, traces, touchpoints, enrollments...) cost 8 more at 200;
        # a second composer chunk alone would cost ~30 more per 50 candidates
        self.assertLessEqual(abs(large - small), 10, f"10 steps: {small} queries, 200: {large}")

    def test_batch_compiles_once_renders_each_candidate(self):
        """The body is compiled once per batch (models/ir_qweb.py) yet each candidate gets
        their own name, title and signed preference link."""
        talents = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"{first} Render",
                    "email_from": f"render.{index}@example.com",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "current_company": f"Company {index}",
                    "current_job_title": f"Title {index}",
                }
                for index, first in enumerate(("Alice", "Bruno", "Chloe"))
            ]
        )
        enrollments = self.drip.enroll(talents)["enrollments"].sudo()
        with self.mock_mail_gateway():
            enrollments._process_due()
        mails = self._drip_mails(self.step_1).filtered(lambda m: m.res_id in talents.ids)
        self.assertEqual(len(mails), 3)
        for talent in talents:
            body = mails.filtered(lambda m, t=talent: m.res_id == t.id).body_html
            # greeted by the first name (the shipped template)
            self.assertIn(f"Hello {talent._outreach_first_name()},", body)
            self.assertIn(talent.current_company, body)
            self.assertIn(talent.current_job_title, body)
            self.assertIn(talent._get_outreach_token("preference"), body)
            for other in talents - talent:
                self.assertNotIn(other._outreach_first_name(), body)
                self.assertNotIn(other._get_outreach_token("preference"), body)

    def test_policy_postponements_written_per_outcome(self):
        """Candidates the contact policy postpones (away until the same day) are paused in
        the same queries for 2 or 12: no query per candidate."""

        def postpone(count, tag):
            talents, enrollments = self._enroll_new(count, f"away-{tag}")
            talents.outreach_paused_until = datetime(2026, 3, 16)
            self.assertEqual(set(enrollments.mapped("state")), {"running"})
            queries = self._process_counting_queries(enrollments)
            self.assertRecordValues(
                enrollments,
                [
                    {
                        "state": "paused",
                        "pause_reason": "out_of_office",
                        "paused_until": datetime(2026, 3, 16),
                    }
                ]
                * count,
            )
            mails = self._drip_mails(self.step_1).filtered(lambda m: m.res_id in talents.ids)
            self.assertFalse(mails, "nothing sent to a candidate who is away")
            return queries

        postpone(2, "warmup")
        small, large = postpone(2, "two"), postpone(12, "twelve")
        self.assertLessEqual(large - small, 3, f"2 candidates: {small} queries, 12: {large}")
