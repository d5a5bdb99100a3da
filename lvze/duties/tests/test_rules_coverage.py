from django.urls import reverse

from lvze.duties.generation import obligations_generate
from lvze.duties.models import ObligationRule, Status, WorkItem
from lvze.lib.periods import Period
from lvze.test import LvzeTestCase


class RulePageTests(LvzeTestCase):
    def test_admin_sees_pack_with_sources_and_edits_a_rule(self):
        self.login("party_admin")
        response = self.client.get(reverse("duties:rule-list"))
        self.assertContains(response, "中国共产党支部工作条例")
        self.assertContains(response, "地方默认值")
        rule = ObligationRule.objects.get(unit__code="QJ", code="party_lecture")
        response = self.client.post(
            reverse("duties:rule-edit", args=[rule.pk]),
            {"name": "党课", "frequency": "semiannual", "active": "on", "source": rule.source, "work_area_name": "学习宣传"},
        )
        self.assertEqual(response.status_code, 302)
        rule.refresh_from_db()
        self.assertEqual(rule.frequency, "semiannual")

    def test_others_cannot_edit(self):
        self.login("party_admin")
        self.client.get(reverse("duties:rule-list"))
        rule = ObligationRule.objects.get(unit__code="QJ", code="party_lecture")
        for username in ["leader", "supervisor", "city_admin", "xq_admin", "secretary"]:
            self.login(username)
            self.assertEqual(self.client.get(reverse("duties:rule-edit", args=[rule.pk])).status_code, 404, username)

    def test_secretary_and_auditor_have_no_unit_pages(self):
        for username in ["secretary", "auditor"]:
            self.login(username)
            self.assertEqual(self.client.get(reverse("duties:coverage")).status_code, 404)


class CoverageTests(LvzeTestCase):
    def test_matrix_cells_and_counts(self):
        obligations_generate(actor=None, period=Period.parse("2024"))
        WorkItem.objects.filter(organization__code="QJ01", rule__code="theme_day", period="2024-01").update(
            status=Status.DONE, done_on="2024-01-20"
        )
        self.login("party_admin")
        response = self.client.get(reverse("duties:coverage"), {"unit": "QJ", "period": "2024Q1"})
        self.assertContains(response, "主题党日")
        self.assertContains(response, ">按期办结</a>")
        matrices = {m.rule.code: m for m in response.context["matrices"]}
        theme = matrices["theme_day"]
        self.assertEqual([str(c) for c in theme.columns], ["2024-01", "2024-02", "2024-03"])
        self.assertEqual([org.code for org, _ in theme.rows], ["QJ01", "QJ02"])
        self.assertEqual(theme.counts["on_time"], 1)
        self.assertEqual(sum(theme.counts.values()), 6)
        self.assertNotIn("org_life", matrices, "annual items are not in a quarter's matrix")

    def test_other_unit_is_404(self):
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("duties:coverage"), {"unit": "XQ"}).status_code, 404)
