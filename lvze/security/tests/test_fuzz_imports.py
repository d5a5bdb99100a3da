"""The people import under generated workbooks (hypothesis): whatever the cells hold, the import either
takes the whole file or refuses it with row-numbered Chinese errors and writes nothing."""

import datetime as dt
import io

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from openpyxl import Workbook

from lvze.audit.models import AuditEvent
from lvze.orgs.importing import people_import
from lvze.orgs.models import Membership, Person
from lvze.test import FixtureMixin

printable = st.characters(blacklist_categories=("Cc", "Cs"))  # what a worksheet cell can hold
HEADER = ["姓名", "出生日期", "人员类别", "党组织", "身份证号"]
cells = {
    "name": st.one_of(st.sampled_from(["张三", "李四", "", " ", "王五六七八九十一二三四五六七八九十一二三四五六七八九十"]), st.text(printable, max_size=12)),
    "birth": st.one_of(
        st.dates(dt.date(1940, 1, 1), dt.date(2010, 1, 1)),
        st.sampled_from(["1990-01-01", "1990年1月1日", "19900101", "1990.1", "明年", "", "2023-02-30"]),
        st.text(printable, max_size=8),
    ),
    "status": st.one_of(st.sampled_from(["正式党员", "预备党员", "群众", "党员", "不知道", ""]), st.text(printable, max_size=4)),
    "branch": st.sampled_from(["第一党支部", "第二党支部", "新区第一党支部", "不存在的支部", "", "办公室"]),
    "id": st.one_of(st.sampled_from(["", "11010519491231002X", "110105194912310021", "123"]), st.text("0123456789X", max_size=18)),
}
rows = st.lists(st.tuples(*cells.values()), max_size=6)


def workbook(data_rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in data_rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class PeopleImportFuzzTests(FixtureMixin, HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.build_fixture()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows)
    def test_whole_file_or_nothing(self, data_rows):
        data = workbook(data_rows)
        with transaction.atomic():
            people, memberships, events = Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()
            plan = people_import(actor=None, data=data, root=self.orgs["QJ"], filename="fuzz.xlsx")
            if plan.errors:
                self.assertEqual(
                    (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()),
                    (people, memberships, events),
                )
                for error in plan.errors:
                    self.assertTrue(error.message)
                    self.assertTrue(error.row is None or 2 <= error.row <= len(data_rows) + 1, error)
            else:
                counts = plan.counts()
                self.assertEqual(Person.objects.count(), people + counts["created"])
                self.assertEqual(AuditEvent.objects.filter(action="person.import").count(), 1 if data_rows else 0)
            transaction.set_rollback(True)
