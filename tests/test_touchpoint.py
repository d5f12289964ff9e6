from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.test_mail.data.test_mail_data import MAIL_TEMPLATE

from .common import PassiveCommon

NOW = datetime(2026, 6, 1, 10, 0, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestTouchpoint(PassiveCommon):
    def test_log_linkedin_touchpoint_from_form(self):
        action = (
            self.talent_ada.with_user(self.user_officer)
            .with_context(touchpoint_channel="linkedin", touchpoint_kind="outreach")
            .action_log_touchpoint()
        )
        self.assertEqual(action["target"], "new")
        Touchpoint = self.env[action["res_model"]].with_user(self.user_officer)
        with Form(Touchpoint.with_context(**action["context"])) as form:
            form.summary = "Congratulated on the new release"
        touchpoint = form.record
        self.assertEqual(touchpoint.applicant_id, self.talent_ada)
        self.assertEqual(touchpoint.channel, "linkedin")
        self.assertEqual(touchpoint.user_id, self.user_officer)
        self.assertEqual(self.talent_ada.touchpoint_count, 1)
        self.assertEqual(self.talent_ada.last_touchpoint_date, NOW)
        self.assertEqual(self.talent_ada.outreach_status, "contacted")
        self.assertFalse(self.talent_ada.last_response_date)

    def test_touchpoint_on_application_goes_to_talent(self):
        application = self.env["hr.applicant"].create(
            {"partner_name": "Ada", "job_id": self.job.id, "pool_applicant_id": self.talent_ada.id}
        )
        touchpoint = self._touchpoint(application, channel="phone", kind="call")
        self.assertEqual(touchpoint.applicant_id, self.talent_ada)
        self.assertEqual(touchpoint.origin_applicant_id, application)
        self.assertEqual(application.last_touchpoint_date, NOW, "applications show talent figures")

    def test_future_done_touchpoint_refused(self):
        with self.assertRaisesText(ValidationError, "in the future"):
            self._touchpoint(self.talent_ada, date=NOW + timedelta(days=2), outcome="done")
        planned = self._touchpoint(self.talent_ada, date=NOW + timedelta(days=2), outcome="planned")
        self.assertEqual(self.talent_ada.next_touchpoint_date, planned.date)
        self.assertFalse(
            self.talent_ada.last_touchpoint_date, "a planned touchpoint did not happen"
        )

    def test_chatter_email_and_gateway_reply(self):
        talent = self.talent_ada.with_user(self.user_officer)
        with self.mock_mail_gateway():
            talent.message_post(
                body=Markup("<p>Hi Ada, congratulations on five years at Analytical Engines!</p>"),
                subject="Five years",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.talent_ada.partner_id.ids,
            )
            outbound = self.talent_ada.touchpoint_ids
            self.assertEqual(len(outbound), 1)
            self.assertRecordValues(
                outbound,
                [
                    {
                        "channel": "email",
                        "direction": "outbound",
                        "kind": "outreach",
                        "outcome": "sent",
                        "user_id": self.user_officer.id,
                    }
                ],
            )
            self.assertTrue(outbound.mail_message_id)
            self.assertEqual(self.talent_ada.outreach_status, "contacted")
            # the candidate answers from her own address (a reply from anyone else is a
            # third party's note, see test_inbound_corpus)
            self._gateway_mail_reply(
                MAIL_TEMPLATE,
                mail=self._find_mail_mail_wrecord(self.talent_ada),
                force_email_from=self.talent_ada.partner_id.email_formatted,
                use_in_reply_to=True,
                target_model="hr.applicant",
                target_field="partner_name",
            )
        inbound = self.talent_ada.touchpoint_ids.filtered(lambda t: t.direction == "inbound")
        self.assertEqual(len(inbound), 1)
        self.assertRecordValues(
            inbound, [{"channel": "email", "kind": "reply", "outcome": "replied"}]
        )
        self.assertEqual(inbound.mail_message_id.model, "hr.applicant")
        self.assertEqual(self.talent_ada.last_response_date, NOW)
        self.assertEqual(self.talent_ada.outreach_status, "engaged")
        self.assertEqual(self.talent_ada.engagement_score, 40)

    def test_internal_note_is_not_a_touchpoint(self):
        self.talent_ada.with_user(self.user_officer).message_post(
            body="Private note", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(self.talent_ada.touchpoint_ids)

    def test_non_passive_talent_has_no_touchpoint_from_chatter(self):
        with self.mock_mail_gateway():
            self.talent_cy.with_user(self.user_officer).message_post(
                body="Hello",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.talent_cy.partner_id.ids,
            )
        self.assertFalse(self.talent_cy.touchpoint_ids)

    def test_engagement_score_decays_and_weights(self):
        self._touchpoint(self.talent_ada, direction="inbound", kind="reply", outcome="replied")
        self.assertEqual(self.talent_ada.engagement_score, 40)
        self._touchpoint(
            self.talent_bob,
            direction="outbound",
            kind="outreach",
            outcome="clicked",
            date=NOW - timedelta(days=30),
        )
        self.assertEqual(self.talent_bob.engagement_score, 8, "15 points halved after 30 days")
        with freeze_time(NOW + timedelta(days=60)):
            self.env.add_to_compute(
                self.env["hr.applicant"]._fields["engagement_score"], self.talent_ada
            )
            self.talent_ada.flush_recordset()
            self.assertEqual(self.talent_ada.engagement_score, 10, "40 points after two half-lives")
            self.assertEqual(self.talent_ada.outreach_status, "nurturing", "60-day-old reply")
        for _i in range(5):
            self._touchpoint(self.talent_bob, direction="inbound", kind="meeting", outcome="done")
        self.assertEqual(self.talent_bob.engagement_score, 100, "capped at 100")

    def test_status_transitions(self):
        self.assertEqual(self.talent_bob.outreach_status, "new")
        self._touchpoint(self.talent_bob, date=NOW - timedelta(days=60))
        self.assertEqual(self.talent_bob.outreach_status, "contacted")
        self._touchpoint(
            self.talent_bob,
            direction="inbound",
            kind="reply",
            outcome="replied",
            date=NOW - timedelta(days=45),
        )
        self.assertEqual(
            self.talent_bob.outreach_status, "nurturing", "response older than 30 days"
        )
        self.talent_bob.unresponsive_date = fields.Datetime.now() - timedelta(days=1)
        self.assertEqual(self.talent_bob.outreach_status, "unresponsive")
        self._touchpoint(self.talent_bob, direction="inbound", kind="reply", outcome="replied")
        self.assertEqual(self.talent_bob.outreach_status, "engaged", "a new reply revives")
        self.env["hr.applicant"].create(
            {"partner_name": "Bob", "job_id": self.job.id, "pool_applicant_id": self.talent_bob.id}
        )
        self.assertEqual(self.talent_bob.outreach_status, "converted")
        self.talent_bob.outreach_opted_out = True
        self.assertEqual(self.talent_bob.outreach_status, "opted_out")

    def test_stats_computed_in_batch(self):
        talents = self.env["hr.applicant"].create(
            [
                {
                    "partner_name": f"Batch {i}",
                    "talent_pool_ids": [Command.link(self.pool.id)],
                    "is_passive_candidate": True,
                }
                for i in range(40)
            ]
        )
        self.env["hr.recruitment.touchpoint"].create(
            [{"applicant_id": t.id, "channel": "email", "outcome": "opened"} for t in talents]
        )
        self.env.flush_all()

        def queries_for(records):
            self.env.invalidate_all()
            self.env.add_to_compute(self.env["hr.applicant"]._fields["engagement_score"], records)
            before = self.env.cr.sql_log_count
            records.flush_recordset(["engagement_score"])
            return self.env.cr.sql_log_count - before

        few, many = queries_for(talents[:4]), queries_for(talents)
        self.assertLessEqual(many, few + 2, "no query per record")
        self.assertEqual(set(talents.mapped("engagement_score")), {5})

    def test_cron_recomputes_engagement(self):
        self._touchpoint(self.talent_ada, direction="inbound", kind="reply", outcome="replied")
        self.assertEqual(self.talent_ada.engagement_score, 40)
        cron = self.env.ref("hr_recruitment_passive.ir_cron_recompute_engagement")
        with freeze_time(NOW + timedelta(days=30)), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.talent_ada.invalidate_recordset()
        self.assertEqual(self.talent_ada.engagement_score, 20)

    def test_auto_reply_is_not_engagement(self):
        self._touchpoint(
            self.talent_ada, direction="inbound", kind="reply", outcome="replied", auto_reply=True
        )
        self.assertFalse(self.talent_ada.last_response_date)
        self.assertEqual(self.talent_ada.engagement_score, 0)
        self.assertEqual(self.talent_ada.touchpoint_count, 1)
