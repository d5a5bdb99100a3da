import json
import signal
import time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lvze.reminders.engine import remind


def parse_now(text: str | None) -> datetime:
    if not text:
        return timezone.now()
    value = parse_datetime(text) or (parse_datetime(f"{text}T09:00:00") if len(text) == 10 else None)
    if value is None:
        raise CommandError(f"--now 应为 ISO 时间，如 2024-05-28T09:00，实为 {text}", returncode=2)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Command(BaseCommand):
    help = "提醒引擎：找出到期前、逾期和需升级的事项并发送（可重复运行，不会重复发送）"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="以该时间运行（ISO；无时区按部署时区）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的内容")
        parser.add_argument("--loop", action="store_true", help="持续运行，收到 SIGTERM 后干净退出")
        parser.add_argument("--interval", type=int, default=300, help="--loop 时两次运行的间隔秒数")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        if not options["loop"]:
            self.run_once(parse_now(options["now"]), options["dry_run"], options["json"])
            return
        stopping = {"flag": False}

        def stop(signum, frame):
            stopping["flag"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("提醒引擎已启动")
        while not stopping["flag"]:
            self.run_once(timezone.now(), options["dry_run"], options["json"])
            for _ in range(options["interval"]):
                if stopping["flag"]:
                    break
                time.sleep(1)
        self.stdout.write("提醒引擎已停止")

    def run_once(self, now: datetime, dry_run: bool, as_json: bool) -> None:
        digests = remind(now=now, dry_run=dry_run)
        if as_json:
            self.stdout.write(json.dumps({"sends": [d.as_dict() for d in digests]}, ensure_ascii=False))
            return
        verb = "将发送" if dry_run else "已处理"
        self.stdout.write(f"{timezone.localtime(now):%Y-%m-%d %H:%M} {verb} {len(digests)} 条汇总提醒，共 {sum(len(d.entries) for d in digests)} 项")
        self.stdout.flush()
