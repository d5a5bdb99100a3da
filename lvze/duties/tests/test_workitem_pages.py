from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from lvze.duties.generation import obligations_generate
from lvze.duties.models import Evidence, Status, WorkItem, WorkItemEvent
from lvze.lib.periods import Period
from lvze.test import LvzeTestCase


class WorkItemPageTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2024Q2"))
        cls.qj01_item = WorkItem.objects.filter(organization__code="QJ01", rule__code="theme_day").order_by("period").first()
        cls.qj02_item = WorkItem.objects.filter(organization__code="QJ02").first()
        cls.xq_item = WorkItem.objects.filter(organization__code="XQ01").first()

    def detail(self, item) -> int:
        return self.client.get(reverse("duties:item-detail", args=[item.pk])).status_code

    def act(self, item, action, note=""):
        return self.client.post(reverse("duties:item-action", args=[item.pk, action]), {"note": note})

    def test_scope(self):
        self.login("secretary")
        self.assertEqual(self.detail(self.qj01_item), 200)
        self.assertEqual(self.detail(self.qj02_item), 404)
        self.login("city_admin")
        self.assertEqual(self.detail(self.qj02_item), 200)
        self.login("xq_admin")
        self.assertEqual(self.detail(self.qj01_item), 404)
        self.login("auditor")
        self.assertEqual(self.client.get(reverse("duties:item-list")).status_code, 404)

    def test_secretary_submits_and_admin_approves(self):
        self.login("secretary")
        self.act(self.qj01_item, "progress", "已制定方案")
        self.act(self.qj01_item, "submit")
        self.qj01_item.refresh_from_db()
        self.assertEqual(self.qj01_item.status, Status.SUBMITTED)
        self.assertEqual(self.act(self.qj01_item, "approve").status_code, 404, "a secretary cannot approve")
        self.login("party_admin")
        self.act(self.qj01_item, "approve")
        self.qj01_item.refresh_from_db()
        self.assertEqual(self.qj01_item.status, Status.DONE)
        kinds = list(self.qj01_item.events.values_list("kind", flat=True))
        self.assertEqual(kinds, ["progress", "submitted", "done"])

    def test_return_needs_a_reason_and_urge_is_recorded(self):
        self.login("secretary")
        self.act(self.qj01_item, "submit")
        self.login("party_admin")
        self.act(self.qj01_item, "return")
        self.qj01_item.refresh_from_db()
        self.assertEqual(self.qj01_item.status, Status.SUBMITTED)
        self.act(self.qj01_item, "return", "佐证不全")
        self.act(self.qj01_item, "urge", "请本周内完成")
        self.qj01_item.refresh_from_db()
        self.assertEqual(self.qj01_item.status, Status.RETURNED)
        self.assertTrue(WorkItemEvent.objects.filter(item=self.qj01_item, kind="urge", note="请本周内完成").exists())

    def test_higher_level_and_supervisor_cannot_act(self):
        for username in ["city_admin", "supervisor", "leader"]:
            self.login(username)
            self.assertEqual(self.act(self.qj01_item, "urge", "x").status_code, 404, username)
        self.assertFalse(WorkItemEvent.objects.filter(item=self.qj01_item).exists())

    def test_get_on_action_is_405_and_unknown_action_404(self):
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("duties:item-action", args=[self.qj01_item.pk, "urge"])).status_code, 405)
        self.assertEqual(self.act(self.qj01_item, "delete").status_code, 404)

    def test_list_filters_by_timeliness_and_org(self):
        self.login("party_admin")
        response = self.client.get(reverse("duties:item-list"), {"org": "QJ01", "period": "2024-05"})
        self.assertContains(response, "2024年5月主题党日")
        self.assertNotContains(response, "2024年4月主题党日")
        response = self.client.get(reverse("duties:item-list"), {"timeliness": "overdue"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<span class="tag red">逾期</span>')
        response = self.client.get(reverse("duties:item-list"), {"period": "20245"})
        self.assertContains(response, "期间格式应为")

    def test_list_query_count_does_not_grow_with_page_size(self):
        self.login("party_admin")
        with CaptureQueriesContext(connection) as small:
            self.client.get(reverse("duties:item-list"), {"org": "QJ01", "period": "2024-04"})
        with CaptureQueriesContext(connection) as full:
            self.client.get(reverse("duties:item-list"), {"org": "QJ"})
        self.assertEqual(len(small), len(full))

    def test_evidence_upload_hash_and_limits(self):
        self.login("secretary")
        url = reverse("duties:item-evidence", args=[self.qj01_item.pk])
        self.client.post(url, {"file": SimpleUploadedFile("记录.pdf", b"%PDF-1.4 minutes")})
        evidence = Evidence.objects.get(item=self.qj01_item)
        import hashlib

        self.assertEqual(evidence.sha256, hashlib.sha256(b"%PDF-1.4 minutes").hexdigest())
        response = self.client.post(url, {"file": SimpleUploadedFile("病毒.exe", b"MZ")}, follow=True)
        self.assertContains(response, "不支持的文件类型")
        with override_settings(UPLOAD_MAX_BYTES=10):
            response = self.client.post(url, {"file": SimpleUploadedFile("大.pdf", b"x" * 11)}, follow=True)
        self.assertContains(response, "超过")
        self.assertEqual(Evidence.objects.filter(item=self.qj01_item).count(), 1)

    def test_bulk_urge(self):
        self.login("party_admin")
        ids = list(WorkItem.objects.filter(organization__code="QJ02").values_list("pk", flat=True)[:3])
        xq = self.xq_item.pk
        self.client.post(reverse("duties:item-bulk"), {"pick": [*ids, xq], "action": "urge", "note": "抓紧"})
        self.assertEqual(WorkItemEvent.objects.filter(kind="urge").count(), 3, "the other unit's item is untouched")
