import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from lvze.orgs.models import Appointment, Organization, Person


class Command(BaseCommand):
    help = "人员：list 列出人员"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list"])
        parser.add_argument("--org", help="组织代码，列出其下全部人员")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        people = Person.objects.filter(active=True).select_related("branch")
        if options["org"]:
            org = Organization.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"找不到代码为 {options['org']} 的组织", returncode=2)
            people = people.filter(branch__path__startswith=org.path) | people.filter(
                department__path__startswith=org.path
            )
        current = Appointment.objects.filter(end__isnull=True).select_related("organization")
        people = people.prefetch_related(Prefetch("appointments", queryset=current))
        rows = [
            {
                "id": p.pk,
                "name": p.name,
                "branch": p.branch.code if p.branch else None,
                "posts": [f"{a.organization.name}{a.get_post_display()}" for a in p.appointments.all()],
            }
            for p in people.order_by("id")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:>6} {row['name']} {row['branch'] or ''} {'、'.join(row['posts'])}")
