from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
class TestPassiveProfile(PassiveCommon):
    def test_create_passive_talent_in_one_form(self):
        action = self.env.ref("hr_recruitment_passive.hr_applicant_action_passive")
        context = dict(eval(action.context))
        Applicant = self.env["hr.applicant"].with_user(self.user_officer).with_context(**context)
        with Form(Applicant) as form:
            form.partner_name = "Grace Hopper"
            form.email_from = "grace@example.com"
            form.current_company = "US Navy"
            form.current_job_title = "Rear Admiral"
            form.current_role_start_date = "2020-01-15"
            form.years_of_experience = 30
            form.openness = "open_to_offers"
            form.desired_timing = "now"
            form.preferred_channel = "linkedin"
        talent = form.record
        self.assertTrue(talent.is_passive_candidate)
        self.assertEqual(talent.talent_pool_ids, self.pool)
        self.assertEqual(talent.pool_applicant_id, talent, "a new passive record is a talent")
        self.assertEqual(talent.outreach_status, "new")
        listed = self.env["hr.applicant"].search(eval(action.domain))
        self.assertIn(talent, listed)
        self.assertNotIn(self.talent_cy, listed, "a talent not flagged passive is not listed")

    def test_flag_existing_talent_in_one_click(self):
        self.talent_cy.with_user(self.user_officer).action_mark_passive_candidate()
        self.assertTrue(self.talent_cy.is_passive_candidate)
        self.assertEqual(self.talent_cy.outreach_status, "new")

    def test_flag_application_makes_passive_talent(self):
        application = self.env["hr.applicant"].create(
            {
                "partner_name": "Dan Applicant",
                "email_from": "dan@example.com",
                "job_id": self.job.id,
            }
        )
        self.assertFalse(application.pool_applicant_id)
        application.with_user(self.user_officer).action_mark_passive_candidate()
        talent = application.pool_applicant_id
        self.assertTrue(talent, "the application got a talent in the passive pool")
        self.assertNotEqual(talent, application)
        self.assertIn(self.pool, talent.talent_pool_ids)
        self.assertTrue(talent.is_passive_candidate)

    def test_profile_follows_talent_and_applications(self):
        application = self.env["hr.applicant"].create(
            {
                "partner_name": "Ada Lovelace",
                "email_from": "ada@example.com",
                "job_id": self.job.id,
                "pool_applicant_id": self.talent_ada.id,
            }
        )
        self.assertEqual(application.current_company, "Analytical Engines", "copied on creation")
        application.current_job_title = "Chief Engineer"
        self.assertEqual(self.talent_ada.current_job_title, "Chief Engineer")
        self.talent_ada.openness = "open_to_offers"
        self.assertEqual(application.openness, "open_to_offers")

    def test_skill_filter(self):
        found = self.env["hr.applicant"].search(
            [("is_passive_candidate", "=", True), ("skill_ids", "in", self.skill_rust.ids)]
        )
        self.assertEqual(found, self.talent_ada)
        found = self.env["hr.applicant"].search([("skill_ids", "in", self.skill_go.ids)])
        self.assertFalse(found)

    def test_do_not_contact_requires_reason(self):
        with self.assertRaisesText(ValidationError, "without a reason"):
            self.talent_bob.write({"do_not_contact": True})
        self.talent_bob.write({"do_not_contact": True, "do_not_contact_reason": "Asked us to stop"})
        self.assertEqual(self.talent_bob.outreach_status, "do_not_contact")

    def test_negative_experience_refused(self):
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.talent_bob.years_of_experience = -2
        self.assertEqual(self.talent_bob.years_of_experience, 0)

    def test_invalid_email_refused_on_passive_talent(self):
        with self.assertRaisesText(ValidationError, "not a valid email address"):
            self.env["hr.applicant"].create(
                {
                    "partner_name": "Broken",
                    "email_from": "not-an-email",
                    "is_passive_candidate": True,
                    "talent_pool_ids": [Command.link(self.pool.id)],
                }
            )

    def test_import_passive_talents(self):
        fields_ = [
            "partner_name",
            "email_from",
            "talent_pool_ids/id",
            "is_passive_candidate",
            "current_company",
            "current_job_title",
            "current_role_start_date",
            "years_of_experience",
            "openness",
            "desired_timing",
            "preferred_channel",
        ]
        pool_xmlid = "hr_recruitment_passive.hr_talent_pool_passive"
        rows = [
            [
                "Imported One",
                "one@example.com",
                pool_xmlid,
                "1",
                "Initech",
                "Analyst",
                "2019-05-01",
                "7",
                "open_to_talk",
                "within_1_year",
                "sms",
            ],
            [
                "Imported Two",
                "two@example.com",
                pool_xmlid,
                "1",
                "Hooli",
                "CTO",
                "2022-09-12",
                "15",
                "not_open",
                "later",
                "email",
            ],
        ]
        result = self.env["hr.applicant"].with_user(self.user_officer).load(fields_, rows)
        self.assertFalse(result["messages"], result["messages"])
        imported = self.env["hr.applicant"].browse(result["ids"])
        self.assertEqual(imported.mapped("current_company"), ["Initech", "Hooli"])
        self.assertEqual(imported.mapped("openness"), ["open_to_talk", "not_open"])
        self.assertTrue(all(t.pool_applicant_id == t for t in imported))

    def test_import_wrong_selection_value_explains(self):
        count_before = self.env["hr.applicant"].search_count([])
        result = (
            self.env["hr.applicant"]
            .with_user(self.user_officer)
            .load(["partner_name", "openness"], [["Wrong Value", "maybe"]])
        )
        self.assertFalse(result["ids"])
        message = result["messages"][0]["message"]
        self.assertEqual(result["messages"][0]["type"], "error")
        self.assertIn("maybe", message)
        self.assertEqual(self.env["hr.applicant"].search_count([]), count_before)
