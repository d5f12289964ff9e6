"""The pure helpers of tools/ (auto_reply, dates, senders, text), edge by edge (the corpus in
test_mail_thread_corpus.py covers whole emails)."""

from datetime import date

from odoo.tests import BaseCase, tagged

from odoo.addons.hr_recruitment_passive.tools.auto_reply import is_auto_reply
from odoo.addons.hr_recruitment_passive.tools.dates import (
    MONTHS,
    find_dates,
    find_reply_date,
    parse_return_date,
)
from odoo.addons.hr_recruitment_passive.tools.senders import sender_address
from odoo.addons.hr_recruitment_passive.tools.text import normalize_text

TODAY = date(2026, 12, 2)


@tagged("post_install", "-at_install")
class TestMailParsing(BaseCase):
    def test_normalize_text(self):
        assert normalize_text("Réponse  AUTOMATIQUE\u2019s") == "reponse  automatique's"
        assert normalize_text(None) == ""
        # one month table, accent-free, for every language
        assert MONTHS["marz"] == MONTHS["mars"] == MONTHS["march"] == MONTHS["marzo"] == 3
        assert MONTHS["decembre"] == MONTHS["dezember"] == MONTHS["diciembre"] == 12

    def test_headers(self):
        assert is_auto_reply({"Auto-Submitted": "auto-replied"}, "Re: Hi")
        assert is_auto_reply({"Auto-Submitted": "auto-generated"}, "Re: Hi")
        assert not is_auto_reply({"Auto-Submitted": "No"}, "Re: Hi")
        assert is_auto_reply({"X-Autoreply": "yes"}, "Re: Hi")
        assert not is_auto_reply({"X-Autoreply": "no"}, "Re: Hi")
        assert is_auto_reply({"X-Auto-Response-Suppress": "DR, OOF"}, "Re: Hi")
        assert not is_auto_reply({"X-Auto-Response-Suppress": "DR, RN"}, "Re: Hi")
        assert is_auto_reply({"Precedence": "auto_reply"}, "Re: Hi")
        for precedence in ("bulk", "list", "junk"):
            assert not is_auto_reply({"Precedence": precedence}, "Re: Hi"), precedence

    def test_subjects(self):
        for subject in (
            "Out of office",
            "Out of office - back on Monday",
            "Abwesend: Ihre Nachricht",
            "(Auto-Reply) Hi",
            "Message d'absence : votre offre",
            "  automatic reply: Hi",
        ):
            assert is_auto_reply({}, subject), subject
        for subject in (
            "Absence of salary range in your offer",
            "On leave until June - but yes, interested!",
            "Absent minded question about the role",
            "Re: Out of office",
            "Automatic replies are annoying, but yes",
            "Auto parts industry experience",
            "Out of office party",
            "",
        ):
            assert not is_auto_reply({}, subject), subject

    def test_dates(self):
        assert find_dates("from 3 to 15 March, then 2027-04-01", TODAY) == [
            date(2027, 3, 15),
            date(2027, 4, 1),
        ]
        # a day-less month: its first day; the current month alone is ambiguous
        assert find_dates("until June", TODAY) == [date(2027, 6, 1)]
        assert find_dates("until December", TODAY) == []
        # words that only look like months
        assert find_dates("I may be interested; 5 out of 6; Mars; Marco", TODAY) == []
        assert find_dates("back in May", TODAY) == [date(2027, 5, 1)]
        # past and impossible dates are left out; 2-digit years are this century
        assert find_dates("since 01.01.2020, on 31.02.2027, on 15-01-27", TODAY) == [
            date(2027, 1, 15)
        ]
        assert find_dates("dans 3 mois", TODAY) == [date(2027, 3, 2)]
        assert find_dates("nächstes Jahr", TODAY) == [date(2027, 1, 1)]

    def test_return_and_reply_dates(self):
        text = "Away from 2026-12-10 to 2027-01-04. Not before 2028-06-01."
        assert parse_return_date(text, TODAY) == date(2027, 1, 4), "the latest within a year"
        assert find_reply_date(text, TODAY) == date(2026, 12, 10), "the first named"
        assert parse_return_date("no date", TODAY) is None
        assert find_reply_date("no date", TODAY) is None

    def test_sender_address(self):
        assert sender_address("Ada Lovelace <ADA@Example.com>") == (
            "Ada Lovelace",
            "ada@example.com",
        )
        assert sender_address("ada@example.com") == ("", "ada@example.com")
        assert sender_address('"Eve <b>" <eve@example.com>') == ("Eve b", "eve@example.com")
        assert sender_address("undisclosed-recipients:;") == ("", "")
        assert sender_address(False) == ("", "")
