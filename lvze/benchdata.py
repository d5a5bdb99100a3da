"""Deterministic synthetic datasets for benchmarks: `small` and `province`.

province = 1 province bureau → 12 city bureaus → 120 district bureaus → 3,000 branches, 60,000
people and 500,000 work items (two years of mandatory actions, tasks and rectifications), and what was
recorded over them (benchdata_records: 200,000 meetings with attendance, 100,000 activities,
inspections, the rectification ledger …). Rows go in with bulk inserts; the build is one audit event.
Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from lvze.accounts.models import User
from lvze.audit.services import audit_record
from lvze.benchdata_records import RecordsBuilder
from lvze.duties.generation import obligations_generate
from lvze.duties.models import DEFAULT_WARN_DAYS, Source, Status, WorkItem
from lvze.lib.periods import Period
from lvze.orgs.models import (
    DEFAULT_WORK_AREAS,
    Appointment,
    Organization,
    OrgKind,
    PartyStatus,
    Person,
    Post,
    WorkArea,
)

BATCH = 5000


@dataclass(frozen=True)
class Scale:
    cities: int
    districts_per_city: int
    branches_per_district: int
    people_per_branch: int
    work_items: int


SCALES = {
    "small": Scale(cities=2, districts_per_city=2, branches_per_district=5, people_per_branch=8, work_items=3000),
    "province": Scale(cities=12, districts_per_city=10, branches_per_district=25, people_per_branch=20, work_items=500_000),
}
YEARS = (2023, 2024)


def org(code: str, name: str, kind: str, parent: Organization | None, unit: Organization | None, **extra) -> Organization:
    return Organization(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        path=f"{parent.path if parent else '/'}{code}/",
        depth=(parent.depth + 1) if parent else 0,
        unit=unit,
        **extra,
    )


class Builder:
    def __init__(self, scale: Scale, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.branches: list[Organization] = []

    def unit(self, code: str, name: str, parent: Organization | None) -> Organization:
        unit = org(code, name, OrgKind.COMMITTEE, parent, None)
        unit.save()
        unit.unit = unit
        unit.save(update_fields=["unit"])
        WorkArea.objects.bulk_create(WorkArea(unit=unit, name=n, order=i) for i, n in enumerate(DEFAULT_WORK_AREAS))
        return unit

    def build_orgs(self) -> Organization:
        root = self.unit("P", "示范省税务局党委", None)
        for c in range(1, self.scale.cities + 1):
            city = self.unit(f"P{c:02d}", f"示范省第{c}市税务局党委", root)
            for d in range(1, self.scale.districts_per_city + 1):
                district = self.unit(f"P{c:02d}{d:02d}", f"示范省第{c}市第{d}区税务局党委", city)
                self.build_branches(district)
        Organization.objects.bulk_create(self.branches, batch_size=BATCH)
        self.branches = list(Organization.objects.filter(kind=OrgKind.BRANCH))
        return root

    def build_branches(self, district: Organization) -> None:
        for b in range(1, self.scale.branches_per_district + 1):
            self.branches.append(
                org(f"{district.code}B{b:02d}", f"第{b}党支部", OrgKind.BRANCH, district, district, has_committee=self.rng.random() < 0.6)
            )

    def build_people(self) -> None:
        people = []
        for branch in self.branches:
            for i in range(self.scale.people_per_branch):
                people.append(
                    Person(
                        name=f"{branch.code}-{i:02d}",
                        branch=branch,
                        party_status=PartyStatus.FULL if i % 10 else PartyStatus.PROBATIONARY,
                        birth_date=date(1960 + self.rng.randint(0, 40), self.rng.randint(1, 12), self.rng.randint(1, 28)),
                        phone=f"139{self.rng.randint(10000000, 99999999)}",
                    )
                )
        Person.objects.bulk_create(people, batch_size=BATCH)

    def build_secretaries(self) -> None:
        """Each branch's first member is its secretary, with an account: reminders have someone to reach."""
        first = {}
        for pid, branch_id in Person.objects.order_by("id").values_list("id", "branch_id"):
            first.setdefault(branch_id, pid)
        start = date(YEARS[0], 1, 1)
        Appointment.objects.bulk_create(
            [Appointment(person_id=pid, organization_id=bid, post=Post.SECRETARY, start=start) for bid, pid in first.items()],
            batch_size=BATCH,
        )
        User.objects.bulk_create(
            [User(username=f"s{pid}", person_id=pid, password="!") for pid in first.values()], batch_size=BATCH
        )

    def complete_past_items(self, today: date) -> None:
        """A realistic mix: most past items done on time, some late, a few left open."""
        done = []
        for item in WorkItem.objects.filter(due_date__lt=today).only("id", "due_date").iterator(chunk_size=BATCH):
            roll = self.rng.random()
            if roll < 0.8:
                done.append(WorkItem(pk=item.pk, status=Status.DONE, done_on=item.due_date - timedelta(days=self.rng.randint(0, 20))))
            elif roll < 0.92:
                done.append(WorkItem(pk=item.pk, status=Status.DONE, done_on=item.due_date + timedelta(days=self.rng.randint(1, 15))))
        for start in range(0, len(done), BATCH):
            WorkItem.objects.bulk_update(done[start : start + BATCH], ["status", "done_on"])

    def fill_with_tasks(self, target: int) -> None:
        """Task and rectification items up to the target count, spread over branches and the two years."""
        missing = target - WorkItem.objects.count()
        items = []
        for n in range(max(missing, 0)):
            branch = self.branches[n % len(self.branches)]
            due = date(YEARS[n % 2], 1, 1) + timedelta(days=self.rng.randint(0, 364))
            source = Source.TASK if n % 3 else Source.RECTIFICATION
            items.append(
                WorkItem(
                    key=f"bench:{n}",
                    source=source,
                    organization=branch,
                    unit_id=branch.unit_id,
                    org_path=branch.path,
                    title=f"重点任务{n}" if source == Source.TASK else f"整改事项{n}",
                    work_area=DEFAULT_WORK_AREAS[n % len(DEFAULT_WORK_AREAS)],
                    period=f"{due.year}-{due.month:02d}",
                    due_date=due,
                    warn_from=due - timedelta(days=DEFAULT_WARN_DAYS),
                )
            )
            if len(items) == BATCH:
                WorkItem.objects.bulk_create(items)
                items = []
        WorkItem.objects.bulk_create(items)


DATASET_TODAY = date(2024, 11, 15)


@transaction.atomic
def build_dataset(scale_name: str, *, seed: int = 1, today: date = DATASET_TODAY) -> dict[str, int]:
    builder = Builder(SCALES[scale_name], seed)
    root = builder.build_orgs()
    builder.build_people()
    builder.build_secretaries()
    for year in YEARS:
        obligations_generate(actor=None, period=Period("year", year))
    builder.fill_with_tasks(SCALES[scale_name].work_items)
    builder.complete_past_items(today)
    counts = {
        "organizations": Organization.objects.count(),
        "branches": len(builder.branches),
        "people": Person.objects.count(),
        "work_items": WorkItem.objects.count(),
        **RecordsBuilder(builder.rng).build(),
    }
    audit_record(actor=None, action="bench.build", organization=root, changes={"scale": scale_name, **counts})
    return counts
