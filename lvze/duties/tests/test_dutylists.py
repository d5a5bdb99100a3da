"""Duty lists (责任清单): pages, the item services and the work items they put into the ledger."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvze.audit.models import AuditEvent
from lvze.duties.models import DutyItem, DutyList, DutyListKind, Frequency, Source, WorkItem
from lvze.duties.plan_services import duty_item_create, duty_items_generate, duty_list_create
from lvze.orgs.models import WorkArea
from lvze.test import LvzeTestCase


class DutyListFixture(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.duty_list = duty_list_create(
            actor=None,
            unit=cls.orgs["QJ"],
            kind=DutyListKind.COMMITTEE,
            name="2023年党委主体责任清单",
            year=2023,
        )
        cls.area = WorkArea.objects.get(unit=cls.orgs["QJ"], name="从严治党")

    def add(self, **values) -> DutyItem:
        values.setdefault("requirement", "专题研究全面从严治党工作")
        return duty_item_create(actor=None, duty_list=self.duty_list, **values)


class DutyItemServiceTests(DutyListFixture):
    def test_item_with_a_due_date_enters_the_ledger_once(self):
        item = self.add(
            due_date=dt.date(2023, 6, 30), responsible_org=self.orgs["QJBGS"], work_area=self.area
        )
        work = WorkItem.objects.get(duty_item=item)
        self.assertEqual(
            (work.key, work.source, work.organization, work.unit, work.org_path, work.period, work.due_date),
            (
                f"duty:{item.pk}:once",
                Source.DUTY,
                self.orgs["QJBGS"],
                self.orgs["QJ"],
                "/SJ/QJ/QJBGS/",
                "2023-06",
                dt.date(2023, 6, 30),
            ),
        )
        self.assertEqual(
            (work.warn_from, work.work_area, work.title), (dt.date(2023, 6, 27), "从严治党", item.requirement)
        )

    def test_frequency_gives_one_item_per_period_of_the_lists_year(self):
        item = self.add(frequency=Frequency.QUARTERLY, responsible_person=self.p1)
        items = WorkItem.objects.filter(duty_item=item).order_by("due_date")
        self.assertEqual(
            [(w.key, w.period, w.due_date) for w in items][:2],
            [
                (f"duty:{item.pk}:2023Q1", "2023Q1", dt.date(2023, 3, 31)),
                (f"duty:{item.pk}:2023Q2", "2023Q2", dt.date(2023, 6, 30)),
            ],
        )
        self.assertEqual(items.count(), 4)
        self.assertEqual(
            {w.organization_id for w in items}, {self.orgs["QJ"].pk}, "the list's unit by default"
        )
        self.assertEqual({w.responsible_person_id for w in items}, {self.p1.pk})
        self.assertEqual(WorkItem.objects.filter(duty_item=self.add(frequency=Frequency.MONTHLY)).count(), 12)

    def test_long_term_and_undated_items(self):
        long_term = WorkItem.objects.get(duty_item=self.add(frequency=Frequency.LONG_TERM))
        self.assertEqual((long_term.due_date, long_term.period), (None, "2023"))
        self.assertFalse(
            WorkItem.objects.filter(duty_item=self.add()).exists(), "no time limit, no frequency"
        )

    def test_validation(self):
        with self.assertRaises(ValidationError) as caught:
            self.add(frequency=Frequency.MONTHLY, due_date=dt.date(2023, 6, 30))
        self.assertIn("due_date", caught.exception.message_dict)
        with self.assertRaises(ValidationError) as caught:
            self.add(responsible_org=self.orgs["XQ01"])
        self.assertIn("responsible_org", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            self.add(due_date=dt.date(2024, 1, 31))
        self.assertFalse(DutyItem.objects.exists())

    def test_generate_is_idempotent_and_one_audit_event(self):
        monthly = self.add(frequency=Frequency.MONTHLY)
        self.add(due_date=dt.date(2023, 9, 30))
        WorkItem.objects.filter(duty_item=monthly, period__gte="2023-07").delete()
        events = AuditEvent.objects.count()
        result = duty_items_generate(actor=None, year=2023)
        self.assertEqual((result.created, result.existing), (6, 7))
        self.assertEqual(AuditEvent.objects.count(), events + 1)
        again = duty_items_generate(actor=None, year=2023, duty_list=self.duty_list)
        self.assertEqual((again.created, again.existing), (0, 13))
        self.assertEqual(duty_items_generate(actor=None, year=2024).created, 0)


class DutyListPageTests(DutyListFixture):
    def test_list_is_scoped(self):
        for username in ("party_admin", "leader", "supervisor", "city_admin"):
            self.login(username)
            self.assertContains(self.client.get(reverse("dutylists:dutylist-list")), "2023年党委主体责任清单")
        self.login("xq_admin")
        self.assertNotContains(self.client.get(reverse("dutylists:dutylist-list")), "2023年党委主体责任清单")
        self.login("secretary")
        self.assertNotContains(self.client.get(reverse("dutylists:dutylist-list")), "2023年党委主体责任清单")
        self.add(due_date=dt.date(2023, 6, 30), responsible_org=self.orgs["QJ01"])
        self.assertContains(
            self.client.get(reverse("dutylists:dutylist-list")),
            "2023年党委主体责任清单",
            msg_prefix="a branch responsible",
        )
        self.login("member")
        self.assertEqual(self.client.get(reverse("dutylists:dutylist-list")).status_code, 404)

    def test_list_query_count_does_not_grow(self):
        self.login("party_admin")
        with CaptureQueriesContext(connection) as one:
            self.client.get(reverse("dutylists:dutylist-list"))
        for kind in (DutyListKind.SUPERVISION, DutyListKind.IDEOLOGY):
            duty_list_create(actor=None, unit=self.orgs["QJ"], kind=kind, name=f"清单{kind}", year=2023)
        with CaptureQueriesContext(connection) as three:
            self.client.get(reverse("dutylists:dutylist-list"))
        self.assertEqual(len(one), len(three))

    def test_create_list(self):
        self.login("party_admin")
        self.assertEqual(self.client.get(reverse("dutylists:dutylist-create")).status_code, 200)
        response = self.client.post(
            reverse("dutylists:dutylist-create"),
            {"unit": "QJ", "kind": DutyListKind.IDEOLOGY, "name": "2023年意识形态工作责任清单", "year": 2023},
        )
        created = DutyList.objects.get(name="2023年意识形态工作责任清单")
        self.assertRedirects(response, reverse("dutylists:dutylist-detail", args=[created.pk]))
        self.assertEqual((created.unit.code, created.kind, created.year), ("QJ", DutyListKind.IDEOLOGY, 2023))
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "duty_list.create")

    def test_create_list_outside_own_unit(self):
        self.login("xq_admin")
        response = self.client.post(
            reverse("dutylists:dutylist-create"),
            {"unit": "QJ", "kind": DutyListKind.COMMITTEE, "name": "x", "year": 2023},
        )
        self.assertContains(response, "选择一个有效的选项")
        self.assertFalse(DutyList.objects.filter(name="x").exists())
        for username in ("secretary", "leader", "supervisor", "sysadmin"):
            self.login(username)
            self.assertEqual(self.client.get(reverse("dutylists:dutylist-create")).status_code, 404, username)

    def test_add_item(self):
        self.login("party_admin")
        url = reverse("dutylists:item-create", args=[self.duty_list.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url,
            {
                "requirement": "每季度听取班子成员落实“一岗双责”情况汇报",
                "work_area": self.area.pk,
                "responsible_org": self.orgs["QJJG"].pk,
                "assisting": [self.orgs["QJBGS"].pk],
                "supervisor": "纪检组组长",
                "frequency": Frequency.QUARTERLY,
            },
        )
        self.assertRedirects(response, reverse("dutylists:dutylist-detail", args=[self.duty_list.pk]))
        item = DutyItem.objects.get(duty_list=self.duty_list)
        self.assertEqual(
            (
                item.responsible_org.code,
                item.supervisor,
                [o.code for o in item.assisting.all()],
                item.frequency,
            ),
            ("QJJG", "纪检组组长", ["QJBGS"], Frequency.QUARTERLY),
        )
        self.assertEqual(WorkItem.objects.filter(duty_item=item, organization=self.orgs["QJJG"]).count(), 4)
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "duty_item.create")

    def test_add_item_errors(self):
        self.login("party_admin")
        url = reverse("dutylists:item-create", args=[self.duty_list.pk])
        response = self.client.post(
            url, {"requirement": "某事项", "frequency": Frequency.MONTHLY, "due_date": "2023-06-30"}
        )
        self.assertContains(response, "按频次执行或长期坚持的事项不填写时限")
        response = self.client.post(
            url, {"requirement": "某事项", "frequency": "once", "responsible_org": self.orgs["XQ01"].pk}
        )
        self.assertContains(response, "选择一个有效的选项")
        self.assertFalse(DutyItem.objects.exists())

    def test_add_item_scope(self):
        url = reverse("dutylists:item-create", args=[self.duty_list.pk])
        for username in ("xq_admin", "city_admin", "leader", "secretary"):
            self.login(username)
            self.assertEqual(self.client.get(url).status_code, 404, username)
            self.assertEqual(
                self.client.post(url, {"requirement": "x", "frequency": "once"}).status_code, 404
            )
        self.assertFalse(DutyItem.objects.exists())

    def test_detail(self):
        item = self.add(
            due_date=dt.date(2023, 6, 30), responsible_org=self.orgs["QJBGS"], supervisor="纪检组组长"
        )
        work = WorkItem.objects.get(duty_item=item)
        for username in ("party_admin", "leader", "supervisor"):
            self.login(username)
            response = self.client.get(reverse("dutylists:dutylist-detail", args=[self.duty_list.pk]))
            self.assertContains(response, item.requirement)
            self.assertContains(response, reverse("duties:item-detail", args=[work.pk]))
        self.assertNotContains(response, "添加责任事项")
        self.login("xq_admin")
        self.assertEqual(
            self.client.get(reverse("dutylists:dutylist-detail", args=[self.duty_list.pk])).status_code, 404
        )
        self.login("party_admin")
        self.assertEqual(
            self.client.post(reverse("dutylists:dutylist-detail", args=[self.duty_list.pk])).status_code, 405
        )

    def test_generate_page(self):
        item = self.add(frequency=Frequency.MONTHLY)
        WorkItem.objects.filter(duty_item=item).delete()
        url = reverse("dutylists:dutylist-generate", args=[self.duty_list.pk])
        self.login("party_admin")
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(
            self.client.post(url), reverse("dutylists:dutylist-detail", args=[self.duty_list.pk])
        )
        self.assertEqual(WorkItem.objects.filter(duty_item=item).count(), 12)
        self.login("leader")
        self.assertEqual(self.client.post(url).status_code, 404)
