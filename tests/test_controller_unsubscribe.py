from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .drip_common import MONDAY
from .local_smtp import LocalSmtpMixin
from .test_contact_policy_drip import BoundariesDripCommon

# long enough for any <https://...> unsubscribe URL to pass the 78-character line Python folds at
LONG_BASE_URL = "https://recruiting.very-long-subdomain-name.example-company-domain.com"


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestUnsubscribeOnTheWire(LocalSmtpMixin, BoundariesDripCommon):
    """Every automated email path, and Odoo's own mass mailings, hand SMTP a List-Unsubscribe
    that mail clients can use: one logical line, the <https://...> URL whole and unencoded,
    with List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 2369, RFC 8058)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", LONG_BASE_URL)
        cls.company.outreach_occasion_auto_email = True
        cls.occasion_cron = cls.env.ref("hr_recruitment_passive.ir_cron_occasion_messages")

    # --- reading the wire -------------------------------------------------------------

    def _header_fields(self, raw, name):
        """The header fields called `name` in raw message bytes, each as its list of physical
        lines (RFC 5322 2.2.3: a line starting with white space continues the field)."""
        head = raw.split(b"\r\n\r\n", 1)[0].decode()
        fields = []
        for line in head.split("\r\n"):
            if line[:1] in (" ", "\t") and fields:
                fields[-1].append(line)
            else:
                fields.append([line])
        return [lines for lines in fields if lines[0].lower().startswith(f"{name.lower()}:")]

    def assertOneClickUnsubscribeOnTheWire(self, raw, url):
        self.assertTrue(url.startswith(f"{LONG_BASE_URL}/"), url)
        (unsubscribe,) = self._header_fields(raw, "List-Unsubscribe")
        unfolded = "".join(unsubscribe)  # unfolding removes the line breaks only
        self.assertNotIn("=?", unfolded, "no RFC 2047 encoded word")
        self.assertEqual(unfolded, f"List-Unsubscribe: <{url}>")
        self.assertTrue(
            any(f"<{url}>" in line for line in unsubscribe), "the URL is not split by a fold"
        )
        self.assertEqual(
            self._header_fields(raw, "List-Unsubscribe-Post"),
            [["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]],
        )

    # --- sending ------------------------------------------------------------------------

    def _send_queue(self):
        self.env.flush_all()
        self.env["mail.mail"].sudo().process_email_queue()
        self.env.invalidate_all()

    def _run_occasion_cron(self):
        self.env.flush_all()
        self.occasion_cron.method_direct_trigger()  # an HttpCase's registry is already in test mode
        self.env.invalidate_all()

    def _mailing(self, model, domain, **values):
        return self.env["mailing.mailing"].create(
            {
                "subject": "Our engineering newsletter",
                "body_html": "<p>News from the Platform team.</p>",
                "mailing_model_id": self.env["ir.model"]._get_id(model),
                "mailing_domain": repr(domain),
                **values,
            }
        )

    def _path(self, url):
        return url[len(LONG_BASE_URL) :]

    # --- one test per path --------------------------------------------------------------

    def test_drip_email_step(self):
        ada = self.talent_ada
        self.drip.enroll(ada)
        with self.sending_over_smtp():
            self._run_drip_cron()
            self._send_queue()
        mailing = self.step_1.variant_ids.mailing_id
        url = mailing._get_unsubscribe_oneclick_url(ada.email_normalized, ada.id)
        self.assertOneClickUnsubscribeOnTheWire(self.raw_message_to(ada.email_normalized), url)
        # what a mail client's button does with the URL it read from the wire
        response = self.url_open(self._path(url), data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self._assert_opted_out(ada, self._enrollments(ada))

    def test_occasion_email_cron(self):
        ada = self.talent_ada
        ada.current_role_start_date = "2021-03-02"  # five years today
        with self.sending_over_smtp():
            self._run_occasion_cron()
            self._send_queue()
        self.assertEqual(
            ada.touchpoint_ids.filtered(lambda t: t.kind == "congratulation").channel, "email"
        )
        url = ada._get_outreach_unsubscribe_url()
        self.assertOneClickUnsubscribeOnTheWire(self.raw_message_to(ada.email_normalized), url)
        response = self.url_open(self._path(url), data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertTrue(ada.outreach_opted_out)

    def test_bulk_resource_share(self):
        with self.sending_over_smtp():
            self._share(self.talent_ada | self.talent_bob)
            self._send_queue()
        for talent in self.talent_ada | self.talent_bob:
            self.assertOneClickUnsubscribeOnTheWire(
                self.raw_message_to(talent.email_normalized),
                talent._get_outreach_unsubscribe_url(),
            )

    def test_email_marketing_mailing_to_candidates(self):
        ada = self.talent_ada
        mailing = self._mailing("hr.applicant", [("id", "=", ada.id)], reply_to_mode="update")
        with self.sending_over_smtp():
            mailing.action_send_mail()
            self._send_queue()
        self.assertEqual(mailing.mailing_trace_ids.trace_status, "sent")
        url = mailing._get_unsubscribe_oneclick_url(ada.email_normalized, ada.id)
        self.assertOneClickUnsubscribeOnTheWire(self.raw_message_to(ada.email_normalized), url)

    def test_odoo_mass_mailing_to_mailing_list(self):
        """Not a candidate: Odoo's own mass mailing is fixed too while the addon is installed."""
        mailing_list = self.env["mailing.list"].create(
            {
                "name": "Platform newsletter",
                "contact_ids": [Command.create({"name": "Zoe Reader", "email": "zoe@example.com"})],
            }
        )
        contact = mailing_list.contact_ids
        mailing = self._mailing(
            "mailing.list",
            [("list_ids", "in", mailing_list.ids)],
            contact_list_ids=[Command.set(mailing_list.ids)],
        )
        with self.sending_over_smtp():
            mailing.action_send_mail()
            self._send_queue()
        self.assertEqual(mailing.mailing_trace_ids.trace_status, "sent")
        url = mailing._get_unsubscribe_oneclick_url("zoe@example.com", contact.id)
        self.assertOneClickUnsubscribeOnTheWire(self.raw_message_to("zoe@example.com"), url)

    def test_list_header_with_several_items_folds_between_them_only(self):
        """Any email with list headers (Odoo's digests and mail groups set them too): a
        header too long for one line is folded at the white space between its <...> items."""
        web_url = f"{LONG_BASE_URL}/groups/unsubscribe/42?token=" + "a1" * 30
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": "Group digest",
                    "body_html": "<p>Digest</p>",
                    "email_to": "zoe@example.com",
                    "headers": repr(
                        {
                            "List-Unsubscribe": f"<mailto:unsubscribe@example.com>, <{web_url}>",
                            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                        }
                    ),
                }
            )
        )
        with self.sending_over_smtp():
            mail.send()
        raw = self.raw_message_to("zoe@example.com")
        (unsubscribe,) = self._header_fields(raw, "List-Unsubscribe")
        self.assertEqual(
            unsubscribe,
            ["List-Unsubscribe: <mailto:unsubscribe@example.com>,", f" <{web_url}>"],
        )
        self.assertEqual(
            self._header_fields(raw, "List-Unsubscribe-Post"),
            [["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]],
        )
