from contextlib import contextmanager

from odoo.fields import Command

from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

# a raw email for the mail gateway; BODY and {extra} headers are filled in by each test
REPLY_TEMPLATE = """Return-Path: {return_path}
To: {to}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
Date: {date}
Message-ID: {msg_id}
{extra}
BODY
"""


class PassiveCommon(MailCommon):
    """Shared data: recruiters of each group, a job, skills and a few passive talents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.user_officer = mail_new_test_user(
            cls.env,
            login="passive_officer",
            name="Olivia Officer",
            email="olivia.officer@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
            company_id=cls.company.id,
        )
        cls.user_manager = mail_new_test_user(
            cls.env,
            login="passive_manager",
            name="Max Manager",
            email="max.manager@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_manager",
            company_id=cls.company.id,
        )
        cls.user_interviewer = mail_new_test_user(
            cls.env,
            login="passive_interviewer",
            name="Ivan Interviewer",
            email="ivan.interviewer@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_interviewer",
            company_id=cls.company.id,
        )
        cls.user_plain = mail_new_test_user(
            cls.env,
            login="passive_employee",
            name="Eve Employee",
            email="eve.employee@example.com",
            groups="base.group_user",
            company_id=cls.company.id,
        )
        cls.pool = cls.env.ref("hr_recruitment_passive.hr_talent_pool_passive")
        cls.department = cls.env["hr.department"].create({"name": "Platform"})
        cls.job = cls.env["hr.job"].create(
            {
                "name": "Staff Engineer",
                "department_id": cls.department.id,
                "user_id": cls.user_officer.id,
                "interviewer_ids": [Command.link(cls.user_interviewer.id)],
            }
        )
        skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Languages (passive tests)",
                "skill_ids": [Command.create({"name": "Rust"}), Command.create({"name": "Go"})],
                "skill_level_ids": [Command.create({"name": "Expert", "level_progress": 100})],
            }
        )
        cls.skill_rust, cls.skill_go = skill_type.skill_ids
        cls.skill_level = skill_type.skill_level_ids
        cls.talent_ada, cls.talent_bob, cls.talent_cy = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": "Ada Lovelace",
                    "email_from": "ada@example.com",
                    "partner_phone": "+32470000001",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                    "current_company": "Analytical Engines",
                    "current_job_title": "Principal Engineer",
                    "current_role_start_date": "2021-03-01",
                    "years_of_experience": 12,
                    "openness": "open_to_talk",
                    "desired_timing": "within_6_months",
                    "user_id": cls.user_officer.id,
                    "applicant_skill_ids": [
                        Command.create(
                            {
                                "skill_id": cls.skill_rust.id,
                                "skill_type_id": skill_type.id,
                                "skill_level_id": cls.skill_level.id,
                            }
                        )
                    ],
                },
                {
                    "partner_name": "Bob Builder",
                    "email_from": "bob@example.com",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                    "current_company": "Construct Ltd",
                    "openness": "open_to_offers",
                    "user_id": cls.user_officer.id,
                },
                {
                    "partner_name": "Cy Twombly",
                    "email_from": "cy@example.com",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "user_id": cls.user_officer.id,
                },
            ]
        )

    @contextmanager
    def assertRaisesText(self, exception, regex):
        """assertRaises (which rolls back to a savepoint) plus a check of the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    def _receive_email(self, in_reply_to, email_from, subject, body, headers=""):
        """An email arriving through Odoo's mail gateway in answer to the message whose
        Message-ID is `in_reply_to`; `headers`: extra raw header lines, each ending in \\n."""
        with self.mock_mail_gateway():
            self.format_and_process(
                REPLY_TEMPLATE.replace("BODY", body),
                email_from,
                f"{self.alias_catchall}@{self.alias_domain}",
                subject=subject,
                extra=f"{headers}In-Reply-To: {in_reply_to}\n",
                target_model="hr.applicant",
                target_field="partner_name",
            )
        self.env.invalidate_all()

    def _touchpoint(self, talent, **values):
        return self.env["hr.recruitment.touchpoint"].create(
            {"applicant_id": talent.id, "channel": "linkedin", **values}
        )
