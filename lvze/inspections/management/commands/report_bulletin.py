"""`lvze report_bulletin --inspection ID --out FILE.docx [--masked]`: a campaign's 通报.

Stands in for `lvze report bulletin` until the documents app's report registry is on main; the
registry entry calls the same `bulletin_file`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvze.inspections.bulletin import MaskingLeak, bulletin_file
from lvze.inspections.models import Inspection


class Command(BaseCommand):
    help = "生成检查通报（.docx）：--inspection 检查编号（见 lvze inspections list），--masked 生成脱敏版"

    def add_arguments(self, parser):
        parser.add_argument("--inspection", type=int, required=True, help="检查编号")
        parser.add_argument("--out", required=True, help="输出文件，如 通报.docx")
        parser.add_argument("--masked", action="store_true", help="脱敏：人名、组织名称替换为 *")

    def handle(self, *args, inspection, out, masked, **options):
        found = Inspection.objects.select_related("unit", "root").filter(pk=inspection).first()
        if found is None:
            raise CommandError(f"找不到编号为 {inspection} 的检查（可用 lvze inspections list 查看）", returncode=2)
        if found.status == "draft":
            raise CommandError("该检查尚未启动，没有可通报的结果", returncode=2)
        try:
            _name, data = bulletin_file(found, masked=masked)
        except MaskingLeak as exc:
            raise CommandError(f"{exc}，未写出文件") from exc
        path = Path(out)
        path.write_bytes(data)
        self.stdout.write(f"已生成{'脱敏版' if masked else ''}通报：{path}")
