import io

from django.test import override_settings
from django.urls import reverse
from docx import Document

from lvze.api.models import ApiToken
from lvze.api.tests.helpers import bearer
from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import Status, WorkItem
from lvze.lib.periods import Period
from lvze.reminders.models import Notification
from lvze.test import LvzeTestCase


class ApiTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2024Q2"))
        cls.qj01 = WorkItem.objects.filter(organization__code="QJ01").order_by("id").first()
        cls.qj02 = WorkItem.objects.filter(organization__code="QJ02").order_by("id").first()

    def get(self, path, user="secretary", **kw):
        return self.client.get(f"/api/v1{path}", **bearer(self.users[user], **kw))

    def post(self, path, data, user="secretary", **kw):
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", **bearer(self.users[user], **kw))

    def test_openapi_and_docs_are_public_and_reveal_no_data(self):
        schema = self.client.get("/api/v1/openapi.json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn("/api/v1/work-items", schema.json()["paths"])
        self.assertNotIn("张一", schema.content.decode())
        self.assertEqual(self.client.get("/api/docs").status_code, 200)

    def test_missing_or_bad_token_is_401_with_the_error_shape(self):
        response = self.client.get("/api/v1/work-items")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(set(response.json()), {"code", "message", "errors"})
        self.assertEqual(self.client.get("/api/v1/work-items", HTTP_AUTHORIZATION="Bearer nope").status_code, 401)

    def test_scope_other_branch_is_404(self):
        self.assertEqual(self.get(f"/work-items/{self.qj01.pk}").status_code, 200)
        response = self.get(f"/work-items/{self.qj02.pk}")
        self.assertEqual((response.status_code, response.json()["code"]), (404, "not_found"))
        self.assertEqual(self.get(f"/people/{self.p2.pk}").status_code, 404)
        self.assertEqual(self.get("/orgs/XQ").status_code, 404)
        listed = self.get("/work-items?limit=100").json()
        self.assertTrue(listed["items"])
        self.assertEqual({i["organization"] for i in listed["items"]}, {"QJ01"})

    def test_list_filters_and_pagination(self):
        data = self.get("/work-items?limit=2&offset=1&period=2024-05", user="party_admin").json()
        self.assertEqual((data["limit"], data["offset"]), (2, 1))
        self.assertEqual(data["total"], WorkItem.objects.filter(period="2024-05", unit__code="QJ").count())
        self.assertEqual(len(data["items"]), 2)
        response = self.get("/work-items?limit=500", user="party_admin")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "limit")
        self.assertEqual(self.get("/work-items?timeliness=bogus").status_code, 422)

    def test_write_through_services_with_audit(self):
        response = self.post(f"/work-items/{self.qj01.pk}/progress", {"note": "已部署"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], Status.IN_PROGRESS)
        event = AuditEvent.objects.order_by("-seq").first()
        self.assertEqual((event.action, event.actor_id), ("work_item.progress", self.users["secretary"].pk))
        self.post(f"/work-items/{self.qj01.pk}/submit", {"note": ""})
        self.assertEqual(self.post(f"/work-items/{self.qj01.pk}/approve", {"note": ""}).status_code, 403)
        self.assertEqual(self.post(f"/work-items/{self.qj01.pk}/approve", {"note": "好"}, user="party_admin").json()["status"], "done")

    def test_rejected_write_names_the_field(self):
        response = self.post(f"/work-items/{self.qj01.pk}/progress", {"note": ""})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "note")
        self.assertIn("请填写进展情况", response.json()["message"])

    def test_read_only_token_cannot_write(self):
        response = self.post(f"/work-items/{self.qj01.pk}/progress", {"note": "x"}, read_only=True)
        self.assertEqual((response.status_code, response.json()["code"]), (403, "read_only_token"))
        self.qj01.refresh_from_db()
        self.assertEqual(self.qj01.status, Status.TODO)

    def test_evidence_upload(self):
        response = self.client.post(
            f"/api/v1/work-items/{self.qj01.pk}/evidence",
            {"file": io.BytesIO(b"%PDF-1.4 test")},
            **bearer(self.users["secretary"]),
        )
        self.assertEqual(response.status_code, 422, "a file without a name/extension is refused")
        upload = io.BytesIO(b"%PDF-1.4 test")
        upload.name = "会议记录.pdf"
        response = self.client.post(f"/api/v1/work-items/{self.qj01.pk}/evidence", {"file": upload}, **bearer(self.users["secretary"]))
        self.assertEqual(response.status_code, 201)
        self.assertEqual(len(response.json()["sha256"]), 64)

    @override_settings(LVZE_API_RATE_PER_MINUTE=3)
    def test_rate_limit_per_token(self):
        headers = bearer(self.users["secretary"])
        codes = [self.client.get("/api/v1/orgs", **headers).status_code for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])
        self.assertEqual(self.client.get("/api/v1/orgs", **bearer(self.users["secretary"])).status_code, 200, "another token")

    def test_notifications(self):
        Notification.objects.create(user=self.users["secretary"], title="提醒")
        self.assertEqual(self.get("/notifications?unread=true").json()["total"], 1)
        self.assertEqual(self.post("/notifications/read", {"ids": []}).json(), {"marked": 1})

    def test_statistics_and_document(self):
        data = self.get("/statistics/timeliness?org=QJ&period=2024Q2", user="party_admin").json()
        self.assertEqual(data["due_in_period"], WorkItem.objects.filter(unit__code="QJ", period__gte="2024-04", period__lte="2024Q2").count() or data["due_in_period"])
        self.assertEqual(data["as_of"], "2024-06-30")
        self.assertEqual(self.get("/statistics/timeliness?org=XQ", user="party_admin").status_code, 404)
        response = self.get("/documents/notice.docx?org=QJ01&month=2024-05")
        self.assertEqual(response.status_code, 200)
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        self.assertIn("党建工作提示单", text)
        self.assertEqual(self.get("/documents/notice.docx?org=QJ02&month=2024-05").status_code, 404)


class TokenPageTests(LvzeTestCase):
    def test_create_show_once_and_revoke(self):
        self.login("member")
        response = self.client.post(reverse("api-tokens"), {"name": "工作台", "read_only": "on", "days": 30})
        plain = response.context["plain"]
        self.assertTrue(plain.startswith("lvze_"))
        token = ApiToken.objects.get()
        self.assertNotIn(plain, token.token_hash)
        self.assertNotContains(self.client.get(reverse("api-tokens")), plain)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
        self.assertEqual(self.client.get("/api/v1/orgs", **headers).status_code, 200)
        self.client.post(reverse("api-token-revoke", args=[token.pk]))
        self.assertEqual(self.client.get("/api/v1/orgs", **headers).status_code, 401)

    def test_cannot_revoke_someone_elses_token(self):
        bearer(self.users["leader"])
        token = ApiToken.objects.get()
        self.login("member")
        self.assertEqual(self.client.post(reverse("api-token-revoke", args=[token.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("api-token-revoke", args=[token.pk])).status_code, 405)


class RecordsApiTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2024Q2"))

    def post(self, data, user="secretary"):
        return self.client.post("/api/v1/meetings", data, content_type="application/json", **bearer(self.users[user]))

    def test_record_meeting_completes_the_item_and_lists_attendance(self):
        response = self.post({
            "organization": "QJ01", "kind": "theme_day", "held_on": "2024-05-10", "topic": "主题党日",
            "present": [], "absent": [{"person_id": self.p1.pk, "reason": "公出"}],
        })
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        item = WorkItem.objects.get(pk=body["completed_item_id"])
        self.assertEqual((item.period, item.status), ("2024-05", Status.DONE))
        detail = self.client.get(f"/api/v1/meetings/{body['meeting']['id']}", **bearer(self.users["secretary"])).json()
        self.assertEqual(detail["attendance"], [{"person_id": self.p1.pk, "name": "张一", "present": False, "absence_reason": "公出"}])

    def test_other_branch_and_outsiders_are_refused(self):
        response = self.post({"organization": "QJ02", "kind": "theme_day", "held_on": "2024-05-10", "topic": "x"})
        self.assertEqual(response.status_code, 403)
        response = self.post({"organization": "QJ01", "kind": "theme_day", "held_on": "2024-05-10", "topic": "x", "present": [self.p2.pk]})
        self.assertEqual((response.status_code, response.json()["errors"][0]["field"]), (422, "present"))
        response = self.post({"organization": "QJ", "kind": "theme_day", "held_on": "2024-05-10", "topic": "x"}, user="supervisor")
        self.assertEqual(response.status_code, 403, "the 纪检组 records only 会商")
        self.assertEqual(self.client.get("/api/v1/meetings", **bearer(self.users["secretary2"])).json()["total"], 0)


class RectificationApiTests(LvzeTestCase):
    def setUp(self):
        from datetime import date

        from lvze.inspections.rectifications import rectification_create

        self.rect = rectification_create(
            actor=self.users["party_admin"], unit=self.orgs["QJ"], source="inspection", problem="政治学习笔记不全",
            responsible_org=self.orgs["QJ01"], deadline=date(2024, 7, 31), source_label="2024年第二季度支部工作检查",
        )

    def test_request_close_with_evidence_then_verify(self):
        path = f"/api/v1/rectifications/{self.rect.pk}"
        self.assertEqual(self.client.get(path, **bearer(self.users["secretary2"])).status_code, 404)
        upload = io.BytesIO(b"%PDF-1.4 notes")
        upload.name = "整改材料.pdf"
        response = self.client.post(f"{path}/request-close", {"note": "已补齐", "file": upload}, **bearer(self.users["secretary"]))
        self.assertEqual(response.status_code, 200, response.content)
        response = self.client.post(f"{path}/verify", {"note": "同意销号"}, content_type="application/json", **bearer(self.users["secretary"]))
        self.assertEqual(response.status_code, 403)
        response = self.client.post(f"{path}/verify", {"note": "同意销号"}, content_type="application/json", **bearer(self.users["party_admin"]))
        self.assertEqual(response.status_code, 200, response.content)
        self.rect.work_item.refresh_from_db()
        self.assertEqual(self.rect.work_item.status, Status.DONE)
        listed = self.client.get("/api/v1/rectifications", **bearer(self.users["party_admin"])).json()
        self.assertEqual(listed["total"], 1)


class TalkApiTests(LvzeTestCase):
    def test_talks_are_scoped(self):
        from datetime import date

        from lvze.records.services import talk_record

        talk_record(actor=None, organization=self.orgs["QJ01"], held_on=date(2024, 5, 1), initiator=self.p1,
                    partner=self.make_person("谈话对象", "QJ01"), topic="思想交流")
        self.assertEqual(self.client.get("/api/v1/talks", **bearer(self.users["secretary"])).json()["total"], 1)
        self.assertEqual(self.client.get("/api/v1/talks", **bearer(self.users["secretary2"])).json()["total"], 0)
