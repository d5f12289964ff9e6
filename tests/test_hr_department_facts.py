from datetime import date

from odoo.tests import freeze_time, tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestRecentHireFacts(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.manager = Employee.create(
            {
                "name": "Grace Hopper",
                "job_title": "VP Engineering",
                "department_id": cls.department.id,
                "contract_date_start": date(2019, 6, 15),
            }
        )
        cls.department.manager_id = cls.manager
        starts = [
            date(2026, 5, 1),  # < 3 months
            date(2026, 4, 1),  # < 3 months
            date(2026, 1, 10),  # < 6 months
            date(2025, 9, 1),  # < 12 months
            date(2023, 6, 15),  # 3 years
        ]
        Employee.create(
            [
                {
                    "name": f"Engineer {index}",
                    "department_id": cls.department.id,
                    "contract_date_start": start,
                }
                for index, start in enumerate(starts)
            ]
        )
        # left two months ago, after 4 years: counted in the headcount of a year ago
        cls.leaver = Employee.create(
            {
                "name": "Former Engineer",
                "department_id": cls.department.id,
                "contract_date_start": date(2022, 1, 1),
            }
        )
        cls.leaver.write({"active": False, "departure_date": date(2026, 4, 15)})
        # hired through recruitment a month ago, employee not created yet
        cls.env["hr.applicant"].create(
            {
                "partner_name": "New Hire",
                "job_id": cls.job.id,
                "date_closed": "2026-05-20 09:00:00",
            }
        )
        cls.env["hr.job"].create(
            {"name": "SRE", "department_id": cls.department.id, "no_of_recruitment": 2}
        )
        cls.env["hr.job"].create(
            {"name": "Filled", "department_id": cls.department.id, "no_of_recruitment": 0}
        )
        cls.application = cls.env["hr.applicant"].create(
            {
                "partner_name": "Ada Lovelace",
                "email_from": "ada@example.com",
                "job_id": cls.job.id,
                "pool_applicant_id": cls.talent_ada.id,
            }
        )

    def test_figures_from_employees_and_hired_applicants(self):
        facts = self.application._outreach_facts()
        self.assertEqual(facts.department, "Platform")
        self.assertEqual(facts.hires_3m, 3, "two employees and one hired applicant")
        self.assertEqual(facts.hires_6m, 4)
        self.assertEqual(facts.hires_12m, 5)
        self.assertEqual(facts.since_6m, "December")
        self.assertEqual(facts.headcount, 6, "manager and five engineers, not the leaver")
        self.assertEqual(facts.headcount_12m_ago, 3, "manager, 2023 engineer, leaver")
        self.assertEqual(facts.headcount_growth, 100)
        tenure_days = sum(
            (date(2026, 6, 15) - d).days
            for d in (
                date(2019, 6, 15),
                date(2026, 5, 1),
                date(2026, 4, 1),
                date(2026, 1, 10),
                date(2025, 9, 1),
                date(2023, 6, 15),
            )
        )
        self.assertEqual(facts.average_tenure_years, round(tenure_days / 6 / 365.25, 1))
        self.assertEqual(
            (facts.hiring_manager_name, facts.hiring_manager_title),
            ("Grace Hopper", "VP Engineering"),
        )
        self.assertEqual(facts.open_roles, 2, "Staff Engineer and SRE; 'Filled' has no target")
        self.assertIn("SRE", facts.open_role_names)

    def test_talent_uses_its_latest_application_and_cache(self):
        facts = self.talent_ada._outreach_facts()
        self.assertEqual(facts.hires_6m, 4)
        self.assertIs(
            self.talent_ada._outreach_facts(), facts, "computed once per department and batch"
        )

    def test_no_department_gives_empty_facts(self):
        facts = self.talent_bob._outreach_facts()
        self.assertFalse(facts)
        self.assertEqual(facts.hires_6m, 0)

    def test_small_team_hides_average_tenure(self):
        small = self.env["hr.department"].create({"name": "Tiny"})
        self.env["hr.employee"].create(
            [
                {"name": "Solo", "department_id": small.id, "contract_date_start": "2020-01-01"},
                {"name": "Duo", "department_id": small.id, "contract_date_start": "2021-01-01"},
            ]
        )
        facts = small._outreach_hiring_facts()
        self.assertEqual(facts.headcount, 2)
        self.assertIsNone(facts.average_tenure_years, "two people: it would reveal start dates")

    def test_sample_template_renders_real_numbers(self):
        template = self.env.ref("hr_recruitment_passive.mail_template_recent_hires")
        body = template._render_field("body_html", self.application.ids)[self.application.id]
        text = " ".join(str(body).split())
        self.assertIn("we've added 4 people to Platform since December", text)
        self.assertIn("100% more people than a year ago", text)
        self.assertIn("Grace Hopper", text)
        self.assertIn("VP Engineering", text)
        self.assertIn("2 open role(s)", text)
        self.assertNotIn("Former Engineer", text)
        subject = template._render_field("subject", self.application.ids)[self.application.id]
        self.assertIn("Platform", subject)
