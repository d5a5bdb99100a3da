from datetime import date

from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import Status, WorkItem
from lvze.lib.periods import Period
from lvze.records import services
from lvze.records.models import Talk
from lvze.test import LvzeTestCase


class TalkTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2023"))
        cls.p3 = cls.make_person("赵三", "QJ01")

    def yearly(self, org="QJ01") -> WorkItem:
        return WorkItem.objects.get(organization=self.orgs[org], rule__code="talks", period="2023")

    def post_talk(self, url=None, **overrides):
        data = {"organization": self.orgs["QJ01"].pk, "kind": "secretary_member", "held_on": "2023-04-10",
                "initiator": self.p1.pk, "partner": self.p3.pk, "topic": "思想工作情况", "content": "交流了工作和思想"}
        data.update(overrides)
        return self.client.post(url or reverse("records:talk-create"), data)

    def test_talk_fulfils_the_yearly_item(self):
        self.login("secretary")
        response = self.post_talk()
        talk = Talk.objects.get()
        self.assertRedirects(response, reverse("records:talk-detail", args=[talk.pk]))
        item = self.yearly()
        self.assertEqual((item.status, str(item.done_on), talk.fulfils), (Status.DONE, "2023-04-10", item))
        self.assertEqual(talk.period, "2023-04")
        self.assertTrue(AuditEvent.objects.filter(action="talk.record").exists())
        response = self.client.get(reverse("records:talk-detail", args=[talk.pk]))
        self.assertContains(response, "按期办结")

    def test_edit_and_delete_reopen(self):
        self.login("secretary")
        self.post_talk()
        talk = Talk.objects.get()
        # Moving the talk into another year releases this year's item.
        obligations_generate(actor=None, period=Period.parse("2022"))
        response = self.post_talk(reverse("records:talk-edit", args=[talk.pk]), held_on="2022-11-02")
        self.assertEqual(response.status_code, 302)
        talk.refresh_from_db()
        self.assertEqual(self.yearly().status, Status.IN_PROGRESS)
        self.assertEqual(talk.fulfils.period, "2022")
        response = self.client.post(reverse("records:talk-delete", args=[talk.pk]))
        self.assertRedirects(response, reverse("records:talk-list"))
        self.assertFalse(Talk.objects.exists())
        self.assertEqual(WorkItem.objects.get(organization=self.orgs["QJ01"], rule__code="talks", period="2022").status,
                         Status.IN_PROGRESS)

    def test_same_person_is_refused(self):
        self.login("secretary")
        response = self.post_talk(partner=self.p1.pk)
        self.assertContains(response, "不能是同一人")
        self.assertFalse(Talk.objects.exists())

    def test_scope(self):
        talk = services.talk_record(actor=None, organization=self.orgs["QJ01"], held_on=date(2023, 4, 10),
                                    initiator=self.p1, partner=self.p3, topic="谈话").record
        self.login("secretary2")
        self.assertEqual(self.client.get(reverse("records:talk-detail", args=[talk.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("records:talk-delete", args=[talk.pk])).status_code, 404)
        response = self.post_talk()  # another branch's people are not offered
        self.assertEqual(response.status_code, 200)
        self.login("supervisor")
        self.assertEqual(self.client.get(reverse("records:talk-detail", args=[talk.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("records:talk-edit", args=[talk.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:talk-create")).status_code, 404)
        self.login("member")  # p1 took part
        self.assertEqual(self.client.get(reverse("records:talk-detail", args=[talk.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("records:talk-list")).status_code, 404)
        self.assertEqual(Talk.objects.count(), 1)

    def test_list_filters_and_methods(self):
        services.talk_record(actor=None, organization=self.orgs["QJ01"], held_on=date(2023, 4, 10),
                            initiator=self.p1, partner=self.p3, topic="四月谈话")
        self.login("party_admin")
        response = self.client.get(reverse("records:talk-list"), {"q": "四月"})
        self.assertContains(response, "四月谈话")
        response = self.client.get(reverse("records:talk-list"), {"year": "2022"})
        self.assertContains(response, "没有符合条件")
        self.assertEqual(self.client.post(reverse("records:talk-list")).status_code, 405)
        self.assertEqual(self.client.get(reverse("records:talk-pick-item", args=[1])).status_code, 405)
