import re
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TestCase

from lvze.accounts.models import Role, User
from lvze.audit.models import AuditEvent
from lvze.orgs.models import Organization


class InitCommandTests(TestCase):
    def run_init(self, *args: str) -> str:
        out = StringIO()
        call_command("init", "--code", "SWJ", "--name", "示范区税务局党委", *args, stdout=out)
        return out.getvalue()

    def test_creates_the_root_and_four_accounts_with_one_time_passwords(self):
        output = self.run_init("--admin", "zhangsan")
        root = Organization.objects.get()
        self.assertEqual((root.code, root.unit_id), ("SWJ", root.pk))
        roles = {u.username: u.grants.get().role for u in User.objects.all()}
        self.assertEqual(roles, {"zhangsan": Role.PARTY_ADMIN, "xitong": Role.SYSADMIN, "anquan": Role.SECADMIN,
                                 "shenji": Role.AUDITOR})
        passwords = dict(re.findall(r"^\s+(\w+)\s+\S+\s+(\S+)$", output, flags=re.M))
        self.assertEqual(set(passwords), set(roles))
        self.assertEqual(len(set(passwords.values())), 4)
        self.assertTrue(AuditEvent.objects.filter(action="role.grant").count() == 4)
        client = Client()
        self.assertTrue(client.login(username="zhangsan", password=passwords["zhangsan"]))
        response = client.get("/", follow=True)
        self.assertContains(response, "修改密码")  # an initial password is changed first

    def test_refuses_a_database_that_already_has_organisations(self):
        self.run_init()
        with self.assertRaisesMessage(CommandError, "已有组织"):
            self.run_init()
        self.assertEqual(User.objects.count(), 4)

    def test_a_bad_code_creates_nothing(self):
        with self.assertRaises(CommandError):
            call_command("init", "--code", "坏 代码", "--name", "某党委", stdout=StringIO())
        self.assertFalse(Organization.objects.exists())
        self.assertFalse(User.objects.exists())
