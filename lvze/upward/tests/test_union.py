"""The 工会经费收支 ledger: entries go up the chain and count only once approved; monthly 上缴; Excel."""

import io
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lvze.audit.models import AuditEvent
from lvze.upward import approvals
from lvze.upward.approval_selectors import union_ledger
from lvze.upward.models import ApprovalState, UnionFundEntry
from lvze.upward.tests.test_approvals import ApprovalTestCase

TODAY = date(2023, 5, 20)


class UnionLedgerTests(ApprovalTestCase):
    def entry(self, kind: str, day: date, amount: str, category: str = "行政拨缴", summary: str = "摘要") -> UnionFundEntry:
        return approvals.union_entry_create(
            actor=self.users["staff"], unit=self.orgs["QJ"], organization=self.orgs["QJBGS"], kind=kind,
            occurred_on=day, category=category, summary=summary, amount=amount,
        )

    def approve_all(self, entry: UnionFundEntry) -> None:
        for username in ("office_head", "leader", "party_admin"):
            approvals.approval_approve(actor=self.users[username], request=entry.approval)

    def build(self) -> dict[str, UnionFundEntry]:
        entries = {
            "old": self.entry("income", date(2022, 12, 10), "500"),
            "jan_in": self.entry("income", date(2023, 1, 10), "3000"),
            "jan_remit": self.entry("remit", date(2023, 1, 25), "1200", "按月上缴"),
            "mar_in": self.entry("income", date(2023, 3, 10), "3000"),
            "mar_remit": self.entry("remit", date(2023, 3, 25), "1200", "按月上缴"),
            "apr_out": self.entry("expense", date(2023, 4, 29), "800", "文体活动", "职工羽毛球比赛"),
            "pending": self.entry("expense", date(2023, 5, 8), "300", "慰问"),
            "returned": self.entry("expense", date(2023, 5, 9), "5000", "慰问"),
        }
        for key in ("old", "jan_in", "jan_remit", "mar_in", "mar_remit", "apr_out"):
            self.approve_all(entries[key])
        approvals.approval_approve(actor=self.users["office_head"], request=entries["pending"].approval)
        approvals.approval_return(actor=self.users["office_head"], request=entries["returned"].approval, note="超标准")
        return entries

    def test_an_entry_needs_the_units_chain(self):
        approvals.union_chain(self.orgs["QJ"]).delete()
        with self.assertRaisesMessage(ValidationError, "尚未配置"):
            self.entry("income", date(2023, 1, 1), "1")
        self.assertFalse(UnionFundEntry.objects.exists())

    def test_an_entry_goes_up_the_chain(self):
        entry = self.entry("expense", date(2023, 5, 8), "300", "慰问", "慰问生病职工")
        self.assertEqual((entry.month, entry.approval.title), ("2023-05", "工会经费支出：慰问生病职工"))
        self.assertEqual(entry.approval.current_label, "部门负责人")
        self.assertTrue(AuditEvent.objects.filter(action="union_entry.create", object_id=str(entry.pk)).exists())

    def test_only_approved_entries_count_and_missing_remittances_show(self):
        self.build()
        with CaptureQueriesContext(connection) as ctx:
            ledger = union_ledger(self.orgs["QJ"], 2023, TODAY)
        self.assertLessEqual(len(ctx.captured_queries), 2)
        self.assertEqual(ledger.opening, Decimal("500"))
        self.assertEqual(ledger.totals, {"income": Decimal("6000"), "expense": Decimal("800"), "remit": Decimal("2400")})
        self.assertEqual(ledger.closing, Decimal("3300"))
        self.assertEqual((ledger.pending, ledger.returned), (1, 1))
        self.assertEqual([str(m) for m in ledger.missing_remits], ["2023-02", "2023-04"])
        self.assertEqual(ledger.months[2].balance, Decimal("4100"))

    def test_pages_and_export(self):
        self.build()
        self.login("staff")
        page = self.client.get(reverse("upward:union-ledger"), {"org": "QJ", "year": "2023"})
        self.assertContains(page, "3300")
        self.assertContains(page, "未按月上缴")
        self.assertContains(page, "登记并提交审批")
        pending = self.client.get(reverse("upward:union-ledger"), {"org": "QJ", "year": "2023", "state": "pending"})
        self.assertEqual(pending.context["page"].paginator.count, 1)
        april = self.client.get(reverse("upward:union-ledger"), {"org": "QJ", "year": "2023", "month": "2023-04"})
        self.assertEqual(april.context["page"].paginator.count, 1)

        response = self.client.post(
            reverse("upward:union-entry-create"),
            {"org": "QJ", "kind": "remit", "occurred_on": "2023-05-25", "category": "按月上缴", "summary": "5月上缴", "amount": "1200"},
        )
        entry = UnionFundEntry.objects.get(month="2023-05", kind="remit")
        self.assertRedirects(response, reverse("upward:approval-detail", args=[entry.approval_id]))
        self.assertEqual(entry.approval.requested_by, self.users["staff"])

        export = self.client.get(reverse("upward:union-export"), {"org": "QJ", "year": "2023"})
        self.assertEqual(export.status_code, 200)
        workbook = load_workbook(io.BytesIO(export.content))
        detail, months = workbook["收支明细"], workbook["月度汇总"]
        self.assertEqual(detail.max_row, 2 + 8)  # title, header, 7 entries of 2023 and the new one
        states = {row[9] for row in detail.iter_rows(min_row=3, values_only=True)}
        self.assertEqual(states, {"已批准", "审批中", "已退回"})
        totals = [row for row in months.iter_rows(values_only=True) if row[0] == "合计"][0]
        self.assertEqual((totals[1], totals[4]), (6000, 3300))
        self.assertTrue(AuditEvent.objects.filter(action="union_ledger.export").exists())

    def test_readers_read_but_only_the_units_filers_file(self):
        self.build()
        data = {"org": "QJ", "kind": "income", "occurred_on": "2023-05-01", "category": "会费", "summary": "x", "amount": "1"}
        for username in ("leader", "supervisor", "city_admin"):
            self.login(username)
            page = self.client.get(reverse("upward:union-ledger"), {"org": "QJ", "year": "2023"})
            self.assertEqual(page.status_code, 200, username)
            self.assertNotContains(page, "登记并提交审批")
            self.assertEqual(self.client.post(reverse("upward:union-entry-create"), data).status_code, 403, username)
        for username in ("xq_admin", "secretary", "member"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("upward:union-ledger"), {"org": "QJ"}).status_code, 404, username)
            self.assertEqual(self.client.post(reverse("upward:union-entry-create"), data).status_code, 404, username)
            self.assertEqual(self.client.get(reverse("upward:union-export"), {"org": "QJ"}).status_code, 404, username)
        self.assertEqual(UnionFundEntry.objects.count(), 8)
        self.login("staff")
        self.assertEqual(self.client.get(reverse("upward:union-entry-create")).status_code, 405)
        self.assertEqual(self.client.post(reverse("upward:union-export")).status_code, 405)
        self.assertEqual(self.client.get(reverse("upward:union-ledger"), {"org": "QJ", "year": "abc"}).status_code, 404)

    def test_an_unconfigured_unit_shows_how_to_start(self):
        self.login("xq_admin")
        page = self.client.get(reverse("upward:union-ledger"))
        self.assertContains(page, "尚未配置工会经费收支审批流程")
        self.assertContains(page, "没有符合条件的收支记录")

    def test_states_of_the_built_ledger(self):
        entries = self.build()
        self.assertEqual(entries["pending"].approval.state, ApprovalState.PENDING)
        entries["returned"].approval.refresh_from_db()
        self.assertEqual(entries["returned"].approval.state, ApprovalState.RETURNED)
