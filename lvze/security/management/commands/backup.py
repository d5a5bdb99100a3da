import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvze.security.backup import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = "备份：数据库的一致性快照与上传文件，打包为一个带清单与校验和的归档"

    def add_arguments(self, parser):
        parser.add_argument("--out", help="归档文件路径，如 lvze-20240630.tar.gz")
        parser.add_argument("--verify", metavar="FILE", help="只校验一个已有的备份文件，不做备份")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            if options["verify"]:
                manifest = backup_verify(Path(options["verify"]))
                summary = {"file": options["verify"], "created_at": manifest["created_at"], "ok": True}
            elif options["out"]:
                manifest = backup_create(Path(options["out"]))
                summary = {"file": options["out"], "created_at": manifest["created_at"]}
            else:
                raise CommandError("请用 --out FILE 指定备份文件，或用 --verify FILE 校验已有备份", returncode=2)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        summary.update(
            engine=manifest["engine"],
            audit_events=manifest["audit_head"]["seq"],
            files=sum(1 for name in manifest["members"] if name.startswith("files/")),
            bytes=sum(m["size"] for m in manifest["members"].values()),
        )
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            verb = "校验通过" if options["verify"] else "已备份到"
            self.stdout.write(
                f"{verb} {summary['file']}：{summary['engine']} 数据库，审计事件 {summary['audit_events']} 个，"
                f"上传文件 {summary['files']} 个，共 {summary['bytes'] / 1024 / 1024:.1f} MB。"
            )
