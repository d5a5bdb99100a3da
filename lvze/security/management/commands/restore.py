import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvze.security.backup import BackupError, restore


class Command(BaseCommand):
    help = "恢复：把 lvze backup 生成的归档恢复到空数据库，校验全部校验和后才写入，恢复后校验审计链"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            result = restore(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        summary = {
            "file": options["file"],
            "audit_events": result.events,
            "files": result.files,
            "chain_intact": result.chain_intact,
            "chain": result.chain_message,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(f"已从 {options['file']} 恢复：审计事件 {result.events} 个，上传文件 {result.files} 个；{result.chain_message}。")
        if not result.chain_intact:
            raise CommandError("恢复完成，但审计链校验未通过", returncode=1)
