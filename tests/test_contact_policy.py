from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.hr_recruitment_passive.tools.outreach_token import to_base36

from .common import PassiveCommon


@tagged("post_install", "-at_install")
class TestContactPolicy(PassiveCommon):
    # a Wednesday noon: inside the default sending window (weekdays 09:00-18:00)
    @freeze_time("2026-12-02 12:00:00")
    def test_gate_refuses_with_reasons(self):
        policy = self.env["hr.recruitment.contact.policy"]
        self.talent_bob.write({"do_not_contact": True, "do_not_contact_reason": "Asked"})
        self.env["mail.blacklist"].sudo()._add("cy@example.com")
        no_email = self.env["hr.applicant"].create(
            {"partner_name": "Nomail", "talent_pool_ids": [Command.link(self.pool.id)]}
        )
        talents = self.talent_ada | self.talent_bob | self.talent_cy | no_email
        email = policy._check(talents, "email")
        self.assertEqual(email[self.talent_ada.id].state, "allowed")
        self.assertEqual(email[self.talent_bob.id][:2], ("refused", "do_not_contact"))
        self.assertEqual(email[self.talent_cy.id][:2], ("refused", "opted_out"))
        self.assertEqual(email[no_email.id][:2], ("refused", "no_email"))
        sms = policy._check(talents, "sms")
        self.assertEqual(sms[self.talent_ada.id].state, "allowed")
        self.assertEqual(sms[self.talent_cy.id][:2], ("refused", "no_phone"))
        self.env["phone.blacklist"].sudo().add(self.talent_ada.partner_phone)
        sms = policy._check(self.talent_ada, "sms")
        self.assertEqual(sms[self.talent_ada.id][:2], ("refused", "opted_out"))
        self.talent_ada.outreach_opted_out = True
        linkedin = policy._check(self.talent_ada, "linkedin")
        self.assertEqual(linkedin[self.talent_ada.id][:2], ("refused", "opted_out"))

    def test_outreach_token(self):
        Applicant = self.env["hr.applicant"]
        token = self.talent_ada._get_outreach_token("preference")
        self.assertEqual(
            Applicant._get_applicant_from_outreach_token(token, "preference"),
            (self.talent_ada, ()),
        )
        self.assertIn(token, self.talent_ada._get_outreach_preference_url())
        forged = f"{to_base36(self.talent_bob.id)}.{token.partition('.')[2]}"
        self.assertFalse(Applicant._get_applicant_from_outreach_token(forged, "preference")[0])
        self.assertFalse(Applicant._get_applicant_from_outreach_token("garbled", "preference")[0])
        self.assertFalse(Applicant._get_applicant_from_outreach_token("", "preference")[0])
        self.talent_ada.email_from = "ada.new@example.com"
        self.assertFalse(
            Applicant._get_applicant_from_outreach_token(token, "preference")[0],
            "stale after an email change",
        )
