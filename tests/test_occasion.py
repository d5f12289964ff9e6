from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-01 08:00:00")
class TestOccasion(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("hr_recruitment_passive.ir_cron_occasion_messages")
        cls.anniversary = cls.env.ref(
            "hr_recruitment_passive.hr_recruitment_occasion_work_anniversary"
        )
        # Ada started her role on 2021-03-01: five years today; Bob and Cy have no date
        cls.talent_bob.current_role_start_date = "2025-03-02"

    def _run_cron(self):
        with self.enter_registry_test_mode():
            self.cron.method_direct_trigger()

    def _mails_to(self, talents):
        return self._new_mails.filtered(lambda m: m.recipient_ids & talents.partner_id)

    def _congratulations(self, talent):
        return talent.touchpoint_ids.filtered(lambda t: t.kind == "congratulation")

    def test_anniversary_prepares_activity_with_message(self):
        self.company.outreach_occasion_auto_email = False
        with self.mock_mail_gateway():
            self._run_cron()
        self.assertFalse(
            self._mails_to(self.talent_ada),
            "no automatic email when the company does not enable it",
        )
        touchpoint = self._congratulations(self.talent_ada)
        self.assertEqual(len(touchpoint), 1)
        self.assertEqual(touchpoint.outcome, "planned")
        self.assertEqual(touchpoint.occasion_id, self.anniversary)
        self.assertEqual(touchpoint.occasion_year, 2026)
        activity = self.talent_ada.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_officer, "the owner recruiter prepares it")
        self.assertIn("Ada Lovelace", activity.summary)
        self.assertIn("5 years", str(activity.note), "the message is rendered, ready to paste")
        self.assertIn("Analytical Engines", str(activity.note))
        self.assertFalse(self._congratulations(self.talent_bob), "Bob's anniversary is tomorrow")

    def test_anniversary_emailed_when_enabled_and_never_twice(self):
        self.company.outreach_occasion_auto_email = True
        with self.mock_mail_gateway():
            self._run_cron()
            self._run_cron()
        mails = self._mails_to(self.talent_ada)
        self.assertEqual(len(mails), 1, "one congratulation per occasion and year")
        self.assertIn("Congratulations", mails.subject)
        self.assertIn("5 years", str(mails.body_html))
        self.assertIn("/recruitment/preferences/", str(mails.body_html))
        self.assertEqual(mails.recipient_ids, self.talent_ada.partner_id)
        touchpoint = self._congratulations(self.talent_ada)
        self.assertEqual(len(touchpoint), 1)
        self.assertEqual((touchpoint.channel, touchpoint.outcome), ("email", "sent"))
        self.assertEqual(touchpoint.mail_message_id, mails.mail_message_id)
        self.assertFalse(self.talent_ada.activity_ids)

    def test_linkedin_preference_gets_activity_even_with_auto_email(self):
        self.company.outreach_occasion_auto_email = True
        self.talent_ada.preferred_channel = "linkedin"
        with self.mock_mail_gateway():
            self._run_cron()
        self.assertFalse(self._mails_to(self.talent_ada))
        touchpoint = self._congratulations(self.talent_ada)
        self.assertEqual((touchpoint.channel, touchpoint.outcome), ("linkedin", "planned"))
        self.assertEqual(len(self.talent_ada.activity_ids), 1)

    def test_gate_refuses_opted_out_and_do_not_contact(self):
        self.company.outreach_occasion_auto_email = True
        self.talent_bob.write({"current_role_start_date": "2020-03-01"})
        self.talent_ada.outreach_opted_out = True
        self.talent_bob.write({"do_not_contact": True, "do_not_contact_reason": "Asked"})
        with self.mock_mail_gateway():
            self._run_cron()
        self.assertFalse(self._mails_to(self.talent_ada | self.talent_bob))
        self.assertFalse(self._congratulations(self.talent_ada | self.talent_bob))
        self.assertFalse((self.talent_ada | self.talent_bob).activity_ids)

    def test_not_on_the_start_date_itself_nor_for_non_passive(self):
        self.talent_bob.current_role_start_date = "2026-03-01"
        self.talent_cy.current_role_start_date = "2020-03-01"  # not a passive candidate
        self._run_cron()
        self.assertFalse(self._congratulations(self.talent_bob), "'From year' 1 skips day 0")
        self.assertFalse(self._congratulations(self.talent_cy))

    @freeze_time("2027-02-28 08:00:00")
    def test_leap_day_celebrated_on_28_february(self):
        self.talent_bob.current_role_start_date = "2024-02-29"
        self._run_cron()
        self.assertEqual(len(self._congratulations(self.talent_bob)), 1)

    def test_configurable_occasion(self):
        template = self.env["mail.template"].create(
            {
                "name": "Availability anniversary",
                "model_id": self.env["ir.model"]._get_id("hr.applicant"),
                "subject": "Hello {{ object.partner_name }}",
                "body_html": "<p>Hi <t t-out='object.partner_name'/>, one year already!</p>",
            }
        )
        field = self.env["ir.model.fields"]._get("hr.applicant", "availability")
        occasion = self.env["hr.recruitment.occasion"].create(
            {"name": "Availability", "date_field_id": field.id, "template_id": template.id}
        )
        self.talent_bob.availability = "2025-03-01"
        self._run_cron()
        touchpoint = self._congratulations(self.talent_bob)
        self.assertEqual(touchpoint.occasion_id, occasion)
        self.assertIn("one year already", str(self.talent_bob.activity_ids.note))
        with self.assertRaisesText(ValidationError, "choose a date field"):
            occasion.date_field_id = self.env["ir.model.fields"]._get(
                "hr.applicant", "partner_name"
            )
