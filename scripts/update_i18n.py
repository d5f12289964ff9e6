"""Merge i18n/hr_recruitment_passive.pot into every i18n/<lang>.po, keeping existing translations.

Usage: $ODOO_PYTHON scripts/update_i18n.py
(after `odoo-bin i18n export ... hr_recruitment_passive`)
New terms are added untranslated; terms gone from the .pot are dropped.
"""

from pathlib import Path

import polib

I18N = Path(__file__).resolve().parent.parent / "i18n"


def main():
    template = polib.pofile(str(I18N / "hr_recruitment_passive.pot"))
    for po_path in sorted(I18N.glob("*.po")):
        po = polib.pofile(str(po_path))
        po.merge(template)
        for entry in po.obsolete_entries():
            po.remove(entry)
        po.save()
        print(f"{po_path.name}: {po.percent_translated()}% translated")


if __name__ == "__main__":
    main()
