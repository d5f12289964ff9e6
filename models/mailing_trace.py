from odoo import api, fields, models

from .hr_recruitment_touchpoint import OUTCOME_PROGRESS, outcome_rank


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    @api.model_create_multi
    def create(self, vals_list):
        traces = super().create(vals_list)
        traces._log_mailing_touchpoints()
        return traces

    def _log_mailing_touchpoints(self):
        """An Email Marketing mailing that reaches a passive candidate is an automated outbound
        touchpoint (it counts toward the contact caps and its opens and clicks feed the
        engagement score); drips log their own touchpoints."""
        # sudo: tracking events come from public routes (pixel, click, reply) and the mail gateway
        traces = self.sudo().filtered(
            lambda t: (
                t.model == "hr.applicant"
                and t.res_id
                and t.trace_status not in ("cancel", "error")
                and t.mass_mailing_id
                and not t.mass_mailing_id.is_drip_mailing
            )
        )
        if not traces:
            return
        # sudo: a mass mailing user may not read candidates
        applicants = self.env["hr.applicant"].sudo().browse(set(traces.mapped("res_id"))).exists()
        passive_ids = set(applicants.filtered(lambda a: a._get_talent().is_passive_candidate).ids)
        # sudo: touchpoints are officer-only; the marketer logs them anyway
        self.env["hr.recruitment.touchpoint"].sudo().create(
            [
                {
                    "applicant_id": trace.res_id,
                    "channel": "email",
                    "direction": "outbound",
                    "kind": "outreach",
                    "outcome": "sent",
                    "automated": True,
                    "summary": trace.mass_mailing_id.subject,
                    "user_id": trace.mass_mailing_id.user_id.id,
                    "mailing_trace_id": trace.id,
                }
                for trace in traces
                if trace.res_id in passive_ids
            ]
        )

    def set_sent(self, domain=None):
        traces = super().set_sent(domain=domain)
        traces._sync_touchpoints("sent")
        return traces

    def set_opened(self, domain=None):
        traces, domain = self._drip_skip_not_from_candidate(domain)
        traces = super(MailingTrace, traces).set_opened(domain=domain)
        traces._sync_touchpoints("opened")
        return traces

    def set_clicked(self, domain=None):
        traces = super().set_clicked(domain=domain)
        traces._sync_touchpoints("clicked")
        return traces

    def set_replied(self, domain=None):
        # no stop here: the drip stops on the inbound reply touchpoint (see
        # hr.recruitment.touchpoint.create), which tells out-of-office answers and third
        # parties apart
        traces, domain = self._drip_skip_not_from_candidate(domain)
        traces = super(MailingTrace, traces).set_replied(domain=domain)
        traces._sync_touchpoints("replied")
        return traces

    def set_bounced(self, domain=None, bounce_message=False):
        traces = super().set_bounced(domain=domain, bounce_message=bounce_message)
        traces._sync_touchpoints("bounced")
        return traces

    def set_failed(self, domain=None, failure_type=False):
        traces = super().set_failed(domain=domain, failure_type=failure_type)
        traces._sync_touchpoints("failed")
        return traces

    def set_canceled(self, domain=None):
        traces = super().set_canceled(domain=domain)
        traces._sync_touchpoints("failed")
        return traces

    def _drip_skip_not_from_candidate(self, domain):
        """(traces, domain) to mark opened/replied: while the mail gateway processes an email
        that is not the candidate's own answer - an out-of-office answer (context
        `outreach_auto_reply`) or an email from someone else than the trace's candidate
        (context `outreach_inbound_email_from`) - drip traces are left out, since it is
        neither an open nor a reply of the candidate and must not steer the drip's conditions."""
        context = self.env.context
        if "outreach_inbound_email_from" not in context:  # not the mail gateway
            return self, domain
        email_from = context["outreach_inbound_email_from"]
        auto_reply = bool(context.get("outreach_auto_reply"))
        Applicant = self.env["hr.applicant"].sudo()  # the trace's candidate, whoever fetches mail

        def from_candidate(trace):
            trace = trace.sudo()  # the gateway may run as a user without Email Marketing rights
            if not trace.mass_mailing_id.is_drip_mailing:
                return True
            applicant = Applicant.browse(trace.res_id).exists()
            return (
                not auto_reply
                and bool(applicant)
                and applicant._outreach_is_candidate_sender(email_from)
            )

        traces = self + (self.search(domain) if domain else self.browse())
        return traces.filtered(from_candidate), None

    def _sync_touchpoints(self, outcome):
        """Keep the outcome of drip and Email Marketing touchpoints current; bounces stop
        outreach, opens wake drips."""
        # sudo: tracking events come from public routes (pixel, click, reply) and the mail gateway
        traces = self.sudo().filtered(lambda t: t.model == "hr.applicant")
        if not traces:
            return
        touchpoints = (
            self.env["hr.recruitment.touchpoint"]
            .sudo()
            .search([("mailing_trace_id", "in", traces.ids)])
        )
        if outcome in ("opened", "clicked"):
            # the engagement rules (instant opens and clicks count less) read the event dates
            now = fields.Datetime.now()
            for trace, trace_touchpoints in touchpoints.grouped("mailing_trace_id").items():
                at = (trace.links_click_datetime if outcome == "clicked" else None) or (
                    trace.open_datetime or now
                )
                trace_touchpoints._register_tracking_event(outcome, at)
            to_update = touchpoints.browse()
        elif outcome in OUTCOME_PROGRESS:
            to_update = touchpoints.filtered(
                lambda t: outcome_rank(t.outcome) < outcome_rank(outcome)
            )
        else:
            to_update = touchpoints.filtered(
                lambda t: outcome_rank(t.outcome) < outcome_rank("opened")
            )
        to_update.write({"outcome": outcome})
        if outcome in ("opened", "clicked"):
            # sudo: drips wake on tracking events from public routes
            self.env["hr.recruitment.drip.enrollment"].sudo()._wake_for_tracking(traces)
        elif outcome == "bounced":
            to_update.applicant_id._outreach_stop("bounced")
