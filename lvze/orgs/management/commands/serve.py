import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以生产级服务器（gunicorn）运行 Web 应用"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("LVZE_WORKERS", "2")))

    def handle(self, *args, host, port, workers, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "lvze.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        self.stdout.write(f"履责 Lvze 正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）")
        self.stdout.flush()
        os.execv(sys.executable, argv)
