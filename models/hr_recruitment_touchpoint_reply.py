from odoo import api, fields, models
from odoo.exceptions import UserError

REPLY_CLASSES = [
    ("interested", "Interested"),
    ("not_now", "Not now"),
    ("not_interested", "Not interested"),
    ("wrong_person", "Wrong person"),
    ("unsubscribe", "Unsubscribe"),
]


class HrRecruitmentTouchpointReply(models.AbstractModel):
    """A candidate's reply on a touchpoint: the class the recruiter gives it in one click (the
    keyword rules of hr.recruitment.reply.classifier suggest one), its place in the Replies
    to-do list, and what each class does to the candidate. Mixed into
    hr.recruitment.touchpoint."""

    _name = "hr.recruitment.touchpoint.reply"
    _description = "Candidate Reply Classification"

    reply_class = fields.Selection(
        REPLY_CLASSES,
        string="Reply",
        index="btree_not_null",
        help="What the candidate's reply means, set by the recruiter (one click).",
    )
    reply_class_suggestion = fields.Selection(
        REPLY_CLASSES,
        string="Suggested Class",
        compute="_compute_reply_class_suggestion",
        help="Guess from the words of the reply (English, French, German, Spanish, Dutch).",
    )
    reply_status = fields.Selection(
        [("to_classify", "To classify"), *REPLY_CLASSES],
        compute="_compute_reply_status",
        store=True,
        index="btree_not_null",
        help="The class of a candidate's reply, or 'To classify' while nobody has read it; "
        "empty for anything that is not a reply.",
    )
    reply_reason = fields.Char(
        string="Reason", help="Why the candidate is not interested (or other details)."
    )
    snoozed_until = fields.Date(string="Not Before", help="'Not now' replies: when to come back.")

    @api.depends("direction", "kind", "outcome", "auto_reply", "third_party", "reply_class")
    def _compute_reply_status(self):
        for touchpoint in self:
            touchpoint.reply_status = (
                (touchpoint.reply_class or "to_classify")
                if touchpoint._is_classifiable_reply()
                else False
            )

    def _is_classifiable_reply(self):
        """A real reply of the candidate: it stops drips and waits in the Replies to-do list."""
        self.ensure_one()
        return (
            self.direction == "inbound"
            and self.kind == "reply"
            and self.outcome != "planned"
            and not self.auto_reply
            and not self.third_party
        )

    @api.depends(
        "summary",
        "mail_message_id.body",
        "direction",
        "auto_reply",
        "third_party",
        "applicant_id.partner_id.lang",
    )
    def _compute_reply_class_suggestion(self):
        Classifier = self.env["hr.recruitment.reply.classifier"]
        for touchpoint in self:
            if touchpoint.direction != "inbound" or touchpoint.auto_reply or touchpoint.third_party:
                touchpoint.reply_class_suggestion = False
                continue
            text = Classifier._reply_text(
                body_html=touchpoint.mail_message_id.body, text=touchpoint.summary
            )
            lang = touchpoint.applicant_id.partner_id.lang or self.env.lang
            touchpoint.reply_class_suggestion = Classifier._suggest(text, lang=lang)[0]

    def _get_reply_date_suggestion(self):
        """Date to come back to the candidate named in the reply, if any."""
        self.ensure_one()
        Classifier = self.env["hr.recruitment.reply.classifier"]
        text = Classifier._reply_text(body_html=self.mail_message_id.body, text=self.summary)
        return Classifier._suggest(text, lang=self.applicant_id.partner_id.lang)[1]

    def action_classify_reply(self):
        """One click on a reply: classes that need nothing more are applied at once, the
        others ('not now' needs a date, 'not interested' a reason) open a prefilled dialog."""
        self.ensure_one()
        self._check_classifiable()
        reply_class = self.env.context.get("reply_class")
        if reply_class in ("interested", "wrong_person", "unsubscribe"):
            return self._apply_reply_class(reply_class)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Classify the reply"),
            "res_model": "hr.recruitment.touchpoint.classify",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_touchpoint_id": self.id,
                "default_reply_class": reply_class or self.reply_class_suggestion,
            },
        }

    def _check_classifiable(self):
        for touchpoint in self:
            if touchpoint.direction != "inbound" or touchpoint.outcome == "planned":
                raise UserError(
                    self.env._(
                        "Only a reply received from the candidate can be classified; "
                        "'%(touchpoint)s' is not one.",
                        touchpoint=touchpoint.display_name,
                    )
                )
            if touchpoint.third_party:
                raise UserError(
                    self.env._(
                        "'%(summary)s' was written by someone other than %(name)s and cannot "
                        "speak for them: act on the candidate's record instead (e.g. mark "
                        "them do-not-contact).",
                        summary=touchpoint.summary or touchpoint.display_name,
                        name=touchpoint.applicant_id.partner_name,
                    )
                )

    def _apply_reply_class(self, reply_class, until=None, reason=None):
        """Record what the reply means and act on it: snooze and plan re-engagement ('not
        now'), stop outreach ('not interested', 'wrong person'), opt out ('unsubscribe'), or
        offer an application to a job ('interested'). Returns an action or True."""
        self.ensure_one()
        self._check_classifiable()
        # sudo: the classify dialog also writes boundaries (blacklist, pools) officers cannot
        talent = self.applicant_id.sudo()
        vals = {"reply_class": reply_class, "reply_reason": reason or False}
        action = True
        if reply_class == "not_now":
            talent._outreach_snooze(
                until, source=self.env._("reply of %(date)s", date=self.date.date())
            )
            vals["snoozed_until"] = talent.outreach_snoozed_until
        elif reply_class == "not_interested":
            if not (reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write down why %(name)s is not interested (e.g. 'just promoted', "
                        "'salary too low'): it helps the next recruiter.",
                        name=talent.partner_name,
                    )
                )
            talent._outreach_stop("replied")
        elif reply_class == "wrong_person":
            talent.write(
                {
                    "do_not_contact": True,
                    "do_not_contact_reason": reason
                    or self.env._("Wrong person (reply of %(date)s)", date=self.date.date()),
                }
            )
            talent._outreach_stop("manual")
        elif reply_class == "unsubscribe":
            talent._outreach_opt_out(self.env._("reply of %(date)s", date=self.date.date()))
        elif reply_class == "interested":
            if talent.openness != "open_to_offers":
                talent.openness = "open_to_talk"
            talent._outreach_stop("replied")
            action = talent.action_job_add_applicants()
        else:
            raise UserError(self.env._("Unknown reply class: %(value)s", value=reply_class))
        self.write(vals)
        return action
