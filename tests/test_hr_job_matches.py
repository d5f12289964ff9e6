from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.hr_recruitment_passive.tests.common import PassiveCommon

# the day the recruiter looks for talents; Bruno said "not now" in March, until mid-June
TODAY = "2027-07-01 09:00:00"


@tagged("post_install", "-at_install")
class TestJobMatches(PassiveCommon):
    """A job with Python and Go: its passive talents ranked, explained, enrolled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "UTC"
        skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Programming (matches)",
                "skill_ids": [Command.create({"name": "Python"}), Command.create({"name": "Go"})],
                "skill_level_ids": [
                    Command.create({"name": "Expert", "level_progress": 100}),
                    Command.create(
                        {"name": "Intermediate", "level_progress": 50, "default_level": True}
                    ),
                ],
            }
        )
        cls.skill_type = skill_type
        cls.python, cls.go = skill_type.skill_ids
        cls.expert, cls.intermediate = skill_type.skill_level_ids
        cls.backend_job = cls.env["hr.job"].create(
            {
                "name": "Backend Engineer",
                "department_id": cls.department.id,
                "user_id": cls.user_officer.id,
                "job_skill_ids": [
                    cls._skill(cls.python, cls.expert),
                    cls._skill(cls.go, cls.intermediate),
                ],
            }
        )

        def talent(name, skills, **values):
            return {
                "partner_name": name,
                "email_from": f"{name.lower()}@example.com",
                "talent_pool_ids": [Command.link(cls.pool.id)],
                "is_passive_candidate": True,
                "user_id": cls.user_officer.id,
                "applicant_skill_ids": [cls._skill(skill, level) for skill, level in skills],
                **values,
            }

        both_expert = [(cls.python, cls.expert), (cls.go, cls.expert)]
        (
            cls.alice,
            cls.bruno,
            cls.chloe,
            cls.dora,
            cls.eric,
            cls.fiona,
        ) = cls.env["hr.applicant"].create(
            [
                talent("Alice", both_expert, openness="open_to_offers", desired_timing="now"),
                talent(
                    "Bruno",
                    [(cls.python, cls.expert), (cls.go, cls.intermediate)],
                    openness="open_to_talk",
                ),
                talent(
                    "Chloe",
                    [(cls.python, cls.intermediate)],
                    openness="not_open",
                    desired_timing="later",
                ),
                talent("Dora", both_expert, openness="open_to_offers", outreach_opted_out=True),
                talent("Eric", both_expert, openness="open_to_offers", desired_timing="now"),
                talent(
                    "Fiona",
                    both_expert,
                    openness="open_to_talk",
                    outreach_snoozed_until="2027-09-01",
                ),
            ]
        )
        cls.drip = cls.env["hr.recruitment.drip"].create(
            {
                "name": "Backend nurture",
                "user_id": cls.user_officer.id,
                "job_ids": [Command.link(cls.backend_job.id)],
                "step_ids": [
                    Command.create(
                        {
                            "name": "First touch",
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

    @classmethod
    def _skill(cls, skill, level):
        return (
            0,
            0,
            {"skill_id": skill.id, "skill_type_id": cls.skill_type.id, "skill_level_id": level.id},
        )

    def _live_history(self):
        """Bruno said 'not now' in March (until mid-June); Eric was written to two days ago;
        then the daily engagement recompute ran."""
        with freeze_time("2027-03-01 10:00:00"):
            reply = self._touchpoint(
                self.bruno, direction="inbound", kind="reply", summary="Not now, maybe June"
            )
            reply._apply_reply_class("not_now", until="2027-06-15")
        with freeze_time("2027-06-29 10:00:00"):
            self._touchpoint(self.eric, direction="outbound", kind="outreach")
        with freeze_time(TODAY):
            talents = self.alice | self.bruno | self.chloe | self.dora | self.eric | self.fiona
            Applicant = self.env["hr.applicant"]
            self.env.add_to_compute(Applicant._fields["engagement_score"], talents)
            talents.flush_recordset(["engagement_score"])

    def test_ranked_and_explained(self):
        self._live_history()
        with freeze_time(TODAY):
            job = self.backend_job.with_user(self.user_officer)
            matches = job._get_passive_matches()
            self.assertEqual(
                [m.talent for m in matches],
                [self.alice, self.eric, self.bruno, self.fiona, self.chloe],
                "best skills, openness and timing first; Ada (Rust only) does not match; "
                "Dora opted out",
            )
            self.assertEqual([m.score for m in matches], [85, 75, 71, 51, 23])
            reasons = {m.talent: m.reason for m in matches}
            self.assertEqual(
                reasons[self.bruno],
                "Python, Go; open to talk; said 'not now' until June 2027, now past",
            )
            self.assertEqual(reasons[self.alice], "Python, Go; open to offers; available now")
            self.assertEqual(
                reasons[self.eric],
                "Python, Go; open to offers; available now; contacted in the last week",
            )
            self.assertEqual(
                reasons[self.fiona], "Python, Go; open to talk; snoozed until September 2027"
            )
            self.assertEqual(reasons[self.chloe], "Python; not open; available later")
            self.assertEqual(
                [m.talent for m in job._get_passive_matches(limit=2)], [self.alice, self.eric]
            )

    def test_match_list_shows_exclusions(self):
        self._live_history()
        with freeze_time(TODAY):
            action = self.backend_job.with_user(self.user_officer).action_find_passive_talents()
            Match = self.env["hr.job.passive.match"].with_user(self.user_officer)
            lines = Match.search(action["domain"])
            self.assertEqual(
                lines.applicant_id,
                self.alice | self.eric | self.bruno | self.fiona | self.chloe | self.dora,
            )
            self.assertEqual(
                lines[:5].mapped("applicant_id.partner_name"),
                ["Alice", "Eric", "Bruno", "Fiona", "Chloe"],
            )
            dora = lines.filtered(lambda line: line.applicant_id == self.dora)
            self.assertTrue(dora.excluded)
            self.assertEqual(dora.exclusion_reason, "Opted out of recruitment outreach")
            self.assertEqual(lines.filtered("excluded"), dora, "the others may be contacted")
            alice = lines[0]
            self.assertEqual(alice.matching_skill_ids, self.python | self.go)
            self.assertEqual(alice.skill_fit, 100.0)
            # searching again replaces the recruiter's rows, it does not add to them
            self.backend_job.with_user(self.user_officer).action_find_passive_talents()
            self.assertEqual(Match.search_count(action["domain"]), 6)

    def test_enroll_selected_in_one_click(self):
        self._live_history()
        with freeze_time(TODAY):
            action = self.backend_job.with_user(self.user_officer).action_find_passive_talents()
            lines = (
                self.env["hr.job.passive.match"]
                .with_user(self.user_officer)
                .search(action["domain"])
            )
            selected = lines.filtered(
                lambda line: line.applicant_id in (self.alice | self.eric | self.chloe | self.dora)
            )
            enroll_action = selected.action_enroll_in_drip()
            wizard = (
                self.env[enroll_action["res_model"]]
                .with_user(self.user_officer)
                .browse(enroll_action["res_id"])
            )
            self.assertEqual(wizard.drip_id, self.drip, "the drip of the job is used")
            self.assertEqual(wizard.state, "done", "one click: enrolled, results shown")
            results = {line.applicant_id: (line.result, line.reason) for line in wizard.line_ids}
            self.assertEqual(
                results,
                {
                    self.alice: ("enrolled", False),
                    self.eric: ("enrolled", False),
                    self.chloe: ("enrolled", False),
                    self.dora: ("skipped", "Opted out of recruitment outreach"),
                },
            )
            enrollments = self.env["hr.recruitment.drip.enrollment"].search(
                [("drip_id", "=", self.drip.id)]
            )
            self.assertEqual(enrollments.applicant_id, self.alice | self.eric | self.chloe)

    def test_match_count_follows_job_skills(self):
        job = self.backend_job.with_user(self.user_officer)
        self.assertEqual(job.passive_match_count, 5)
        # Ada (common data) knows Rust: adding it to the job brings her in
        self.backend_job.write(
            {
                "job_skill_ids": [
                    Command.create(
                        {
                            "skill_id": self.skill_rust.id,
                            "skill_type_id": self.skill_rust.skill_type_id.id,
                            "skill_level_id": self.skill_level.id,
                        }
                    )
                ]
            }
        )
        self.assertEqual(job.passive_match_count, 6)
        self.assertIn(self.talent_ada, [m.talent for m in job._get_passive_matches()])

    def test_match_reason_in_templates(self):
        self._live_history()
        with freeze_time(TODAY):
            application = self.env["hr.applicant"].create(
                {
                    "job_id": self.backend_job.id,
                    "pool_applicant_id": self.bruno.id,
                    "partner_name": "Bruno",
                }
            )
            self.assertEqual(
                application._outreach_match_reason(),
                "Python, Go; open to talk; said 'not now' until June 2027, now past",
            )
            template = self.env["mail.template"].create(
                {
                    "name": "Match reason",
                    "model_id": self.env["ir.model"]._get_id("hr.applicant"),
                    "subject": "Why you: {{ object._outreach_match_reason() }}",
                }
            )
            subject = template._render_field("subject", application.ids)[application.id]
            self.assertEqual(
                subject,
                "Why you: Python, Go; open to talk; said 'not now' until June 2027, now past",
            )
            # a talent written to from a drip: the drip's job
            self.assertEqual(
                self.alice._outreach_match_reason(self.backend_job),
                "Python, Go; open to offers; available now",
            )
            self.assertTrue(
                self.alice.with_context(outreach_drip_id=self.drip.id)
                ._outreach_match_reason()
                .startswith("Python, Go")
            )
            # the application to this job excludes Bruno from the job's matches
            self.assertNotIn(
                self.bruno, [m.talent for m in self.backend_job._get_passive_matches()]
            )

    def test_auto_enroll_top_matches_daily(self):
        self._live_history()
        with self.assertRaisesText(ValidationError, "choose the drip"):
            self.backend_job.write({"passive_auto_enroll": True})
        self.backend_job.write(
            {
                "passive_auto_enroll": True,
                "passive_auto_enroll_drip_id": self.drip.id,
                "passive_auto_enroll_limit": 2,
                "no_of_recruitment": 1,
            }
        )
        cron = self.env.ref("hr_recruitment_passive.ir_cron_job_passive_auto_enroll")
        Enrollment = self.env["hr.recruitment.drip.enrollment"]
        domain = [("drip_id", "=", self.drip.id)]

        def run():
            self.env.flush_all()
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
            self.env.invalidate_all()

        with freeze_time(TODAY):
            run()
            self.assertEqual(Enrollment.search(domain).applicant_id, self.alice | self.eric)
            self.assertIn("Auto-enrolled 2 passive talents", self.backend_job.message_ids[0].body)
            run()
            self.assertEqual(len(Enrollment.search(domain)), 2, "once a day")
        with freeze_time("2027-07-02 09:00:00"):
            run()
            # Fiona is snoozed until September: she waits; Dora opted out
            self.assertEqual(
                Enrollment.search(domain).applicant_id,
                self.alice | self.eric | self.bruno | self.chloe,
            )
        with freeze_time("2027-07-03 09:00:00"):
            self.backend_job.no_of_recruitment = 0
            run()
            self.assertEqual(len(Enrollment.search(domain)), 4, "no target: no auto-enrollment")

    def test_auto_enroll_notes_who_was_skipped(self):
        other_drip = self.drip.copy()
        other_drip.enroll(self.alice)
        self.backend_job.write(
            {
                "passive_auto_enroll": True,
                "passive_auto_enroll_drip_id": self.drip.id,
                "passive_auto_enroll_limit": 1,
            }
        )
        result = self.backend_job._outreach_auto_enroll()
        self.assertFalse(result["enrollments"])
        self.assertEqual(result["skipped"][self.alice.id][0], "already_enrolled")
        note = self.backend_job.message_ids[0].preview
        self.assertIn("Auto-enrolled 0 passive talents", note)
        self.assertIn("Skipped: Alice (Already in running drip", note)

    def test_access(self):
        job_interviewer = self.backend_job.with_user(self.user_interviewer)
        with self.assertRaises(AccessError):
            job_interviewer.action_find_passive_talents()
        with self.assertRaises(AccessError):
            self.env["hr.job.passive.match"].with_user(self.user_interviewer).search([])
        action = self.backend_job.with_user(self.user_officer).action_find_passive_talents()
        self.assertTrue(
            self.env["hr.job.passive.match"].with_user(self.user_officer).search(action["domain"])
        )
        # another recruiter does not see (nor clear) Olivia's list
        other = new_test_user(
            self.env,
            login="matches_other_officer",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
        )
        self.assertFalse(self.env["hr.job.passive.match"].with_user(other).search([]))
        # a recruiter of another company sees no match of this company's job
        company_b = self.env["res.company"].create({"name": "Matches B"})
        officer_b = new_test_user(
            self.env,
            login="matches_officer_b",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertEqual(self.backend_job.company_id, self.env.company)
        self.assertFalse(self.env["hr.job.passive.match"].with_user(officer_b).search([]))
        with self.assertRaises(AccessError):
            self.env["hr.job.passive.match"].with_user(officer_b).create(
                {"job_id": self.backend_job.id, "applicant_id": self.alice.id}
            )
        with self.assertRaises(AccessError):
            self.backend_job.with_user(officer_b).action_find_passive_talents()
