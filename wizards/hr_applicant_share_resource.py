from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class HrApplicantShareResource(models.TransientModel):
    _name = "hr.applicant.share.resource"
    _description = "Share a Resource with Candidates"

    applicant_ids = fields.Many2many("hr.applicant", string="Candidates", required=True)
    resource_id = fields.Many2one("hr.recruitment.resource", required=True, ondelete="cascade")
    resource_description = fields.Text(related="resource_id.description")
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        required=True,
        ondelete="cascade",
        domain=[("model", "=", "hr.applicant")],
        default=lambda self: self.env.ref(
            "hr_recruitment_passive.mail_template_share_resource", raise_if_not_found=False
        ),
    )
    note = fields.Text(
        string="Personal Note",
        help="One or two sentences on why you thought of the candidate; added to the email.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "applicant_ids" in fields_list and not values.get("applicant_ids"):
            if context.get("active_model") == "hr.applicant" and context.get("active_ids"):
                values["applicant_ids"] = [Command.set(context["active_ids"])]
        return values

    def action_share(self):
        """Email the resource with a tracked link to each candidate the contact policy allows,
        and log a 'resource' touchpoint per candidate."""
        self.ensure_one()
        self._check_resource_company()
        decisions = self.env["hr.recruitment.contact.policy"]._check(
            self.applicant_ids, "email", automated=self._is_bulk()
        )
        allowed = self.applicant_ids.filtered(lambda a: decisions[a.id].state == "allowed")
        skipped = self.applicant_ids - allowed
        if not allowed:
            raise UserError(
                self.env._(
                    "The resource was not sent: %(reasons)s",
                    reasons="; ".join(
                        f"{a.partner_name}: {decisions[a.id].message}" for a in skipped
                    ),
                )
            )
        touchpoints = self._share(allowed)
        message = self.env._(
            "'%(resource)s' sent to %(count)s candidate(s).",
            resource=self.resource_id.name,
            count=len(touchpoints),
        )
        if skipped:
            message += " " + self.env._(
                "Not sent to: %(names)s.",
                names=", ".join(f"{a.partner_name} ({decisions[a.id].message})" for a in skipped),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if skipped else "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _check_resource_company(self):
        """A company's resource goes to that company's candidates only (shared ones to all)."""
        company = self.resource_id.company_id
        others = self.applicant_ids.filtered(lambda a: company and a.company_id not in company)
        if others:
            raise UserError(
                self.env._(
                    "'%(resource)s' belongs to %(company)s: it cannot be sent to %(names)s, "
                    "candidates of another company. Choose a resource of their company or a "
                    "shared one.",
                    resource=self.resource_id.name,
                    company=company.name,
                    names=", ".join(others.mapped("partner_name")),
                )
            )

    def _is_bulk(self):
        """A share to several candidates at once is a bulk send: automated, so it asks every
        rule of the contact policy and counts toward the contact caps."""
        return len(self.applicant_ids) > 1

    def _share(self, applicants):
        resource = self.resource_id
        automated = self._is_bulk()
        touchpoints = self.env["hr.recruitment.touchpoint"].create(
            [
                {
                    "applicant_id": applicant.id,
                    "channel": "email",
                    "direction": "outbound",
                    "kind": "resource",
                    "outcome": "sent",
                    "summary": resource.name,
                    "resource_id": resource.id,
                    "job_id": applicant.job_id.id,
                    "user_id": self.env.user.id,
                    "automated": automated,
                }
                for applicant in applicants
            ]
        )
        resource._create_tracked_links(touchpoints)
        # sudo: officers send the share template as is (they may not read every template)
        template = self.template_id.sudo().with_context(
            **resource._get_share_context(self.env.user), passive_note=self.note or ""
        )
        # sudo: mail.mail is readable by admins only; the mails are queued just below
        mails = self.env["mail.mail"].sudo()
        for applicant, touchpoint in zip(applicants, touchpoints, strict=True):
            mail_id = template.with_context(
                outreach_resource_url=applicant._get_outreach_resource_link(
                    touchpoint.link_tracker_id
                )
            ).send_mail(applicant.id)
            mail = mails.browse(mail_id)
            touchpoint.mail_message_id = mail.mail_message_id
            mails |= mail
        # the chatter copy of each email shows no token (the email sent has its own body)
        applicants._outreach_redact_message_links(mails.mail_message_id)
        if automated:
            noticed = self.env["res.company"]._outreach_prepare_automated_mails(mails)
            touchpoints.filtered(
                lambda t: (t.origin_applicant_id or t.applicant_id).id in noticed
            ).privacy_notice = True
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return touchpoints
