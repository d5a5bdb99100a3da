"""Concurrency as separate processes (own connections) against the test database — the throwaway
PostgreSQL cluster under `make test`, and SQLite too: two people completing the same item at the same
moment, and two imports of the same file at once. (Two reminder engines at once:
lvze/reminders/tests/test_engine.py::ConcurrentEngineTests.)"""

import json
from datetime import date

from django.conf import settings
from django.utils import timezone

from lvze.audit.models import AuditEvent
from lvze.audit.selectors import first_chain_break
from lvze.duties.generation import obligations_generate
from lvze.duties.models import Status, WorkItem, WorkItemEvent
from lvze.duties.services import work_item_submit
from lvze.lib.periods import Period
from lvze.orgs.models import Person
from lvze.security.testing import together
from lvze.security.tests.test_crash import people_workbook
from lvze.test import LvzeTransactionTestCase

AT_ONCE = """
import os, json
from django.core.exceptions import ValidationError
def report(fn):
    try:
        fn()
    except ValidationError as exc:
        print(json.dumps({"refused": exc.messages}, ensure_ascii=False))
    else:
        print(json.dumps({"ok": True}))
"""

ACT = AT_ONCE + """
from datetime import date
from lvze.accounts.models import User
from lvze.duties import services
from lvze.duties.models import WorkItem
user = User.objects.get(username=os.environ["ACTOR"])
item = WorkItem.objects.get(pk=int(os.environ["ITEM"]))  # loaded before the other one acts
wait_for_go()
if os.environ["ACTION"] == "approve":
    report(lambda: services.work_item_approve(actor=user, item=item))
else:
    report(lambda: services.work_item_complete(actor=user, item=item, on=date(2024, 5, 20)))
"""

IMPORT = AT_ONCE + """
from io import StringIO
from django.core.management import call_command
wait_for_go()
out = StringIO()
call_command("import", "people", os.environ["FILE"], "--org", "QJ", "--json", stdout=out)
print(out.getvalue())
"""


def at_once(code: str, envs: list[dict]) -> list[dict]:
    results = []
    for returncode, out, err in together(code, envs, settings.DATA_DIR):
        assert returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


class SameItemTests(LvzeTransactionTestCase):
    def setUp(self):
        super().setUp()
        obligations_generate(actor=None, period=Period.parse("2024Q2"))
        self.item = WorkItem.objects.filter(organization__code="QJ01").order_by("id").first()
        work_item_submit(actor=self.users["secretary"], item=self.item)

    def assert_done_once(self, results: list[dict]) -> None:
        self.assertEqual(sorted("ok" in r for r in results), [False, True], results)
        refused = next(r for r in results if "refused" in r)
        self.assertIn("已被他人办理", refused["refused"][0])
        item = WorkItem.objects.get(pk=self.item.pk)
        self.assertEqual(item.status, Status.DONE)
        self.assertEqual(WorkItemEvent.objects.filter(item=item, kind="done").count(), 1)
        self.assertEqual(AuditEvent.objects.filter(action="work_item.done", object_id=str(item.pk)).count(), 1)
        self.assertIsNone(first_chain_break())

    def test_two_reviewers_approve_at_once(self):
        env = {"ACTOR": "party_admin", "ITEM": str(self.item.pk), "ACTION": "approve"}
        self.assert_done_once(at_once(ACT, [env, env]))

    def test_approval_and_completion_at_once(self):
        item = str(self.item.pk)
        results = at_once(
            ACT,
            [{"ACTOR": "party_admin", "ITEM": item, "ACTION": "approve"}, {"ACTOR": "secretary", "ITEM": item, "ACTION": "complete"}],
        )
        self.assert_done_once(results)
        winner = "approve" if results[0].get("ok") else "complete"
        done_on = WorkItem.objects.get(pk=self.item.pk).done_on
        if winner == "complete":
            self.assertEqual(done_on, date(2024, 5, 20))
        else:
            self.assertEqual(done_on, timezone.localdate(self.item.submitted_at))


class SameFileTests(LvzeTransactionTestCase):
    def test_two_imports_of_the_same_file_at_once(self):
        path = self.make_file()
        people = Person.objects.count()
        results = at_once(IMPORT, [{"FILE": str(path)}, {"FILE": str(path)}])
        self.assertEqual(Person.objects.count(), people + 300, "each person once")
        created = sorted(r["created"] for r in results)
        self.assertEqual(created, [0, 300], results)
        self.assertEqual(sorted(r["unchanged"] for r in results), [0, 300], results)
        self.assertEqual(AuditEvent.objects.filter(action="person.import").count(), 2)
        self.assertIsNone(first_chain_break())

    def make_file(self):
        path = settings.DATA_DIR / "花名册.xlsx"
        path.write_bytes(people_workbook(300))
        return path
