"""`lvze inspections list [--json]`: the campaigns with their ids, for `lvze report bulletin --inspection ID`."""

import json

from django.core.management.base import BaseCommand

from lvze.inspections.models import Inspection


class Command(BaseCommand):
    help = "检查：list 列出全部检查（含编号，用于生成通报）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list"])
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        rows = [
            {"id": i.pk, "name": i.name, "period": i.period, "org": i.unit.code, "status": i.status}
            for i in Inspection.objects.select_related("unit").order_by("unit__path", "period", "id")
        ]
        if options["json"]:
            self.stdout.write(json.dumps([{k: r[k] for k in ("id", "name", "period", "org")} for r in rows], ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("尚无检查。")
        labels = dict(Inspection._meta.get_field("status").choices)
        for row in rows:
            self.stdout.write(f"{row['id']:>5}  {row['period']:<8} {row['org']:<8} {row['name']}（{labels[row['status']]}）")
