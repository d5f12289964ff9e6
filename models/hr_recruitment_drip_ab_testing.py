from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# what an A/B test of a step's variants counts as a success (a rate over the emails sent)
AB_METRICS = [("replied", "Reply rate"), ("clicked", "Click rate"), ("opened", "Open rate")]


class HrRecruitmentDripAbTesting(models.AbstractModel):
    """The A/B test of a drip step's variants: the split of the candidates between them, the
    comparison of their figures (statistics in hr.recruitment.ab.test) and the winner getting
    every candidate. Mixed into hr.recruitment.drip.step, whose variant_ids it reads."""

    _name = "hr.recruitment.drip.ab.testing"
    _description = "Drip Step A/B Test"

    ab_testing = fields.Boolean(
        string="A/B Test",
        compute="_compute_ab_testing",
        inverse="_inverse_ab_testing",
        help="Test two (or more) versions of this message: each candidate gets one of them.",
    )
    ab_metric = fields.Selection(
        AB_METRICS,
        string="A/B Metric",
        default="replied",
        required=True,
        help="What makes a variant better. Replies are the reliable figure: opens are inflated "
        "by mail privacy protection and clicks by link scanners.",
    )
    ab_result = fields.Html(
        string="A/B Result", compute="_compute_ab_result", sanitize=True, readonly=True
    )
    ab_p_value = fields.Float(string="p-value", compute="_compute_ab_result", digits=(16, 4))
    ab_verdict = fields.Char(string="Verdict", compute="_compute_ab_result")
    ab_winner_id = fields.Many2one(
        "hr.recruitment.drip.step.variant",
        string="A/B Winner",
        compute="_compute_ab_result",
        help="The variant that wins with enough evidence (see README, 'Learning what works').",
    )
    ab_winner_to_apply = fields.Boolean(
        compute="_compute_ab_result",
        help="A winner exists and does not get every candidate yet.",
    )

    # ------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------

    @api.depends("variant_ids")
    def _compute_ab_testing(self):
        for step in self:
            step.ab_testing = len(step.variant_ids) > 1

    def _inverse_ab_testing(self):
        """Saved through variant_ids (see _onchange_ab_testing): nothing to store."""

    @api.depends("ab_metric", "variant_ids.split_percent")
    def _compute_ab_result(self):
        comparisons = self._get_ab_comparisons()
        for step in self:
            comparison = comparisons.get(step)
            if not comparison:
                step.update(
                    {
                        "ab_result": False,
                        "ab_p_value": 0.0,
                        "ab_verdict": False,
                        "ab_winner_id": False,
                        "ab_winner_to_apply": False,
                    }
                )
                continue
            result, variant_by_key = comparison
            winner = variant_by_key.get(result["winner"]) if result["winner"] else False
            step.update(
                {
                    "ab_result": step._format_ab_result(result, variant_by_key),
                    "ab_p_value": result["p_value"],
                    "ab_verdict": result["reason"],
                    "ab_winner_id": winner,
                    "ab_winner_to_apply": bool(winner and winner.split_percent < 100),
                }
            )

    # ------------------------------------------------------
    # CONSTRAINTS AND ONCHANGE
    # ------------------------------------------------------

    @api.constrains("variant_ids")
    def _check_variant_split(self):
        for step in self.filtered("variant_ids"):
            total = sum(step.variant_ids.mapped("split_percent"))
            if round(total, 2) != 100:
                raise ValidationError(
                    self.env._(
                        "The variants of step '%(step)s' split %(total)s%% of the candidates; "
                        "make their percentages add up to 100.",
                        step=step.name,
                        total=round(total, 2),
                    )
                )

    @api.onchange("ab_testing")
    def _onchange_ab_testing(self):
        """Turning the A/B test on adds variant B (a copy of A, each gets half the candidates);
        turning it off keeps the first variant only, unless the others already sent."""
        Command = fields.Command
        for step in self:
            variants = step.variant_ids
            if step.ab_testing and len(variants) < 2:
                content = {
                    "mail_template_id": step.mail_template_id.id,
                    "sms_template_id": step.sms_template_id.id,
                    "body": step.body,
                }
                commands = [Command.update(v.id, {"split_percent": 50.0}) for v in variants]
                if not variants:
                    commands.append(Command.create({"name": "A", "split_percent": 50.0, **content}))
                commands.append(Command.create({"name": "B", "split_percent": 50.0, **content}))
                step.variant_ids = commands
            elif not step.ab_testing and len(variants) > 1:
                others = variants[1:]
                if any(v.sent_count for v in others if v._origin):
                    step.ab_testing = True
                    return {
                        "warning": {
                            "title": self.env._("Variants with results"),
                            "message": self.env._(
                                "Other variants of this step already sent messages: set their "
                                "split to 0 %% instead of removing them, to keep their figures."
                            ),
                        }
                    }
                step.variant_ids = [Command.update(variants[0].id, {"split_percent": 100.0})] + [
                    Command.unlink(v.id) for v in others
                ]

    @api.onchange("variant_ids")
    def _onchange_variant_split(self):
        """A variant added by hand shares the candidates evenly with the others."""
        for step in self:
            variants = step.variant_ids
            added = variants.filtered(lambda v: not v._origin and v.split_percent == 100)
            total = round(sum(variants.mapped("split_percent")), 2)
            if len(variants) < 2 or not added or total == 100:
                continue
            share = round(100.0 / len(variants), 2)
            for variant in variants[:-1]:
                variant.split_percent = share
            variants[-1].split_percent = round(100.0 - share * (len(variants) - 1), 2)
            names = variants.mapped("name")
            for index, variant in enumerate(variants):
                if names.count(variant.name) > 1 and index:
                    variant.name = chr(ord("A") + index) if index < 26 else str(index + 1)

    # ------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------

    def action_apply_ab_winner(self):
        """Give the A/B winner every candidate (the owner's one click on the suggestion)."""
        applied = self._apply_ab_winner()
        if not applied:
            raise UserError(
                self.env._(
                    "There is no A/B winner to apply: %(verdict)s",
                    verdict="; ".join(filter(None, self.mapped("ab_verdict")))
                    or self.env._("the step needs two or more variants with results."),
                )
            )
        return True

    # ------------------------------------------------------
    # COMPARISON AND WINNER
    # ------------------------------------------------------

    def _get_ab_comparisons(self):
        """{step: (hr.recruitment.ab.test._compare result, {key: variant})} for the steps with
        two or more variants, from their drip touchpoints (one grouped query)."""
        steps = self.filtered(lambda s: s.id and len(s.variant_ids) > 1)
        if not steps:
            return {}
        stats = self.env["hr.recruitment.touchpoint"]._get_drip_statistics(
            [("variant_id", "in", steps.variant_ids.ids)], "variant_id"
        )
        AbTest = self.env["hr.recruitment.ab.test"]
        comparisons = {}
        for step in steps:
            variants = step.variant_ids
            names = variants.mapped("name")
            variant_by_key = {
                (v.name if names.count(v.name) == 1 else f"{v.name} #{v.id}"): v for v in variants
            }
            rows = []
            for key, variant in variant_by_key.items():
                figures = stats.get(variant.id, {})
                rows.append(
                    {
                        "key": key,
                        "sent": figures.get("sent", 0),
                        "successes": min(figures.get(step.ab_metric, 0), figures.get("sent", 0)),
                    }
                )
            comparisons[step] = (AbTest._compare(rows), variant_by_key)
        return comparisons

    def _format_ab_result(self, result, variant_by_key):
        self.ensure_one()
        metric = dict(self._fields["ab_metric"]._description_selection(self.env))[self.ab_metric]
        rows = Markup().join(
            Markup(
                "<tr><td>%s</td><td class='text-end'>%s %%</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s %%</td></tr>"
            )
            % (
                row["key"],
                round(variant_by_key[row["key"]].split_percent),
                row["sent"],
                row["successes"],
                round(row["rate"] * 100, 1),
            )
            for row in result["variants"]
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            "<p>%s</p><p><b>%s</b></p>"
        ) % (
            self.env._("Variant"),
            self.env._("Split"),
            self.env._("Sent"),
            self.env._("Successes"),
            metric,
            rows,
            self.env._(
                "%(leader)s vs %(runner_up)s: p = %(p).4f (needs < %(alpha).3f)",
                leader=result["leader"],
                runner_up=result["runner_up"],
                p=result["p_value"],
                alpha=result["alpha"],
            ),
            result["reason"],
        )

    def _apply_ab_winner(self):
        """Set the split of each step's A/B winner to 100 % and the others' to 0 %, and log it
        in the drip's chatter; return the steps changed. Two writes and one batch of chatter
        notes for all the steps."""
        winners = self.env["hr.recruitment.drip.step.variant"]
        notes = defaultdict(list)
        for step, (result, variant_by_key) in self._get_ab_comparisons().items():
            winner = variant_by_key.get(result["winner"]) if result["winner"] else False
            if not winner or winner.split_percent >= 100:
                continue
            winners |= winner
            notes[step.drip_id].append(
                Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._(
                        "Step '%(step)s': variant '%(variant)s' won its A/B test and now gets "
                        "100 %% of the candidates (the other variants 0 %%).",
                        step=step.name,
                        variant=winner.name,
                    ),
                    result["reason"],
                )
            )
        applied = winners.step_id
        if not applied:
            return applied
        # sudo: the daily cron or the drip's button applies it (officers do not edit variants)
        (applied.variant_ids - winners).sudo().write({"split_percent": 0.0})
        winners.sudo().write({"split_percent": 100.0})
        applied._check_variant_split()
        drips = self.env["hr.recruitment.drip"].union(*notes)
        # sudo: the chatter note of the drip is logged for the cron too
        drips.sudo()._message_log_batch({drip.id: Markup().join(notes[drip]) for drip in drips})
        return applied
