from odoo import api, models
from odoo.exceptions import UserError

from ..tools.ab_statistics import two_proportion_z_test

# Thresholds for "a variant wins with enough evidence" (see README, "Learning what works"):
AB_MIN_SENT = 100  # every variant sent to at least this many candidates
AB_MIN_SUCCESSES = 5  # the leader has at least this many successes (normal approximation)
AB_ALPHA = 0.05  # two-sided significance level, split over the comparisons (Bonferroni)
AB_MIN_LIFT = 0.10  # the leader's rate is at least 10 % higher than the runner-up's (relative)


class HrRecruitmentAbTest(models.AbstractModel):
    """Statistics of A/B variants (pure computation; the drip step feeds it its figures)."""

    _name = "hr.recruitment.ab.test"
    _description = "A/B Test Statistics"

    @api.model
    def _compare(self, variants):
        """Compare the success rates (e.g. replies / sends) of two or more variants.

        :param variants: iterable of dicts {'key': any, 'sent': int, 'successes': int}
        :return: dict with
            'variants': [{'key', 'sent', 'successes', 'rate'}] best rate first,
            'leader', 'runner_up': keys,
            'z', 'p_value': two-proportion z-test of leader vs runner-up (two-sided),
            'alpha': significance level after Bonferroni correction,
            'lift': relative lift of the leader over the runner-up (None if runner-up is 0 %),
            'winner': leader's key when it wins with enough evidence, else False,
            'reason': one sentence saying why there is, or is not yet, a winner.
        """
        rows = [self._check_variant(variant) for variant in variants]
        if len(rows) < 2:
            raise UserError(self.env._("An A/B comparison needs at least two variants."))
        rows.sort(key=lambda row: row["rate"], reverse=True)
        leader, runner_up = rows[0], rows[1]
        z, p_value = two_proportion_z_test(
            leader["successes"], leader["sent"], runner_up["successes"], runner_up["sent"]
        )
        alpha = AB_ALPHA / (len(rows) - 1)
        lift = (
            (leader["rate"] - runner_up["rate"]) / runner_up["rate"] if runner_up["rate"] else None
        )
        result = {
            "variants": rows,
            "leader": leader["key"],
            "runner_up": runner_up["key"],
            "z": z,
            "p_value": p_value,
            "alpha": alpha,
            "lift": lift,
            "winner": False,
        }
        small = [row for row in rows if row["sent"] < AB_MIN_SENT]
        if small:
            result["reason"] = self.env._(
                "Not enough data yet: every variant needs %(min)s sends (%(keys)s have fewer).",
                min=AB_MIN_SENT,
                keys=", ".join(str(row["key"]) for row in small),
            )
        elif leader["successes"] < AB_MIN_SUCCESSES:
            result["reason"] = self.env._(
                "Not enough successes yet: the best variant needs at least %(min)s.",
                min=AB_MIN_SUCCESSES,
            )
        elif p_value >= alpha:
            result["reason"] = self.env._(
                "No significant difference yet (p = %(p).3f, needs < %(alpha).3f).",
                p=p_value,
                alpha=alpha,
            )
        elif lift is not None and lift < AB_MIN_LIFT:
            result["reason"] = self.env._(
                "Significant but too small a difference (%(lift).0f %% better, "
                "needs %(min).0f %%).",
                lift=lift * 100,
                min=AB_MIN_LIFT * 100,
            )
        else:
            result["winner"] = leader["key"]
            result["reason"] = self.env._(
                "%(key)s wins: %(rate).1f %% vs %(other).1f %% (p = %(p).4f).",
                key=leader["key"],
                rate=leader["rate"] * 100,
                other=runner_up["rate"] * 100,
                p=p_value,
            )
        return result

    @api.model
    def _check_variant(self, variant):
        sent, successes = variant.get("sent") or 0, variant.get("successes") or 0
        if sent < 0 or successes < 0 or successes > sent:
            raise UserError(
                self.env._(
                    "Variant %(key)s: successes (%(successes)s) must be between 0 and the "
                    "number sent (%(sent)s).",
                    key=variant.get("key"),
                    successes=successes,
                    sent=sent,
                )
            )
        return {
            "key": variant.get("key"),
            "sent": sent,
            "successes": successes,
            "rate": successes / sent if sent else 0.0,
        }
