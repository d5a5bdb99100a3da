from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.records.models import DEFAULT_ACTIVITY_TYPES, Activity, ActivityType, Attachment
from lvze.records.registry_services import activity_record, activity_types_install
from lvze.test import LvzeTestCase


class ActivityTests(LvzeTestCase):
    def types(self):
        activity_types_install(actor=None, unit=self.orgs["QJ"])
        return {t.name: t for t in ActivityType.objects.filter(unit=self.orgs["QJ"])}

    def post_activity(self, url=None, **overrides):
        data = {"organization": self.orgs["QJ01"].pk, "activity_type": self.types()["宣讲"].pk, "name": "二十大精神宣讲",
                "held_on": "2023-04-08", "participant_count": "", "people_covered": "120", "problems_solved": "3",
                "amount": "", "work_area": "学习宣传", "highlight": "送政策上门", "participants": [self.p1.pk]}
        data.update(overrides)
        return self.client.post(url or reverse("records:activity-create"), data)

    def test_create_with_every_field(self):
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("records:activity-create")).status_code, 200)
        response = self.post_activity(amount="1500.5", partner_name="某企业党支部", place="社区")
        activity = Activity.objects.get()
        self.assertRedirects(response, reverse("records:activity-detail", args=[activity.pk]))
        self.assertEqual((activity.participant_count, activity.people_covered, activity.problems_solved, activity.amount),
                         (1, 120, 3, Decimal("1500.50")))
        self.assertEqual(list(activity.participants.all()), [self.p1])
        self.assertTrue(AuditEvent.objects.filter(action="activity.record").exists())
        self.assertEqual(list(ActivityType.objects.filter(unit=self.orgs["QJ"]).values_list("name", flat=True)),
                         DEFAULT_ACTIVITY_TYPES)

    def test_edit_and_delete(self):
        self.login("secretary")
        self.post_activity()
        activity = Activity.objects.get()
        response = self.post_activity(reverse("records:activity-edit", args=[activity.pk]), people_covered="150",
                                      activity_type=self.types()["志愿服务"].pk)
        self.assertEqual(response.status_code, 302)
        activity.refresh_from_db()
        self.assertEqual((activity.people_covered, activity.activity_type.name), (150, "志愿服务"))
        self.assertTrue(AuditEvent.objects.filter(action="activity.update").exists())
        self.assertEqual(self.client.get(reverse("records:activity-delete", args=[activity.pk])).status_code, 200)
        self.client.post(reverse("records:activity-delete", args=[activity.pk]))
        self.assertFalse(Activity.objects.exists())

    def test_negative_figures_are_refused(self):
        self.login("secretary")
        response = self.post_activity(people_covered="-5")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Activity.objects.exists())

    def test_scope(self):
        activity = activity_record(actor=None, organization=self.orgs["QJ01"], activity_type=self.types()["宣讲"],
                                   name="宣讲", held_on=date(2023, 4, 8))
        self.login("secretary2")
        self.assertEqual(self.client.get(reverse("records:activity-detail", args=[activity.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("records:activity-delete", args=[activity.pk])).status_code, 404)
        self.login("supervisor")
        self.assertEqual(self.client.get(reverse("records:activity-detail", args=[activity.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("records:activity-edit", args=[activity.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("records:activity-create")).status_code, 404)
        self.login("city_admin")
        self.assertEqual(self.client.get(reverse("records:activity-edit", args=[activity.pk])).status_code, 404)
        self.login("secretary")
        response = self.post_activity(organization=self.orgs["QJ02"].pk)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Activity.objects.count(), 1)
        self.assertEqual(self.client.post(reverse("records:activity-list")).status_code, 405)

    def test_list_totals_and_filters(self):
        types = self.types()
        activity_record(actor=None, organization=self.orgs["QJ01"], activity_type=types["宣讲"], name="甲",
                        held_on=date(2023, 3, 1), people_covered=583, problems_solved=2, participant_count=10)
        activity_record(actor=None, organization=self.orgs["QJ02"], activity_type=types["志愿服务"], name="乙",
                        held_on=date(2023, 8, 1), people_covered=17, amount=Decimal("20.00"))
        self.login("party_admin")
        response = self.client.get(reverse("records:activity-list"))
        self.assertContains(response, '<div class="figure">600</div>')
        self.assertContains(response, "“600人”")
        response = self.client.get(reverse("records:activity-list"), {"type": "宣讲"})
        self.assertContains(response, '<div class="figure">583</div>')
        self.assertContains(response, "“580余人”")
        response = self.client.get(reverse("records:activity-list"), {"start": "2023-07-01"})
        self.assertContains(response, '<div class="figure">17</div>')
        self.login("secretary")
        self.assertContains(self.client.get(reverse("records:activity-list")), '<div class="figure">583</div>')

    def test_attachment(self):
        activity = activity_record(actor=None, organization=self.orgs["QJ01"], activity_type=self.types()["宣讲"],
                                   name="宣讲", held_on=date(2023, 4, 8))
        self.login("secretary")
        upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
        self.client.post(reverse("records:activity-attachment-add", args=[activity.pk]), {"file": upload, "kind": "photo"})
        attachment = Attachment.objects.get()
        self.assertEqual(attachment.activity, activity)
        self.assertContains(self.client.get(reverse("records:activity-detail", args=[activity.pk])), "照片.jpg")

    def test_activity_types_are_configured_per_unit(self):
        self.login("party_admin")
        response = self.client.get(reverse("records:activity-types"))
        self.assertContains(response, "群团活动")
        self.client.post(reverse("records:activity-types"), {"name": "读书会", "order": 9, "active": "on"})
        self.assertTrue(ActivityType.objects.filter(unit=self.orgs["QJ"], name="读书会").exists())
        response = self.client.post(reverse("records:activity-types"), {"name": "读书会", "order": 10})
        self.assertContains(response, "已有名为")
        lecture = ActivityType.objects.get(unit=self.orgs["QJ"], name="宣讲")
        self.client.post(reverse("records:activity-types"), {"id": lecture.pk, "name": "理论宣讲", "order": 0})
        lecture.refresh_from_db()
        self.assertEqual((lecture.name, lecture.active), ("理论宣讲", False))
        self.login("secretary")
        self.assertEqual(self.client.get(reverse("records:activity-types")).status_code, 404)
        self.login("xq_admin")
        self.client.post(reverse("records:activity-types"), {"id": lecture.pk, "name": "越权", "order": 0})
        lecture.refresh_from_db()
        self.assertEqual(lecture.name, "理论宣讲")
