from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lvze.orgs.demo import ACCOUNTS, DEMO_PASSWORD, DemoBuilder
from lvze.orgs.demo_seed import SCENARIO, SEED_TODAY, load_seed_scenario
from lvze.orgs.models import Organization


class Command(BaseCommand):
    help = "建立演示单位（示范市税务局、示范区税务局、示范新区税务局）及其人员、账号"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="演示数据截止日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--reset", action="store_true", help="清空数据库后重建")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时跳过")
        parser.add_argument(
            "--scenario",
            choices=[SCENARIO],
            help=f"{SCENARIO}：同样的单位和人员，只保留种子文档所述2023年上半年的记录（替换其他全部记录）",
        )

    def handle(self, *args, **options):
        if options["scenario"]:
            return self.handle_scenario(options)
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

    def handle_scenario(self, options) -> None:
        """Empty database (or --reset): build the demo organisation dated 30 June 2023, then the records.
        A database holding the demo: keep its organisations and people, replace the records."""
        if options["today"]:
            raise CommandError("场景数据的日期固定为2023年6月30日，不能与 --today 同用", returncode=2)
        exists = Organization.objects.exists()
        if exists and options["if_empty"]:
            self.stdout.write("数据库已有数据，跳过演示数据。")
            return
        if exists and options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            exists = False
        if exists and not Organization.objects.filter(code="QJ", name="示范区税务局党委").exists():
            raise CommandError("数据库中不是演示单位；场景数据会替换全部记录，如需重建请加 --reset（将清空全部数据）", returncode=2)
        try:
            with transaction.atomic():
                if not exists:
                    DemoBuilder(SEED_TODAY).build_organisation()
                counts = load_seed_scenario()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            f"已载入场景 {SCENARIO}：会议{counts['meetings']}次、活动{counts['activities']}项、荣誉{counts['honours']}项、"
            f"事项{counts['work_items']}项（2023年6月30日前到期的未办结事项{counts['open_items_due_in_2023h1']}项）。"
        )
        self.stdout.write("生成种子文档同款总结：lvze report summary --org QJ --period 2023H1 --out 总结.docx")
        if not exists:
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for account in ACCOUNTS:
                self.stdout.write(f"  {account.username:<10} {account.label}")

    def parse_today(self, text: str | None) -> date:
        if not text:
            return timezone.localdate()
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"--today 应为 YYYY-MM-DD，实为 {text}", returncode=2) from exc
