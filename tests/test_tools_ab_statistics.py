from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.hr_recruitment_passive.tools.ab_statistics import two_proportion_z_test


@tagged("post_install", "-at_install")
class TestAbStatistics(TransactionCase):
    def setUp(self):
        super().setUp()
        self.AbTest = self.env["hr.recruitment.ab.test"]

    def test_clear_winner_is_reported_with_its_significance(self):
        result = self.AbTest._compare(
            [
                {"key": "B", "sent": 200, "successes": 15},
                {"key": "A", "sent": 200, "successes": 40},
            ]
        )
        self.assertEqual(result["winner"], "A")
        self.assertEqual((result["leader"], result["runner_up"]), ("A", "B"))
        self.assertAlmostEqual(result["z"], 3.6298, places=3)
        self.assertAlmostEqual(result["p_value"], 0.000284, places=5)
        self.assertLess(result["p_value"], result["alpha"])
        self.assertAlmostEqual(result["variants"][0]["rate"], 0.2)
        self.assertAlmostEqual(result["lift"], (0.2 - 0.075) / 0.075)
        self.assertIn("A wins", result["reason"])

    def test_no_winner_without_enough_evidence(self):
        small = self.AbTest._compare(
            [{"key": "A", "sent": 50, "successes": 20}, {"key": "B", "sent": 50, "successes": 2}]
        )
        self.assertFalse(small["winner"], "50 sends per variant is below the 100 threshold")
        self.assertIn("100", small["reason"])
        close = self.AbTest._compare(
            [{"key": "A", "sent": 300, "successes": 33}, {"key": "B", "sent": 300, "successes": 30}]
        )
        self.assertFalse(close["winner"])
        self.assertGreater(close["p_value"], 0.05)
        self.assertIn("No significant difference", close["reason"])

    def test_bonferroni_with_three_variants(self):
        result = self.AbTest._compare(
            [
                {"key": "A", "sent": 400, "successes": 60},
                {"key": "B", "sent": 400, "successes": 40},
                {"key": "C", "sent": 400, "successes": 38},
            ]
        )
        self.assertAlmostEqual(result["alpha"], 0.025)
        # p ~ 0.03: significant at 5 % but not after the correction for two comparisons
        self.assertGreater(result["p_value"], 0.025)
        self.assertLess(result["p_value"], 0.05)
        self.assertFalse(result["winner"])

    def test_z_test_matches_tables(self):
        """Two-sided p-values of the pooled z-test against a normal table; undefined inputs
        (nothing sent, no variance) give no evidence."""
        z, p_value = two_proportion_z_test(60, 400, 40, 400)
        self.assertAlmostEqual(z, 2.1381, places=3)  # 0.05 / sqrt(0.125 * 0.875 * 2 / 400)
        self.assertAlmostEqual(p_value, 0.0325, places=4)
        self.assertEqual(two_proportion_z_test(5, 0, 3, 10), (0.0, 1.0))
        self.assertEqual(two_proportion_z_test(0, 10, 0, 10), (0.0, 1.0))

    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "between 0 and the number sent"):
            self.AbTest._compare(
                [{"key": "A", "sent": 10, "successes": 11}, {"key": "B", "sent": 10}]
            )
        with self.assertRaisesRegex(UserError, "at least two variants"):
            self.AbTest._compare([{"key": "A", "sent": 10, "successes": 1}])
