import json

from django.core.management.base import BaseCommand, CommandError

from lvze.duties.generation import obligations_generate
from lvze.lib.periods import Period
from lvze.orgs.models import Organization


class Command(BaseCommand):
    help = "规定动作：generate 按规则生成某期间的事项（可重复运行，不会重复生成）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate"])
        parser.add_argument("--period", required=True, help="期间，如 2024、2024H1、2024Q2、2024-05")
        parser.add_argument("--org", help="只生成该组织及其下级的事项")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            period = Period.parse(options["period"])
        except ValueError as exc:
            raise CommandError(f"--period：{exc}", returncode=2) from exc
        scope = None
        if options["org"]:
            scope = Organization.objects.filter(code=options["org"]).first()
            if scope is None:
                raise CommandError(f"--org：找不到代码为“{options['org']}”的组织", returncode=2)
        result = obligations_generate(actor=None, period=period, scope=scope)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        else:
            self.stdout.write(f"{period.label()}规定动作：新建 {result.created} 项，已存在 {result.existing} 项")
