from lxml import etree

from odoo import models


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _generate_code_uncached(self, template):
        """A drip batch renders one email body for many candidates: Odoo compiles a raw QWeb
        body again for every recipient, so compile it once per batch when asked to."""
        memo = self.env.context.get("outreach_qweb_compile_memo")
        if memo is None or not isinstance(template, etree._Element):
            return super()._generate_code_uncached(template)
        key = (
            etree.tostring(template),
            tuple(self.env.context.get(key) or False for key in self._get_template_cache_keys()),
        )
        if key not in memo:
            memo[key] = super()._generate_code_uncached(template)
        return memo[key]
