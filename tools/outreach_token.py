"""Signed, single-purpose, expiring tokens of the links a candidate receives.

A token is ``<id>[.<extra id>].<expiry day>.<signature>``: the ids and the expiry day (days since
1970-01-01) in base 36, then the base64url HMAC-SHA256 (keyed by ``database.secret``) of the
purpose, the ids, the expiry day and the address the link was sent to, cut to the length of its
purpose. The purpose is in the HMAC scope, so a token only opens the route it was made for.
"""

import base64
import re
from datetime import date
from typing import NamedTuple

from odoo.tools import consteq, hmac


class TokenPurpose(NamedTuple):
    lifetime_days: int
    signature_length: int  # base64url characters: 22 = 132 bits, 12 = 72 bits
    extra_ids: int = 0


OUTREACH_TOKEN_PURPOSES = {
    # a preference link in an email: kept in a mailbox, used when the next message comes
    "preference": TokenPurpose(365, 22),
    # List-Unsubscribe and "stop these messages": RFC 8058 clients use it long after sending
    "unsubscribe": TokenPurpose(730, 22),
    # a shared resource (id of the share's link.tracker as extra id): read within months
    "resource": TokenPurpose(365, 22, extra_ids=1),
    # the short preference link of an SMS: short signature, so a shorter life
    "sms": TokenPurpose(180, 12),
}
# the token of the links sent before signed single-purpose tokens (<id>-<hex HMAC>), for the
# preference page and the unsubscribe link alike; accepted until LEGACY_LINKS_PARAM
LEGACY_TOKEN_RE = re.compile(r"([0-9]{1,10})-[0-9a-f]{64}", re.ASCII)
LEGACY_LINKS_PARAM = "hr_recruitment_passive.legacy_links_valid_until"
LEGACY_LINKS_DAYS = 90
LEGACY_PURPOSES = ("preference", "unsubscribe")
TOKEN_RE = re.compile(r"[0-9a-z]{1,7}(?:\.[0-9a-z]{1,7}){1,3}\.[A-Za-z0-9_-]{12,43}", re.ASCII)
MAX_ID = 2**31 - 1  # PostgreSQL integer ids
EPOCH = date(1970, 1, 1)
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def to_base36(number):
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
        if not number:
            return digits


def _signature(env, purpose, ids, expires, binding):
    scope = f"hr_recruitment_passive-outreach-{purpose}"
    digest = hmac(env(su=True), scope, (tuple(ids), expires, binding))
    encoded = base64.urlsafe_b64encode(bytes.fromhex(digest)).decode()
    return encoded[: OUTREACH_TOKEN_PURPOSES[purpose].signature_length]


def make_token(env, purpose, ids, binding, today):
    """The token of `purpose` for the record ids `ids` bound to `binding`, valid from `today`."""
    expires = (today - EPOCH).days + OUTREACH_TOKEN_PURPOSES[purpose].lifetime_days
    return ".".join(
        [*(to_base36(i) for i in ids), to_base36(expires)]
        + [_signature(env, purpose, ids, expires, binding)]
    )


def parse_token(token, purpose, today):
    """The ids a well-formed, unexpired token of `purpose` claims, or None (check the signature
    with `check_token` once the record and its binding are known)."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return None
    *parts, _signature_part = token.split(".")
    *ids, expires = (int(part, 36) for part in parts)
    if len(ids) != 1 + OUTREACH_TOKEN_PURPOSES[purpose].extra_ids or max(ids) > MAX_ID:
        return None
    if expires < (today - EPOCH).days:
        return None
    return tuple(ids), expires


def check_token(env, token, purpose, ids, expires, binding):
    """Whether `token` is the signature of these values (constant time)."""
    if not binding:
        return False
    return consteq(token.rpartition(".")[2], _signature(env, purpose, ids, expires, binding))


def legacy_token_id(token, purpose, valid_until, today):
    """The candidate id of an old-format token still accepted for `purpose` today, or None."""
    match = isinstance(token, str) and LEGACY_TOKEN_RE.fullmatch(token)
    if not match or purpose not in LEGACY_PURPOSES or not valid_until or today > valid_until:
        return None
    candidate_id = int(match[1])
    return candidate_id if candidate_id <= MAX_ID else None


def check_legacy_token(env, token, candidate_id, email):
    """Whether `token` is the old-format token of this candidate and email (constant time)."""
    if not email:
        return False
    expected = hmac(env(su=True), "hr_recruitment_passive-outreach", f"{candidate_id}:{email}")
    return consteq(token, f"{candidate_id}-{expected}")
