"""A half-year of ledger and records on the base tree, with today frozen after the half-year ended."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from lvze.duties.generation import obligations_generate
from lvze.duties.models import DEFAULT_WARN_DAYS, Source, Status, WorkItem
from lvze.inspections.rectifications import (
    rectification_close,
    rectification_create,
    rectification_request_close,
    rectification_verify,
)
from lvze.inspections.services import finding_create
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, Post, WorkArea
from lvze.records.models import ActivityType, ConsultationLevel, Honor, HonorLevel, MeetingKind, TalkKind
from lvze.records.registry_services import activity_record, activity_types_install
from lvze.records.services import meeting_record, talk_record
from lvze.test import LvzeTestCase

TODAY = date(2024, 7, 15)
H1 = Period.parse("2024H1")


def frozen(day: date = TODAY):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def listed_count(html: str) -> int:
    """The "共 N 条" every paginated list prints."""
    match = re.search(r"共 (\d+) 条", html)
    if match is None and 'class="empty"' in html:
        return 0
    assert match, "the list shows no count"
    return int(match[1])


class ReportTestCase(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2024"))
        cls.qj01, cls.qj02 = cls.orgs["QJ01"], cls.orgs["QJ02"]
        with frozen(date(2024, 7, 1)):
            # 第一党支部: 主题党日 January to April on time, May's held on 3 June (逾期办结), June's not held.
            for month in range(1, 5):
                meeting_record(actor=None, organization=cls.qj01, kind=MeetingKind.THEME_DAY,
                               held_on=date(2024, month, 10), topic=f"{month}月主题党日")
            meeting_record(actor=None, organization=cls.qj01, kind=MeetingKind.THEME_DAY, held_on=date(2024, 6, 3),
                           period="2024-05", topic="5月主题党日")
            meeting_record(actor=None, organization=cls.qj01, kind=MeetingKind.BRANCH_ASSEMBLY,
                           held_on=date(2024, 3, 20), topic="一季度支部党员大会")
            # 第二党支部: only January's 主题党日.
            meeting_record(actor=None, organization=cls.qj02, kind=MeetingKind.THEME_DAY,
                           held_on=date(2024, 1, 12), topic="1月主题党日")
            meeting_record(actor=None, organization=cls.orgs["QJ"], kind=MeetingKind.CONSULTATION,
                           held_on=date(2024, 5, 6), topic="党风廉政建设专题会商",
                           consultation_level=ConsultationLevel.COMMITTEE)
            meeting_record(actor=None, organization=cls.orgs["XQ01"], kind=MeetingKind.THEME_DAY,
                           held_on=date(2024, 2, 8), topic="新区主题党日")
            talk_record(actor=None, organization=cls.qj01, held_on=date(2024, 3, 5), initiator=cls.p1,
                        partner=cls.make_person("赵三", "QJ01"), topic="思想交流", kind=TalkKind.SECRETARY_MEMBER)
        activity_types_install(actor=None, unit=cls.orgs["QJ"])
        activity_types_install(actor=None, unit=cls.orgs["XQ"])
        types = {t.name: t for t in ActivityType.objects.filter(unit=cls.orgs["QJ"])}
        for name, day, covered, area in [("政策宣讲进社区", date(2024, 3, 2), 120, "学习宣传"),
                                         ("二十大精神宣讲", date(2024, 5, 18), 95, "学习宣传")]:
            activity_record(actor=None, organization=cls.qj01, activity_type=types["宣讲"], name=name, held_on=day,
                            people_covered=covered, problems_solved=2, work_area=area)
        activity_record(actor=None, organization=cls.qj02, activity_type=types["志愿服务"], name="办税志愿服务",
                        held_on=date(2024, 4, 9), people_covered=40, work_area="精神文明", amount=Decimal("300"))
        activity_record(actor=None, organization=cls.qj02, activity_type=types["志愿服务"], name="去年的志愿服务",
                        held_on=date(2023, 12, 9), people_covered=33, work_area="精神文明")
        activity_record(actor=None, organization=cls.orgs["XQ01"], activity_type=ActivityType.objects.get(
            unit=cls.orgs["XQ"], name="宣讲"), name="新区宣讲", held_on=date(2024, 2, 2), people_covered=60)
        Honor.objects.create(organization=cls.orgs["QJ"], level=HonorLevel.PROVINCIAL, title="五一劳动奖状",
                             awarded_on=date(2024, 4, 28), work_area="精神文明")
        Honor.objects.create(organization=cls.orgs["QJ"], level=HonorLevel.MUNICIPAL, title="市级文明单位",
                             awarded_on=date(2023, 11, 2))
        Honor.objects.create(organization=cls.orgs["XQ01"], level=HonorLevel.DISTRICT, title="先进党支部",
                             awarded_on=date(2024, 6, 1))
        # A task of 办公室 (a department of 区局) due in March, still open, and one done late in H2 — open at
        # the end of H1, so 逾期 as of the period's end though done by today.
        cls.task_open = cls.task(cls.orgs["QJBGS"], "清理办公用房", date(2024, 3, 15), "综合监督")
        cls.task_late = cls.task(cls.orgs["QJBGS"], "修订制度汇编", date(2024, 4, 30), "从严治党",
                                 status=Status.DONE, done_on=date(2024, 7, 5))
        # A long-term item: no deadline.
        cls.task(cls.orgs["QJ01"], "持续推进党建品牌建设", None, "党建质量")
        cls.build_findings()

    @classmethod
    def build_findings(cls):
        """Two supervision findings and a 巡察 one in H1, one from last year; two rectifications due in H1, one
        of them closed, and one due in H2."""
        qj, admin = cls.orgs["QJ"], cls.users["party_admin"]
        for org, source, kind, day in [("QJ01", "supervision", "discipline", date(2024, 3, 10)),
                                       ("QJ02", "supervision", "grassroots", date(2024, 4, 2)),
                                       ("QJ02", "patrol", "", date(2024, 5, 2)),
                                       ("QJ01", "supervision", "discipline", date(2023, 10, 1))]:
            finding_create(actor=admin, unit=qj, organization=cls.orgs[org], source=source, supervision_type=kind,
                           description=f"{org}{day}发现的问题", found_on=day)
        with frozen(date(2024, 6, 20)):
            open_rect = rectification_create(actor=admin, unit=qj, source="supervision", supervision_type="discipline",
                                             problem="谈心谈话记录不完整", responsible_org=cls.qj01,
                                             deadline=date(2024, 4, 30))
            closed = rectification_create(actor=admin, unit=qj, source="patrol", source_label="区委第二巡察组",
                                          problem="三会一课记录不规范", responsible_org=cls.qj02,
                                          deadline=date(2024, 6, 15))
            rectification_create(actor=admin, unit=qj, source="self", problem="党费收缴台账缺页",
                                 responsible_org=cls.qj02, deadline=date(2024, 9, 30))
            rectification_request_close(actor=admin, rect=closed, note="已规范记录",
                                        files=[("整改佐证.pdf", b"%PDF-1.4 evidence", "application/pdf")])
            rectification_verify(actor=admin, rect=closed)
            rectification_close(actor=admin, rect=closed)
        cls.open_rect = open_rect

    @classmethod
    def task(cls, org, title, due, area, **extra) -> WorkItem:
        return WorkItem.objects.create(
            key=f"test:{title}", source=Source.TASK, organization=org, unit=org.unit, org_path=org.path,
            title=title, work_area=area, period=f"{due:%Y-%m}" if due else "", due_date=due,
            warn_from=due - timedelta(days=DEFAULT_WARN_DAYS) if due else None, **extra,
        )

    @classmethod
    def make_leader(cls, areas: list[str], departments: list[str]):
        """The `leader` user, given a person with a 班子成员 appointment of 区局 and its 分管."""
        person = cls.make_person("钱分管", "QJ01")
        appointment = Appointment.objects.create(person=person, organization=cls.orgs["QJ"],
                                                 post=Post.LEADERSHIP_MEMBER, start=date(2023, 1, 1))
        unit = cls.orgs["QJ"]
        appointment.areas.set([WorkArea.objects.get_or_create(unit=unit, name=a)[0] for a in areas])
        appointment.departments.set([cls.orgs[d] for d in departments])
        user = cls.users["leader"]
        user.person = person
        user.save(update_fields=["person"])
        return person
