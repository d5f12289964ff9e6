import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .hr_recruitment_retention_log import RETENTION_OPERATIONS

_logger = logging.getLogger(__name__)

# a candidate's deletion request is reviewed by a recruiter for this long (an ongoing
# application, a hire, a legal claim may require keeping data), then the retention rule
# anonymizes the talent; GDPR art. 12(3): within one month
ERASURE_REVIEW_DAYS = 14
# hr.applicant fields the retention rule empties: identity, contact, profile and free text
ANONYMIZED_APPLICANT_FIELDS = (
    "email_from",
    "email_cc",
    "partner_phone",
    "linkedin_profile",
    "applicant_notes",
    "availability",
    "type_id",
    "salary_expected",
    "salary_expected_extra",
    "salary_proposed",
    "salary_proposed_extra",
    "current_company",
    "current_job_title",
    "current_role_start_date",
    "years_of_experience",
)
# res.partner fields emptied on a contact used by nothing but the anonymized records
ANONYMIZED_PARTNER_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "website",
    "function",
    "comment",
    "vat",
    "ref",
    "company_name",
)
# the contact's picture, stored as attachments: deleted with them (one unlink for all)
PARTNER_IMAGE_FIELDS = ("image_1920", "image_1024", "image_512", "image_256", "image_128")
# what the dry run and the log say about a record besides its model and id: fields that
# carry no personal data (hr.applicant and res.partner get a sentence, see `_reference`)
REFERENCE_FIELDS = {
    "mail.message": ("message_type", "date"),
    "ir.attachment": ("mimetype", "res_field", "create_date"),
    "mail.activity": ("activity_type_id", "date_deadline"),
    "mail.followers": ("res_model", "res_id"),
    "hr.applicant.skill": ("skill_type_id", "skill_id"),
    "hr.recruitment.touchpoint": ("channel", "kind", "date"),
    "hr.recruitment.drip.enrollment": ("drip_id", "state"),
    "mailing.trace": ("mass_mailing_id", "trace_status"),
    "link.tracker.click": ("create_date",),
    "calendar.event": ("start", "duration"),
    "sms.sms": ("state", "failure_type"),
}
# writes that must neither leave a tracking message (it would keep the old value), nor spread
# the emptied profile to the talent's applications of other companies, nor report a deleted
# drip task to its enrollment (the drips are stopped first)
QUIET_WRITE_CONTEXT = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "outreach_profile_sync": True,
    "drip_activity_dropped": True,
}


class HrRecruitmentRetention(models.AbstractModel):
    """The retention rule: which passive talents of a company expired, everything their
    anonymization changes (the dry run) and the anonymization itself, in batch."""

    _name = "hr.recruitment.retention"
    _description = "Passive Talent Retention Rule"

    # --- which talents ---

    @api.model
    def _expired_talents(self, company):
        """Passive talents of `company` (archived too) with no interaction, application or
        stage change for the retention period and no blocking application in any company."""
        limit = fields.Datetime.now() - relativedelta(months=company.outreach_retention_months)
        # the rule runs for the company, whoever triggers it: record rules must not hide records
        Applicant = self.env["hr.applicant"].sudo().with_context(active_test=False)
        talents = Applicant.search(
            [
                ("company_id", "=", company.id),
                ("is_passive_candidate", "=", True),
                ("talent_pool_ids", "!=", False),
                ("anonymized_date", "=", False),
                ("create_date", "<", limit),
            ],
            order="id",
        )
        if not talents:
            return talents
        talents = talents.filtered(lambda t: t.pool_applicant_id in (t, Applicant))
        applications = Applicant.search(
            [("pool_applicant_id", "in", talents.ids), ("id", "not in", talents.ids)]
        )
        last_seen = dict(
            self.env["hr.recruitment.engagement"]._get_last_interaction_dates(talents.ids)
        )
        blocked = set()
        for record in talents | applications:
            talent_id = (record.pool_applicant_id or record).id
            if self._blocks_anonymization(record):
                blocked.add(talent_id)
            for date in (record.create_date, record.date_last_stage_update):
                if date and (talent_id not in last_seen or last_seen[talent_id] < date):
                    last_seen[talent_id] = date
        return talents.filtered(lambda t: t.id not in blocked and last_seen[t.id] < limit)

    @api.model
    def _talents_to_anonymize(self, company, expired=True):
        """The talents a run in `company` anonymizes: the expired ones (when `expired`, i.e.
        the company's rule is on) and those whose deletion request is due."""
        talents = (
            self._expired_talents(company)
            if expired
            else self.env["hr.applicant"].sudo().with_context(active_test=False)
        )
        return talents | self._erasure_due_talents(company)

    @api.model
    def _erasure_due_talents(self, company):
        """Talents of `company` whose deletion request is past its review period, except
        those an ongoing application or a hire keeps (the recruiter's to-do says so)."""
        limit = fields.Datetime.now() - relativedelta(days=ERASURE_REVIEW_DAYS)
        # same reason as `_expired_talents`: record rules must not hide records
        Applicant = self.env["hr.applicant"].sudo().with_context(active_test=False)
        talents = Applicant.search(
            [
                ("company_id", "=", company.id),
                ("erasure_requested_date", "<=", limit),
                ("anonymized_date", "=", False),
            ],
            order="id",
        ).filtered(lambda t: t.pool_applicant_id in (t, Applicant))
        return talents.filtered(lambda t: not self._erasure_blocked(t))

    @api.model
    def _erasure_blocked(self, talent):
        """Whether a hire or an ongoing application of `talent` keeps its data for now."""
        records = talent | talent.with_context(active_test=False).talent_application_ids
        return any(self._blocks_anonymization(record) for record in records)

    @api.model
    def _erasure_due_date(self, talent):
        """The day the retention rule handles the deletion request of `talent`."""
        requested = talent.erasure_requested_date or fields.Datetime.now()
        return (requested + relativedelta(days=ERASURE_REVIEW_DAYS)).date()

    @api.model
    def _erasure_fallback_user(self, company):
        """Who reviews a deletion request of a talent without a recruiter: a recruitment
        administrator of the company."""
        # sudo: the public preference page names the reviewer, whoever the visitor is
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    (
                        "group_ids",
                        "in",
                        self.env.ref("hr_recruitment.group_hr_recruitment_manager").id,
                    ),
                    ("company_ids", "in", company.id),
                    ("share", "=", False),
                ],
                order="id",
                limit=1,
            )
        )

    @api.model
    def _erasure_dry_run(self, talents):
        """Every record the anonymization of `talents` (one company) would change."""
        return self._plan_lines(self._plan(talents, talents.company_id))

    @api.model
    def _erase_now(self, talents):
        """Anonymize `talents` (one company) at once, as the retention rule does, with a log."""
        company = talents.company_id
        # sudo: the caller checked the talent; the rule changes records the recruiter may not
        # read (other users' activities, the forgotten-address list) and writes its own log
        Retention = self.sudo()
        log = Retention.env["hr.recruitment.retention.log"].create({"company_id": company.id})
        Retention._run_batch(talents.sudo(), company, log)
        return log

    @api.model
    def _blocks_anonymization(self, applicant):
        """A hired or employee-linked record (archived or not), or an ongoing application
        (active, not refused, in a stage that is not folded), keeps its talent."""
        if applicant.date_closed or applicant.employee_id or applicant.stage_id.hired_stage:
            return True
        return bool(
            applicant.active
            and applicant.job_id
            and not applicant.refuse_reason_id
            and not applicant.stage_id.fold
        )

    # --- what changes ---

    @api.model
    def _find(self, model_name, domain):
        """Search `model_name`, archived records included (the rule runs for the whole company,
        whoever triggers it: record rules must not hide what it has to change)."""
        return self.env[model_name].sudo().with_context(active_test=False).search(domain)

    @api.model
    def _plan(self, talents, company):
        """Every record the anonymization of `talents` changes, by operation:
        {"anonymize" | "delete" | "clear" | "stop": {model name: records}}, plus the emails to
        hash. Only `company`'s records are included: applications of other companies stay as
        they are, and so does a contact that they (or anything else) still use."""
        talents = talents.sudo().with_context(active_test=False)  # same reason as `_find`
        applications = self._find(
            "hr.applicant",
            [("pool_applicant_id", "in", talents.ids), ("id", "not in", talents.ids)],
        )
        records = (talents | applications).filtered(lambda r: r.company_id == company)
        meetings = self._find("calendar.event", [("applicant_id", "in", records.ids)])
        documents = [("hr.applicant", records.ids), ("calendar.event", meetings.ids)]
        messages, followers = self._chatter(documents)
        activities = self._find(
            "mail.activity", [("res_model", "=", "hr.applicant"), ("res_id", "in", records.ids)]
        )
        sms = self._find("sms.sms", [("mail_message_id", "in", messages.ids)])
        PartnerUsage = self.env["hr.recruitment.partner.usage"]
        partners = records.partner_id - PartnerUsage._partners_used_elsewhere(
            records.partner_id,
            {
                "hr.applicant": records.ids,
                "mail.message": messages.ids,
                "mail.followers": followers.ids,
                "mail.activity": activities.ids,
                "calendar.event": meetings.ids,
                "sms.sms": sms.ids,
            },
        )
        partner_messages, partner_followers = self._chatter([("res.partner", partners.ids)])
        messages |= partner_messages
        attachments = messages.attachment_ids | self._find(
            "ir.attachment",
            [
                "|",
                "&",
                ("res_model", "=", "hr.applicant"),
                ("res_id", "in", records.ids),
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
            ],
        )
        # the contact's picture is stored as attachments of its image fields
        attachments |= self._find(
            "ir.attachment",
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("res_field", "in", PARTNER_IMAGE_FIELDS),
            ],
        )
        traces = self._find(
            "mailing.trace", [("model", "=", "hr.applicant"), ("res_id", "in", records.ids)]
        )
        return {
            "talents": talents,
            "company": company,
            "emails": set(records.mapped("email_normalized")) - {False},
            "anonymize": {"hr.applicant": records, "res.partner": partners},
            "delete": {
                "mail.activity": activities,
                "calendar.event": meetings,
                "sms.sms": sms,
                "mail.message": messages,
                "ir.attachment": attachments,
                "mail.followers": followers | partner_followers,
                "hr.applicant.skill": self._find(
                    "hr.applicant.skill", [("applicant_id", "in", records.ids)]
                ),
            },
            "clear": self._plan_texts(talents, traces),
            "stop": {
                "hr.recruitment.drip.enrollment": self._find(
                    "hr.recruitment.drip.enrollment",
                    [("applicant_id", "in", talents.ids), ("state", "in", ("running", "paused"))],
                )
            },
        }

    @api.model
    def _chatter(self, documents):
        """Messages and followers of these [(model name, ids)] documents."""
        Message, Follower = self.env["mail.message"], self.env["mail.followers"]
        for model_name, ids in documents:
            if ids:
                Message |= self._find(
                    "mail.message", [("model", "=", model_name), ("res_id", "in", ids)]
                )
                Follower |= self._find(
                    "mail.followers", [("res_model", "=", model_name), ("res_id", "in", ids)]
                )
        return Message.sudo(), Follower.sudo()  # empty sets of `_find`'s sudo environment

    @api.model
    def _plan_texts(self, talents, traces):
        """Records that keep existing but lose their personal texts: touchpoint summaries and
        reasons, trace addresses, click IPs, drip error texts."""
        touchpoints = self._find("hr.recruitment.touchpoint", [("applicant_id", "in", talents.ids)])
        return {
            "hr.recruitment.touchpoint": self._find(
                "hr.recruitment.touchpoint",
                [
                    ("applicant_id", "in", talents.ids),
                    "|",
                    ("summary", "!=", False),
                    ("reply_reason", "!=", False),
                ],
            ),
            "mailing.trace": traces.filtered(lambda t: t.email or t.failure_reason),
            "link.tracker.click": self._find(
                "link.tracker.click",
                [
                    ("ip", "!=", False),
                    "|",
                    ("mailing_trace_id", "in", traces.ids),
                    ("link_id", "in", touchpoints.link_tracker_id.ids),
                ],
            ),
            "hr.recruitment.drip.enrollment": self._find(
                "hr.recruitment.drip.enrollment",
                [
                    ("applicant_id", "in", talents.ids),
                    ("last_error", "!=", False),
                    ("state", "not in", ("running", "paused")),
                ],
            ),
        }

    # --- the dry run and the log name each record ---

    @api.model
    def _plan_lines(self, plan):
        """One line per record of `plan`: model, id, operation and a reference without
        personal data (`_reference`)."""
        # model labels only: ir.model is not readable by every recruitment administrator
        model_names = {
            model.model: model.name
            for model in self.env["ir.model"]
            .sudo()
            .search_fetch(
                [("model", "in", [name for op, _ in RETENTION_OPERATIONS for name in plan[op]])],
                ["model", "name"],
            )
        }
        lines = []
        for operation, _label in RETENTION_OPERATIONS:
            for model_name, records in plan[operation].items():
                for record in records:
                    lines.append(
                        {
                            "res_model": model_name,
                            "res_model_name": model_names.get(model_name, model_name),
                            "res_id": record.id,
                            "operation": operation,
                            "reference": self._reference(record),
                        }
                    )
        return lines

    @api.model
    def _reference(self, record):
        """What `record` is, without personal data: its type, company, date or job."""
        model = record._name
        if model == "hr.applicant":
            if record.pool_applicant_id == record or not record.job_id:
                return self.env._("Talent of %(company)s", company=record.company_id.name)
            return self.env._(
                "Application to %(job)s (%(company)s)",
                job=record.job_id.name,
                company=record.company_id.name,
            )
        if model in REFERENCE_FIELDS:
            values = (record[name] for name in REFERENCE_FIELDS[model])
            return " · ".join(
                str(value.display_name if isinstance(value, models.BaseModel) else value or "-")
                for value in values
            )
        if model == "res.partner":
            return self.env._("Contact used only by the anonymized records")
        return ""

    @api.model
    def _dry_run(self, company):
        """Every record the next run in `company` would change, as lines (see `_plan_lines`)."""
        talents = self._talents_to_anonymize(company)
        return self._plan_lines(self._plan(talents, company)) if talents else []

    # --- the anonymization ---

    @api.model
    def _anonymize(self, plan):
        """Apply `plan` (from `_plan`): keep a hash of the emails, delete chatter, attachments,
        activities, followers and skills, empty personal fields and texts, detach the
        records from a contact used elsewhere, all in grouped writes and unlinks."""
        talents, company = plan["talents"], plan["company"]
        self.env["hr.recruitment.forgotten.email"]._forget(plan["emails"], company)
        # running drips stop (with their pending task): the "stop" group of the plan
        talents._outreach_stop("manual")
        quiet = dict(QUIET_WRITE_CONTEXT)
        for records in plan["delete"].values():
            records.exists().with_context(**quiet).unlink()
        clear = plan["clear"]
        clear["hr.recruitment.touchpoint"].write({"summary": False, "reply_reason": False})
        clear["mailing.trace"].write({"email": False, "failure_reason": False})
        clear["link.tracker.click"].write({"ip": False})
        clear["hr.recruitment.drip.enrollment"].write({"last_error": False})
        records = plan["anonymize"]["hr.applicant"].with_context(**quiet)
        records.write(
            {
                **dict.fromkeys(ANONYMIZED_APPLICANT_FIELDS, False),
                "partner_id": False,
                "applicant_properties": False,
            }
        )
        # one statement for all records: each gets its own "Anonymized candidate <id>"
        self.env.cr.execute(
            SQL(
                "UPDATE hr_applicant SET partner_name = %s || ' ' || id WHERE id = ANY(%s)",
                self.env._("Anonymized candidate"),
                records.ids,
            )
        )
        records.invalidate_recordset(["partner_name"])
        # a do-not-contact candidate stays so, with a reason that says nothing about them
        records.filtered("do_not_contact").write(
            {"do_not_contact_reason": self.env._("Personal data anonymized")}
        )
        (records - records.filtered("do_not_contact")).write({"do_not_contact_reason": False})
        plan["anonymize"]["res.partner"].with_context(**quiet).write(
            {
                **dict.fromkeys(ANONYMIZED_PARTNER_FIELDS, False),
                "name": self.env._("Anonymized candidate"),
                "active": False,
            }
        )
        # no "anonymized" touchpoint: the talent's figures mirrored on its applications of
        # other companies would change; the retention log is the record of the run
        talents.with_context(**quiet).write({"anonymized_date": fields.Datetime.now()})

    @api.model
    def _run_batch(self, talents, company, log):
        """Anonymize `talents` of `company` and add what changed to `log`."""
        plan = self._plan(talents, company)
        lines = self._plan_lines(plan)
        self._anonymize(plan)
        log.write(
            {
                "talent_count": log.talent_count + len(talents),
                "line_count": log.line_count + len(lines),
                "line_ids": [fields.Command.create(line) for line in lines],
            }
        )
        _logger.info(
            "Retention rule: %s talents of company %s anonymized, %s records changed (log %s)",
            len(talents),
            company.id,
            len(lines),
            log.id,
        )

    @api.model
    def _run_batch_isolated(self, talents, company, log):
        """`_run_batch` in a savepoint; on failure, talent by talent, so that one talent that
        cannot be anonymized stays as it was (and is retried next run) and the others go on."""
        try:
            with self.env.cr.savepoint():
                self._run_batch(talents, company, log)
        except Exception as error:
            if len(talents) > 1:
                for talent in talents:
                    self._run_batch_isolated(talent, company, log)
                return
            # the error text may quote personal data: log its type and the talent id only
            _logger.warning(
                "Retention rule could not anonymize talent %s: %s", talents.id, type(error).__name__
            )
            log.failure_count += 1

    @api.model
    def _cron_anonymize_expired(self, batch_size=100):
        """Daily: anonymize the expired passive talents of each company whose rule is on, and
        in every company the talents whose deletion request is due."""
        cron = self.env["ir.cron"]
        # the scheduled action runs for every company, not the ones of its user
        companies = self.env["res.company"].sudo().search([], limit=None)
        # a deletion request is handled whether the company's retention rule is on or not
        expired = {
            company: self._talents_to_anonymize(company, expired=company.outreach_retention_enabled)
            for company in companies
        }
        cron._commit_progress(remaining=sum(len(talents) for talents in expired.values()))
        for company, talents in expired.items():
            if not talents:
                continue
            # nobody may write the log by hand: only this run creates it
            log = self.env["hr.recruitment.retention.log"].sudo().create({"company_id": company.id})
            for offset in range(0, len(talents), batch_size):
                batch = talents[offset : offset + batch_size]
                self._run_batch_isolated(batch, company, log)
                if not cron._commit_progress(len(batch)):
                    return
