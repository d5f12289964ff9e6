import hashlib

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user, tagged

from .common import PassiveCommon

# models whose records the retention rule may change: compared field by field before/after
SNAPSHOT_MODELS = (
    "hr.applicant",
    "res.partner",
    "mail.message",
    "ir.attachment",
    "mail.activity",
    "mail.followers",
    "hr.recruitment.touchpoint",
    "mailing.trace",
    "link.tracker.click",
    "hr.recruitment.drip.enrollment",
    "hr.applicant.skill",
    "hr.job",
    "hr.employee",
    "res.users",
    "calendar.event",
    "sms.sms",
)
# meeting_ids of a contact is the other side of a meeting's attendees: the meeting is listed
SNAPSHOT_IGNORED_FIELDS = {"write_date", "write_uid", "meeting_ids"}


@tagged("post_install", "-at_install")
class TestRetention(PassiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Retention B Co"})
        cls.company.write({"outreach_retention_enabled": True, "outreach_retention_months": 24})
        cls.job_b = cls.env["hr.job"].create({"name": "B Engineer", "company_id": cls.company_b.id})
        cls.stage_open, cls.stage_hired = cls.env["hr.recruitment.stage"].create(
            [
                {"name": "Retention open", "sequence": 1, "fold": False},
                {"name": "Retention hired", "sequence": 90, "fold": True, "hired_stage": True},
            ]
        )
        cls.refuse_reason = cls.env["hr.applicant.refuse.reason"].create({"name": "Too late"})
        cls.later = fields.Datetime.now() + relativedelta(months=30)

    def _talent(self, name, company=None, **values):
        return (
            self.env["hr.applicant"]
            .with_company(company or self.company)
            .create(
                {
                    "partner_name": name,
                    "email_from": f"{name.lower().replace(' ', '.')}@example.com",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "is_passive_candidate": True,
                    "company_id": (company or self.company).id,
                    **values,
                }
            )
        )

    def _application(self, talent, job=None, **values):
        job = job or self.job
        return (
            self.env["hr.applicant"]
            .with_company(job.company_id)
            .create(
                {
                    "partner_id": talent.partner_id.id,
                    "partner_name": talent.partner_name,
                    "job_id": job.id,
                    "company_id": job.company_id.id,
                    "pool_applicant_id": talent.id,
                    "stage_id": self.stage_open.id,
                    **values,
                }
            )
        )

    def _build_world(self):
        """Talents and applications of two companies, most of them inactive for 30 months."""
        w = {}
        # forgotten: a refused archived application in A, one in B sharing the contact
        w["old"] = self._talent(
            "Olga Old",
            partner_phone="+32470000009",
            linkedin_profile="https://linkedin.example/olga",
            current_company="Old Corp",
            current_job_title="CTO",
            do_not_contact_reason="asked for a break",
        )
        w["old_app_a"] = self._application(
            w["old"],
            refuse_reason_id=self.refuse_reason.id,
            applicant_notes="<p>Olga wants 100k</p>",
            salary_expected=100000,
        )
        w["old_app_a"].action_archive()
        w["old_app_b"] = self._application(
            w["old"], job=self.job_b, refuse_reason_id=self.refuse_reason.id
        )
        w["old_app_b"].action_archive()
        w["old"].message_post(body="Met Olga at a meetup", message_type="comment")
        w["old"].message_subscribe(partner_ids=w["old"].partner_id.ids)
        w["old_app_b"].message_post(body="Olga applied in B", message_type="comment")
        w["attachment"] = self.env["ir.attachment"].create(
            {
                "name": "olga_cv.pdf",
                "raw": b"CV of Olga",
                "res_model": "hr.applicant",
                "res_id": w["old_app_a"].id,
            }
        )
        w["attachment_b"] = self.env["ir.attachment"].create(
            {
                "name": "olga_cv_b.pdf",
                "raw": b"CV of Olga in B",
                "res_model": "hr.applicant",
                "res_id": w["old_app_b"].id,
            }
        )
        w["activity"] = w["old_app_a"].activity_schedule(
            "mail.mail_activity_data_todo", summary="Call Olga back"
        )
        w["meeting"], w["meeting_b"], w["other_meeting"] = self.env["calendar.event"].create(
            [
                {
                    "name": "Interview with Olga",
                    "applicant_id": w["old_app_a"].id,
                    "partner_ids": [Command.set((w["old"].partner_id | self.partner_employee).ids)],
                    "start": "2026-01-05 10:00:00",
                    "stop": "2026-01-05 11:00:00",
                },
                {
                    "name": "Interview with Olga in B",
                    "applicant_id": w["old_app_b"].id,
                    "partner_ids": [Command.set(w["old"].partner_id.ids)],
                    "start": "2026-01-06 10:00:00",
                    "stop": "2026-01-06 11:00:00",
                },
                {
                    "name": "Team lunch",
                    "partner_ids": [Command.set(self.partner_employee.ids)],
                    "start": "2026-01-07 12:00:00",
                    "stop": "2026-01-07 13:00:00",
                },
            ]
        )
        sms_message = w["old"].message_post(body="SMS to Olga", message_type="sms")
        w["sms"] = self.env["sms.sms"].create(
            {
                "number": "+32470000009",
                "body": "Hi Olga",
                "mail_message_id": sms_message.id,
                "state": "error",
            }
        )
        done = w["old"].activity_schedule("mail.mail_activity_data_call", summary="Olga call")
        done.action_feedback(feedback="Olga said maybe")
        w["touchpoint"] = self._touchpoint(
            w["old"],
            direction="inbound",
            kind="reply",
            summary="Olga: not now, my kid is sick",
            reply_class="not_interested",
            reply_reason="family reasons",
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Our open roles",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("hr.applicant"),
            }
        )
        w["trace"] = self.env["mailing.trace"].create(
            {
                "trace_type": "mail",
                "model": "hr.applicant",
                "res_id": w["old"].id,
                "email": "olga.old@example.com",
                "mass_mailing_id": mailing.id,
                "trace_status": "sent",
            }
        )
        link = self.env["link.tracker"].create({"url": "https://example.com/jobs", "title": "Jobs"})
        w["click"] = self.env["link.tracker.click"].create(
            {"link_id": link.id, "mailing_trace_id": w["trace"].id, "ip": "203.0.113.7"}
        )
        # forgotten, with a contact of its own (anonymized too)
        w["solo"] = self._talent("Sam Solo", partner_phone="+32470000010")
        # forgotten, but its contact is a user's: the contact stays, the talent lets go of it
        user = new_test_user(self.env, login="retention_cand_user", name="Uma User")
        w["user_talent"] = self._talent(
            "Uma User", partner_id=user.partner_id.id, email_from=user.partner_id.email
        )
        # kept: a hired application that was archived afterwards
        w["hired"] = self._talent("Hank Hired")
        w["hired_app"] = self._application(w["hired"], stage_id=self.stage_hired.id)
        w["hired_app"].action_archive()
        # kept: an application linked to an employee (refused, so neither open nor hired)
        w["employee_talent"] = self._talent("Emma Employee")
        employee = self.env["hr.employee"].create({"name": "Emma Employee"})
        w["employee_app"] = self._application(
            w["employee_talent"], refuse_reason_id=self.refuse_reason.id, employee_id=employee.id
        )
        # kept: an ongoing application in A, and one in B only
        w["open"] = self._talent("Oscar Open")
        w["open_app"] = self._application(w["open"])
        w["open_in_b"] = self._talent("Bea Busy")
        w["open_in_b_app"] = self._application(w["open_in_b"], job=self.job_b)
        # kept: company B's own talent (its rule is off)
        w["talent_b"] = self._talent("Bruno B", company=self.company_b)
        # unrelated records
        w["partner"] = self.env["res.partner"].create(
            {"name": "Unrelated Person", "email": "unrelated@example.com"}
        )
        w["partner"].message_post(body="Unrelated note", message_type="comment")
        self.job.message_post(body="Job note", message_type="comment")
        return w

    def _snapshot(self):
        snapshot = {}
        for model in SNAPSHOT_MODELS:
            Model = self.env[model].sudo().with_context(active_test=False)
            names = [
                name
                for name, field in Model._fields.items()
                if field.store
                and field.type not in ("binary", "one2many")
                and name not in SNAPSHOT_IGNORED_FIELDS
            ]
            for values in Model.search([]).read(names, load=None):
                snapshot[model, values["id"]] = {
                    name: sorted(value) if isinstance(value, list) else value
                    for name, value in values.items()
                }
        return snapshot

    def _run_cron(self):
        cron = self.env.ref("hr_recruitment_passive.ir_cron_outreach_retention")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_retention_changes_exactly_the_dry_run(self):
        w = self._build_world()
        with freeze_time(self.later):
            # Bob answered a month ago: still in touch
            self._touchpoint(
                self.talent_bob,
                direction="inbound",
                kind="reply",
                date=self.later - relativedelta(months=1),
            )
            self.env.flush_all()
            dry_run = self.env["hr.recruitment.retention"]._dry_run(self.company)
            before = self._snapshot()
            self._run_cron()
            after = self._snapshot()
        planned = {(line["res_model"], line["res_id"]) for line in dry_run}
        changed = {key for key, values in before.items() if after.get(key) != values}
        self.assertEqual(changed, planned, "the run changes exactly what the dry run listed")
        anonymized = {
            res_id for model, res_id in planned if model == "hr.applicant"
        }  # talents and their applications of company A only
        self.assertEqual(
            anonymized,
            set((w["old"] | w["old_app_a"] | w["solo"] | w["user_talent"] | self.talent_ada).ids),
        )
        # nothing of company B, of the hired, employee-linked or ongoing talents, of Bob
        for kept in (
            "meeting_b",
            "other_meeting",
            "old_app_b",
            "attachment_b",
            "hired",
            "hired_app",
            "employee_talent",
            "employee_app",
            "open",
            "open_app",
            "open_in_b",
            "open_in_b_app",
            "talent_b",
            "partner",
        ):
            self.assertNotIn((w[kept]._name, w[kept].id), changed, kept)
        self.assertNotIn(("hr.applicant", self.talent_bob.id), changed)
        self.assertNotIn(("hr.job", self.job.id), changed)
        # the personal data is gone
        old = w["old"]
        self.assertEqual(old.partner_name, f"Anonymized candidate {old.id}")
        self.assertFalse(old.email_from or old.partner_phone or old.linkedin_profile)
        self.assertFalse(old.partner_id or old.current_company or old.do_not_contact_reason)
        self.assertFalse(w["old_app_a"].applicant_notes or w["old_app_a"].salary_expected)
        self.assertFalse(w["attachment"].exists() or w["activity"].exists())
        self.assertFalse(w["meeting"].exists() or w["sms"].exists())
        self.assertFalse(
            self.env["mail.message"].search_count(
                [("model", "=", "hr.applicant"), ("res_id", "in", (old | w["old_app_a"]).ids)]
            ),
            "no message left, not even a tracking message of the anonymization",
        )
        self.assertFalse(
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search_count([("res_model", "=", "hr.applicant"), ("res_id", "=", old.id)]),
            "done (archived) activities go too",
        )
        self.assertFalse(w["touchpoint"].summary or w["touchpoint"].reply_reason)
        self.assertFalse(w["trace"].email)
        self.assertFalse(w["click"].ip)
        self.assertEqual(old.anonymized_date, self.later)
        # company B's application keeps its contact, which stays untouched
        self.assertEqual(w["old_app_b"].partner_id.email, "olga.old@example.com")
        self.assertEqual(w["old_app_b"].partner_name, "Olga Old")
        # a contact used by nothing else is anonymized; a user's contact is only let go of
        solo_partner = self.env["res.partner"].browse(
            before["hr.applicant", w["solo"].id]["partner_id"]
        )
        self.assertFalse(solo_partner.email or solo_partner.phone or solo_partner.active)
        self.assertNotIn("Sam", solo_partner.name)
        self.assertFalse(w["user_talent"].partner_id)
        self.assertIn(("res.partner", solo_partner.id), planned)
        user_partner_id = before["hr.applicant", w["user_talent"].id]["partner_id"]
        self.assertNotIn(("res.partner", user_partner_id), changed)

    def test_hired_archived_or_employee_blocks(self):
        w = self._build_world()
        with freeze_time(self.later):
            expired = self.env["hr.recruitment.retention"]._expired_talents(self.company)
        self.assertIn(w["old"], expired)
        for blocked in ("hired", "employee_talent", "open", "open_in_b", "talent_b"):
            self.assertNotIn(w[blocked], expired, blocked)
        # once the B application is closed, Bea may be forgotten by A (B's record stays)
        w["open_in_b_app"].write({"refuse_reason_id": self.refuse_reason.id})
        with freeze_time(self.later):
            self.assertIn(
                w["open_in_b"], self.env["hr.recruitment.retention"]._expired_talents(self.company)
            )

    def test_forgotten_email_blocks_recontact(self):
        w = self._build_world()
        with freeze_time(self.later):
            self._run_cron()
        digest = hashlib.sha256(b"olga.old@example.com").hexdigest()
        forgotten = self.env["hr.recruitment.forgotten.email"].search([("email_hash", "=", digest)])
        self.assertEqual(forgotten.company_id, self.company)
        self.assertFalse(
            self.env["hr.recruitment.forgotten.email"].search([("email_hash", "like", "@")])
        )
        # the same person imported again in A is refused on every channel; in B she is not
        again = self._talent("Olga Again", email_from=" Olga.Old@Example.com ")
        again_b = self._talent(
            "Olga In B", company=self.company_b, email_from="olga.old@example.com"
        )
        Policy = self.env["hr.recruitment.contact.policy"]
        for channel in ("email", "sms", "linkedin", "phone"):
            decision = Policy._check(again | again_b, channel)
            self.assertEqual(decision[again.id][:2], ("refused", "forgotten"), channel)
            self.assertNotEqual(decision[again_b.id].reason, "forgotten", channel)
        # every path asks the gate: enrolling in a drip refuses her too
        drip = self.env["hr.recruitment.drip"].create(
            {
                "name": "Nurture",
                "step_ids": [
                    Command.create(
                        {
                            "name": "First touch",
                            "channel": "email",
                            "variant_ids": [
                                Command.create(
                                    {
                                        "name": "A",
                                        "mail_template_id": self.env.ref(
                                            "hr_recruitment_passive.mail_template_drip_first_touch"
                                        ).id,
                                    }
                                )
                            ],
                        }
                    )
                ],
            }
        )
        result = drip.enroll(again)
        self.assertFalse(result["enrollments"])
        self.assertEqual(result["skipped"][again.id][0], "forgotten")
        self.assertTrue(w["old"].anonymized_date)

    def test_log_names_each_record_without_personal_data(self):
        w = self._build_world()
        with freeze_time(self.later):
            dry_run = self.env["hr.recruitment.retention"]._dry_run(self.company)
            self._run_cron()
        log = self.env["hr.recruitment.retention.log"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(
            {(line.res_model, line.res_id, line.operation) for line in log.line_ids},
            {(line["res_model"], line["res_id"], line["operation"]) for line in dry_run},
        )
        self.assertEqual(log.talent_count, 5, "Olga, Sam, Uma, and the base class' Ada and Bob")
        self.assertIn(
            ("hr.applicant", w["old"].id, "anonymize"),
            {(line.res_model, line.res_id, line.operation) for line in log.line_ids},
        )
        texts = " ".join(
            log.line_ids.mapped(lambda line: f"{line.reference} {line.res_model_name}")
        )
        for personal in ("Olga", "olga", "Sam", "Uma", "Ada", "meetup", "family", "203.0.113"):
            self.assertNotIn(personal, texts)
        # administrators read it afterwards; an officer does not
        manager_lines = log.with_user(self.user_manager).line_ids
        self.assertEqual(len(manager_lines), len(dry_run))
        with self.assertRaises(AccessError):
            log.with_user(self.user_officer).read(["talent_count"])

    def test_settings_dry_run_wizard(self):
        self._build_world()
        with freeze_time(self.later):
            settings = self.env["res.config.settings"].create({})
            self.assertEqual(settings.outreach_retention_dry_run_count, 5)
            action = settings.action_outreach_retention_preview()
            preview = self.env[action["res_model"]].browse(action["res_id"])
            self.assertEqual(preview.talent_count, 5)
            self.assertEqual(
                len(preview.line_ids),
                len(self.env["hr.recruitment.retention"]._dry_run(self.company)),
            )
            self.assertFalse(
                self.env["hr.applicant"].search([("anonymized_date", "!=", False)]),
                "a dry run changes nothing",
            )

    def _inactive_talents(self, count, tag):
        talents = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Bulk {tag} {i}",
                    "email_from": f"bulk.{tag}.{i}@example.com",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "is_passive_candidate": True,
                    "current_company": "Somewhere",
                }
                for i in range(count)
            ]
        )
        applications = self.env["hr.applicant"].create(
            [
                {
                    "partner_id": talent.partner_id.id,
                    "partner_name": talent.partner_name,
                    "job_id": self.job.id,
                    "pool_applicant_id": talent.id,
                    "refuse_reason_id": self.refuse_reason.id,
                }
                for talent in talents
            ]
        )
        self.env["ir.attachment"].create(
            [
                {"name": "cv.pdf", "raw": b"cv", "res_model": "hr.applicant", "res_id": app.id}
                for app in applications
            ]
        )
        for talent in talents:
            talent.message_post(body="note", message_type="comment")
            talent.activity_schedule("mail.mail_activity_data_todo", summary="call")
        self.env["hr.recruitment.touchpoint"].create(
            [{"applicant_id": t.id, "channel": "email", "summary": "hi"} for t in talents]
        )
        return talents

    def _count_run_queries(self, talents):
        Retention = self.env["hr.recruitment.retention"]
        log = self.env["hr.recruitment.retention.log"].create({"company_id": self.company.id})
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(self.later):
            start = self.env.cr.sql_log_count
            expired = Retention._expired_talents(self.company)
            Retention._run_batch(expired, self.company, log)
            self.env.flush_all()
            count = self.env.cr.sql_log_count - start
        self.assertEqual(expired, talents)
        self.assertTrue(all(talents.mapped("anonymized_date")))
        return count

    def test_retention_queries_do_not_grow_with_talents(self):
        # the shared talents of the base class would be expired too: keep them in touch
        with freeze_time(self.later):
            for talent in self.talent_ada | self.talent_bob | self.talent_cy:
                self._touchpoint(talent, direction="inbound", kind="reply")
        few = self._count_run_queries(self._inactive_talents(3, "few"))
        many = self._count_run_queries(self._inactive_talents(9, "many"))
        self.assertLessEqual(many, few + 5, f"{few} queries for 3 talents, {many} for 9")

    def test_do_not_contact_talent_is_anonymized_and_stays_do_not_contact(self):
        w = self._build_world()
        w["old"].write({"do_not_contact": True})
        with freeze_time(self.later):
            self._run_cron()
        self.assertTrue(w["old"].anonymized_date)
        self.assertTrue(w["old"].do_not_contact)
        self.assertEqual(w["old"].do_not_contact_reason, "Personal data anonymized")
        log = self.env["hr.recruitment.retention.log"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(log.failure_count, 0)

    def test_one_failing_talent_does_not_stop_the_others(self):
        w = self._build_world()
        # a real database refusal on Sam's record (no mock): the run must go on without him
        self.env.cr.execute(
            """
            CREATE FUNCTION test_retention_refuse() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'refused for the test'; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_retention_refuse BEFORE UPDATE ON hr_applicant
            FOR EACH ROW WHEN (OLD.id = %s) EXECUTE FUNCTION test_retention_refuse();
            """,
            [w["solo"].id],
        )
        with (
            freeze_time(self.later),
            self.assertLogs(
                "odoo.addons.hr_recruitment_passive.models.hr_recruitment_retention", "WARNING"
            ) as logs,
        ):
            self._run_cron()
        self.assertIn(f"could not anonymize talent {w['solo'].id}", logs.output[0])
        self.assertNotIn("Sam", logs.output[0])
        self.assertEqual(w["solo"].partner_name, "Sam Solo")
        self.assertFalse(w["solo"].anonymized_date)
        self.assertTrue(w["old"].anonymized_date and w["user_talent"].anonymized_date)
        log = self.env["hr.recruitment.retention.log"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(log.failure_count, 1)
        self.assertNotIn(
            ("hr.applicant", w["solo"].id), {(x.res_model, x.res_id) for x in log.line_ids}
        )

    def test_erasure_in_rule_off_company_changes_exactly_its_dry_run(self):
        """A due deletion request is handled although company B's rule is off: the run changes
        exactly company A's dry run plus the request's own, nothing else of company B."""
        w = self._build_world()
        asked_b = self._talent("Bella Asks", company=self.company_b)
        asked_b_app = self._application(
            asked_b, job=self.job_b, refuse_reason_id=self.refuse_reason.id
        )
        asked_b.message_post(body="Met Bella at a fair", message_type="comment")
        asked_b._outreach_request_erasure()
        pending_b = self._talent("Pia Pending", company=self.company_b)
        with freeze_time(self.later - relativedelta(days=1)):
            pending_b._outreach_request_erasure()
        Retention = self.env["hr.recruitment.retention"]
        with freeze_time(self.later):
            self.assertEqual(
                Retention._talents_to_anonymize(self.company_b, expired=False),
                asked_b,
                "the review period of Pia's request is not over",
            )
            dry_run = Retention._dry_run(self.company) + Retention._erasure_dry_run(asked_b)
            before = self._snapshot()
            self._run_cron()
            after = self._snapshot()
        planned = {(line["res_model"], line["res_id"]) for line in dry_run}
        changed = {key for key, values in before.items() if after.get(key) != values}
        self.assertEqual(changed, planned, "the run changes exactly what the dry runs listed")
        self.assertIn(("hr.applicant", asked_b_app.id), planned)
        for kept in (w["talent_b"], w["old_app_b"], w["meeting_b"], w["attachment_b"], pending_b):
            self.assertNotIn((kept._name, kept.id), changed, kept.display_name)
        self.assertEqual(asked_b.partner_name, f"Anonymized candidate {asked_b.id}")
        self.assertFalse(asked_b.email_from or asked_b.partner_id)
        self.assertEqual(pending_b.partner_name, "Pia Pending")
        self.assertFalse(pending_b.anonymized_date or w["talent_b"].anonymized_date)

    def test_erase_now_changes_exactly_its_dry_run(self):
        """A recruiter's 'Anonymize now' on a deletion request changes exactly the records its
        dry run listed: not the person's application in company B, nor anyone else."""
        w = self._build_world()
        olga = w["old"]
        olga._outreach_request_erasure()
        action = olga.with_user(self.user_officer).action_erasure_dry_run()
        preview = (
            self.env[action["res_model"]].with_user(self.user_officer).browse(action["res_id"])
        )
        planned = {(line.res_model, line.res_id) for line in preview.line_ids}
        before = self._snapshot()
        preview.action_erase_now()
        self.env.invalidate_all()
        after = self._snapshot()
        changed = {key for key, values in before.items() if after.get(key) != values}
        self.assertEqual(changed, planned, "anonymize now changes exactly what the dry run listed")
        self.assertIn(("hr.applicant", w["old_app_a"].id), planned)
        for kept in ("old_app_b", "meeting_b", "attachment_b", "talent_b", "solo", "partner"):
            self.assertNotIn((w[kept]._name, w[kept].id), changed, kept)
        self.assertTrue(olga.anonymized_date)
        self.assertFalse(w["solo"].anonymized_date, "the company's rule did not run")
        self.assertEqual(w["old_app_b"].partner_name, "Olga Old")
