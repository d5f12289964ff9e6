from email.headerregistry import BaseHeader, UnstructuredHeader

from odoo import models

# RFC 2369 list headers hold <URL> items that mail clients read literally, and RFC 8058's
# List-Unsubscribe-Post goes with them: Gmail and Outlook only offer their unsubscribe button
# when these arrive as plain ASCII.
LIST_URL_HEADERS = (
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Subscribe",
    "List-Help",
    "List-Post",
    "List-Owner",
    "List-Archive",
)


class ListUrlHeader(UnstructuredHeader, BaseHeader):
    """A list header folded only at the whitespace between its items, never inside a <URL>
    and never into RFC 2047 encoded words, which is what Python's SMTP policy does to any
    header line longer than 78 characters."""

    def fold(self, *, policy):
        max_length = policy.max_line_length or 0
        head = f"{self.name}:"
        lines = [head]
        for item in str(self).split():
            if max_length and lines[-1] != head and len(lines[-1]) + 1 + len(item) > max_length:
                lines.append("")
            lines[-1] += f" {item}"
        return policy.linesep.join(lines) + policy.linesep

    def __reduce__(self):
        # keep the class (and its folding) when a message is copied or pickled
        return (type(self), (self.name, str(self)))


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    def _prepare_email_message__(self, message, smtp_session):
        smtp_from, smtp_to_list, message = super()._prepare_email_message__(message, smtp_session)
        self._keep_list_headers_raw(message)
        return smtp_from, smtp_to_list, message

    def _keep_list_headers_raw(self, message):
        """Hook: store the ASCII list headers of `message` (every email Odoo sends, its own
        mass mailings included) so that they go to SMTP as written."""
        for name in LIST_URL_HEADERS:
            values = [str(value) for value in message.get_all(name) or ()]
            if not values or not all(value.isascii() for value in values):
                continue
            if len(values) == 1:
                message.replace_header(name, ListUrlHeader(name, values[0]))
                continue
            del message[name]
            for value in values:
                message[name] = ListUrlHeader(name, value)
