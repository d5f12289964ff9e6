from . import mail_parsing
