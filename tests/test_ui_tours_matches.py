from odoo.fields import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPassiveUiJobMatchesTour(HttpCase):
    """Open a job, find its passive talents, enroll one in the job's drip, in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the technical mailing of an email step is sent from the user's address
        cls.env.ref("base.user_admin").email = "admin@example.com"
        skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Tour languages",
                "skill_ids": [Command.create({"name": "Python"})],
                "skill_level_ids": [Command.create({"name": "Fluent", "level_progress": 80})],
            }
        )
        skill = {
            "skill_id": skill_type.skill_ids.id,
            "skill_type_id": skill_type.id,
            "skill_level_id": skill_type.skill_level_ids.id,
        }
        cls.job = cls.env["hr.job"].create(
            {"name": "Tour Matching Engineer", "job_skill_ids": [Command.create(skill)]}
        )
        pool = cls.env["hr.talent.pool"].create({"name": "Tour Matches Pool"})
        cls.talent = cls.env["hr.applicant"].create(
            {
                "partner_name": "Tour Matchy",
                "email_from": "tour.matchy@example.com",
                "talent_pool_ids": [Command.link(pool.id)],
                "is_passive_candidate": True,
                "openness": "open_to_offers",
                "applicant_skill_ids": [Command.create(skill)],
            }
        )
        cls.drip = cls.env["hr.recruitment.drip"].create(
            {
                "name": "Tour matches drip",
                "job_ids": [Command.link(cls.job.id)],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Hello",
                            "channel": "email",
                            "variant_ids": [
                                Command.create(
                                    {
                                        "name": "A",
                                        "mail_template_id": cls.env.ref(
                                            "hr_recruitment_passive.mail_template_drip_first_touch"
                                        ).id,
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )

    def test_find_and_enroll_passive_talents(self):
        self.start_tour(
            "/odoo/recruitment",
            "hr_recruitment_passive_job_matches_tour",
            login="admin",
        )
        enrollment = self.env["hr.recruitment.drip.enrollment"].search(
            [("drip_id", "=", self.drip.id)]
        )
        self.assertEqual(enrollment.applicant_id, self.talent)
        self.assertEqual(enrollment.state, "running")
