import json

from django.core.management.base import BaseCommand

from lvze.orgs.models import Organization


class Command(BaseCommand):
    help = "组织：list 列出全部组织"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list"])
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        rows = [
            {
                "code": o.code,
                "name": o.name,
                "short_name": o.short_name or None,
                "kind": o.kind,
                "parent": o.parent.code if o.parent else None,
                "active": o.active,
            }
            for o in Organization.objects.select_related("parent").order_by("path")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            state = "" if row["active"] else "（已停用）"
            self.stdout.write(f"{row['code']:<10} {row['name']}{state}")
