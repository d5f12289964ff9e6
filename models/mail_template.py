import re

from lxml import html as lxml_html
from markupsafe import Markup, escape

from odoo import api, fields, models

from ..const import OFFICER_GROUP
from ..tools.text import normalize_text
from .hr_recruitment_outreach_field import REQUIRED_FIELD_HELP

DEFAULT_WORD_BUDGET = 150
# a link to one of these lets the candidate manage or stop outreach
OPT_OUT_MARKERS = (
    "/recruitment/preferences/",
    "/recruitment/unsubscribe/",
    "/unsubscribe_from_list",
    "_get_outreach_preference_url",
    "_get_outreach_unsubscribe_url",
)
# words that show the first sentence says why we write (accents stripped, lower case)
REASON_MARKERS = (
    # en
    "because",
    "why",
    "i'm writing",
    "i am writing",
    "reaching out",
    "reach out",
    "noticed",
    "saw your",
    "came across",
    "congratulat",
    "your experience",
    "your work",
    "thought of you",
    "made me think",
    "hiring",
    "we've added",
    "we have added",
    "we're growing",
    "impressed",
    "caught my eye",
    "i wanted to",
    "following",
    # fr
    "parce que",
    "je vous ecris",
    "je t'ecris",
    "je me permets",
    "je vous contacte",
    "felicit",
    "j'ai vu",
    "j'ai remarque",
    "votre parcours",
    "votre experience",
    "nous recrutons",
    # de
    "weil",
    "ich schreibe",
    "ich melde mich",
    "gratulier",
    "ihr profil",
    "wir suchen",
    # es
    "porque",
    "le escribo",
    "te escribo",
    "tu perfil",
    "su perfil",
    "buscamos",
)
GREETING = re.compile(
    r"^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|bonjour|bonsoir|salut|cher|chere"
    r"|hallo|guten tag|liebe|lieber|hola|estimad[oa])\b[^.!?\n]*?[,!:\n]\s*",
    re.IGNORECASE,
)
PLACEHOLDER_ATTRIBUTES = ("t-out", "t-esc", "t-field", "t-att-href", "t-attf-href")


class MailTemplate(models.Model):
    _name = "mail.template"
    _inherit = ["mail.template", "hr.recruitment.outreach.requirement.mixin"]

    outreach_required_field_ids = fields.Many2many(
        "hr.recruitment.outreach.field",
        "mail_template_outreach_required_field_rel",
        string="Required Candidate Values",
        help=REQUIRED_FIELD_HELP,
        column1="template_id",
        column2="outreach_field_id",
    )

    outreach_quality_warnings = fields.Html(
        string="Outreach Quality",
        compute="_compute_outreach_quality_warnings",
        sanitize=True,
        help="Brevity and quality checks of candidate outreach templates.",
    )

    @api.depends("body_html", "subject", "model")
    @api.depends_context("uid", "company")  # rendered as the reader, for their company
    def _compute_outreach_quality_warnings(self):
        for template in self:
            issues = (
                template._get_outreach_quality_issues() if template.model == "hr.applicant" else []
            )
            template.outreach_quality_warnings = self._format_outreach_quality_issues(issues)

    @api.model
    def _format_outreach_quality_issues(self, issues):
        """The (severity, message) list of _get_outreach_quality_issues as an HTML list."""
        if not issues:
            return False
        return Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li><b>%s</b> %s</li>")
            % (
                self.env._("Blocking:") if severity == "blocking" else self.env._("Tip:"),
                message,
            )
            for severity, message in issues
        )

    def _get_outreach_quality_issues(self, automated=True, res_id=None):
        """Brevity and quality of an outreach email template, checked on its HTML rendered for
        a sample candidate (or on its source when there is none).

        :param automated: the template is sent without a recruiter (drip step, occasion): a
            preference or unsubscribe link is then required
        :param res_id: candidate to render for (default: a passive talent, else any applicant)
        :return: list of (severity, message); severity 'blocking' (the drip must refuse to
            activate the step) or 'warning'
        """
        self.ensure_one()
        issues = []
        source = self.body_html or ""
        try:
            source_tree = lxml_html.fragment_fromstring(source or "<div/>", create_parent="div")
        except (ValueError, lxml_html.etree.ParserError):
            return [("blocking", self.env._("The body is not valid HTML."))]
        has_placeholder = "{{" in (self.subject or "") or any(
            node.get(attribute)
            for node in source_tree.iter()
            if isinstance(node.tag, str)
            for attribute in PLACEHOLDER_ATTRIBUTES
        )
        rendered, error = self._render_outreach_sample(res_id)
        if error:
            issues.append(
                ("blocking", self.env._("The template does not render: %(error)s", error=error))
            )
        tree = source_tree
        if rendered is not None:
            tree = lxml_html.fragment_fromstring(rendered or "<div/>", create_parent="div")
        text = " ".join(tree.text_content().split())
        budget = self.env.company.outreach_word_budget or DEFAULT_WORD_BUDGET
        words = len(re.findall(r"\w+", text))
        if words > budget:
            issues.append(
                (
                    "warning",
                    self.env._(
                        "%(words)s words: passive candidates read short messages; stay under "
                        "%(budget)s.",
                        words=words,
                        budget=budget,
                    ),
                )
            )
        first_sentence = re.split(r"(?<=[.!?])\s", GREETING.sub("", text, count=1), maxsplit=1)[0]
        if text and not any(marker in normalize_text(first_sentence) for marker in REASON_MARKERS):
            issues.append(
                (
                    "warning",
                    self.env._(
                        "The first sentence should say why you write to this person "
                        "(e.g. 'I'm writing because ...'); it reads: '%(sentence)s'",
                        sentence=first_sentence[:120],
                    ),
                )
            )
        if not has_placeholder:
            issues.append(
                (
                    "warning",
                    self.env._(
                        "Nothing is personalized: add at least one placeholder such as "
                        "the candidate's name or current employer."
                    ),
                )
            )
        if any(not (img.get("alt") or "").strip() for img in tree.iter("img")):
            issues.append(
                ("warning", self.env._("Every image needs a text alternative (alt attribute)."))
            )
        # links to this database (preference page, tracked links) follow its base URL
        own = self.get_base_url()
        insecure = sorted(
            {
                href
                for link in tree.iter("a")
                if (href := (link.get("href") or "").strip())
                and not href.startswith(("https://", "mailto:", "tel:", "/", "#", own))
            }
        )
        if insecure:
            issues.append(
                (
                    "warning",
                    self.env._("Use https:// links only: %(links)s", links=", ".join(insecure[:5])),
                )
            )
        if automated and not self._has_outreach_opt_out_link(source_tree, tree):
            issues.append(
                (
                    "blocking",
                    self.env._(
                        "An automated email must let the candidate manage or stop outreach: add "
                        "a link to object._get_outreach_preference_url() or "
                        "object._get_outreach_unsubscribe_url()."
                    ),
                )
            )
        return issues

    def _render_outreach_sample(self, res_id=None):
        """(rendered body or None when there is no candidate to render for, error or '').

        Rendered as the current user, for `res_id` (a candidate they may read) or else for a
        made-up candidate: the checks never show the data of a real candidate (any internal
        user reads templates)."""
        if not self.env.su and not self.env.user.has_group(OFFICER_GROUP):
            return None, ""  # no candidate is theirs to see: the checks read the source
        if res_id:
            sample = self.env["hr.applicant"].browse(res_id)
            sample.check_access("read")
        else:
            sample = self._get_outreach_sample_candidate()
        try:
            rendered = self._render_field("body_html", sample._ids)[sample._ids[0]]
        except Exception as error:  # any rendering error is reported, not raised
            return None, str(escape(str(error).splitlines()[0] if str(error) else repr(error)))
        return str(rendered or ""), ""

    @api.model
    def _get_outreach_sample_candidate(self):
        """A made-up passive candidate, in memory only, to render templates for."""
        today = fields.Date.context_today(self)
        return self.env["hr.applicant"].new(
            {
                "partner_name": self.env._("Alex Sample"),
                "email_from": "alex.sample@example.com",
                "is_passive_candidate": True,
                "current_company": self.env._("Example Corp"),
                "current_job_title": self.env._("Senior Engineer"),
                "current_role_start_date": today.replace(year=today.year - 3, day=1),
                "years_of_experience": 8,
                "company_id": self.env.company.id,
            }
        )

    @api.model
    def _has_outreach_opt_out_link(self, source_tree, rendered_tree):
        hrefs = [
            value
            for tree in (source_tree, rendered_tree)
            for node in tree.iter()
            if isinstance(node.tag, str)
            for attribute in ("href", "t-att-href", "t-attf-href")
            if (value := node.get(attribute))
        ]
        return any(marker in href for href in hrefs for marker in OPT_OUT_MARKERS)
