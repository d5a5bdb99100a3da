import json

from django.core.management.base import BaseCommand, CommandError

from lvze.benchdata import SCALES, build_dataset
from lvze.orgs.models import Organization


class Command(BaseCommand):
    help = "生成基准测试用的合成数据集（small 或 province），对同一种子结果确定"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        if Organization.objects.exists():
            raise CommandError("数据库非空：请在空数据库上生成基准数据", returncode=2)
        self.stdout.write(json.dumps(build_dataset(scale, seed=seed), ensure_ascii=False))
