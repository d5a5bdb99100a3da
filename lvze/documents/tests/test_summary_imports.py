"""Records imported through the 台账 imports produce a summary whose figures are exactly theirs."""

from __future__ import annotations

from datetime import date

from lvze.documents.blocks import content_of
from lvze.documents.generation import generate_draft
from lvze.records.ledgers import activities_import
from lvze.records.models import Activity
from lvze.records.selectors import activity_totals
from lvze.records.tests.test_ledgers import unseen_activities
from lvze.test import LvzeTestCase


class ImportedRecordsTests(LvzeTestCase):
    def test_an_imported_activity_ledger_is_counted_as_imported(self):
        result = activities_import(actor=None, data=unseen_activities(), root=self.orgs["QJ"], filename="台账.xlsx")
        self.assertFalse(result.errors)
        draft = generate_draft(unit=self.orgs["QJ"], kind="summary", period="2023H1", today=date(2023, 7, 5))
        text = "\n".join(content_of(b).get("text", "") for b in draft.content)
        lectures = activity_totals(Activity.objects.filter(activity_type__name="宣讲"))
        self.assertEqual((lectures["count"], lectures["people_covered"], lectures["problems_solved"]), (2, 205, 3))
        self.assertIn("累计开展2次宣传宣讲活动，覆盖群众200余人，解决群众操心事、烦心事、揪心事3件，以身边事解读大政策", text)
        self.assertIn("组织开展志愿服务活动1次，参与党员干部15人，服务群众200人，解决群众操心事、烦心事、揪心事5件", text)
        self.assertIn("组织开展捐款活动1次，30名干部职工捐款1500.50元，爱心助困送温暖", text)
        self.assertIn("组织开展和参加比赛1次，参与干部职工24人", text)
        slots = {b["slot"] for b in draft.content}
        self.assertIn("work.学习宣传.activity:宣讲", slots)  # the sheet's "一、学习宣传" heading rows
        self.assertIn("work.精神文明.activity:捐款", slots)
