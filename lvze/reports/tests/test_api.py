"""GET /api/v1/statistics/dashboard: the page's figures for integrators, under the same scope."""

from lvze.api.tests.helpers import bearer
from lvze.reports.tests.base import ReportTestCase, frozen

PATH = "/api/v1/statistics/dashboard"


class DashboardApiTests(ReportTestCase):
    def get(self, user="party_admin", **params):
        with frozen():
            return self.client.get(PATH, params, **bearer(self.users[user], read_only=True))

    def test_same_figures_as_the_page(self):
        response = self.get(org="QJ", period="2024H1")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.login("party_admin")
        with frozen():
            d = self.client.get("/reports/", {"org": "QJ", "period": "2024H1"}).context["d"]
        self.assertEqual(body["timeliness"], {**{k: getattr(d.tally, k) for k in
                                                 ("on_time", "late", "overdue", "due_soon", "normal")},
                                              "due_in_period": d.tally.total, "on_time_rate": d.tally.rate})
        self.assertEqual((body["org"], body["period"], body["period_label"], body["as_of"]),
                         ("QJ", "2024H1", "2024年上半年", "2024-06-30"))
        self.assertEqual([m["due_in_period"] for m in body["months"]], [m.tally.total for m in d.months])
        self.assertEqual([(b["rank"], b["code"]) for b in body["branches"]], [(1, "QJ01"), (2, "QJ02")])
        self.assertEqual(body["activities"]["people_covered"], 255)
        theme = next(o for o in body["obligations"] if o["kind"] == "meeting:theme_day")
        self.assertEqual((theme["required"], theme["done"], theme["held"]), (12, 6, 6))
        self.assertEqual((body["talk_total"], body["honor_total"]), (1, 1))
        self.assertIsNone(body["leader"])
        self.assertEqual((body["finding_total"], body["rectification_total"]), (3, 2))
        self.assertEqual({r["key"]: r["count"] for r in body["supervision"]}["discipline"], 1)
        self.assertEqual({o["title"] for o in body["overdue"]} >= {"清理办公用房", "修订制度汇编"}, True)

    def test_defaults_and_city_view(self):
        body = self.get("city_admin").json()
        self.assertEqual((body["org"], body["period"]), ("SJ", "2024H2"))
        codes = [u["code"] for u in self.get("city_admin", period="2024H1").json()["units"]]
        self.assertEqual(codes, ["SJ", "QJ", "XQ"])

    def test_scope_and_errors(self):
        self.assertEqual(self.get("xq_admin", org="QJ").json()["code"], "not_found")
        self.assertEqual(self.get("secretary", org="QJ01").status_code, 403)
        self.assertEqual(self.get(org="QJ", period="2024H3").status_code, 422)
        self.assertEqual(self.client.get(PATH).status_code, 401)
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn(PATH, schema["paths"])
