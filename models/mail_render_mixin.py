from odoo import api, models

# signed per-candidate links: never shortened nor tracked (a visit to the preference page or an
# unsubscribe is not a "click" on the message, a resource link counts its own click, and the
# token must stay in the candidate's hands, not in a link.tracker employees can read)
UNTRACKED_PATHS = [
    "/recruitment/preferences",
    "/recruitment/unsubscribe",
    "/recruitment/resource",
    "/recruitment/s",
]


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _shorten_links(self, html, link_tracker_vals, blacklist=None, base_url=None):
        blacklist = list(blacklist or []) + UNTRACKED_PATHS
        return super()._shorten_links(
            html, link_tracker_vals, blacklist=blacklist, base_url=base_url
        )

    @api.model
    def _shorten_links_text(self, content, link_tracker_vals, blacklist=None, base_url=None):
        blacklist = list(blacklist or []) + UNTRACKED_PATHS
        return super()._shorten_links_text(
            content, link_tracker_vals, blacklist=blacklist, base_url=base_url
        )
