from datetime import date

from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create
from lvze.records import attendance as stats
from lvze.records import services
from lvze.records.models import Attendance, Honor, PioneerPost
from lvze.test import LvzeTestCase


class AttendanceTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.p3 = cls.make_person("赵三", "QJ01")

    def meeting(self, day, present=(), absent=(), kind="theme_day", org="QJ01"):
        return services.meeting_record(
            actor=None, organization=self.orgs[org], kind=kind, held_on=day, topic=f"会议{day}",
            present=list(present), absent={p: "公出" for p in absent},
        ).record

    def test_member_confirms_their_own_line_only(self):
        meeting = self.meeting(date(2023, 5, 12), present=[self.p1], absent=[self.p3])
        mine = Attendance.objects.get(meeting=meeting, person=self.p1)
        other = Attendance.objects.get(meeting=meeting, person=self.p3)
        self.login("member")
        response = self.client.get(reverse("records:mine"))
        self.assertContains(response, "1 条待确认")
        response = self.client.post(reverse("records:attendance-confirm", args=[mine.pk]), {"action": "confirm"})
        self.assertRedirects(response, reverse("records:mine"))
        mine.refresh_from_db()
        self.assertIsNotNone(mine.confirmed_at)
        self.assertTrue(AuditEvent.objects.filter(action="attendance.confirm").exists())
        self.assertEqual(self.client.post(reverse("records:attendance-confirm", args=[other.pk]), {"action": "confirm"}).status_code, 404)
        other.refresh_from_db()
        self.assertIsNone(other.confirmed_at)
        self.assertEqual(self.client.get(reverse("records:attendance-confirm", args=[mine.pk])).status_code, 405)
        self.login("secretary")  # no person: nothing to confirm
        self.assertEqual(self.client.post(reverse("records:attendance-confirm", args=[mine.pk])).status_code, 404)

    def test_member_objects_and_a_changed_line_needs_confirming_again(self):
        meeting = self.meeting(date(2023, 5, 12), absent=[self.p1])
        line = Attendance.objects.get(meeting=meeting, person=self.p1)
        self.login("member")
        response = self.client.post(reverse("records:attendance-confirm", args=[line.pk]), {"action": "object", "objection": ""}, follow=True)
        self.assertContains(response, "请写明异议")
        self.client.post(reverse("records:attendance-confirm", args=[line.pk]), {"action": "object", "objection": "我实际参加了"})
        line.refresh_from_db()
        self.assertEqual(line.objection, "我实际参加了")
        self.assertContains(self.client.get(reverse("records:meeting-detail", args=[meeting.pk])), "有异议")
        services.meeting_update(actor=None, meeting=meeting, marks=[services.Mark(self.p1)])
        line.refresh_from_db()
        self.assertEqual((line.present, line.objection, line.confirmed_at), (True, "", None))

    def test_three_consecutive_absences_are_flagged(self):
        for month, absent in [(1, False), (2, True), (3, True), (4, True), (5, False)]:
            self.meeting(date(2023, month, 10), present=[] if absent else [self.p3], absent=[self.p3] if absent else [])
            self.meeting(date(2023, month, 11), present=[self.p3] if absent else [], absent=[] if absent else [self.p3],
                         kind="party_lecture")
        rows = {s.person.name: s for s in stats.member_attendance(self.orgs["QJ01"], date(2023, 1, 1), date(2023, 12, 31))}
        self.assertFalse(rows["赵三"].flagged)  # absences alternate with lectures attended
        for day in (date(2023, 6, 1), date(2023, 7, 1), date(2023, 8, 1)):
            self.meeting(day, present=[self.p1], absent=[self.p3])
        rows = {s.person.name: s for s in stats.member_attendance(self.orgs["QJ01"], date(2023, 1, 1), date(2023, 12, 31))}
        self.assertTrue(rows["赵三"].flagged)
        self.assertEqual(rows["赵三"].streak_dates, [date(2023, 5, 11), date(2023, 6, 1), date(2023, 7, 1), date(2023, 8, 1)])
        self.assertEqual((rows["张一"].expected, rows["张一"].present), (3, 3))
        self.login("party_admin")
        response = self.client.get(reverse("records:attendance-stats"), {"org": "QJ01", "year": "2023"})
        self.assertContains(response, "连续缺席4次")
        response = self.client.get(reverse("records:attendance-stats"), {"org": "QJ", "year": "2023"})
        self.assertContains(response, "第一党支部")
        self.assertContains(response, "第二党支部")

    def test_branch_rates_count_imported_figures_too(self):
        self.meeting(date(2023, 5, 12), present=[self.p1], absent=[self.p3])
        services.meeting_record(actor=None, organization=self.orgs["QJ01"], kind="branch_assembly",
                                held_on=date(2023, 5, 20), topic="导入的", expected_count=10, attended_count=9)
        rates = {r.organization.code: r for r in stats.branch_rates(self.orgs["QJ"], date(2023, 1, 1), date(2023, 12, 31))}
        self.assertEqual((rates["QJ01"].meetings, rates["QJ01"].expected, rates["QJ01"].attended), (2, 12, 10))
        self.assertEqual((rates["QJ02"].meetings, rates["QJ02"].rate), (0, None))

    def test_dual_organisational_life_of_leaders(self):
        appointment_create(actor=None, person=self.p1, organization=self.orgs["QJ"], post=Post.LEADERSHIP_MEMBER,
                           start=date(2022, 1, 1))
        appointment_create(actor=None, person=self.p2, organization=self.orgs["QJ"], post=Post.SECRETARY,
                           start=date(2022, 1, 1))
        self.meeting(date(2023, 12, 1), kind="org_life", absent=[self.p1], present=[self.p3])
        rows = {d.person.name: d for d in stats.dual_life(self.orgs["QJ"], 2023)}
        self.assertTrue(rows["张一"].flagged)
        self.assertEqual(rows["张一"].state, "缺席（公出）")
        self.assertFalse(rows["李二"].flagged)  # 第二党支部 has not held it yet
        self.assertEqual(rows["李二"].state, "支部尚未召开组织生活会")
        self.meeting(date(2023, 12, 5), kind="org_life", org="QJ02", present=[self.p2])
        rows = {d.person.name: d for d in stats.dual_life(self.orgs["QJ"], 2023)}
        self.assertEqual((rows["李二"].state, rows["李二"].flagged), ("已参加", False))
        self.login("leader")
        response = self.client.get(reverse("records:attendance-stats"), {"org": "QJ", "year": "2023"})
        self.assertContains(response, "双重组织生活")
        self.assertContains(response, "缺席（公出）")

    def test_stats_scope_and_methods(self):
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("records:attendance-stats"), {"org": "QJ02"}).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:attendance-stats")).status_code, 200)
        self.assertEqual(self.client.post(reverse("records:attendance-stats")).status_code, 405)
        self.login("member")
        self.assertEqual(self.client.get(reverse("records:attendance-stats")).status_code, 404)

    def test_member_page(self):
        self.meeting(date(2023, 5, 12), present=[self.p1])
        services.talk_record(actor=None, organization=self.orgs["QJ01"], held_on=date(2023, 4, 1), initiator=self.p3,
                             partner=self.p1, topic="谈思想")
        Honor.objects.create(organization=self.orgs["QJ01"], level="municipal", title="优秀共产党员",
                             awarded_on=date(2023, 6, 1), recipient_person=self.p1)
        PioneerPost.objects.create(organization=self.orgs["QJ01"], person=self.p1, title="办税服务厅先锋岗",
                                   designated_on=date(2023, 1, 1))
        self.login("member")
        response = self.client.get(reverse("records:mine"), {"year": "2023"})
        for text in ("会议2023-05-12", "谈思想", "优秀共产党员", "办税服务厅先锋岗", "100%"):
            self.assertContains(response, text)
        self.login("auditor")
        self.assertEqual(self.client.get(reverse("records:mine")).status_code, 200)
        self.login("party_admin")
        self.assertContains(self.client.get(reverse("records:mine")), "未关联人员信息")
        self.assertEqual(self.client.post(reverse("records:mine")).status_code, 405)
