"""A quarterly campaign over the test tree's two branches, with the 2023Q2 rule-pack items and meetings."""

from __future__ import annotations

from datetime import date

from lvze.duties.generation import obligations_generate
from lvze.inspections.models import ChecklistTemplate, Inspection
from lvze.inspections.services import checklist_install_builtin, inspection_create, inspection_launch
from lvze.lib.periods import Period
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create
from lvze.records.models import StudyRecord
from lvze.records.registry_services import registry_save
from lvze.records.services import meeting_record
from lvze.test import LvzeTestCase

TODAY = date(2023, 7, 10)


class InspectionFixture(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.inspector = cls.make_person("赵检查", "QJ01")
        cls.users["leader"].person = cls.inspector
        cls.users["leader"].save(update_fields=["person"])
        cls.secretary_person = cls.make_person("钱书记", "QJ01")
        cls.users["secretary"].person = cls.secretary_person
        cls.users["secretary"].save(update_fields=["person"])
        appointment_create(actor=None, person=cls.secretary_person, organization=cls.orgs["QJ01"], post=Post.SECRETARY)
        obligations_generate(actor=None, period=Period.parse("2023Q2"))
        # 第一党支部: April and May 主题党日 on time, June's late; 第二党支部: only April's.
        for org, day, period in [
            ("QJ01", date(2023, 4, 20), ""),
            ("QJ01", date(2023, 5, 25), ""),
            ("QJ01", date(2023, 7, 3), "2023-06"),
            ("QJ02", date(2023, 4, 21), ""),
        ]:
            meeting_record(
                actor=None, organization=cls.orgs[org], kind="theme_day", held_on=day, topic="主题党日", period=period
            )
        meeting_record(
            actor=None, organization=cls.orgs["QJ01"], kind="branch_assembly", held_on=date(2023, 6, 8), topic="党员大会"
        )
        # 第一党支部 studied in April (twice) and May; 第二党支部 recorded no study.
        for day in (date(2023, 4, 6), date(2023, 4, 20), date(2023, 5, 11)):
            registry_save(actor=None, instance=StudyRecord(organization=cls.orgs["QJ01"], held_on=day, title="学习党的二十大报告"))
        checklist_install_builtin(actor=None, unit=cls.orgs["QJ"])
        cls.template = ChecklistTemplate.objects.get(unit=cls.orgs["QJ"], builtin_code="branch_quarterly")

    def make_campaign(self, *, launch: bool = True, board_size: int = 1, **values) -> Inspection:
        params = {
            "actor": None,
            "unit": self.orgs["QJ"],
            "template": self.template,
            "name": "2023年第二季度支部工作检查",
            "period": "2023Q2",
            "root": self.orgs["QJJG"],
            "deadline": date(2023, 7, 7),
            "rectify_deadline": date(2023, 8, 31),
            "inspectors": [self.inspector],
            "board_size": board_size,
        }
        params.update(values)
        inspection = inspection_create(**params)
        if launch:
            inspection_launch(actor=None, inspection=inspection, today=TODAY)
        return inspection
