import email
import email.policy
from email.utils import parseaddr

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .drip_common import MONDAY
from .local_smtp import LocalSmtpMixin, LocalSmtpServer
from .test_contact_policy_drip import BoundariesDripCommon

RAW_EMAIL = """From: {email_from}
To: {to}
Subject: {subject}
Message-ID: {message_id}
Date: Mon, 02 Mar 2026 11:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
{headers}
{body}
"""


class DripOnTheWireCommon(LocalSmtpMixin, BoundariesDripCommon):
    """The drip's emails sent for real to a local SMTP server, read back as bytes."""

    def _send_queue(self):
        self.env.flush_all()
        self.env["mail.mail"].sudo().process_email_queue()
        self.env.invalidate_all()

    def _run_and_deliver(self):
        """Run the drip cron and the mail queue over SMTP; {email: parsed message}."""
        with self.sending_over_smtp():
            self._run_drip_cron()
            self._send_queue()
        return self._received(self.smtp_server)

    def _received(self, server):
        received = {}
        for message in server.messages:
            parsed = email.message_from_bytes(message["data"], policy=email.policy.default)
            for rcpt in message["rcpt_to"]:
                received[parseaddr(rcpt.strip("<>"))[1]] = parsed
        return received

    def _make_due(self, talents):
        self._enrollments(talents).sudo().write({"next_run_at": MONDAY})

    def _text(self, parsed):
        part = parsed.get_body(("html",)) or parsed.get_body(("plain",))
        return part.get_content()

    def _fetch(self, raw, fetchmail_server=None):
        """An email coming through Odoo's mail gateway; fetched by `fetchmail_server` (an
        incoming mail server on a recruiter's mailbox) when given."""
        thread = self.env["mail.thread"]
        if fetchmail_server:
            thread = thread.with_context(default_fetchmail_server_id=fetchmail_server.id)
        with self.mock_mail_gateway():
            thread_id = thread.message_process("hr.applicant", raw)
        self.env.invalidate_all()
        return thread_id


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripThreading(DripOnTheWireCommon):
    """Follow-ups sent as replies in the candidate's conversation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # step 2 goes whatever the tracking of step 1 (the condition is tested elsewhere)
        cls.step_2.condition = "always"

    def test_defaults(self):
        self.assertFalse(self.step_1.reply_to_previous, "the first email starts the thread")
        self.assertTrue(self.step_2.reply_to_previous, "a follow-up replies by default")
        self.assertFalse(self.step_3.reply_to_previous, "a task sends no email")
        self.assertTrue(self.step_2.reply_quote)

    def test_follow_up_replies_on_the_wire_and_reply_stops_the_drip(self):
        ada = self.talent_ada
        self.drip.enroll(ada)
        first = self._run_and_deliver()[ada.email_normalized]
        self.assertIsNone(first["In-Reply-To"], "the first email starts the conversation")
        first_id = first["Message-Id"]
        self.assertTrue(first_id)

        self._make_due(ada)
        second = self._run_and_deliver()[ada.email_normalized]
        self.assertEqual(second["Subject"], f"Re: {first['Subject']}")
        self.assertEqual(second["In-Reply-To"], first_id)
        references = second["References"].split()
        self.assertEqual(references[0], first_id)
        self.assertEqual(references[-1], second["Message-Id"])
        self.assertNotEqual(second["Message-Id"], first_id)
        body = self._text(second)
        self.assertIn("wrote:", body, "the previous email is quoted")
        self.assertIn("caught my eye", body, "with its text")
        self.assertLess(body.index("A short follow-up"), body.index("caught my eye"))
        self.assertEqual(second["Reply-To"], first["Reply-To"], "replies still go to Odoo")
        self.assertIn(self.alias_domain, second["Reply-To"])

        # the candidate answers the follow-up from their mail client
        self._fetch(
            RAW_EMAIL.format(
                email_from="Ada Lovelace <ada@example.com>",
                to=second["Reply-To"],
                subject=f"Re: {second['Subject']}",
                message_id="<ada-reply-1@example.com>",
                headers=f"In-Reply-To: {second['Message-Id']}\n"
                f"References: {second['References']}\n",
                body="Hi Olivia, happy to talk next week.",
            )
        )
        self.assertIn("happy to talk next week", ada.message_ids[0].body)
        enrollment = self._enrollments(ada)
        self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))

    def test_three_emails_one_conversation(self):
        self.step_3.write({"channel": "email"})
        self.step_3.variant_ids.write({"mail_template_id": self.template_follow.id, "body": False})
        self.assertTrue(self.step_3.reply_to_previous)
        ada = self.talent_ada
        self.drip.enroll(ada)
        sent = []
        for _step in range(3):
            sent.append(self._run_and_deliver()[ada.email_normalized])
            self._make_due(ada)
        first, second, third = sent
        ids = [message["Message-Id"] for message in sent]
        self.assertEqual(len(set(ids)), 3)
        self.assertEqual(second["Subject"], third["Subject"])
        self.assertEqual(third["Subject"], f"Re: {first['Subject']}")
        self.assertEqual(third["In-Reply-To"], ids[1])
        self.assertEqual(third["References"].split(), ids)
        self.assertIn("A short follow-up", self._text(third).split("wrote:")[1], "quotes the 2nd")
        self.assertEqual(self._enrollments(ada).state, "done")

    def test_not_quoted_and_not_threaded(self):
        ada, bob = self.talent_ada, self.talent_bob
        self.drip.enroll(ada | bob)
        self._run_and_deliver()
        self.step_2.reply_quote = False
        self._make_due(ada | bob)
        second = self._run_and_deliver()[ada.email_normalized]
        self.assertTrue(second["In-Reply-To"])
        self.assertNotIn("wrote:", self._text(second))
        self.assertNotIn("caught my eye", self._text(second))

        self.step_3.write({"channel": "email", "reply_to_previous": False})
        self.step_3.variant_ids.write({"mail_template_id": self.template_follow.id, "body": False})
        self._make_due(bob)
        third = self._run_and_deliver()[bob.email_normalized]
        self.assertIsNone(third["In-Reply-To"], "a step set to not reply starts a new thread")
        self.assertFalse(third["Subject"].startswith("Re: Re:"))


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripOwnMailbox(DripOnTheWireCommon):
    """The sender's own outgoing server (Odoo's personal mail servers), replies found in
    their mailbox by an incoming mail server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_smtp = LocalSmtpServer()
        cls.addClassCleanup(cls.own_smtp.stop)
        cls.own_server = cls.env["ir.mail_server"].create(
            {
                "name": "Olivia's mailbox",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.own_smtp.port,
                "smtp_encryption": "none",
                "smtp_authentication": "login",
                "smtp_user": "olivia.officer@example.com",
                "smtp_pass": "app-password",
                "from_filter": "olivia.officer@example.com",
                "owner_user_id": cls.user_officer.id,
            }
        )
        cls.fetchmail = cls.env["fetchmail.server"].create(
            {
                "name": "Olivia's inbox",
                "server_type": "imap",
                "server": "imap.example.com",
                "user": "olivia.officer@example.com",
                "password": "secret",
                "object_id": cls.env["ir.model"]._get_id("hr.applicant"),
            }
        )

    def setUp(self):
        super().setUp()
        self.own_smtp.messages.clear()

    def test_sent_through_the_owner_server(self):
        self.assertEqual(self.user_officer._get_personal_mail_server(), self.own_server)
        ada = self.talent_ada
        self.drip.enroll(ada)
        company_server = self._run_and_deliver()
        self.assertNotIn(ada.email_normalized, company_server, "not the company server")
        received = self._received(self.own_smtp)
        self.assertIn(ada.email_normalized, received)
        parsed = received[ada.email_normalized]
        self.assertIn("olivia.officer@example.com", parsed["From"])
        self.assertIn(self.alias_domain, parsed["Reply-To"], "replies still go to Odoo")
        self.assertEqual(parseaddr(parsed["From"])[1], "olivia.officer@example.com")
        self.assertIn("olivia.officer@example.com", self.own_smtp.messages[0]["mail_from"])

    def test_owner_server_throttled(self):
        self.env["ir.config_parameter"].sudo().set_param("mail.server.personal.limit.minutes", 1)
        self.drip.enroll(self.talent_ada | self.talent_bob)
        self._run_and_deliver()
        self.assertEqual(len(self.own_smtp.messages), 1, "Odoo's per-minute limit of the server")
        waiting = self._drip_mails().filtered(lambda m: m.state == "outgoing")
        self.assertEqual(len(waiting), 1)
        self.assertGreater(waiting.scheduled_date, fields.Datetime.now())

    def test_no_personal_server_uses_the_company_server(self):
        self.own_server.active = False
        self.drip.enroll(self.talent_ada)
        self._run_and_deliver()
        self.assertFalse(self.own_smtp.messages)
        self.assertIn(self.talent_ada.email_normalized, self._received(self.smtp_server))

    def test_reply_fetched_from_the_recruiter_mailbox(self):
        ada, bob = self.talent_ada, self.talent_bob
        self.drip.enroll(ada | bob)
        sent = self._run_and_deliver()
        sent.update(self._received(self.own_smtp))
        applicants = self.env["hr.applicant"].search_count([])
        # Ada answers the drip email (In-Reply-To) to Olivia's address
        self._fetch(
            RAW_EMAIL.format(
                email_from="Ada Lovelace <ada@example.com>",
                to="olivia.officer@example.com",
                subject=f"Re: {sent[ada.email_normalized]['Subject']}",
                message_id="<ada-direct-1@example.com>",
                headers=f"In-Reply-To: {sent[ada.email_normalized]['Message-Id']}\n",
                body="Replying to you directly, Olivia.",
            ),
            self.fetchmail,
        )
        self.assertIn("Replying to you directly", ada.message_ids[0].body)
        # Bob writes a new email to Olivia (no In-Reply-To): his talent is found by address
        self._fetch(
            RAW_EMAIL.format(
                email_from="Bob Builder <bob@example.com>",
                to="olivia.officer@example.com",
                subject="About your message",
                message_id="<bob-direct-1@example.com>",
                headers="",
                body="Interested, let us talk.",
            ),
            self.fetchmail,
        )
        self.assertIn("Interested, let us talk", bob.message_ids[0].body)
        self.assertEqual(self.env["hr.applicant"].search_count([]), applicants, "no new applicant")
        for talent in ada | bob:
            enrollment = self._enrollments(talent)
            self.assertEqual((enrollment.state, enrollment.stop_reason), ("stopped", "replied"))
        # someone the drips never wrote to: Odoo's usual behaviour (a new applicant)
        self._fetch(
            RAW_EMAIL.format(
                email_from="Zed Stranger <zed@example.com>",
                to="olivia.officer@example.com",
                subject="My application",
                message_id="<zed-1@example.com>",
                headers="",
                body="Here is my CV.",
            ),
            self.fetchmail,
        )
        self.assertEqual(self.env["hr.applicant"].search_count([]), applicants + 1)


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripStepSender(DripOnTheWireCommon):
    """A step sent by the job's recruiter, the hiring manager or a chosen user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager.signature = "<p>Max Manager<br/>VP Engineering, Platform</p>"
        cls.department.manager_id = cls.env["hr.employee"].create(
            {"name": "Max Manager", "user_id": cls.user_manager.id}
        )

    def test_hiring_manager_sends_on_the_wire(self):
        self.step_1.sender_type = "hiring_manager"
        ada = self.talent_ada
        self.drip.enroll(ada)
        parsed = self._run_and_deliver()[ada.email_normalized]
        # the company server sends as its notification address, in the manager's name
        self.assertEqual(parseaddr(parsed["From"])[0], "Max Manager")
        self.assertIn("VP Engineering, Platform", self._text(parsed))
        self.assertIn(self.alias_domain, parsed["Reply-To"])
        self.assertFalse(self._enrollments(ada).status_note)

    def test_missing_hiring_manager_falls_back_to_owner(self):
        self.department.manager_id = False
        self.step_1.sender_type = "hiring_manager"
        ada = self.talent_ada
        self.drip.enroll(ada)
        parsed = self._run_and_deliver()[ada.email_normalized]
        self.assertEqual(parseaddr(parsed["From"])[0], "Olivia Officer")
        self.assertIn("sent by the owner Olivia Officer", self._enrollments(ada).status_note)
        self.assertIn("no manager", self._enrollments(ada).status_note)

    def test_job_recruiter_and_chosen_user(self):
        recruiter = new_test_user(
            self.env,
            login="passive_recruiter_2",
            name="Rita Recruiter",
            email="rita@example.com",
            groups="base.group_user,hr_recruitment.group_hr_recruitment_user",
        )
        self.job.user_id = recruiter
        self.step_1.sender_type = "job_recruiter"
        self.drip.enroll(self.talent_ada)
        parsed = self._run_and_deliver()[self.talent_ada.email_normalized]
        self.assertEqual(parseaddr(parsed["From"])[0], "Rita Recruiter")
        self.step_2.write({"sender_type": "user", "sender_user_id": self.user_manager.id})
        self._make_due(self.talent_ada)
        parsed = self._run_and_deliver()[self.talent_ada.email_normalized]
        self.assertEqual(parseaddr(parsed["From"])[0], "Max Manager")

    def test_preview_signs_as_the_step_sender(self):
        self.step_1.sender_type = "hiring_manager"
        preview = self.step_1._render_preview(self.talent_ada)
        self.assertIn("VP Engineering, Platform", str(preview["body"]))

    def test_only_an_administrator_chooses_a_non_officer(self):
        employee = new_test_user(
            self.env, login="passive_plain_2", name="Paul Plain", groups="base.group_user"
        )
        values = {"sender_type": "user", "sender_user_id": employee.id}
        for user in (self.user_plain, self.user_interviewer, self.user_officer):
            with self.assertRaises(AccessError, msg=user.name):
                self.step_1.with_user(user).write(values)
            self.assertEqual(self.step_1.sender_type, "owner")
        admin_step = self.step_1.with_user(self.user_manager)
        admin_step.write(values)
        self.assertEqual(self.step_1.sender_user_id, employee, "an administrator may")
        with self.assertRaisesText(ValidationError, "choose the internal user"):
            admin_step.write({"sender_user_id": False})
