from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lvze.orgs.demo import DEMO_PASSWORD, DemoBuilder
from lvze.orgs.models import Organization


class Command(BaseCommand):
    help = "建立演示单位（示范市税务局、示范区税务局、示范新区税务局）及其人员、账号"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="演示数据截止日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--reset", action="store_true", help="清空数据库后重建")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时跳过")

    def handle(self, *args, **options):
        today = self.parse_today(options["today"])
        if Organization.objects.exists():
            if options["if_empty"]:
                self.stdout.write("数据库已有数据，跳过演示数据。")
                return
            if not options["reset"]:
                raise CommandError(
                    "数据库已有数据；如需重建演示数据请加 --reset（将清空全部数据）", returncode=2
                )
            call_command("flush", interactive=False, verbosity=0)
        with transaction.atomic():
            accounts = DemoBuilder(today).build()
        self.stdout.write(
            f"演示数据已建立（截止 {today.isoformat()}）。演示账号（密码均为 {DEMO_PASSWORD}）："
        )
        for account in accounts:
            self.stdout.write(f"  {account.username:<10} {account.label}")

    def parse_today(self, text: str | None) -> date:
        if not text:
            return timezone.localdate()
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"--today 应为 YYYY-MM-DD，实为 {text}", returncode=2) from exc
