from odoo import fields, models


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    is_drip_mailing = fields.Boolean(
        string="Drip Tracking Mailing",
        readonly=True,
        index="btree_not_null",
        help="Technical, archived mailing carrying the tracking of one drip step variant; "
        "hidden from the Email Marketing app.",
    )

    def _get_seen_list(self):
        # a drip's enrollments are the dedup: a candidate enrolled again gets the step again
        if self.is_drip_mailing:
            return set()
        return super()._get_seen_list()
