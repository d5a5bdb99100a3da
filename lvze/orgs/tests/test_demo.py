from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TransactionTestCase

from lvze.accounts.models import User
from lvze.audit.selectors import first_chain_break
from lvze.orgs.models import Organization, Person
from lvze.orgs.quality import quality_issues


def snapshot() -> list[tuple]:
    return list(
        Person.objects.order_by("id").values_list("name", "branch__code", "party_status", "birth_date")
    )


class DemoTests(TransactionTestCase):
    def test_demo_is_deterministic_complete_and_refuses_to_overwrite(self):
        out = StringIO()
        call_command("demo", "--today", "2023-06-30", stdout=out)
        self.assertIn("dangban", out.getvalue())
        first = snapshot()
        self.assertTrue(100 <= len(first) <= 140, len(first))
        codes = set(Organization.objects.values_list("code", flat=True))
        self.assertTrue({"SJ", "QJ", "XQ", "QJJJ", "QJ01", "QJ08", "XQ01", "XQ02"} <= codes)
        self.assertEqual(Organization.objects.get(code="QJ").short_names, ["区局"])
        self.assertTrue(User.objects.filter(is_demo=True).count() >= 11)
        self.assertIsNone(first_chain_break())
        issue_codes = {i.code for i in quality_issues(Organization.objects.get(code="QJ"))}
        self.assertTrue({"no_committee", "no_secretary", "too_few"} <= issue_codes)

        with self.assertRaises(CommandError):
            call_command("demo", stdout=StringIO())
        call_command("demo", "--if-empty", stdout=StringIO())
        self.assertEqual(snapshot(), first)

        call_command("demo", "--today", "2023-06-30", "--reset", stdout=StringIO())
        self.assertEqual([row[1:] for row in snapshot()], [row[1:] for row in first])
        self.assertEqual([row[0] for row in snapshot()], [row[0] for row in first])
