import socketserver
import threading
from contextlib import contextmanager
from unittest.mock import patch


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO, AUTH (any login), MAIL, RCPT, DATA, RSET,
    NOOP, QUIT."""

    def _reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self._reply("220 localhost test SMTP")
        envelope = {"rcpt_to": []}
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                # a personal mail server logs in (ir.mail_server with smtp_user): accept it
                self._reply("250-localhost")
                self._reply("250 AUTH PLAIN")
            elif verb == b"HELO":
                self._reply("250 localhost")
            elif verb == b"AUTH":
                self._reply("235 Authentication successful")
            elif verb == b"MAIL":
                envelope = {"mail_from": line[10:].strip().decode(), "rcpt_to": []}
                self._reply("250 OK")
            elif verb == b"RCPT":
                envelope["rcpt_to"].append(line[8:].strip().decode())
                self._reply("250 OK")
            elif verb == b"DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.messages.append({**envelope, "data": self._read_data()})
                self._reply("250 OK queued")
            elif verb in (b"RSET", b"NOOP"):
                self._reply("250 OK")
            elif verb == b"QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _read_data(self):
        lines = []
        while (line := self.rfile.readline()) and line != b".\r\n":
            # RFC 5321 4.5.2: the client doubled a leading dot
            lines.append(line[1:] if line.startswith(b".") else line)
        return b"".join(lines)


class LocalSmtpServer(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 (a free port) keeping the raw bytes of every message."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self):
        return self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()
        self._thread.join()


class LocalSmtpMixin:
    """Send Odoo's emails for real, through smtplib, to a LocalSmtpServer (every
    ir.mail_server of the test points at it), and read what reached it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smtp_server = LocalSmtpServer()
        cls.addClassCleanup(cls.smtp_server.stop)
        servers = cls.env["ir.mail_server"].search([])
        if not servers:
            servers = cls.env["ir.mail_server"].create({"name": "Local test SMTP"})
        servers.write(
            {
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.smtp_server.port,
                "smtp_encryption": "none",
                "smtp_authentication": "login",
                "smtp_user": False,
                "smtp_pass": False,
            }
        )

    @contextmanager
    def sending_over_smtp(self):
        """Let ir.mail_server really send (Odoo skips SMTP while tests run)."""
        self.smtp_server.messages.clear()
        with patch.object(type(self.env["ir.mail_server"]), "_disable_send", lambda _self: False):
            yield

    def raw_message_to(self, email):
        """The bytes of the only message delivered to `email`."""
        found = [
            message["data"]
            for message in self.smtp_server.messages
            if any(email in rcpt for rcpt in message["rcpt_to"])
        ]
        self.assertEqual(len(found), 1, f"one message delivered to {email} over SMTP")
        return found[0]
