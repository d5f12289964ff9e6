import importlib.util
from datetime import date, datetime
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, freeze_time, tagged

from .drip_common import MONDAY, DripCommon


@tagged("post_install", "-at_install")
@freeze_time(MONDAY)
class TestDripStates(DripCommon):
    """States that are true: paused with why and until when, rescheduling on a change of the
    drip, notes in the owner's time zone and language and cleared with the state, Stop with a
    reason and Resume."""

    def _first_step_sent(self, talents=None):
        self.drip.enroll(talents or self.talent_ada)
        with self.mock_mail_gateway():
            self._run_drip_cron()
        return self._enrollments(talents or self.talent_ada)

    def test_postpone_with_a_reason_pauses(self):
        enrollment = self._first_step_sent()
        until = datetime(2026, 3, 6, 8, 0)
        enrollment._postpone(until, "Sender limit reached", reason="sender_limit")
        self.assertRecordValues(
            enrollment,
            [{"state": "paused", "pause_reason": "sender_limit", "paused_until": until}],
        )
        paused = self.env["hr.recruitment.drip.enrollment"].search(
            [("drip_id", "=", self.drip.id), ("state", "=", "paused")]
        )
        self.assertEqual(paused, enrollment, "the Paused filter finds it")
        # a plain postponement (no reason) keeps the enrollment running
        other = self._first_step_sent(self.talent_bob)
        other._postpone(until, "Outside the sending window")
        self.assertEqual((other.state, other.pause_reason), ("running", False))
        # the cron resumes the pause when it ends, and sends the step
        with freeze_time("2026-03-06 08:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertEqual((enrollment.state, enrollment.pause_reason), ("running", False))
        self.assertEqual(enrollment.step_id, self.step_3, "step 2 was sent")
        self.assertFalse(enrollment.paused_until)

    def test_out_of_office_from_contact_policy_pauses(self):
        enrollment = self._first_step_sent()
        self.talent_ada.outreach_paused_until = datetime(2026, 3, 16)
        with freeze_time("2026-03-05 10:00:00"), self.mock_mail_gateway():
            self._run_drip_cron()
        self.assertRecordValues(
            enrollment,
            [
                {
                    "state": "paused",
                    "pause_reason": "out_of_office",
                    "paused_until": datetime(2026, 3, 16),
                }
            ],
        )
        self.assertFalse(self._drip_mails(self.step_2))

    def test_snoozed_status_is_not_engaged(self):
        self._touchpoint(self.talent_ada, direction="inbound", kind="reply", outcome="replied")
        self.assertEqual(self.talent_ada.outreach_status, "engaged")
        self.talent_ada._outreach_snooze(date(2026, 6, 1))
        self.assertEqual(self.talent_ada.outreach_status, "snoozed")
        with freeze_time("2026-06-02 10:00:00"):
            self.env.flush_all()
            with self.enter_registry_test_mode():
                self.env.ref(
                    "hr_recruitment_passive.ir_cron_recompute_engagement"
                ).method_direct_trigger()
            self.env.invalidate_all()
            self.assertEqual(self.talent_ada.outreach_status, "nurturing", "the snooze is over")

    def test_window_change_reschedules_with_a_local_note(self):
        self.user_officer.write({"tz": "Europe/Brussels", "lang": "en_US"})
        self.drip.write({"send_hour_from": 14.0, "send_hour_to": 17.0})
        self.drip.enroll(self.talent_ada)
        self._run_drip_cron()
        enrollment = self._enrollments(self.talent_ada)
        self.assertEqual(enrollment.next_run_at, datetime(2026, 3, 2, 13, 0), "14:00 Brussels")
        self.assertIn("Outside the sending window", enrollment.status_note)
        self.assertIn("03/02/2026 02:00:00 PM", enrollment.status_note, "the owner's time")
        self.assertNotIn("UTC", enrollment.status_note)
        # the owner opens the window earlier: the waiting candidate is due now
        self.drip.send_hour_from = 8.0
        self.assertEqual(enrollment.next_run_at, datetime(2026, 3, 2, 10, 0))
        self.assertFalse(enrollment.status_note, "no stale window note")
        # and closes it on Mondays: next Tuesday 8:00 Brussels
        self.drip.send_monday = False
        self.assertEqual(enrollment.next_run_at, datetime(2026, 3, 3, 7, 0))

    def test_reschedule_writes_grouped(self):
        """Rescheduling many waiting candidates to the same window opening costs the same
        queries as a few: one write per opening, not one per candidate."""
        self.drip.write({"send_hour_from": 14.0, "send_hour_to": 17.0})

        def reschedule(count):
            talents = self.env["hr.applicant"].create(
                [
                    {
                        "partner_name": f"Wait {count} {index}",
                        "email_from": f"wait.{count}.{index}@example.com",
                        "talent_pool_ids": [Command.link(self.pool.id)],
                        "is_passive_candidate": True,
                    }
                    for index in range(count)
                ]
            )
            enrollments = self.drip.enroll(talents)["enrollments"].sudo()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            enrollments._reschedule()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(set(enrollments.mapped("next_run_at")), {datetime(2026, 3, 2, 14)})
            self.assertIn("Outside the sending window", enrollments[0].status_note)
            return queries

        small, large = reschedule(2), reschedule(12)
        self.assertLessEqual(large - small, 3, f"{small} queries for 2 candidates, {large} for 12")

    def test_step_delay_change_reschedules(self):
        enrollment = self._first_step_sent()
        self.assertEqual(enrollment.next_run_at, datetime(2026, 3, 5, 10, 0))
        self.step_2.write({"delay": 1, "delay_unit": "days"})
        self.assertEqual(enrollment.next_run_at, datetime(2026, 3, 3, 10, 0))

    def test_resume_recomputes_the_time(self):
        enrollment = self._first_step_sent()
        enrollment.with_user(self.user_officer).action_pause()
        self.assertEqual((enrollment.state, enrollment.pause_reason), ("paused", "manual"))
        with freeze_time("2026-03-10 09:00:00"):
            # the cron never resumes a pause by hand
            self._run_drip_cron()
            self.assertEqual(enrollment.state, "paused")
            enrollment.with_user(self.user_officer).action_resume()
            self.assertEqual(enrollment.next_run_at, datetime(2026, 3, 10, 9, 0), "not the 5th")
            triggers = self.env["ir.cron.trigger"].search(
                [("cron_id", "in", self.crons.ids), ("call_at", "=", datetime(2026, 3, 10, 9, 0))]
            )
            self.assertEqual(triggers.cron_id, self.crons, "every drip worker is woken")
        self.assertEqual((enrollment.state, enrollment.pause_reason), ("running", False))

    def test_stop_asks_a_reason_and_can_be_resumed(self):
        enrollment = self._first_step_sent()
        self.drip.write({"send_hour_from": 14.0, "send_hour_to": 17.0})
        self.assertIn("Outside the sending window", enrollment.status_note)
        action = enrollment.with_user(self.user_officer).action_stop()
        self.assertEqual(enrollment.state, "running", "nothing happens before confirming")
        self.assertEqual(action["res_model"], "hr.recruitment.drip.enrollment.stop")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_officer)
            .with_context(**action["context"])
        )
        with self.assertRaises(AssertionError, msg="the reason is required"):
            wizard.save()
        wizard.reason = "Met her at PyCon, I follow up myself"
        wizard.save().action_stop()
        self.assertRecordValues(
            enrollment,
            [
                {
                    "state": "stopped",
                    "stop_reason": "manual",
                    "stopped_by_id": self.user_officer.id,
                    "stop_comment": "Met her at PyCon, I follow up myself",
                    "status_note": False,
                }
            ],
        )
        enrollment.with_user(self.user_officer).action_resume()
        self.assertEqual((enrollment.state, enrollment.step_id), ("running", self.step_2))
        self.assertEqual(enrollment.next_run_at, datetime(2026, 3, 5, 14, 0), "window applied")
        # an enrollment stopped by a rule (reply, opt-out, retention) is not resumable
        enrollment._stop("replied")
        with self.assertRaises(UserError):
            enrollment.with_user(self.user_officer).action_resume()

    def test_held_candidates_released_by_the_template_rule(self):
        """A candidate held for missing data is released by the templates' own rule of a
        missing value: a blank is still missing; candidates filled in together go together."""
        field = self.env.ref("hr_recruitment_passive.outreach_field_current_company")
        self.step_1.mail_template_id = self.template_first.copy(
            {"outreach_required_field_ids": [Command.set(field.ids)]}
        )
        talents = self.talent_bob | self.talent_cy
        talents.current_company = False
        self.drip.enroll(talents)
        self._run_drip_cron()
        enrollments = self._enrollments(talents)
        self.assertEqual(set(enrollments.mapped("pause_reason")), {"missing_data"})
        talents.with_user(self.user_officer).current_company = "   "
        self.assertEqual(set(enrollments.mapped("state")), {"paused"}, "a blank is missing")
        self.assertEqual(enrollments.missing_field_ids, field)
        talents.with_user(self.user_officer).current_company = "Twombly Studio"
        self.assertEqual(set(enrollments.mapped("state")), {"running"})
        self.assertFalse(enrollments.missing_field_ids)

    def test_no_second_running_drip_on_resume_or_redelivery(self):
        """The enroll gate's rule (one running drip per candidate unless the drip allows
        overlap) holds on Resume and when a failed delivery would restart a finished one."""
        enrollment = self._first_step_sent()
        other = self.drip.copy({"name": "Other drip"})
        enrollment.with_user(self.user_officer)._stop_by_hand("Later")
        running = other.enroll(self.talent_ada)["enrollments"]
        self.assertTrue(running)
        with self.assertRaisesRegex(UserError, "already running in another drip"):
            enrollment.with_user(self.user_officer).action_resume()
        self.assertEqual(enrollment.state, "stopped")
        # a drip that allows overlap may run beside it
        self.drip.allow_overlap = True
        enrollment.with_user(self.user_officer).action_resume()
        self.assertEqual(enrollment.state, "running")
        # finished, then its last email is reported failed: not restarted beside the other
        self.drip.allow_overlap = False
        enrollment._finish()
        sent = enrollment.touchpoint_ids.filtered(lambda t: t.outcome == "sent")
        self.assertTrue(sent.mail_message_id)
        self.env["hr.recruitment.touchpoint"]._on_delivery_failure(
            sent.mail_message_id, "email", "mail_smtp", {}
        )
        self.assertEqual(sent.outcome, "failed")
        self.assertEqual(enrollment.state, "done")
        self.assertEqual(running.state, "running")

    def test_migration_pauses_snoozed_running_enrollments(self):
        snoozed = self._first_step_sent()
        manual = self._first_step_sent(self.talent_bob)
        self.env.cr.execute(
            "UPDATE hr_applicant SET outreach_snoozed_until = '2099-06-01' WHERE id = %s",
            [self.talent_ada.id],
        )
        self.env.cr.execute(
            "UPDATE hr_recruitment_drip_enrollment SET next_run_at = '2099-06-01',"
            " state = 'running', pause_reason = NULL WHERE id = %s;"
            "UPDATE hr_recruitment_drip_enrollment SET state = 'paused', pause_reason = NULL"
            " WHERE id = %s",
            [snoozed.id, manual.id],
        )
        path = Path(__file__).parents[1] / "migrations/19.0.1.2.0/post-paused_states.py"
        spec = importlib.util.spec_from_file_location("post_paused_states", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual((snoozed.state, snoozed.pause_reason), ("paused", "snooze"))
        self.assertEqual(snoozed.paused_until, datetime(2099, 6, 1))
        self.assertEqual((manual.state, manual.pause_reason), ("paused", "manual"))


@tagged("post_install", "-at_install")
class TestTouchpointHistoryKept(DripCommon):
    """Touchpoints are history: officers cannot delete them, administrators archive them
    with a reason that is logged on the candidate."""

    def test_officer_cannot_delete_nor_archive(self):
        touchpoint = self._touchpoint(self.talent_ada)
        as_officer = touchpoint.with_user(self.user_officer)
        with self.assertRaises(AccessError):
            as_officer.unlink()
        with self.assertRaises(AccessError):
            as_officer.action_archive()
        with self.assertRaises(AccessError):
            as_officer.write({"active": False, "archive_reason": "oops"})
        # nor through the Timeline of the candidate (one2many delete command)
        with self.assertRaises(AccessError):
            self.talent_ada.with_user(self.user_officer).write(
                {"touchpoint_ids": [Command.delete(touchpoint.id)]}
            )
        self.assertTrue(touchpoint.exists() and touchpoint.active)

    def test_manager_archives_with_a_reason(self):
        touchpoint = self._touchpoint(self.talent_ada, summary="Call about the wrong Ada")
        as_manager = touchpoint.with_user(self.user_manager)
        with self.assertRaises(AccessError):
            as_manager.unlink()
        with self.assertRaises(UserError, msg="no archive without a reason"):
            as_manager.write({"active": False})
        action = as_manager.action_archive()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Logged on the wrong candidate"
        wizard.save().action_archive()
        self.assertFalse(touchpoint.active)
        self.assertEqual(touchpoint.archive_reason, "Logged on the wrong candidate")
        self.assertNotIn(touchpoint, self.talent_ada.touchpoint_ids, "out of the timeline")
        log = self.talent_ada.message_ids[:1]
        self.assertIn("Logged on the wrong candidate", log.body)
        self.assertIn(self.user_manager.name, log.body)
