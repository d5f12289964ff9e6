from odoo.tests import HttpCase, tagged

from .common import PassiveCommon


@tagged("post_install", "-at_install")
class TestCandidateLanguage(PassiveCommon, HttpCase):
    """What a candidate sees (preference pages, default messages) is in the candidate's language,
    whatever the recruiter's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["hr_recruitment_passive"], ["fr_FR"], overwrite=True
        )
        cls.talent_ada.partner_id.lang = "fr_FR"
        cls.talent_bob.partner_id.lang = "en_US"

    def test_preference_page_in_candidate_language(self):
        response = self.url_open(self.talent_ada._get_outreach_preference_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Comment devons-nous vous contacter ?", response.text)
        self.assertIn("Où en êtes-vous ?", response.text)
        self.assertIn('lang="fr-FR"', response.text)
        self.assertNotIn("How should we reach you?", response.text)
        response = self.url_open(self.talent_bob._get_outreach_preference_url())
        self.assertIn("How should we reach you?", response.text)

    def test_unsubscribe_page_in_candidate_language(self):
        response = self.url_open(self.talent_ada._get_outreach_unsubscribe_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Voulez-vous ne plus recevoir de messages de nos recruteurs ?", response.text)

    def test_default_templates_in_candidate_language(self):
        template = self.env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
        talents = self.talent_ada | self.talent_bob
        rendered = template.with_user(self.user_officer)._generate_template(
            talents.ids, ["subject", "body_html"]
        )
        self.assertIn("Bonjour Ada,", rendered[self.talent_ada.id]["body_html"])
        self.assertIn("chez", rendered[self.talent_ada.id]["subject"])
        self.assertIn("Hello Bob,", rendered[self.talent_bob.id]["body_html"])
        sms = self.env.ref("hr_recruitment_passive.sms_template_drip_nudge")
        bodies = sms._render_field("body", talents.ids, compute_lang=True)
        self.assertIn("Avez-vous vu mon e-mail", bodies[self.talent_ada.id])
        self.assertIn("Did you see my email", bodies[self.talent_bob.id])
