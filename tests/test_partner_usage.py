from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPartnerUsage(TransactionCase):
    """hr.recruitment.partner.usage: a contact counts as used elsewhere when anything but the
    records about to vanish (and what is deleted in cascade with them) refers to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.alone, cls.user_contact, cls.notified = Partner.create(
            [
                {"name": "Ada Alone", "email": "ada.alone@example.com"},
                {"name": "Uma User", "email": "uma.user@example.com"},
                {"name": "Nora Notified", "email": "nora.notified@example.com"},
            ]
        )
        cls.applicant = cls.env["hr.applicant"].create(
            {"partner_name": "Ada Alone", "partner_id": cls.alone.id}
        )
        cls.other_applicant = cls.env["hr.applicant"].create(
            {"partner_name": "Uma User", "partner_id": cls.user_contact.id}
        )
        new_test_user(cls.env, login="uma_usage", name="Uma User", partner_id=cls.user_contact.id)
        # a notification of a message that vanishes with the applicant vanishes too
        cls.message = cls.applicant.message_post(
            body="Hello", message_type="comment", partner_ids=cls.notified.ids
        )

    def _used(self, partners, applicants):
        messages = self.env["mail.message"].search(
            [("model", "=", "hr.applicant"), ("res_id", "in", applicants.ids)]
        )
        followers = self.env["mail.followers"].search(
            [("res_model", "=", "hr.applicant"), ("res_id", "in", applicants.ids)]
        )
        return self.env["hr.recruitment.partner.usage"]._partners_used_elsewhere(
            partners,
            {
                "hr.applicant": applicants.ids,
                "mail.message": messages.ids,
                "mail.followers": followers.ids,
            },
        )

    def test_contact_of_vanishing_records_only_is_free(self):
        Notification = self.env["mail.notification"]
        self.assertTrue(Notification.search([("res_partner_id", "=", self.notified.id)]))
        used = self._used(self.alone | self.notified, self.applicant)
        self.assertFalse(used, "only the vanishing applicant and its message refer to them")

    def test_user_and_surviving_records_keep_their_contact(self):
        used = self._used(self.alone | self.user_contact | self.notified, self.other_applicant)
        # a user's contact; the applicant and the message that stay refer to the other two
        self.assertEqual(used, self.alone | self.user_contact | self.notified)

    def test_no_partner(self):
        self.assertFalse(self._used(self.env["res.partner"], self.applicant))
