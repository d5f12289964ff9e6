"""Who wrote an email: the address of a From header and whether it is a known one."""

import re
from email.utils import getaddresses


def sender_address(email_from):
    """(display name, normalized address) of a From header value; ('', '') when unreadable.
    The name is cleaned of line breaks and angle brackets so it can be quoted in a summary."""
    pairs = [(name, address) for name, address in getaddresses([email_from or ""]) if address]
    if not pairs or "@" not in pairs[0][1]:
        return "", ""
    name, address = pairs[0]
    name = re.sub(r"[\s<>]+", " ", name).strip()
    return name, address.strip().lower()


def is_known_sender(email_from, known_addresses):
    """Whether the From header value `email_from` is one of `known_addresses` (normalized,
    lower case addresses): a reply from the candidate rather than from someone in copy."""
    address = sender_address(email_from)[1]
    return bool(address) and address in {a.lower() for a in known_addresses if a}
