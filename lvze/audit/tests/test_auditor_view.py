"""The 审计管理员's view: quick filters for logins, failed logins and denials, search, CSV and Excel
export (formula-safe), the chain check in the browser, scope, and no way to prune events."""

import csv
import io

from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from lvze.accounts.models import Role
from lvze.accounts.services import role_grant, user_create
from lvze.audit.models import AppendOnly, AuditEvent
from lvze.orgs.services import person_update
from lvze.test import LvzeTestCase


class AuditorViewTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        person_update(actor=cls.users["party_admin"], person=cls.p1, phone="13900000001")
        person_update(actor=cls.users["xq_admin"], person=cls.p_xq, phone="13900000002")

    def setUp(self):
        # A failed login with a formula for a name, a successful login, and a denial.
        self.client.post(reverse("accounts:login"), {"username": "=HYPERLINK(\"http://x\")", "password": "x"})
        self.client.post(reverse("accounts:login"), {"username": "leader", "password": "Test@2023x"}, REMOTE_ADDR="10.8.0.7")
        self.client.get(reverse("orgs:person-detail", args=[self.p_xq.pk]))
        self.client.logout()
        self.login("auditor")

    def listed(self, **params) -> list[str]:
        response = self.client.get(reverse("audit:event-list"), params)
        self.assertEqual(response.status_code, 200)
        return [e.action for e in response.context["page"].object_list]

    def test_quick_filters(self):
        self.assertEqual(set(self.listed(category="login")), {"auth.login"})
        self.assertEqual(set(self.listed(category="login_failed")), {"auth.login_failed"})
        self.assertEqual(self.listed(category="denied"), ["access.denied"])
        accounts = set(self.listed(category="accounts"))
        self.assertTrue(accounts and all(a.startswith(("user.", "role.")) for a in accounts), accounts)

    def test_search_fields(self):
        self.assertEqual(set(self.listed(actor="leader")), {"auth.login", "access.denied", "auth.logout"})
        self.assertEqual(self.listed(ip="10.8."), ["auth.login"])
        self.assertEqual(self.listed(object="王新", action="person."), ["person.update", "person.create"])
        self.assertEqual(self.listed(org="XQ01", action="person."), ["person.update", "person.create"])
        self.assertEqual(self.listed(**{"from": "2000-01-01", "to": "2000-01-02"}), [])
        self.assertEqual(self.listed(**{"from": "not-a-date"}), self.listed())

    def test_page_shows_labels_and_export_links(self):
        response = self.client.get(reverse("audit:event-list"), {"category": "denied"})
        self.assertContains(response, "访问被拒绝")
        self.assertContains(response, reverse("audit:event-export", args=["csv"]) + "?category=denied")
        self.assertContains(response, reverse("audit:event-export", args=["xlsx"]) + "?category=denied")

    def test_csv_export(self):
        response = self.client.get(reverse("audit:event-export", args=["csv"]), {"category": "login_failed"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        body = b"".join(response.streaming_content).decode("utf-8")
        self.assertTrue(body.startswith("\ufeff序号,时间,操作人"))
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][2], "'=HYPERLINK(\"http://x\")", "a formula stays text")
        self.assertEqual(rows[1][4], "登录失败")
        export = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual((export.action, export.actor_id), ("audit.export", self.users["auditor"].pk))
        self.assertEqual(export.changes, {"format": "csv", "filters": {"category": "login_failed"}, "rows": 1, "upto": export.seq - 1})

    def test_xlsx_export(self):
        response = self.client.get(reverse("audit:event-export", args=["xlsx"]), {"category": "login_failed"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheet = book["审计日志"]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("序号", "时间", "操作人", "操作"))
        self.assertEqual(len(rows), 2)
        name_cell = sheet.cell(row=2, column=3)
        self.assertEqual((name_cell.value, name_cell.data_type), ('=HYPERLINK("http://x")', "s"))

    def test_whole_log_exports(self):
        response = self.client.get(reverse("audit:event-export", args=["csv"]))
        lines = b"".join(response.streaming_content).decode("utf-8").strip().splitlines()
        self.assertEqual(len(lines) - 1, AuditEvent.objects.count() - 1)  # all but the export's own event

    def test_verify_page(self):
        response = self.client.get(reverse("audit:chain-verify"))
        self.assertContains(response, "完整")
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "audit.verify")
        target = AuditEvent.objects.order_by("seq")[3]
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["篡改", target.pk])
        response = self.client.get(reverse("audit:chain-verify"))
        self.assertContains(response, f"第 {target.seq} 号事件处断开")

    def test_only_auditors(self):
        for username in ["party_admin", "sysadmin", "secadmin", "leader", "member"]:
            self.login(username)
            for url in [
                reverse("audit:event-export", args=["csv"]),
                reverse("audit:event-export", args=["xlsx"]),
                reverse("audit:chain-verify"),
            ]:
                self.assertEqual(self.client.get(url).status_code, 404, f"{username} {url}")
        self.login("auditor")
        self.assertEqual(self.client.get(reverse("audit:event-export", args=["pdf"])).status_code, 404)
        self.assertEqual(self.client.post(reverse("audit:event-export", args=["csv"])).status_code, 405)

    def test_auditor_of_a_unit_sees_its_subtree_only(self):
        user = user_create(actor=None, username="qj_auditor", password="x", validate=False, must_change_password=False)
        role_grant(actor=None, user=user, role=Role.AUDITOR, organization=self.orgs["QJ"])
        self.client.force_login(user)
        actions = self.listed(action="person.")
        self.assertIn("person.update", actions)
        self.assertEqual(self.listed(object="王新"), [], "新区局 is outside 区局")
        self.assertEqual(self.listed(category="login"), [], "events without an organisation stay with the top")

    def test_events_cannot_be_changed_or_pruned_through_the_orm(self):
        event = AuditEvent.objects.order_by("seq").first()
        with self.assertRaises(AppendOnly):
            AuditEvent.objects.filter(pk=event.pk).delete()
        with self.assertRaises(AppendOnly):
            AuditEvent.objects.all().update(action="x")
        with self.assertRaises(AppendOnly):
            event.delete()
        event.action = "x"
        with self.assertRaises(AppendOnly):
            event.save()
