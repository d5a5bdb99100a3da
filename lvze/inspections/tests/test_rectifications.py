"""The rectification ledger: creation as a ledger item, the 销号 workflow, timeliness, scope and export."""

import io
from datetime import date, datetime, timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lvze.audit.models import AuditEvent
from lvze.duties.models import Source, Status, Timeliness, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.inspections.models import Rectification, RectificationEvent, RectificationState
from lvze.inspections.rectifications import (
    rectification_create,
    rectification_request_close,
    rectification_verify,
)
from lvze.inspections.selectors import rectification_state, state_annotation
from lvze.test import LvzeTestCase


def at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


class RectificationFixture(LvzeTestCase):
    def make(self, **values) -> Rectification:
        params = {
            "actor": None,
            "unit": self.orgs["QJ"],
            "source": "inspection",
            "source_label": "2023年第二季度支部工作检查",
            "problem": "《党支部工作手册》党费收缴记录不完整",
            "responsible_org": self.orgs["QJ01"],
            "responsible_person": self.p1,
            "deadline": date(2023, 8, 31),
            "measures": "补齐记录，指定专人负责",
        }
        params.update(values)
        return rectification_create(**params)

    def state(self, rect) -> RectificationState:
        rect = Rectification.objects.select_related("work_item").get(pk=rect.pk)
        return rectification_state(rect)

    def timeliness(self, rect, as_of: date) -> str:
        return with_timeliness(WorkItem.objects.filter(pk=rect.work_item_id), as_of).get().timeliness


class RectificationServiceTests(RectificationFixture):
    def test_a_rectification_is_a_ledger_item(self):
        rect = self.make()
        item = rect.work_item
        self.assertEqual(
            (item.source, item.organization, item.responsible_person, item.due_date, item.period, item.status),
            (Source.RECTIFICATION, self.orgs["QJ01"], self.p1, date(2023, 8, 31), "2023-08", Status.TODO),
        )
        self.assertTrue(item.key.startswith("rectification:"))
        self.assertEqual(item.warn_from, date(2023, 8, 28))
        self.assertEqual(self.state(rect), RectificationState.IN_PROGRESS)
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "rectification.create")

    def test_identity_is_source_problem_and_unit(self):
        self.make()
        with self.assertRaisesMessage(Exception, "台账中已有相同来源、问题和责任单位的整改事项"):
            self.make(problem="《党支部工作手册》党费收缴记录 不完整")
        self.make(responsible_org=self.orgs["QJ02"], responsible_person=None)
        self.make(source="self")
        self.assertEqual(Rectification.objects.count(), 3)

    def test_validation(self):
        with self.assertRaises(Exception) as caught:
            self.make(source="supervision", responsible_org=self.orgs["XQ01"], problem=" ")
        self.assertEqual(set(caught.exception.message_dict), {"supervision_type", "responsible_org", "problem"})

    def test_on_time_when_requested_before_the_deadline_though_verified_after(self):
        rect = self.make(deadline=date(2023, 8, 31))
        with mock.patch("django.utils.timezone.now", return_value=at(date(2023, 8, 30))):
            rectification_request_close(actor=None, rect=rect, note="已补齐", files=[("记录.pdf", b"%PDF-1.4", "")])
        with mock.patch("django.utils.timezone.now", return_value=at(date(2023, 9, 5))):
            rectification_verify(actor=None, rect=rect)
        rect.work_item.refresh_from_db()
        self.assertEqual(rect.work_item.done_on, date(2023, 8, 30))
        self.assertEqual(self.timeliness(rect, date(2023, 9, 30)), Timeliness.ON_TIME)
        late = self.make(problem="主题党日记录缺少照片", deadline=date(2023, 8, 31))
        self.assertEqual(self.timeliness(late, date(2023, 8, 29)), Timeliness.DUE_SOON)
        self.assertEqual(self.timeliness(late, date(2023, 9, 1)), Timeliness.OVERDUE)
        with mock.patch("django.utils.timezone.now", return_value=at(date(2023, 9, 10))):
            rectification_request_close(actor=None, rect=late, note="已补充", files=[("照片.jpg", b"\xff\xd8\xff\xe0JPG", "")])
            rectification_verify(actor=None, rect=late)
        self.assertEqual(self.timeliness(late, date(2023, 9, 30)), Timeliness.LATE)


    def test_reopened_from_the_ledger_needs_a_new_close(self):
        from lvze.duties.services import work_item_approve, work_item_reopen, work_item_submit
        from lvze.inspections.rectifications import rectification_close

        rect = self.make()
        rectification_request_close(actor=None, rect=rect, note="已补齐", files=[("a.pdf", b"%PDF-1.4", "")])
        rectification_verify(actor=None, rect=rect)
        rectification_close(actor=None, rect=rect)
        self.assertEqual(self.state(rect), RectificationState.CLOSED)
        item = WorkItem.objects.get(pk=rect.work_item_id)
        work_item_reopen(actor=None, item=item, note="回头看")
        self.assertEqual(self.state(rect), RectificationState.IN_PROGRESS)
        work_item_submit(actor=None, item=item, at=timezone.now() + timedelta(minutes=1))
        work_item_approve(actor=None, item=item)
        self.assertEqual(self.state(rect), RectificationState.VERIFIED, "the old 销号 does not close the new completion")
        states = Rectification.objects.filter(pk=rect.pk).annotate(s=state_annotation()).values_list("s", flat=True)
        self.assertEqual(list(states), ["verified"])


class RectificationPageTests(RectificationFixture):
    def detail(self, rect) -> str:
        return reverse("rectifications:rectification-detail", args=[rect.pk])

    def act(self, rect, action, note="", **extra):
        return self.client.post(reverse("rectifications:rectification-action", args=[rect.pk, action]), {"note": note, **extra})

    def test_full_workflow(self):
        rect = self.make()
        self.login("secretary")
        self.act(rect, "progress", "已指定专人补记")
        self.assertEqual(rect.work_item.__class__.objects.get(pk=rect.work_item_id).status, Status.IN_PROGRESS)
        response = self.act(rect, "request", "已补齐全部记录")
        self.assertEqual(self.state(rect), RectificationState.IN_PROGRESS, "no evidence, no 申请销号")
        self.assertEqual(response.status_code, 302)
        self.act(rect, "request", "已补齐全部记录", file=SimpleUploadedFile("党费收缴记录.pdf", b"%PDF-1.4"))
        self.assertEqual(self.state(rect), RectificationState.REQUESTED)
        self.assertEqual(self.act(rect, "verify").status_code, 403, "the responsible side cannot verify")
        self.login("supervisor")
        self.act(rect, "return", "佐证不清晰")
        self.assertEqual(self.state(rect), RectificationState.RETURNED)
        self.login("secretary")
        self.act(rect, "request", "已重新上传", file=SimpleUploadedFile("记录扫描件.pdf", b"%PDF-1.5"))
        self.login("supervisor")
        self.act(rect, "close")
        self.assertEqual(self.state(rect), RectificationState.REQUESTED, "销号 only after verification")
        self.act(rect, "verify", "经核查已整改到位")
        self.assertEqual(self.state(rect), RectificationState.VERIFIED)
        self.act(rect, "close", "同意销号")
        self.assertEqual(self.state(rect), RectificationState.CLOSED)
        rect.refresh_from_db()
        self.assertEqual(rect.closed_by, self.users["supervisor"])
        self.login("party_admin")
        self.act(rect, "reopen")
        self.assertEqual(self.state(rect), RectificationState.CLOSED, "reopening needs a reason")
        self.act(rect, "reopen", "回头看发现记录又不完整")
        self.assertEqual(self.state(rect), RectificationState.IN_PROGRESS)
        rect.refresh_from_db()
        self.assertIsNone(rect.closed_at)
        actions = list(rect.events.values_list("action", flat=True))
        self.assertEqual(
            actions,
            ["created", "progress", "requested", "returned", "requested", "verified", "closed", "reopened"],
        )
        response = self.client.get(self.detail(rect))
        self.assertContains(response, "回头看发现记录又不完整")
        self.assertContains(response, "党费收缴记录.pdf")

    def test_member_responsible_person_handles_own(self):
        rect = self.make()
        self.login("member")
        self.assertContains(self.client.get(reverse("rectifications:rectification-list")), "党费收缴记录不完整")
        self.act(rect, "progress", "正在补记")
        self.assertEqual(rect.events.filter(action=RectificationEvent.Action.PROGRESS).count(), 1)
        self.assertEqual(self.act(rect, "close").status_code, 403)

    def test_scope_and_methods(self):
        rect = self.make()
        for username in ("secretary2", "xq_admin", "auditor"):
            self.login(username)
            self.assertEqual(self.client.get(self.detail(rect)).status_code, 404, username)
            self.assertEqual(self.act(rect, "progress", "x").status_code, 404, username)
        self.login("city_admin")
        self.assertEqual(self.client.get(self.detail(rect)).status_code, 200)
        self.assertEqual(self.act(rect, "progress", "x").status_code, 403, "a higher level reads but does not write")
        self.login("staff")
        self.assertEqual(self.client.get(self.detail(rect)).status_code, 404)
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("rectifications:rectification-action", args=[rect.pk, "verify"])).status_code, 405)
        self.assertEqual(self.act(rect, "delete").status_code, 404)
        self.assertEqual(rect.events.count(), 1)

    def test_create_page(self):
        self.login("party_admin")
        url = reverse("rectifications:rectification-create")
        self.assertContains(self.client.get(url), "登记整改事项")
        response = self.client.post(
            url,
            {
                "unit": self.orgs["QJ"].pk,
                "source": "life_meeting",
                "source_label": "2022年度民主生活会",
                "problem": "理论学习不够深入系统",
                "measures": "制定班子成员学习计划",
                "responsible_org": self.orgs["QJBGS"].pk,
                "deadline": "2023-06-30",
            },
        )
        rect = Rectification.objects.get(problem="理论学习不够深入系统")
        self.assertRedirects(response, self.detail(rect))
        self.assertEqual((rect.source, rect.responsible_org.code, rect.work_item.organization.code), ("life_meeting", "QJBGS", "QJBGS"))
        self.login("staff")
        self.act(rect, "progress", "学习计划已印发")
        self.assertEqual(rect.events.count(), 2, "a department's staff handle its rectifications")
        for username in ("secretary", "leader", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(url).status_code, 404, username)
        self.login("city_admin")
        response = self.client.post(url, {"unit": self.orgs["QJ"].pk, "problem": "x", "source": "self", "responsible_org": self.orgs["QJ01"].pk, "deadline": "2023-06-30"})
        self.assertEqual(response.status_code, 200, "the city keeps its own ledger, not the district's")
        self.assertFalse(Rectification.objects.filter(problem="x").exists())

    def test_edit_moves_the_deadline(self):
        rect = self.make()
        self.login("party_admin")
        url = reverse("rectifications:rectification-edit", args=[rect.pk])
        self.client.post(url, {"measures": "补齐记录", "deadline": "2023-09-30", "responsible_person": self.p1.pk})
        rect.refresh_from_db()
        rect.work_item.refresh_from_db()
        self.assertEqual((rect.deadline, rect.work_item.due_date, rect.work_item.period), (date(2023, 9, 30), date(2023, 9, 30), "2023-09"))
        self.login("secretary")
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_list_filters_counts_and_query_count(self):
        self.make()
        closed = self.make(problem="主题党日记录缺少照片", responsible_org=self.orgs["QJ02"], responsible_person=None)
        rectification_request_close(actor=None, rect=closed, note="已补", files=[("a.jpg", b"\xff\xd8\xff\xe0J", "")])
        self.login("party_admin")
        url = reverse("rectifications:rectification-list")
        response = self.client.get(url)
        self.assertContains(response, "党费收缴记录不完整")
        self.assertContains(response, "主题党日记录缺少照片")
        response = self.client.get(url, {"state": "requested"})
        self.assertNotContains(response, "党费收缴记录不完整")
        response = self.client.get(url, {"org": "QJ01"})
        self.assertNotContains(response, "主题党日记录缺少照片")
        self.assertContains(self.client.get(url, {"timeliness": "overdue"}), "党费收缴记录不完整")
        self.assertEqual(self.client.get(url, {"org": "XQ01"}).status_code, 404)
        with CaptureQueriesContext(connection) as two:
            self.client.get(url)
        for n in range(3):
            self.make(problem=f"问题{n}")
        with CaptureQueriesContext(connection) as five:
            self.client.get(url)
        self.assertEqual(len(two), len(five))
        self.login("secretary")
        response = self.client.get(url)
        self.assertNotContains(response, "主题党日记录缺少照片")

    def test_export(self):
        rect = self.make()
        rectification_request_close(actor=None, rect=rect, note="已补齐全部记录", files=[("a.pdf", b"%PDF-1.4", "")])
        self.make(source="supervision", supervision_type="discipline", problem="廉政谈话记录不全", responsible_person=None)
        self.login("party_admin")
        response = self.client.get(reverse("rectifications:rectification-export"))
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("整改台账", rows[0][0])
        self.assertEqual(
            list(rows[1]), ["序号", "问题来源", "问题描述", "整改措施", "责任单位", "责任人", "整改时限", "整改进展", "销号情况"]
        )
        by_problem = {row[2]: row for row in rows[2:]}
        first = by_problem["《党支部工作手册》党费收缴记录不完整"]
        self.assertEqual(first[1], "检查发现（2023年第二季度支部工作检查）")
        self.assertEqual((first[4], first[5], first[6], first[7]), ("第一党支部", "张一", "2023-08-31", "已补齐全部记录"))
        self.assertTrue(first[8].startswith("申请销号（"))
        self.assertEqual(by_problem["廉政谈话记录不全"][1], "监督发现（纪检机构专责监督）")
        self.login("secretary2")
        sheet = load_workbook(io.BytesIO(self.client.get(reverse("rectifications:rectification-export")).content)).active
        self.assertEqual(sheet.max_row, 2, "only the header: nothing of another branch")


class TakeFromOtherLedgersTests(RectificationFixture):
    def test_a_life_meeting_problem_entry_is_taken_once(self):
        from lvze.inspections.rectifications import rectification_take

        # The shape of records' 问题清单 entry.as_rectification().
        entry = {
            "source": "life_meeting",
            "source_label": "2022年度民主生活会",
            "source_ref": "problem:7",
            "problem": "运用党的创新理论指导实践不够",
            "measures": "每月开展一次专题学习",
            "responsible_org": self.orgs["QJ"],
            "responsible_person": None,
            "deadline": date(2023, 6, 30),
        }
        rect = rectification_take(actor=None, unit=self.orgs["QJ"], entry=entry)
        self.assertEqual((rect.source, rect.source_ref, rect.work_item.source), ("life_meeting", "problem:7", Source.RECTIFICATION))
        with self.assertRaisesMessage(ValidationError, "该问题已转入整改台账"):
            rectification_take(actor=None, unit=self.orgs["QJ"], entry={**entry, "problem": "另一问题"})
        org_life = rectification_take(
            actor=None,
            unit=self.orgs["QJ"],
            entry={**entry, "source_label": "2022年度组织生活会", "source_ref": "problem:8", "responsible_org": self.orgs["QJ01"]},
        )
        self.assertEqual(org_life.source, "org_life")


class ProblemListTakeTests(RectificationFixture):
    def test_take_problem_entries_of_a_life_meeting(self):
        from lvze.records.models import ProblemEntry
        from lvze.records.registry_services import life_meeting_create, registry_save

        process = life_meeting_create(actor=None, organization=self.orgs["QJ"], kind="democratic_life", year=2022)
        with_deadline = registry_save(
            actor=None,
            instance=ProblemEntry(process=process, seq=1, problem="学习贯彻党的创新理论不够深入", measures="制定学习计划", deadline=date(2023, 6, 30)),
        )
        without = registry_save(
            actor=None, instance=ProblemEntry(process=process, seq=2, problem="调查研究不够经常", responsible_org=self.orgs["QJBGS"])
        )
        url = reverse("rectifications:problem-take")
        self.login("party_admin")
        response = self.client.get(url)
        self.assertContains(response, "调查研究不够经常")
        self.client.post(url, {"pick": [with_deadline.pk, without.pk], "deadline": "2023-09-30"})
        rects = {r.problem: r for r in Rectification.objects.select_related("responsible_org")}
        first = rects["学习贯彻党的创新理论不够深入"]
        self.assertEqual(
            (first.source, first.source_label, first.deadline, first.responsible_org.code, first.source_ref),
            ("life_meeting", "2022年度民主生活会", date(2023, 6, 30), "QJ", f"problem:{with_deadline.pk}"),
        )
        self.assertEqual((rects["调查研究不够经常"].deadline, rects["调查研究不够经常"].responsible_org.code), (date(2023, 9, 30), "QJBGS"))
        with_deadline.refresh_from_db()
        self.assertEqual(with_deadline.rectification_ref, str(first.pk))
        self.assertContains(self.client.get(url), "没有待转入的问题清单条目")
        self.client.post(url, {"pick": [with_deadline.pk], "deadline": "2023-09-30"})
        self.assertEqual(Rectification.objects.count(), 2, "an entry is taken once")
        for username in ("supervisor", "secretary"):
            self.login(username)
            self.assertEqual(self.client.get(url).status_code, 404, username)
