"""A/B test statistics: the two-proportion z-test of the leader against the runner-up."""

import math


def two_proportion_z_test(successes_a, sent_a, successes_b, sent_b):
    """Pooled two-proportion z-test: (z, two-sided p-value); (0.0, 1.0) when undefined."""
    if not sent_a or not sent_b:
        return 0.0, 1.0
    pooled = (successes_a + successes_b) / (sent_a + sent_b)
    variance = pooled * (1 - pooled) * (1 / sent_a + 1 / sent_b)
    if variance <= 0:
        return 0.0, 1.0
    z = (successes_a / sent_a - successes_b / sent_b) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))
