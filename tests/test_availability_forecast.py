from datetime import date

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.hr_recruitment_passive.tests.common import PassiveCommon


@tagged("post_install", "-at_install")
class TestAvailabilityForecast(PassiveCommon):
    """Talents expected to become open, per month, from what they told us and their tenure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data_department = cls.env["hr.department"].create({"name": "Data"})
        cls.data_job = cls.env["hr.job"].create(
            {"name": "Data Engineer", "department_id": cls.data_department.id}
        )
        skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Programming (forecast)",
                "skill_ids": [Command.create({"name": "Python"}), Command.create({"name": "Go"})],
                "skill_level_ids": [Command.create({"name": "Good", "level_progress": 70})],
            }
        )
        cls.python, cls.go = skill_type.skill_ids
        level = skill_type.skill_level_ids

        def talent(name, skills=(), **values):
            return {
                "partner_name": name,
                "email_from": f"{name.lower()}@example.com",
                "talent_pool_ids": [Command.link(cls.pool.id)],
                "is_passive_candidate": True,
                "applicant_skill_ids": [
                    (
                        0,
                        0,
                        {
                            "skill_id": skill.id,
                            "skill_type_id": skill_type.id,
                            "skill_level_id": level.id,
                        },
                    )
                    for skill in skills
                ],
                **values,
            }

        with freeze_time("2027-01-10 09:00:00"):
            (
                cls.gina,
                cls.hugo,
                cls.ines,
                cls.jon,
                cls.kim,
                cls.leo,
                cls.mia,
            ) = cls.env["hr.applicant"].create(
                [
                    talent("Gina", [cls.python, cls.go]),
                    talent("Hugo", [cls.python]),
                    talent("Ines", [cls.go], outreach_snoozed_until="2027-06-05"),
                    talent("Jon", [cls.python], desired_timing="within_6_months"),
                    talent("Kim", [cls.go], current_role_start_date="2024-03-15"),
                    talent("Leo", [cls.python], outreach_opted_out=True),
                    talent("Mia", [cls.python], current_role_start_date="2025-02-01"),
                ]
            )
            cls.talents = cls.gina | cls.hugo | cls.ines | cls.jon | cls.kim | cls.leo | cls.mia
            # Gina applied to a Data job before: the forecast puts her in Data
            cls.env["hr.applicant"].create(
                {
                    "partner_name": "Gina",
                    "job_id": cls.data_job.id,
                    "pool_applicant_id": cls.gina.id,
                }
            )
            # "not now" replies, until June
            for talent_record, until in (
                (cls.gina, "2027-06-10"),
                (cls.hugo, "2027-06-20"),
                (cls.leo, "2027-06-01"),
                (cls.mia, "2027-06-25"),
            ):
                reply = cls.env["hr.recruitment.touchpoint"].create(
                    {
                        "applicant_id": talent_record.id,
                        "channel": "email",
                        "direction": "inbound",
                        "kind": "reply",
                    }
                )
                reply._apply_reply_class("not_now", until=until)

    def _per_month(self, today, domain=()):
        """{first day of month: talents} for the 12 months from `today`'s month."""
        Forecast = self.env["hr.recruitment.availability.forecast"]
        start = today.replace(day=1)
        end = start.replace(year=start.year + 1)
        groups = Forecast._read_group(
            [
                ("applicant_id", "in", self.talents.ids),
                ("expected_date", ">=", start),
                ("expected_date", "<", end),
                *domain,
            ],
            ["expected_date:month"],
            ["applicant_id:count_distinct", "applicant_id:recordset"],
        )
        return {month: talents for month, _count, talents in groups}, {
            month: count for month, count, _talents in groups
        }

    @freeze_time("2027-01-10 09:00:00")
    def test_june_bump_from_not_now(self):
        talents, counts = self._per_month(date(2027, 1, 10))
        self.assertEqual(
            counts,
            {
                date(2027, 3, 1): 1,  # Kim: 3 years in role on March 15
                date(2027, 6, 1): 4,  # Gina, Hugo, Mia said "not now" until June; Ines snoozed
                date(2027, 7, 1): 1,  # Jon: "within 6 months" in January
            },
            "Leo opted out; Mia's second anniversary (February) falls in her 'not now'",
        )
        self.assertEqual(talents[date(2027, 6, 1)], self.gina | self.hugo | self.ines | self.mia)
        Forecast = self.env["hr.recruitment.availability.forecast"]
        rows = Forecast.search([("applicant_id", "in", self.talents.ids)])
        by_talent = {row.applicant_id: row for row in rows}
        self.assertEqual(by_talent[self.gina].reason, "not_now")
        self.assertEqual(by_talent[self.ines].reason, "snooze")
        self.assertEqual(by_talent[self.jon].reason, "timing")
        self.assertEqual(by_talent[self.jon].expected_date, date(2027, 7, 10))
        kim_rows = rows.filtered(lambda r: r.applicant_id == self.kim)
        self.assertEqual(kim_rows.mapped("anniversary_years"), [2, 3, 4])
        self.assertEqual(
            set(kim_rows.mapped("expected_date")),
            {date(2026, 3, 15), date(2027, 3, 15), date(2028, 3, 15)},
        )

    @freeze_time("2027-01-10 09:00:00")
    def test_by_skill_and_department(self):
        Forecast = self.env["hr.recruitment.availability.forecast"]
        june = [
            ("applicant_id", "in", self.talents.ids),
            ("expected_date", ">=", date(2027, 6, 1)),
            ("expected_date", "<", date(2027, 7, 1)),
        ]
        by_skill = dict(Forecast._read_group(june, ["skill_id"], ["applicant_id:count_distinct"]))
        self.assertEqual(by_skill, {self.python: 3, self.go: 2})  # Gina has both
        by_department = dict(
            Forecast._read_group(june, ["department_id"], ["applicant_id:recordset"])
        )
        self.assertEqual(by_department[self.data_department], self.gina)
        # the drill-down list of a cell: the talents, why and when
        cell = Forecast.search(june + [("skill_id", "=", self.go)])
        self.assertEqual(cell.applicant_id, self.gina | self.ines)
        self.assertEqual(
            sorted(cell.mapped(lambda r: (r.applicant_id.partner_name, r.reason))),
            [("Gina", "not_now"), ("Ines", "snooze")],
        )

    def test_access(self):
        Forecast = self.env["hr.recruitment.availability.forecast"]
        with self.assertRaises(AccessError):
            Forecast.with_user(self.user_interviewer).search([])
        self.assertTrue(
            Forecast.with_user(self.user_officer).search([("applicant_id", "=", self.gina.id)])
        )
        company_b = self.env["res.company"].create({"name": "Forecast B"})
        officer_b = new_test_user(
            self.env,
            login="forecast_officer_b",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertFalse(
            Forecast.with_user(officer_b).search([("applicant_id", "in", self.talents.ids)])
        )
