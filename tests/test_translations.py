import ast
import io
from pathlib import Path

import polib
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tools.translate import trans_export

from .common import PassiveCommon

ADDON_DIR = Path(__file__).resolve().parent.parent
I18N = ADDON_DIR / "i18n"


def demo_xmlids():
    """XML ids of the records of the manifest's demo files (their terms are not in the .pot)."""
    manifest = ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text(encoding="utf-8"))
    return {
        f"hr_recruitment_passive.{record.get('id')}"
        for path in manifest.get("demo", [])
        for record in etree.parse(str(ADDON_DIR / path)).iter("record")
    }


class TestTranslations(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["hr_recruitment_passive"], ["fr_FR"], overwrite=True
        )
        cls.env_fr = cls.env(context=dict(cls.env.context, lang="fr_FR"))

    def test_menu_and_action_in_french(self):
        menu = self.env_fr.ref("hr_recruitment_passive.menu_hr_recruitment_passive_candidates")
        self.assertEqual(menu.name, "Candidats passifs")
        action = self.env_fr.ref("hr_recruitment_passive.hr_applicant_action_passive")
        self.assertEqual(action.name, "Candidats passifs")
        self.assertEqual(menu.with_context(lang="en_US").name, "Passive Candidates")

    def test_selection_labels_in_french(self):
        fields = self.env_fr["hr.applicant"].fields_get(["openness", "outreach_status"])
        self.assertIn(("open_to_offers", "Ouvert aux offres"), fields["openness"]["selection"])
        self.assertIn(("nurturing", "En suivi"), fields["outreach_status"]["selection"])
        touchpoint = self._touchpoint(self.talent_ada, kind="outreach")
        self.assertEqual(
            touchpoint.with_env(self.env_fr).display_name,
            "Ada Lovelace · LinkedIn · Prise de contact",
        )

    def test_form_view_in_french(self):
        arch = self.env_fr["hr.applicant"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("Marquer comme passif", arch)
        self.assertIn("Historique", arch)
        self.assertIn("Message LinkedIn", arch)

    def test_code_messages_in_french(self):
        talents = (self.talent_bob | self.talent_cy).with_env(self.env_fr)
        action = talents.action_mark_passive_candidate()
        self.assertEqual(action["params"]["message"], "2 candidats marqués comme passifs.")
        with self.assertRaisesText(ValidationError, "« Ne pas contacter » sans raison"):
            self.talent_bob.with_env(self.env_fr).write({"do_not_contact": True})

    def test_pot_is_current_and_french_complete(self):
        """i18n/hr_recruitment_passive.pot holds every translatable term of the addon (regenerate
        it with `odoo-bin i18n export`, see doc/development.md) and fr.po translates all of them."""
        buffer = io.BytesIO()
        trans_export(None, ["hr_recruitment_passive"], buffer, "po", self.env)
        demo = demo_xmlids()
        exported = {
            entry.msgid
            for entry in polib.pofile(buffer.getvalue().decode())
            if not all(occurrence.rsplit(":", 1)[-1] in demo for occurrence, _ in entry.occurrences)
        }
        self.assertIn("Passive Candidates", exported)
        committed = {
            entry.msgid for entry in polib.pofile(str(I18N / "hr_recruitment_passive.pot"))
        }
        self.assertFalse(
            exported - committed,
            "terms missing from i18n/hr_recruitment_passive.pot: run scripts/update-i18n, then "
            "translate the new entries of i18n/fr.po",
        )
        french = polib.pofile(str(I18N / "fr.po"))
        translated = {entry.msgid for entry in french if entry.translated()}
        self.assertFalse(
            exported - translated,
            "terms without a French translation in i18n/fr.po: translate them (scripts/update-i18n "
            "adds new terms untranslated)",
        )
