from pathlib import Path

from lxml import etree

from odoo.tests import TransactionCase, tagged

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
OFFICER = "hr_recruitment.group_hr_recruitment_user"


@tagged("post_install", "-at_install")
class TestDemoUsers(TransactionCase):
    """A user who owns demo talents or drips can open them: the demo data gives them the
    Recruitment group those records imply (hr_recruitment's demo takes it away from Marc Demo)."""

    def _demo_trees(self):
        return [etree.parse(str(path)) for path in sorted(DEMO_DIR.glob("*.xml"))]

    def test_demo_owners_are_officers(self):
        owners = set()
        granted = set()
        for tree in self._demo_trees():
            for field in tree.iter("field"):
                if field.get("name") == "user_id" and field.get("ref"):
                    owners.add(field.get("ref"))
            for record in tree.iter("record"):
                if record.get("model") != "res.users":
                    continue
                for field in record.iter("field"):
                    if field.get("name") == "group_ids" and OFFICER in (field.get("eval") or ""):
                        granted.add(record.get("id"))
        self.assertIn("base.user_demo", owners)
        self.assertEqual(owners - {"base.user_admin"} - granted, set())
