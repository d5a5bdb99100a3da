import json

from django.core.management.base import BaseCommand, CommandError

from lvze.lib.periods import Period
from lvze.orgs.models import Organization
from lvze.upward.generation import submissions_generate


class Command(BaseCommand):
    help = "上报事项：generate 按上级的上报要求生成某期间各单位的上报事项（可重复运行，不会重复生成）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate"])
        parser.add_argument("--period", required=True, help="期间，如 2023H1（只生成该半年的）或 2023（两个半年及全年）")
        parser.add_argument("--org", help="只生成该组织及其下级单位的事项")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            period = Period.parse(options["period"])
        except ValueError as exc:
            raise CommandError(f"--period：{exc}", returncode=2) from exc
        if period.kind not in ("half", "year"):
            raise CommandError("--period：上报按半年或全年要求，请填写如 2023H1 或 2023", returncode=2)
        scope = None
        if options["org"]:
            scope = Organization.objects.filter(code=options["org"]).first()
            if scope is None:
                raise CommandError(f"--org：找不到代码为“{options['org']}”的组织", returncode=2)
        result = submissions_generate(actor=None, period=period, scope=scope)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write(f"{period.label()}上报事项：新建 {result.created} 项，已存在 {result.existing} 项")
