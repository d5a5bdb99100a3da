from datetime import date

from django.urls import reverse

from lvze.duties.generation import obligations_generate
from lvze.duties.models import Status, Timeliness, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.lib.periods import Period
from lvze.records.models import Attendance, Meeting
from lvze.test import LvzeTestCase


class MeetingTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2023Q2"))

    def post_meeting(self, **overrides):
        data = {
            "organization": self.orgs["QJ01"].pk,
            "kind": "theme_day",
            "held_on": "2023-05-12",
            "topic": "学习党的二十大精神",
            "present": [self.p1.pk],
        }
        data.update(overrides)
        return self.client.post(reverse("records:meeting-create"), data)

    def item(self, period: str, kind: str = "theme_day") -> WorkItem:
        return WorkItem.objects.get(organization=self.orgs["QJ01"], rule__code=kind, period=period)

    def test_theme_day_completes_its_month_on_time(self):
        self.login("secretary")
        response = self.post_meeting()
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("records:meeting-detail", args=[meeting.pk]))
        item = self.item("2023-05")
        self.assertEqual((item.status, str(item.done_on)), (Status.DONE, "2023-05-12"))
        state = with_timeliness(WorkItem.objects.filter(pk=item.pk), date(2023, 7, 1)).get().timeliness
        self.assertEqual(state, Timeliness.ON_TIME)
        self.assertTrue(item.evidence.filter(record_id=str(meeting.pk)).exists())
        self.assertEqual(Attendance.objects.get(meeting=meeting).person, self.p1)

    def test_may_meeting_held_in_june_completes_may_late(self):
        self.login("secretary")
        self.post_meeting(held_on="2023-06-02", period="2023-05")
        item = self.item("2023-05")
        self.assertEqual(item.status, Status.DONE)
        state = with_timeliness(WorkItem.objects.filter(pk=item.pk), date(2023, 7, 1)).get().timeliness
        self.assertEqual(state, Timeliness.LATE)
        self.assertEqual(self.item("2023-06").status, Status.TODO)

    def test_assembly_in_may_completes_the_quarter(self):
        self.login("secretary")
        self.post_meeting(kind="branch_assembly")
        self.assertEqual(self.item("2023Q2", "branch_assembly").status, Status.DONE)

    def test_absent_member_with_reason(self):
        self.login("secretary")
        self.post_meeting(present=[], **{f"reason_{self.p1.pk}": "公出"})
        attendance = Attendance.objects.get()
        self.assertEqual((attendance.present, attendance.absence_reason), (False, "公出"))

    def test_secretary_cannot_record_for_another_branch(self):
        self.login("secretary")
        response = self.post_meeting(organization=self.orgs["QJ02"].pk)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Meeting.objects.exists())

    def test_supervisor_records_consultation_but_not_branch_meetings(self):
        self.login("supervisor")
        response = self.post_meeting(organization=self.orgs["QJ"].pk, kind="consultation", topic="党委与纪检组专题会商")
        self.assertEqual(response.status_code, 302)
        response = self.post_meeting(organization=self.orgs["QJ01"].pk)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Meeting.objects.count(), 1)

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
        self.login("secretary")
        self.post_meeting()
        meeting = Meeting.objects.get()
        self.login("secretary2")
        self.assertEqual(self.client.get(reverse("records:meeting-detail", args=[meeting.pk])).status_code, 404)
        self.login("secretary")
        response = self.client.get(reverse("records:meeting-roster"), {"organization": self.orgs["QJ01"].pk, "held_on": "2023-05-12"})
        self.assertContains(response, "张一")
        self.assertContains(response, "应到 1 人")

    def test_committee_meeting_without_first_topic_is_flagged(self):
        self.login("party_admin")
        self.post_meeting(organization=self.orgs["QJ"].pk, kind="committee_meeting", topic="研究人事事项")
        response = self.client.get(reverse("records:meeting-list"))
        self.assertContains(response, "缺第一议题")
