from django.core.management.base import BaseCommand, CommandError

from lvze.audit.models import AuditEvent
from lvze.audit.selectors import first_chain_break


class Command(BaseCommand):
    help = "审计链操作：verify 校验审计事件哈希链"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        broken = first_chain_break()
        total = AuditEvent.objects.count()
        if broken:
            where = f"（id={broken.event_id}）" if broken.event_id else ""
            self.stderr.write(f"审计链在第 {broken.seq} 号事件{where}处断开：{broken.reason}")
            raise CommandError("审计链校验失败", returncode=1)
        self.stdout.write(f"审计链完整：共 {total} 个事件。")
