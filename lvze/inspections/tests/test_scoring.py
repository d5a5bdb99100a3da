"""Scoring arithmetic: shares, totals, ranking, 红黑榜 and the grade of a 述职评议."""

from decimal import Decimal as D

from django.test import SimpleTestCase

from lvze.inspections import scoring


class ScoringTests(SimpleTestCase):
    def test_shares(self):
        self.assertEqual(scoring.share_of("pass_fail", passed=True, points=None, grade="", max_points=D(10)), 1)
        self.assertEqual(scoring.share_of("points", passed=None, points=D("7.5"), grade="", max_points=D(10)), D("0.75"))
        self.assertEqual(scoring.share_of("grade", passed=None, points=None, grade="fair", max_points=D(10)), D("0.8"))
        with self.assertRaisesMessage(ValueError, "得分应在 0 至 10 之间"):
            scoring.share_of("points", passed=None, points=D(11), grade="", max_points=D(10))
        with self.assertRaisesMessage(ValueError, "请选择等次"):
            scoring.share_of("grade", passed=None, points=None, grade="", max_points=D(10))

    def test_suggested_entries(self):
        self.assertEqual(scoring.suggested_entry("points", D("0.8333"), D(20)).points, D("16.7"))
        self.assertFalse(scoring.suggested_entry("pass_fail", D("0.99"), D(10)).passed)
        self.assertEqual(scoring.suggested_entry("grade", D("0.95"), D(10)).grade, "good")
        self.assertEqual(scoring.suggested_entry("grade", D("0.7"), D(10)).grade, "average")
        self.assertEqual(scoring.suggested_entry("grade", D("0.2"), D(10)).grade, "poor")

    def test_total_is_weighted_on_100(self):
        self.assertEqual(scoring.total_score([(D(1), D(20)), (D("0.5"), D(30))]), D("70.0"))
        self.assertEqual(scoring.total_score([(D(1), D(20)), (None, D(20))]), D("50.0"))
        self.assertIsNone(scoring.total_score([(None, D(20))]))

    def test_competition_ranks_and_boards(self):
        scores = [D(90), D(95), D(90), D(70), None]
        self.assertEqual(scoring.competition_ranks(scores), [2, 1, 2, 4, None])
        self.assertEqual(scoring.boards(scores, 1), ["", "red", "", "black", ""])
        # A tie on the line joins the board together.
        self.assertEqual(scoring.boards([D(95), D(95), D(80), D(60)], 1), ["red", "red", "", "black"])
        self.assertEqual(scoring.boards([D(80), D(80)], 1), ["", ""])
        self.assertEqual(scoring.boards(scores, 0), ["", "", "", "", ""])

    def test_evaluation_grade(self):
        self.assertEqual(scoring.evaluation_grade(20, 8, 2, 0), ("good", D("92.0")))
        self.assertEqual(scoring.evaluation_grade(10, 12, 8, 0)[0], "fair")
        self.assertEqual(scoring.evaluation_grade(5, 5, 10, 11)[0], "poor")
        self.assertEqual(scoring.evaluation_grade(5, 5, 10, 5)[0], "average")
        self.assertEqual(scoring.evaluation_grade(0, 0, 0, 0), ("", None))
