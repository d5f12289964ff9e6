from odoo.http import request
from odoo.tools import email_normalize

from odoo.addons.mass_mailing.controllers.main import MassMailController


class OutreachMassMailController(MassMailController):
    def _mailing_unsubscribe_from_document(self, mailing, document_id, email, hash_token):
        """Unsubscribing from a mailing sent to candidates is a recruitment opt-out."""
        response = super()._mailing_unsubscribe_from_document(
            mailing, document_id, email, hash_token
        )
        if mailing.mailing_model_real == "hr.applicant" and str(document_id or "").isdigit():
            # sudo: public route: super() checked the hash token; the email is matched below
            applicant = request.env["hr.applicant"].sudo().browse(int(document_id)).exists()
            if (
                applicant
                and applicant.email_normalized == email_normalize(email or "")
                and not applicant.outreach_opted_out
            ):
                applicant._outreach_opt_out("email unsubscribe link")
        return response
