from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripPerformance(DripCommon):
    """Processing due steps costs the same number of queries for 10 or 100 candidates."""

    def _queries_to_process(self, count, tag):
        talents = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Perf {tag} {index}",
                    "email_from": f"perf.{tag}.{index}@example.com",
                    "talent_pool_ids": [(4, self.pool.id)],
                    "current_company": f"Employer {tag} {index}",
                }
                for index in range(count)
            ]
        )
        enrollments = self.drip.enroll(talents)["enrollments"].sudo()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with self.mock_mail_gateway():
            enrollments._process_due()
            self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
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

    def test_batch_compiles_once_renders_each_candidate(self):
        """The body is compiled once per batch (models/ir_qweb.py) yet each candidate gets
        their own name, title and signed preference link."""
        talents = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Render Check {index}",
                    "email_from": f"render.{index}@example.com",
                    "talent_pool_ids": [(4, self.pool.id)],
                    "current_company": f"Company {index}",
                    "current_job_title": f"Title {index}",
                }
                for index in range(3)
            ]
        )
        enrollments = self.drip.enroll(talents)["enrollments"].sudo()
        with self.mock_mail_gateway():
            enrollments._process_due()
        mails = self._drip_mails(self.step_1).filtered(lambda m: m.res_id in talents.ids)
        self.assertEqual(len(mails), 3)
        for talent in talents:
            body = mails.filtered(lambda m, t=talent: m.res_id == t.id).body_html
            self.assertIn(talent.partner_name, body)
            self.assertIn(talent.current_company, body)
            self.assertIn(talent.current_job_title, body)
            self.assertIn(talent._get_outreach_token("preference"), body)
            for other in talents - talent:
                self.assertNotIn(other.partner_name, body)
                self.assertNotIn(other._get_outreach_token("preference"), body)
