import hashlib

from odoo import api, fields, models
from odoo.tools import email_normalize


class HrRecruitmentForgottenEmail(models.Model):
    """What is left of an anonymized candidate's email: a SHA-256 of the normalized address,
    so that the contact policy can refuse to contact them again without keeping the address."""

    _name = "hr.recruitment.forgotten.email"
    _description = "Forgotten Candidate Email (hash)"
    _order = "id desc"
    _rec_name = "email_hash"

    email_hash = fields.Char(string="Email Hash (SHA-256)", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )

    _email_hash_company_uniq = models.UniqueIndex("(email_hash, company_id)")

    @api.model
    def _hash_email(self, email):
        """SHA-256 hex digest of the normalized address ('' when it is not an email)."""
        normalized = email_normalize(email or "")
        return hashlib.sha256(normalized.encode()).hexdigest() if normalized else ""

    @api.model
    def _forget(self, emails, company):
        """Remember (hashed) that these addresses of `company` must not be contacted again."""
        hashes = {self._hash_email(email) for email in emails} - {""}
        known = set(
            self.sudo()  # read-only for administrators: only the retention rule writes here
            .search([("email_hash", "in", list(hashes)), ("company_id", "=", company.id)])
            .mapped("email_hash")
        )
        return self.sudo().create(  # see above
            [{"email_hash": h, "company_id": company.id} for h in sorted(hashes - known)]
        )

    @api.model
    def _forgotten_keys(self, emails):
        """{(hash, company id)} of these addresses that were forgotten, in one query."""
        hashes = {self._hash_email(email) for email in emails} - {""}
        if not hashes:
            return set()
        return {
            (record.email_hash, record.company_id.id)
            # the gate asks on behalf of any sender (recruiter, drip cron)
            for record in self.sudo().search_fetch(
                [("email_hash", "in", list(hashes))], ["email_hash", "company_id"]
            )
        }
