"""三员分立: the three administrators hold no business role and cannot write business data, whichever
service they reach; their own work and what every account does for itself still goes through."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from lvze.accounts.models import Role
from lvze.accounts.services import role_grant, user_set_password
from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import DutyList, DutyListKind, Evidence, ObligationRule, Status, WorkItem
from lvze.duties.plan_services import duty_list_create
from lvze.duties.rule_services import rule_update
from lvze.duties.services import evidence_add_file, work_item_complete, work_item_progress, work_item_submit
from lvze.lib.periods import Period
from lvze.orgs.models import Person
from lvze.orgs.services import organization_update, person_update
from lvze.records.models import Meeting
from lvze.records.services import meeting_record
from lvze.reminders.services import calendar_feed_issue
from lvze.test import LvzeTestCase

ADMINS = ("sysadmin", "secadmin", "auditor")


class SeparationTests(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2024Q2"))
        cls.item = WorkItem.objects.filter(organization__code="QJ01").order_by("id").first()
        # Even an administrator linked to the person responsible for an item cannot progress it.
        admin_person = cls.make_person("赵管", "QJ01")
        cls.users["sysadmin"].person = admin_person
        cls.users["sysadmin"].save(update_fields=["person"])
        WorkItem.objects.filter(pk=cls.item.pk).update(responsible_person=admin_person)

    def business_writes(self, actor):
        def item():  # fresh each time: a refused write leaves the object it was given changed
            return WorkItem.objects.get(pk=self.item.pk)

        rule = ObligationRule.objects.filter(unit=self.orgs["QJ"]).first()
        return {
            "progress": lambda: work_item_progress(actor=actor, item=item(), note="进展"),
            "submit": lambda: work_item_submit(actor=actor, item=item()),
            "complete": lambda: work_item_complete(actor=actor, item=item(), on=date(2024, 5, 1)),
            "evidence": lambda: evidence_add_file(actor=actor, item=item(), name="a.txt", data=b"x"),
            "meeting": lambda: meeting_record(
                actor=actor, organization=self.orgs["QJ01"], kind="theme_day", held_on=date(2024, 5, 8), topic="学习"
            ),
            "duty_list": lambda: duty_list_create(
                actor=actor, unit=self.orgs["QJ"], kind=DutyListKind.COMMITTEE, name="清单", year=2024
            ),
            "rule": lambda: rule_update(actor=actor, rule=rule, values={"name": "改名"}),
            "generate": lambda: obligations_generate(actor=actor, period=Period.parse("2024Q3")),
        }

    def test_no_administrator_writes_business_data(self):
        before = (AuditEvent.objects.count(), WorkItem.objects.count(), Meeting.objects.count())
        for username in ADMINS:
            for name, write in self.business_writes(self.users[username]).items():
                with self.subTest(username=username, write=name), self.assertRaises(PermissionDenied):
                    write()
        after = (AuditEvent.objects.count(), WorkItem.objects.count(), Meeting.objects.count())
        self.assertEqual(before, after)
        item = WorkItem.objects.get(pk=self.item.pk)
        self.assertEqual((item.status, item.events.count()), (Status.TODO, 0))
        self.assertFalse(Evidence.objects.exists())
        self.assertFalse(DutyList.objects.exists())
        self.assertFalse(ObligationRule.objects.filter(name="改名").exists())

    def test_business_roles_still_write(self):
        work_item_progress(actor=self.users["secretary"], item=WorkItem.objects.get(pk=self.item.pk), note="进展")
        self.assertEqual(WorkItem.objects.get(pk=self.item.pk).status, Status.IN_PROGRESS)

    def test_each_administrator_does_their_own_work(self):
        person_update(actor=self.users["sysadmin"], person=self.p2, position="股长")
        organization_update(actor=self.users["sysadmin"], org=self.orgs["QJ02"], sort_order=5)
        role_grant(actor=self.users["secadmin"], user=self.users["leader"], role=Role.SECRETARY, organization=self.orgs["QJ01"])
        user_set_password(actor=self.users["secadmin"], user=self.users["staff"], password="Reset@2024x")
        for username in ADMINS:
            user_set_password(actor=self.users[username], user=self.users[username], password="Mine@2024xy")
            calendar_feed_issue(actor=self.users[username])

    def test_administrators_cannot_do_each_others_work(self):
        for username in ("secadmin", "auditor"):
            with self.assertRaises(PermissionDenied):
                person_update(actor=self.users[username], person=Person.objects.get(pk=self.p2.pk), position="股长")
        self.assertEqual(Person.objects.get(pk=self.p2.pk).position, "")
        with self.assertRaises(PermissionDenied):
            role_grant(actor=self.users["sysadmin"], user=self.users["leader"], role=Role.STAFF, organization=self.orgs["QJBGS"])

    def test_administrator_accounts_hold_no_other_role(self):
        for username in ADMINS:
            for role in [Role.PARTY_ADMIN, Role.MEMBER, *({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR} - {username})]:
                with self.subTest(username=username, role=role), self.assertRaises(ValidationError):
                    role_grant(actor=None, user=self.users[username], role=role, organization=self.orgs["QJ"])
