"""`lvze import KIND FILE.xlsx --org CODE [--dry-run] [--json]` under the import contract of DESIGN.md."""

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvze.duties.task_import import tasks_import
from lvze.inspections.rect_excel import rectifications_import
from lvze.lib.sheets import RowError
from lvze.orgs.importing import people_import
from lvze.orgs.models import Organization
from lvze.records.ledgers import activities_import, meetings_import

IMPORTERS = {
    "people": people_import,
    "tasks": tasks_import,
    "meetings": meetings_import,
    "activities": activities_import,
    "rectifications": rectifications_import,
}
# Options an importer takes beyond the common ones.
IMPORT_OPTIONS = {"tasks": ("plan", "year"), "meetings": ("year",), "activities": ("year",)}


class Command(BaseCommand):
    help = "从 Excel 导入：people（党员花名册）、tasks（重点任务分解表，需 --plan）、meetings（会议台账）、activities（活动台账）、rectifications（整改台账）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="文件所属单位的代码")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument("--plan", help="tasks：工作要点名称，如“2023年全面从严治党工作要点”")
        parser.add_argument("--year", type=int, help="tasks：计划年度（“6月底前”等时限按此年度解释）")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, kind, file, org, dry_run, **options):
        as_json = options["json"]
        root = Organization.objects.filter(code=org).first()
        path = Path(file)
        errors = []
        if root is None:
            errors.append(RowError(None, None, f"找不到代码为“{org}”的单位"))
        if not path.is_file():
            errors.append(RowError(None, None, f"找不到文件：{file}"))
        if errors:
            self.refuse(errors, as_json)
        extra = {name: options[name] for name in IMPORT_OPTIONS.get(kind, ())}
        plan = IMPORTERS[kind](
            actor=None, data=path.read_bytes(), root=root, dry_run=dry_run, filename=path.name, **extra
        )
        if plan.errors:
            self.refuse(plan.errors, as_json)
        self.report(plan.counts(), dry_run, as_json)

    def report(self, counts: dict, dry_run: bool, as_json: bool) -> None:
        if as_json:
            self.stdout.write(jsonlib.dumps({**counts, "dry_run": dry_run}, ensure_ascii=False))
            return
        prefix = "检查通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(
            f"{prefix}：新增 {counts['created']}，更新 {counts['updated']}，无变化 {counts['unchanged']}"
            + (f"，生成事项 {counts['work_items']}" if "work_items" in counts else "")
        )
        if counts.get("summary"):
            self.stdout.write(counts["summary"])
        for entry in counts.get("unplaced", []):
            self.stdout.write(f"  第{entry['row']}行：{entry['message']}")
        for warning in counts.get("warnings", []):
            self.stdout.write(f"  提示：{warning}")

    def refuse(self, errors: list[RowError], as_json: bool) -> None:
        if as_json:
            self.stdout.write(jsonlib.dumps({"errors": [e.as_dict() for e in errors]}, ensure_ascii=False))
        else:
            self.stderr.write("导入被拒绝，未写入任何数据：")
            for error in errors:
                self.stderr.write(f"  {error}")
        raise CommandError("导入被拒绝", returncode=2)
