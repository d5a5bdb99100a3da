"""`lvze init`: the first organisation and accounts of a new deployment — the unit's 党委, its 党务管理员
and the three 三员 — each with a random initial password shown once and changed at first login."""

import secrets
import string

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lvze.accounts.models import Role
from lvze.accounts.services import role_grant, user_create
from lvze.orgs.models import Organization, OrgKind
from lvze.orgs.services import organization_create

ACCOUNTS = (
    ("admin", Role.PARTY_ADMIN, "dangban"),
    ("sysadmin", Role.SYSADMIN, "xitong"),
    ("secadmin", Role.SECADMIN, "anquan"),
    ("auditor", Role.AUDITOR, "shenji"),
)
SYMBOLS = "@#%*+-_="


def initial_password(length: int = 14) -> str:
    """Random, with every character class the password rules ask for."""
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, SYMBOLS)
    chars = [secrets.choice(c) for c in classes]
    chars += [secrets.choice("".join(classes)) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


class Command(BaseCommand):
    help = "新部署初始化：创建本单位党委（根组织）、党务管理员和三员账号，初始密码只显示一次，首次登录须修改"

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="根组织代码，如 SWJ")
        parser.add_argument("--name", required=True, help="根组织名称，如 “××区税务局党委”")
        for option, _role, default in ACCOUNTS:
            parser.add_argument(f"--{option}", default=default, help=f"账号名（默认 {default}）")

    def handle(self, *args, **options):
        if Organization.objects.exists():
            raise CommandError("数据库中已有组织：init 只用于全新部署")
        try:
            created = self.create(options)
        except ValidationError as exc:
            raise CommandError("；".join(m for messages in exc.message_dict.values() for m in messages)) from exc
        self.stdout.write(f"已创建根组织 {options['code']} {options['name']} 和以下账号（初始密码只显示这一次，首次登录须修改）：")
        for username, role, password in created:
            self.stdout.write(f"  {username:<12} {Role(role).label:<8} {password}")

    @transaction.atomic
    def create(self, options) -> list[tuple[str, str, str]]:
        root = organization_create(actor=None, code=options["code"], name=options["name"], kind=OrgKind.COMMITTEE,
                                   parent=None, has_committee=True)
        created = []
        for option, role, _default in ACCOUNTS:
            password = initial_password()
            user = user_create(actor=None, username=options[option], password=password, must_change_password=True)
            role_grant(actor=None, user=user, role=role, organization=root)
            created.append((user.username, role, password))
        return created
