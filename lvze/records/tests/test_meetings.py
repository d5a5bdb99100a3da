from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import Evidence, Status, Timeliness, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.lib.periods import Period
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create
from lvze.records import services
from lvze.records.models import Attachment, Attendance, Meeting
from lvze.test import LvzeTestCase


def timeliness(item: WorkItem, as_of=date(2023, 7, 1)) -> str:
    return with_timeliness(WorkItem.objects.filter(pk=item.pk), as_of).get().timeliness


class MeetingTestCase(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2023Q2"))

    def post_meeting(self, url=None, **overrides):
        data = {
            "organization": self.orgs["QJ01"].pk,
            "kind": "theme_day",
            "held_on": "2023-05-12",
            "topic": "学习党的二十大精神",
            f"att_{self.p1.pk}": "present",
        }
        data.update(overrides)
        return self.client.post(url or reverse("records:meeting-create"), data)

    def item(self, period: str, kind: str = "theme_day", org: str = "QJ01") -> WorkItem:
        return WorkItem.objects.get(organization=self.orgs[org], rule__code=kind, period=period)

    def record(self, **values) -> Meeting:
        defaults = {"actor": None, "organization": self.orgs["QJ01"], "kind": "theme_day",
                    "held_on": date(2023, 5, 12), "topic": "主题党日", "present": [self.p1]}
        defaults.update(values)
        return services.meeting_record(**defaults).record


class MeetingFulfilmentTests(MeetingTestCase):
    def test_theme_day_completes_its_month_on_time(self):
        self.login("secretary")
        response = self.post_meeting(starts_at="14:30", ends_at="16:00", place="党员活动室")
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("records:meeting-detail", args=[meeting.pk]))
        item = self.item("2023-05")
        self.assertEqual((item.status, str(item.done_on)), (Status.DONE, "2023-05-12"))
        self.assertEqual(timeliness(item), Timeliness.ON_TIME)
        self.assertEqual(meeting.fulfils, item)
        self.assertTrue(item.evidence.filter(record_id=str(meeting.pk)).exists())
        self.assertEqual(Attendance.objects.get(meeting=meeting).person, self.p1)
        self.assertEqual((meeting.expected_count, meeting.attended_count), (1, 1))
        self.assertEqual(str(meeting.starts_at), "14:30:00")
        self.assertTrue(AuditEvent.objects.filter(action="meeting.record", object_id=str(meeting.pk)).exists())

    def test_may_meeting_held_in_june_completes_may_late(self):
        self.login("secretary")
        self.post_meeting(held_on="2023-06-02", period="2023-05")
        item = self.item("2023-05")
        self.assertEqual(item.status, Status.DONE)
        self.assertEqual(timeliness(item), Timeliness.LATE)
        self.assertEqual(self.item("2023-06").status, Status.TODO)

    def test_period_after_the_date_is_refused(self):
        self.login("secretary")
        response = self.post_meeting(held_on="2023-05-12", period="2023-06")
        self.assertContains(response, "所属期间不能晚于会议日期")
        self.assertFalse(Meeting.objects.exists())

    def test_assembly_in_may_completes_the_quarter(self):
        self.login("secretary")
        self.post_meeting(kind="branch_assembly")
        self.assertEqual(self.item("2023Q2", "branch_assembly").status, Status.DONE)

    def test_second_record_of_the_period_completes_nothing_and_an_item_is_never_completed_twice(self):
        first = self.record()
        second = services.meeting_record(actor=None, organization=self.orgs["QJ01"], kind="theme_day",
                                         held_on=date(2023, 5, 20), topic="第二次", present=[self.p1])
        self.assertIsNone(second.completed)
        self.assertEqual(second.candidates, [])
        self.assertEqual(Evidence.objects.filter(item=self.item("2023-05")).count(), 1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Meeting.objects.filter(pk=second.record.pk).update(fulfils=first.fulfils)

    def test_edit_to_another_month_moves_the_item(self):
        meeting = self.record()
        self.login("secretary")
        response = self.post_meeting(reverse("records:meeting-edit", args=[meeting.pk]), held_on="2023-06-09")
        self.assertEqual(response.status_code, 302)
        meeting.refresh_from_db()
        self.assertEqual((meeting.period, meeting.fulfils), ("2023-06", self.item("2023-06")))
        may = self.item("2023-05")
        self.assertEqual(may.status, Status.IN_PROGRESS)
        self.assertIsNone(may.done_on)
        self.assertFalse(may.evidence.exists())
        self.assertEqual(self.item("2023-06").status, Status.DONE)

    def test_edit_that_keeps_the_period_redates_the_completion(self):
        meeting = self.record()
        self.login("secretary")
        self.post_meeting(reverse("records:meeting-edit", args=[meeting.pk]), held_on="2023-06-03", period="2023-05")
        may = self.item("2023-05")
        self.assertEqual((may.status, str(may.done_on)), (Status.DONE, "2023-06-03"))
        self.assertEqual(timeliness(may), Timeliness.LATE)
        self.assertEqual(may.evidence.count(), 1)

    def test_edit_of_other_fields_keeps_the_item_untouched(self):
        meeting = self.record()
        events = self.item("2023-05").events.count()
        self.login("secretary")
        self.post_meeting(reverse("records:meeting-edit", args=[meeting.pk]), topic="新的主题", summary="内容")
        meeting.refresh_from_db()
        self.assertEqual((meeting.topic, meeting.fulfils), ("新的主题", self.item("2023-05")))
        self.assertEqual(self.item("2023-05").events.count(), events)

    def test_delete_reopens_the_item(self):
        meeting = self.record()
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("records:meeting-delete", args=[meeting.pk])).status_code, 200)
        response = self.client.post(reverse("records:meeting-delete", args=[meeting.pk]))
        self.assertRedirects(response, reverse("records:meeting-list"))
        self.assertFalse(Meeting.objects.exists())
        item = self.item("2023-05")
        self.assertEqual(item.status, Status.IN_PROGRESS)
        self.assertFalse(item.evidence.exists())
        self.assertTrue(AuditEvent.objects.filter(action="meeting.delete").exists())

    def test_delete_hands_the_item_to_another_record_of_the_period(self):
        first = self.record()
        second = self.record(held_on=date(2023, 5, 25), topic="第二次")
        services.meeting_delete(actor=None, meeting=first)
        second.refresh_from_db()
        item = self.item("2023-05")
        self.assertEqual((item.status, str(item.done_on), second.fulfils), (Status.DONE, "2023-05-25", item))

    def test_several_matches_the_user_picks(self):
        # Two quarterly rules fulfilled by the same kind: the record cannot choose by itself.
        q2 = self.item("2023Q2", "branch_assembly")
        WorkItem.objects.create(
            key="extra", source="rule", organization=q2.organization, unit=q2.unit, org_path=q2.org_path,
            title="另一事项", period="2023-05", due_date=date(2023, 5, 31), fulfilled_by_kind="meeting:branch_assembly",
        )
        self.login("secretary")
        self.post_meeting(kind="branch_assembly")
        meeting = Meeting.objects.get()
        self.assertIsNone(meeting.fulfils)
        response = self.client.get(reverse("records:meeting-detail", args=[meeting.pk]))
        self.assertContains(response, "有 2 个事项可由此记录完成")
        response = self.client.post(reverse("records:meeting-pick-item", args=[meeting.pk]), {"item": q2.pk})
        self.assertRedirects(response, reverse("records:meeting-detail", args=[meeting.pk]))
        q2.refresh_from_db()
        meeting.refresh_from_db()
        self.assertEqual((q2.status, meeting.fulfils), (Status.DONE, q2))
        # A second pick is refused: the record already completed one item.
        other = WorkItem.objects.get(key="extra")
        self.client.post(reverse("records:meeting-pick-item", args=[meeting.pk]), {"item": other.pk})
        other.refresh_from_db()
        self.assertEqual(other.status, Status.TODO)

    def test_pick_of_an_unrelated_item_is_refused(self):
        meeting = self.record(kind="special_topic", topic="专题")
        self.login("secretary")
        june = self.item("2023-06")
        self.client.post(reverse("records:meeting-pick-item", args=[meeting.pk]), {"item": june.pk})
        june.refresh_from_db()
        self.assertEqual(june.status, Status.TODO)
        self.assertEqual(self.client.post(reverse("records:meeting-pick-item", args=[meeting.pk]), {"item": 0}).status_code, 404)


class MeetingFormTests(MeetingTestCase):
    def test_absent_member_with_reason(self):
        self.login("secretary")
        self.post_meeting(**{f"att_{self.p1.pk}": "absent", f"reason_{self.p1.pk}": "公出"})
        attendance = Attendance.objects.get()
        self.assertEqual((attendance.present, attendance.absence_reason), (False, "公出"))
        self.assertEqual((Meeting.objects.get().expected_count, Meeting.objects.get().attended_count), (1, 0))

    def test_leaving_someone_out_of_the_roster_needs_a_reason(self):
        self.login("secretary")
        response = self.post_meeting(**{f"att_{self.p1.pk}": "excluded"})
        self.assertContains(response, "不计入应到，须说明原因")
        self.assertFalse(Meeting.objects.exists())
        self.post_meeting(**{f"att_{self.p1.pk}": "excluded", f"reason_{self.p1.pk}": "长期病休"}, roster_note="张一病休")
        meeting = Meeting.objects.get()
        self.assertEqual((meeting.expected_count, meeting.attended_count), (0, 0))
        self.assertEqual(Attendance.objects.get().excluded_reason, "长期病休")

    def test_attendance_must_be_recorded_when_there_is_a_roster(self):
        self.login("secretary")
        data = {"organization": self.orgs["QJ01"].pk, "kind": "theme_day", "held_on": "2023-05-12", "topic": "无名单"}
        response = self.client.post(reverse("records:meeting-create"), data)
        self.assertContains(response, "请登记出席情况")
        self.assertContains(response, "张一")
        self.assertFalse(Meeting.objects.exists())

    def test_kind_specific_fields(self):
        self.login("secretary")
        self.post_meeting(kind="party_lecture", speaker="王书记", lecture_title="坚定理想信念", theme="不属于党课")
        meeting = Meeting.objects.get()
        self.assertEqual((meeting.speaker, meeting.lecture_title, meeting.theme), ("王书记", "坚定理想信念", ""))
        response = self.client.get(reverse("records:meeting-detail", args=[meeting.pk]))
        self.assertContains(response, "主讲人")
        self.assertContains(response, "坚定理想信念")
        partial = self.client.get(reverse("records:meeting-kind-fields"), {"kind": "theme_day"})
        self.assertContains(partial, "活动主题")
        self.assertContains(partial, "活动形式")
        self.assertNotContains(partial, "主讲人")

    def test_consultation_needs_its_level(self):
        self.login("supervisor")
        data = {"organization": self.orgs["QJ"].pk, "kind": "consultation", "held_on": "2023-05-10", "topic": "会商"}
        response = self.client.post(reverse("records:meeting-create"), data)
        self.assertContains(response, "会商须选择层级")
        data.update(consultation_level="leader", agenda="两个责任落实情况", outcome="形成三项意见")
        response = self.client.post(reverse("records:meeting-create"), data)
        meeting = Meeting.objects.get()
        self.assertEqual((meeting.consultation_level, meeting.outcome), ("leader", "形成三项意见"))
        response = self.client.get(reverse("records:meeting-list"), {"level": "leader"})
        self.assertContains(response, "分管党建局领导与纪检组组长 1 次")

    def test_committee_roster_is_its_post_holders(self):
        appointment_create(actor=None, person=self.p1, organization=self.orgs["QJ01"], post=Post.SECRETARY,
                           start=date(2022, 1, 1))
        self.make_person("委员外", "QJ01")
        self.login("secretary")
        response = self.client.get(reverse("records:meeting-roster"),
                                   {"organization": self.orgs["QJ01"].pk, "held_on": "2023-05-12", "kind": "branch_committee"})
        self.assertContains(response, "应到 1 人")
        self.assertNotContains(response, "委员外")
        response = self.client.get(reverse("records:meeting-roster"),
                                   {"organization": self.orgs["QJ01"].pk, "held_on": "2023-05-12", "kind": "theme_day"})
        self.assertContains(response, "应到 2 人")

    def test_future_date_is_refused(self):
        self.login("secretary")
        response = self.post_meeting(held_on="2999-01-01")
        self.assertContains(response, "日期不能晚于今天")

    def test_committee_meeting_without_first_topic_is_flagged(self):
        self.login("party_admin")
        self.post_meeting(organization=self.orgs["QJ"].pk, kind="committee_meeting", topic="研究人事事项")
        response = self.client.get(reverse("records:meeting-list"))
        self.assertContains(response, "缺第一议题")
        response = self.client.get(reverse("records:meeting-list"), {"flag": "no_first_topic"})
        self.assertContains(response, "研究人事事项")
        meeting = Meeting.objects.get()
        self.assertContains(self.client.get(reverse("records:meeting-detail", args=[meeting.pk])), "未登记“第一议题”")


class MeetingScopeTests(MeetingTestCase):
    def test_secretary_cannot_record_for_another_branch(self):
        self.login("secretary")
        response = self.post_meeting(organization=self.orgs["QJ02"].pk)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Meeting.objects.exists())

    def test_supervisor_records_consultation_but_not_branch_meetings(self):
        self.login("supervisor")
        response = self.post_meeting(organization=self.orgs["QJ"].pk, kind="consultation", topic="党委与纪检组专题会商",
                                     consultation_level="committee")
        self.assertEqual(response.status_code, 302)
        response = self.post_meeting(organization=self.orgs["QJ01"].pk)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Meeting.objects.count(), 1)

    def test_supervisor_cannot_edit_or_delete_a_branch_meeting(self):
        meeting = self.record()
        self.login("supervisor")
        self.assertEqual(self.client.get(reverse("records:meeting-detail", args=[meeting.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("records:meeting-edit", args=[meeting.pk])).status_code, 404)
        self.assertEqual(self.post_meeting(reverse("records:meeting-edit", args=[meeting.pk]), topic="改").status_code, 404)
        self.assertEqual(self.client.post(reverse("records:meeting-delete", args=[meeting.pk])).status_code, 404)
        self.assertTrue(Meeting.objects.filter(topic="主题党日").exists())

    def test_member_and_auditor_cannot_record(self):
        for username in ["member", "auditor", "city_admin"]:
            self.login(username)
            if username == "city_admin":
                response = self.post_meeting()
                self.assertEqual(response.status_code, 200, "QJ01 is below a subordinate 党委")
            else:
                self.assertEqual(self.client.get(reverse("records:meeting-create")).status_code, 404)
        self.assertFalse(Meeting.objects.exists())

    def test_meeting_scope_and_roster_partial(self):
        meeting = self.record()
        self.login("secretary2")
        self.assertEqual(self.client.get(reverse("records:meeting-detail", args=[meeting.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:meeting-edit", args=[meeting.pk])).status_code, 404)
        self.login("xq_admin")
        self.assertEqual(self.client.get(reverse("records:meeting-detail", args=[meeting.pk])).status_code, 404)
        self.login("city_admin")
        self.assertEqual(self.client.get(reverse("records:meeting-detail", args=[meeting.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("records:meeting-edit", args=[meeting.pk])).status_code, 404)
        self.login("member")  # p1 was 应到: the member sees the meeting, read only
        response = self.client.get(reverse("records:meeting-detail", args=[meeting.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "修改</a>")
        self.login("secretary")
        response = self.client.get(reverse("records:meeting-roster"), {"organization": self.orgs["QJ01"].pk, "held_on": "2023-05-12"})
        self.assertContains(response, "张一")
        self.assertContains(response, "应到 1 人")
        response = self.client.get(reverse("records:meeting-roster"), {"organization": self.orgs["QJ02"].pk, "held_on": "2023-05-12"})
        self.assertNotContains(response, "李二")

    def test_methods(self):
        meeting = self.record()
        self.login("secretary")
        self.assertEqual(self.client.post(reverse("records:meeting-list")).status_code, 405)
        self.assertEqual(self.client.post(reverse("records:meeting-detail", args=[meeting.pk])).status_code, 405)
        self.assertEqual(self.client.get(reverse("records:meeting-pick-item", args=[meeting.pk])).status_code, 405)
        self.assertEqual(self.client.get(reverse("records:meeting-attachment-add", args=[meeting.pk])).status_code, 405)
        self.assertEqual(self.client.put(reverse("records:meeting-edit", args=[meeting.pk])).status_code, 405)
        self.assertEqual(self.client.get(reverse("records:meeting-detail", args=[999999])).status_code, 404)

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("records:meeting-list"))
        self.assertEqual(response.status_code, 302)


class MeetingListAndExportTests(MeetingTestCase):
    def test_list_filters_paginates_and_queries_do_not_grow(self):
        self.login("party_admin")
        self.record()
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("records:meeting-list"))
        for day in range(1, 29):
            self.record(held_on=date(2023, 4, day), topic=f"四月{day:02d}")
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("records:meeting-list"))
        self.assertEqual(len(few), len(many))
        self.assertContains(response, "共 29 条")
        self.record(held_on=date(2023, 4, 29), topic="四月29")
        self.record(held_on=date(2023, 4, 30), topic="四月30")
        self.assertContains(self.client.get(reverse("records:meeting-list")), "第 1 / 2 页，共 31 条")
        response = self.client.get(reverse("records:meeting-list"), {"q": "四月07"})
        self.assertContains(response, "四月07")
        self.assertNotContains(response, "四月08")
        response = self.client.get(reverse("records:meeting-list"), {"period": "2023-05"})
        self.assertContains(response, "共 1 条")
        response = self.client.get(reverse("records:meeting-list"), {"org": "QJ02"})
        self.assertContains(response, "没有符合条件的会议记录")
        self.assertEqual(self.client.get(reverse("records:meeting-list"), {"org": "XQ01"}).status_code, 404)

    def test_empty_state(self):
        self.login("secretary")
        self.assertContains(self.client.get(reverse("records:meeting-list")), "登记第一次会议")

    def test_export_writes_the_import_layout(self):
        from io import BytesIO

        from openpyxl import load_workbook

        self.record(host="王主持", recorder="李记录", summary="学习")
        self.login("party_admin")
        response = self.client.get(reverse("records:meeting-export"))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[1], ("日期", "组织", "会议类型", "所属期间", "主题", "应到人数", "实到人数", "主持人", "记录人", "内容摘要"))
        self.assertEqual(rows[2][1:], ("第一党支部", "主题党日", "2023-05", "主题党日", 1, 1, "王主持", "李记录", "学习"))
        self.login("auditor")
        self.assertEqual(self.client.get(reverse("records:meeting-export")).status_code, 404)


class AttachmentTests(MeetingTestCase):
    def test_upload_download_delete(self):
        meeting = self.record()
        self.login("secretary")
        upload = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
        response = self.client.post(reverse("records:meeting-attachment-add", args=[meeting.pk]),
                                    {"file": upload, "kind": "minutes"})
        self.assertRedirects(response, reverse("records:meeting-detail", args=[meeting.pk]))
        attachment = Attachment.objects.get()
        self.assertEqual((attachment.meeting, attachment.kind, attachment.size), (meeting, "minutes", 16))
        self.assertEqual(len(attachment.sha256), 64)
        response = self.client.get(reverse("records:attachment-download", args=[attachment.pk]))
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 minutes")
        self.login("secretary2")
        self.assertEqual(self.client.get(reverse("records:attachment-download", args=[attachment.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("records:attachment-delete", args=[attachment.pk])).status_code, 404)
        self.login("supervisor")  # reads, cannot delete
        self.assertEqual(self.client.get(reverse("records:attachment-download", args=[attachment.pk])).status_code, 200)
        self.assertEqual(self.client.post(reverse("records:attachment-delete", args=[attachment.pk])).status_code, 404)
        self.login("secretary")
        self.client.post(reverse("records:attachment-delete", args=[attachment.pk]))
        self.assertFalse(Attachment.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="attachment.delete").exists())

    def test_refused_file_type(self):
        meeting = self.record()
        self.login("secretary")
        upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
        response = self.client.post(reverse("records:meeting-attachment-add", args=[meeting.pk]), {"file": upload, "kind": "other"},
                                    follow=True)
        self.assertContains(response, "不支持的文件类型")
        self.assertFalse(Attachment.objects.exists())
