from . import mail_parsing
from . import wording
