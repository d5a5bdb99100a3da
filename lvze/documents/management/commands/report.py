import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvze.documents import builder
from lvze.documents.reports import REPORTS
from lvze.documents.selectors import mask_registry_for
from lvze.lib.gongwen.pdf import ConversionError, docx_to_pdf
from lvze.orgs.models import Organization

SUFFIXES = (".docx", ".pdf")


class Command(BaseCommand):
    help = "生成公文：lvze report <类型> --org 代码 --out 文件.docx [--masked]"

    def add_arguments(self, parser):
        reports = parser.add_subparsers(dest="report", required=True, metavar="{" + ",".join(REPORTS) + "}")
        for report in REPORTS.values():
            sub = reports.add_parser(report.name, help=report.help)
            sub.add_argument("--org", required=report.org_required, help="单位或组织代码")
            sub.add_argument("--out", required=True, help="输出文件（.docx；装有 LibreOffice 时也可为 .pdf）")
            sub.add_argument("--masked", action="store_true", help="脱敏：登记的人名、组织名称等替换为 *")
            sub.add_argument("--json", action="store_true", help="以 JSON 输出结果")
            report.add_arguments(sub)

    def handle(self, *args, **options):
        report = REPORTS[options["report"]]
        out = Path(options["out"])
        if out.suffix.lower() not in SUFFIXES:
            raise CommandError("--out：文件名须以 .docx 或 .pdf 结尾", returncode=2)
        unit = Organization.objects.filter(code=options["org"]).first() if options["org"] else None
        if options["org"] and unit is None:
            raise CommandError(f"--org：找不到代码为“{options['org']}”的组织", returncode=2)
        try:
            draft = report.build(unit, options)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        data, replaced = self.render(draft, masked=options["masked"])
        if out.suffix.lower() == ".pdf":
            data = self.to_pdf(data)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.write_result(options, out, draft.title, replaced)

    def render(self, draft, *, masked: bool) -> tuple[bytes, list | None]:
        if not masked:
            return builder.render_docx(draft), None
        export = builder.render_masked(draft, mask_registry_for(draft.unit))
        if not export.safe:
            raise CommandError(f"脱敏后仍检出登记的名称，未写出文件：{export.leaks}")
        return export.data, export.report.rows()

    def to_pdf(self, data: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="lvze-report-") as work:
            docx = Path(work) / "report.docx"
            docx.write_bytes(data)
            try:
                return docx_to_pdf(docx, work).read_bytes()
            except ConversionError as exc:
                raise CommandError(str(exc)) from exc

    def write_result(self, options, out: Path, title: str, replaced: list | None) -> None:
        if options["json"]:
            result = {"out": str(out), "title": title, "masked": replaced is not None}
            if replaced is not None:
                result["replaced"] = [
                    {"category": r.category, "original": r.original, "masked": r.masked, "count": r.count}
                    for r in replaced
                ]
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"已生成《{title}》：{out}")
        if replaced is not None:
            total = sum(r.count for r in replaced)
            detail = "、".join(f"{r.original}→{r.masked}（{r.count}处）" for r in replaced)
            self.stdout.write(f"脱敏：共替换{total}处：{detail}" if total else "脱敏：未发现需要替换的内容")
