"""上报要求 and `lvze submissions generate`: due dates, one item per unit/kind/period, idempotent, set-based."""

import json
from datetime import date
from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvze.audit.models import AuditEvent
from lvze.duties.models import Source, WorkItem
from lvze.lib.periods import Period
from lvze.orgs.models import OrgKind
from lvze.orgs.services import organization_create
from lvze.upward import services
from lvze.upward.generation import submissions_generate
from lvze.upward.models import SubmissionRequirement
from lvze.upward.tests.base import UpwardTestCase


def requirement(**values) -> SubmissionRequirement:
    return SubmissionRequirement(**{"kind": "summary", "name": "工作总结", "due_month_offset": 1, "due_day": 10, **values})


class DueDateTests(UpwardTestCase):
    def test_due_dates_follow_the_seed_practice(self):
        h1 = requirement(period_scope="H1")
        self.assertEqual(h1.due_for(Period.parse("2023H1")), date(2023, 7, 10))
        self.assertEqual(h1.due_label, "7月10日前")
        year = requirement(period_scope="year")
        self.assertEqual(year.due_for(Period.parse("2023")), date(2024, 1, 10))
        self.assertEqual(year.due_label, "次年1月10日前")
        ideology = requirement(kind="ideology", period_scope="year", due_month_offset=0, due_day=31)
        self.assertEqual(ideology.due_for(Period.parse("2023")), date(2023, 12, 31))
        clamped = requirement(period_scope="half", due_month_offset=2, due_day=31)
        self.assertEqual(clamped.due_for(Period.parse("2023H2")), date(2024, 2, 29))
        self.assertEqual(clamped.due_label, "8月31日前、次年2月28日前")

    def test_which_periods_a_requirement_asks_for(self):
        year = Period.parse("2023")
        self.assertEqual(requirement(period_scope="H1").periods_in(year), [Period.parse("2023H1")])
        self.assertEqual(requirement(period_scope="half").periods_in(year), list(year.halves()))
        self.assertEqual(requirement(period_scope="year").periods_in(year), [year])
        self.assertEqual(requirement(period_scope="year").periods_in(Period.parse("2023H1")), [])
        self.assertEqual(requirement(period_scope="H1").periods_in(Period.parse("2023H2")), [])
        self.assertTrue(requirement(period_scope="H2").applies_to(Period.parse("2023H2")))
        self.assertFalse(requirement(period_scope="H2").applies_to(Period.parse("2023Q4")))


class RequirementServiceTests(UpwardTestCase):
    def test_defaults_are_installed_once_and_overlaps_are_refused(self):
        city = self.users["city_admin"]
        self.assertEqual(services.requirements_install_defaults(actor=city, unit=self.orgs["SJ"]), 3)
        self.assertEqual(services.requirements_install_defaults(actor=city, unit=self.orgs["SJ"]), 0)
        with self.assertRaisesMessage(ValidationError, "已有同类文档"):
            services.requirement_create(
                actor=city, unit=self.orgs["SJ"], kind="summary", name="半年总结", period_scope="half",
                due_month_offset=1, due_day=10,
            )
        with self.assertRaisesMessage(ValidationError, "未知的文档类型"):
            services.requirement_create(
                actor=city, unit=self.orgs["SJ"], kind="nope", name="x", period_scope="year", due_month_offset=1, due_day=1
            )
        kinds = set(SubmissionRequirement.objects.filter(unit=self.orgs["SJ"]).values_list("kind", "period_scope"))
        self.assertEqual(kinds, {("summary", "H1"), ("summary", "year"), ("ideology", "year")})

    def test_a_disabled_requirement_generates_nothing(self):
        req = self.require_h1_quality()
        services.requirement_set_active(actor=self.users["city_admin"], requirement=req, active=False)
        self.assertEqual(submissions_generate(actor=None, period=Period.parse("2023")).created, 0)


class GenerationTests(UpwardTestCase):
    def setUp(self):
        services.requirements_install_defaults(actor=self.users["city_admin"], unit=self.orgs["SJ"])

    def test_each_unit_directly_below_gets_one_item_per_kind_and_period(self):
        result = submissions_generate(actor=None, period=Period.parse("2023"))
        # QJ and XQ × (H1 summary, annual summary, annual ideology report); none for SJ itself or branches.
        self.assertEqual(result.as_dict(), {"created": 6, "existing": 0})
        items = WorkItem.objects.filter(source=Source.SUBMISSION)
        self.assertEqual({i.organization.code for i in items}, {"QJ", "XQ"})
        h1 = items.get(organization=self.orgs["QJ"], period="2023H1")
        self.assertEqual(h1.title, "向市局报送2023年上半年工作总结")
        self.assertEqual((h1.due_date, h1.warn_from, h1.unit), (date(2023, 7, 10), date(2023, 7, 7), self.orgs["QJ"]))
        self.assertEqual(h1.key, f"submission:{self.orgs['QJ'].pk}:summary:2023H1")
        self.assertEqual(items.get(organization=self.orgs["XQ"], period="2023", fulfilled_by_kind="submission:ideology").due_date, date(2023, 12, 31))
        self.assertEqual(AuditEvent.objects.filter(action="submissions.generate").count(), 1)

        again = submissions_generate(actor=None, period=Period.parse("2023"))
        self.assertEqual(again.as_dict(), {"created": 0, "existing": 6})
        self.assertEqual(items.count(), 6)

    def test_a_half_year_run_and_a_scope(self):
        self.assertEqual(submissions_generate(actor=None, period=Period.parse("2023H2")).created, 0)
        result = submissions_generate(actor=None, period=Period.parse("2023H1"), scope=self.orgs["XQ"])
        self.assertEqual(result.created, 1)
        self.assertEqual(WorkItem.objects.get(source=Source.SUBMISSION).organization, self.orgs["XQ"])

    def test_the_number_of_queries_does_not_grow_with_the_units(self):
        def queries() -> int:
            WorkItem.objects.filter(source=Source.SUBMISSION).delete()
            with CaptureQueriesContext(connection) as ctx:
                submissions_generate(actor=None, period=Period.parse("2023"))
            return len(ctx.captured_queries)

        few = queries()
        for i in range(4):
            organization_create(actor=None, code=f"NQ{i}", name=f"新增区局{i}党委", kind=OrgKind.COMMITTEE, parent=self.orgs["SJ"])
        self.assertEqual(queries(), few)
        self.assertEqual(WorkItem.objects.filter(source=Source.SUBMISSION).count(), 18)

    def test_command(self):
        out = StringIO()
        call_command("submissions", "generate", "--period", "2023H1", "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue()), {"created": 2, "existing": 0})
        out = StringIO()
        call_command("submissions", "generate", "--period", "2023H1", "--org", "QJ", stdout=out)
        self.assertIn("新建 0 项，已存在 1 项", out.getvalue())
        with self.assertRaises(CommandError):
            call_command("submissions", "generate", "--period", "2023Q1", stdout=StringIO())
        with self.assertRaises(CommandError):
            call_command("submissions", "generate", "--period", "2023H1", "--org", "NOPE", stdout=StringIO())
