"""Signed single-purpose links replace the one token per candidate: the links already sent
(preference, unsubscribe, SMS and resource /r/ links) keep working for LEGACY_LINKS_DAYS."""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields

from odoo.addons.hr_recruitment_passive.tools.outreach_token import (
    LEGACY_LINKS_DAYS,
    LEGACY_LINKS_PARAM,
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    if not params.get_param(LEGACY_LINKS_PARAM):
        until = fields.Date.today() + timedelta(days=LEGACY_LINKS_DAYS)
        params.set_param(LEGACY_LINKS_PARAM, fields.Date.to_string(until))
