"""Enrollments get a real paused state with its reason: those left running but postponed by
the candidate's snooze or out-of-office (their next run is the end of it) become paused with
that reason and end, and the enrollments paused by hand say so."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE hr_recruitment_drip_enrollment e
           SET state = 'paused', pause_reason = 'snooze', paused_until = e.next_run_at
          FROM hr_applicant t
         WHERE t.id = e.applicant_id
           AND e.state = 'running'
           AND t.outreach_snoozed_until IS NOT NULL
           AND t.outreach_snoozed_until > (now() AT TIME ZONE 'UTC')::date
           AND e.next_run_at >= t.outreach_snoozed_until::timestamp
        """
    )
    cr.execute(
        """
        UPDATE hr_recruitment_drip_enrollment e
           SET state = 'paused', pause_reason = 'out_of_office', paused_until = e.next_run_at
          FROM hr_applicant t
         WHERE t.id = e.applicant_id
           AND e.state = 'running'
           AND t.outreach_paused_until > now() AT TIME ZONE 'UTC'
           AND e.next_run_at >= t.outreach_paused_until
        """
    )
    cr.execute(
        """
        UPDATE hr_recruitment_drip_enrollment
           SET pause_reason = 'manual'
         WHERE state = 'paused' AND pause_reason IS NULL
        """
    )
