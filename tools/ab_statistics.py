"""A/B test statistics: two-proportion z-test and chi-square test of independence."""

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


def chi_square_statistic(rows):
    """Chi-square statistic of the 2 x k table successes/failures per variant, with its
    degrees of freedom (0 when the table is degenerate)."""
    total_sent = sum(row["sent"] for row in rows)
    total_successes = sum(row["successes"] for row in rows)
    if not total_sent or total_successes in (0, total_sent):
        return 0.0, 0
    chi2 = 0.0
    for row in rows:
        if not row["sent"]:
            continue
        for observed, total in (
            (row["successes"], total_successes),
            (row["sent"] - row["successes"], total_sent - total_successes),
        ):
            expected = row["sent"] * total / total_sent
            chi2 += (observed - expected) ** 2 / expected
    return chi2, sum(1 for row in rows if row["sent"]) - 1


def chi_square_sf(x, dof):
    """P(X >= x) for a chi-square distribution with `dof` degrees of freedom."""
    if x <= 0:
        return 1.0
    return _regularized_gamma_q(dof / 2.0, x / 2.0)


def _regularized_gamma_q(a, x):
    """Upper regularized incomplete gamma Q(a, x) (series / continued fraction)."""
    log_prefix = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        for _i in range(500):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, math.exp(log_prefix) * h)
