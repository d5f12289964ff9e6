from odoo.fields import Command

from odoo.addons.hr_recruitment_passive.tests.common import PassiveCommon

# a Monday morning (UTC); the company works Monday to Friday
MONDAY = "2026-03-02 10:00:00"
LINKEDIN_BODY = (
    "Hi {{ object.partner_name }}, I wrote to you about the "
    "{{ object._get_outreach_job().name }} role."
)


def make_tour_drip(env, label, names, drip_name):
    """Data of a browser tour: passive talents `names` in a pool of their own (emails
    <first name>.<label>@example.com) and a one-step email drip `drip_name`."""
    # the technical mailing of an email step is sent from the user's address
    env.ref("base.user_admin").email = "admin@example.com"
    pool = env["hr.talent.pool"].create({"name": f"Tour {label} pool"})
    talents = env["hr.applicant"].create(
        [
            {
                "partner_name": name,
                "email_from": f"{name.split()[0].lower()}.{label}@example.com",
                "talent_pool_ids": [Command.link(pool.id)],
                "is_passive_candidate": True,
            }
            for name in names
        ]
    )
    template = env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
    drip = env["hr.recruitment.drip"].create(
        {
            "name": drip_name,
            "step_ids": [
                Command.create(
                    {
                        "name": "Hello",
                        "channel": "email",
                        "variant_ids": [
                            Command.create({"name": "A", "mail_template_id": template.id})
                        ],
                    }
                )
            ],
        }
    )
    return talents, drip


class DripCommon(PassiveCommon):
    """Five talents (one blacklisted, one without email) and a 3-step drip:
    email; after 3 business days, email if not opened; after 5 days, LinkedIn task."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "UTC"
        # drip steps are automated messages and count toward the contact caps: the default
        # (one a week) would postpone the follow-ups 3 business days apart tested here
        cls.env.company.write({"outreach_cap_short_count": 3, "outreach_cap_long_count": 10})
        # no slow start for new mailboxes here (tests/test_drip_sender_limits.py tests it)
        cls.env.company.outreach_sender_ramp_start = 0
        cls.user_officer.tz = "UTC"
        cls.talent_dan, cls.talent_eve = cls.env["hr.applicant"].create(
            [
                {
                    "partner_name": "Dan Blacklisted",
                    "email_from": "dan@example.com",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                },
                {
                    "partner_name": "Eve Noemail",
                    "partner_phone": "+32470000005",
                    "talent_pool_ids": [Command.link(cls.pool.id)],
                    "is_passive_candidate": True,
                },
            ]
        )
        cls.env["mail.blacklist"].sudo()._add("dan@example.com")
        cls.talents = cls.talent_ada | cls.talent_bob | cls.talent_cy
        cls.template_first = cls.env.ref("hr_recruitment_passive.mail_template_drip_first_touch")
        cls.template_follow = cls.env.ref("hr_recruitment_passive.mail_template_drip_follow_up")
        cls.drip = cls.env["hr.recruitment.drip"].create(
            {
                "name": "Staff engineers nurture",
                "user_id": cls.user_officer.id,
                "job_ids": [Command.link(cls.job.id)],
                "talent_pool_ids": [Command.link(cls.pool.id)],
                "send_saturday": True,
                "send_sunday": True,
                "send_hour_from": 0.0,
                "send_hour_to": 24.0,
                "skip_public_holidays": False,
                "step_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "name": "First touch",
                            "channel": "email",
                            "delay": 0,
                            "variant_ids": [
                                Command.create(
                                    {"name": "A", "mail_template_id": cls.template_first.id}
                                )
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "Follow-up if not opened",
                            "channel": "email",
                            "delay": 3,
                            "delay_unit": "business_days",
                            "condition": "not_opened",
                            "variant_ids": [
                                Command.create(
                                    {"name": "A", "mail_template_id": cls.template_follow.id}
                                )
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "name": "LinkedIn message",
                            "channel": "linkedin",
                            "delay": 5,
                            "delay_unit": "days",
                            "variant_ids": [
                                Command.create(
                                    {
                                        "name": "A",
                                        "body": LINKEDIN_BODY,
                                    }
                                )
                            ],
                        }
                    ),
                ],
            }
        )
        cls.step_1, cls.step_2, cls.step_3 = cls.drip.step_ids
        cls.cron = cls.env.ref("hr_recruitment_passive.ir_cron_drip_process_due_steps")
        # one scheduled action per cron worker, each running its share of the candidates
        cls.crons = cls.cron | cls.env.ref(
            "hr_recruitment_passive.ir_cron_drip_process_due_steps_2"
        )

    def _run_drip_cron(self):
        """Run the scheduled action as the cron worker does (own transaction, commits)."""
        self.env.flush_all()
        with self.enter_registry_test_mode():
            for cron in self.crons:
                cron.method_direct_trigger()
        self.env.invalidate_all()

    def _enrollments(self, talents=None):
        domain = [("drip_id", "=", self.drip.id)]
        if talents is not None:
            domain.append(("applicant_id", "in", talents.ids))
        return self.env["hr.recruitment.drip.enrollment"].search(domain)

    def _drip_mails(self, step=None):
        variants = (step or self.drip.step_ids).variant_ids
        return self.env["mail.mail"].sudo().search([("mailing_id", "in", variants.mailing_id.ids)])
