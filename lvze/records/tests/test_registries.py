from datetime import date

from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.records.models import Brand, Honor, NoteCheck, Partnership, PioneerPost, StudyPlan, StudyRecord
from lvze.records.registry_views import REGISTRIES
from lvze.test import ROLE_USERS, LvzeTestCase


class RegistryTests(LvzeTestCase):
    def test_every_registry_page_opens_for_every_reader(self):
        for username in ROLE_USERS:
            self.login(username)
            for slug in REGISTRIES:
                status = self.client.get(reverse(f"records:{slug}-list")).status_code
                expected = 404 if username in ("member", "sysadmin", "secadmin", "auditor") else 200
                self.assertEqual(status, expected, f"{username} {slug}")
            self.assertEqual(self.client.post(reverse("records:honors-list")).status_code, 405)

    def test_honour_create_edit_delete(self):
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("records:honors-create")).status_code, 200)
        response = self.client.post(reverse("records:honors-create"), {
            "organization": self.orgs["QJ"].pk, "level": "provincial", "title": "五一劳动奖状", "awarded_on": "2023-04-28",
            "awarded_by": "省总工会", "recipient_org": self.orgs["QJ"].pk, "work_area": "精神文明"})
        self.assertRedirects(response, reverse("records:honors-list"))
        honor = Honor.objects.get()
        self.assertEqual((honor.recipient, honor.level), ("示范区税务局党委", "provincial"))
        self.assertTrue(AuditEvent.objects.filter(action="honor.create").exists())
        response = self.client.post(reverse("records:honors-edit", args=[honor.pk]), {
            "organization": self.orgs["QJ"].pk, "level": "provincial", "title": "五一劳动奖状", "awarded_on": "2023-04-28",
            "recipient_person": self.p1.pk})
        honor.refresh_from_db()
        self.assertEqual(honor.recipient, "张一")
        self.assertEqual(AuditEvent.objects.filter(action="honor.update").get().changes["recipient_org"][1], None)
        response = self.client.post(reverse("records:honors-edit", args=[honor.pk]), {
            "organization": self.orgs["QJ"].pk, "level": "provincial", "title": "x", "awarded_on": "2023-04-28",
            "recipient_person": self.p1.pk, "recipient_org": self.orgs["QJ"].pk})
        self.assertContains(response, "只填一项")
        response = self.client.get(reverse("records:honors-list"), {"level": "provincial", "year": "2023"})
        self.assertContains(response, "五一劳动奖状")
        self.client.post(reverse("records:honors-delete", args=[honor.pk]))
        self.assertFalse(Honor.objects.exists())

    def test_registries_link_brands_partnerships_and_posts(self):
        self.login("party_admin")
        self.client.post(reverse("records:brands-create"), {"organization": self.orgs["QJ"].pk,
                                                            "name": "税企党建“1+1”结对共建促双赢", "active": "on"})
        brand = Brand.objects.get()
        self.client.post(reverse("records:partnerships-create"), {
            "organization": self.orgs["QJ01"].pk, "kind": "pairing", "partner_name": "某工业园区联合党支部",
            "leader": self.p1.pk, "brand": brand.pk, "started_on": "2023-03-01"})
        partnership = Partnership.objects.get()
        self.assertEqual((partnership.brand, partnership.partner_org), (brand, None))
        self.client.post(reverse("records:pioneer-posts-create"), {
            "organization": self.orgs["QJ01"].pk, "person": self.p1.pk, "title": "办税服务厅党员先锋岗",
            "designated_on": "2023-01-01"})
        self.assertEqual(PioneerPost.objects.get().person, self.p1)
        response = self.client.get(reverse("records:partnerships-list"))
        self.assertContains(response, "某工业园区联合党支部")
        self.assertContains(response, "先锋模范岗")  # the tab bar

    def test_scope(self):
        honor = Honor.objects.create(organization=self.orgs["QJ01"], level="district", title="先进支部",
                                     awarded_on=date(2023, 1, 1), recipient_org=self.orgs["QJ01"])
        self.login("secretary2")
        self.assertNotContains(self.client.get(reverse("records:honors-list")), "先进支部")
        self.assertEqual(self.client.get(reverse("records:honors-edit", args=[honor.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("records:honors-delete", args=[honor.pk])).status_code, 404)
        response = self.client.post(reverse("records:honors-create"), {
            "organization": self.orgs["QJ01"].pk, "level": "district", "title": "越权", "awarded_on": "2023-01-01"})
        self.assertEqual(response.status_code, 200)
        self.login("supervisor")
        self.assertContains(self.client.get(reverse("records:honors-list")), "先进支部")
        self.assertEqual(self.client.get(reverse("records:honors-create")).status_code, 404)
        self.login("city_admin")
        self.assertEqual(self.client.get(reverse("records:honors-edit", args=[honor.pk])).status_code, 404)
        self.assertEqual(Honor.objects.count(), 1)

    def test_study_plans_records_and_note_checks(self):
        self.login("secretary")
        self.client.post(reverse("records:study-plans-create"), {
            "organization": self.orgs["QJ01"].pk, "kind": "branch", "period": "2023-05", "title": "5月政治学习计划",
            "content": "学习党的二十大报告", "form": "集中学习＋研讨", "topics": "如何把精神落到实处"})
        plan = StudyPlan.objects.get()
        response = self.client.post(reverse("records:study-plans-create"), {
            "organization": self.orgs["QJ01"].pk, "kind": "branch", "period": "2023-05", "title": "重复", "content": "x"})
        self.assertContains(response, "已经存在")
        self.client.post(reverse("records:study-records-create"), {
            "organization": self.orgs["QJ01"].pk, "plan": plan.pk, "held_on": "2023-05-10", "title": "学习二十大报告第一部分",
            "form": "collective", "leader": "支部书记", "participants": [self.p1.pk]})
        record = StudyRecord.objects.get()
        self.assertEqual(list(record.participants.all()), [self.p1])
        response = self.client.get(reverse("records:note-checks"), {"org": "QJ01", "period": "2023Q2"})
        self.assertContains(response, "张一")
        response = self.client.post(reverse("records:note-checks"), {
            "organization": self.orgs["QJ01"].pk, "period": "2023Q2", "checked_on": "2023-06-28",
            f"result_{self.p1.pk}": "good", f"remark_{self.p1.pk}": "记录认真"})
        self.assertEqual(response.status_code, 302)
        check = NoteCheck.objects.get()
        self.assertEqual((check.person, check.result, check.remark), (self.p1, "good", "记录认真"))
        self.assertEqual(AuditEvent.objects.filter(action="note_check.record").count(), 1)
        self.login("member")
        self.assertContains(self.client.get(reverse("records:mine")), "学习二十大报告第一部分")
        self.login("secretary2")
        response = self.client.post(reverse("records:note-checks"), {
            "organization": self.orgs["QJ01"].pk, "period": "2023Q2", "checked_on": "2023-06-28",
            f"result_{self.p1.pk}": "missing"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(NoteCheck.objects.get().result, "good")
        self.login("supervisor")
        self.assertEqual(self.client.post(reverse("records:note-checks"), {}).status_code, 404)
        self.assertContains(self.client.get(reverse("records:note-checks"), {"period": "2023Q2"}), "记录认真")
