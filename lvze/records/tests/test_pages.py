"""Every records list keeps its query count flat as rows grow; the smaller views' 404/405 paths."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.duties.generation import obligations_generate
from lvze.duties.models import Status, WorkItem
from lvze.lib.periods import Period
from lvze.records import services
from lvze.records.models import Activity, Honor, StudyRecord, Talk
from lvze.records.registry_services import activity_record, activity_types_install, registry_save
from lvze.test import LvzeTestCase


class ListQueryTests(LvzeTestCase):
    def add_rows(self, n: int, offset: int = 0):
        types = {t.name: t for t in activity_types_install(actor=None, unit=self.orgs["QJ"])}
        for i in range(offset, offset + n):
            day = date(2023, 1, 1 + i)
            services.meeting_record(actor=None, organization=self.orgs["QJ01"], kind="theme_day", held_on=day,
                                    topic=f"会{i}", present=[self.p1])
            services.talk_record(actor=None, organization=self.orgs["QJ01"], held_on=day, initiator=self.p1,
                                 partner=self.p2, topic=f"谈{i}")
            activity_record(actor=None, organization=self.orgs["QJ01"], activity_type=types["宣讲"], name=f"活动{i}",
                            held_on=day, participants=[self.p1])
            registry_save(actor=None, instance=Honor(organization=self.orgs["QJ01"], level="district", title=f"荣誉{i}",
                                                     awarded_on=day, recipient_person=self.p1))
            registry_save(actor=None, instance=StudyRecord(organization=self.orgs["QJ01"], held_on=day, title=f"学习{i}"),
                          m2m={"participants": [self.p1]})

    def counts(self, urls):
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            result[url] = len(queries)
        return result

    def test_lists_do_not_grow_with_rows(self):
        urls = [reverse(name) for name in ("records:meeting-list", "records:talk-list", "records:activity-list",
                                           "records:honors-list", "records:study-records-list", "records:mine",
                                           "records:attendance-stats", "records:life-list")]
        self.add_rows(2)
        self.login("party_admin")
        few = self.counts(urls)
        self.add_rows(12, offset=2)
        self.assertEqual(self.counts(urls), few)
        self.login("member")
        mine = reverse("records:mine")
        before = self.counts([mine])
        self.add_rows(3, offset=14)
        self.assertEqual(self.counts([mine]), before)


class SmallViewTests(LvzeTestCase):
    def test_kind_fields_and_roster_need_a_recorder(self):
        self.login("member")
        self.assertEqual(self.client.get(reverse("records:meeting-kind-fields"), {"kind": "party_lecture"}).status_code, 404)
        response = self.client.get(reverse("records:meeting-roster"), {"organization": self.orgs["QJ01"].pk, "held_on": "2023-05-12"})
        self.assertNotContains(response, "张一")
        self.assertEqual(self.client.post(reverse("records:meeting-roster")).status_code, 405)
        self.assertEqual(self.client.post(reverse("records:meeting-kind-fields")).status_code, 405)
        self.login("supervisor")
        self.assertContains(self.client.get(reverse("records:meeting-kind-fields"), {"kind": "consultation"}), "会商层级")

    def test_exports_need_a_reader(self):
        for username in ("member", "auditor"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("records:activity-export")).status_code, 404)
        self.login("staff")
        self.assertEqual(self.client.get(reverse("records:activity-export")).status_code, 200)
        self.assertEqual(self.client.post(reverse("records:activity-export")).status_code, 405)

    def test_talk_pick_when_several_items_match(self):
        obligations_generate(actor=None, period=Period.parse("2023"))
        year = WorkItem.objects.get(organization=self.orgs["QJ01"], rule__code="talks", period="2023")
        WorkItem.objects.create(key="talk-extra", source="rule", organization=year.organization, unit=year.unit,
                                org_path=year.org_path, title="专项谈话", period="2023Q2", due_date=date(2023, 6, 30),
                                fulfilled_by_kind="talk")
        self.login("secretary")
        response = self.client.post(reverse("records:talk-create"), {
            "organization": self.orgs["QJ01"].pk, "kind": "secretary_member", "held_on": "2023-04-10",
            "initiator": self.p1.pk, "partner": self.make_person("赵三", "QJ01").pk, "topic": "谈话"})
        talk = Talk.objects.get()
        self.assertIsNone(talk.fulfils)
        self.assertContains(self.client.get(reverse("records:talk-detail", args=[talk.pk])), "有 2 个事项")
        self.client.post(reverse("records:talk-pick-item", args=[talk.pk]), {"item": year.pk})
        year.refresh_from_db()
        self.assertEqual(year.status, Status.DONE)
        self.login("secretary2")
        self.assertEqual(self.client.post(reverse("records:talk-pick-item", args=[talk.pk]), {"item": year.pk}).status_code, 404)
        self.assertEqual(response.status_code, 302)

    def test_registry_delete_confirmation_and_unknown_pages(self):
        honor = Honor.objects.create(organization=self.orgs["QJ01"], level="district", title="先进支部",
                                     awarded_on=date(2023, 1, 1))
        self.login("secretary")
        self.assertContains(self.client.get(reverse("records:honors-delete", args=[honor.pk])), "确认删除")
        self.assertEqual(self.client.get(reverse("records:honors-edit", args=[999])).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:activity-detail", args=[999])).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:life-detail", args=[999])).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:attachment-download", args=[999])).status_code, 404)
        self.assertFalse(Activity.objects.exists())
