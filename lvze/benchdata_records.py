"""The records half of the benchmark dataset: what branches and units recorded over the two years.

At province scale: about 200,000 meetings with attendance for every member of the branch (some four
million rows, inserted by one INSERT … SELECT), 100,000 activities, talks, study, honours, 会商 and
民主生活会 per unit, inspections of every district's branches with scores, and the rectification
ledger (with its findings) over the dataset's rectification items. Deterministic for a seed: no
database random(), only the builder's own generator and arithmetic on ids.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection

from lvze.duties.models import Source, WorkItem
from lvze.inspections.models import (
    Finding,
    FindingSource,
    Inspection,
    InspectionStatus,
    InspectionTarget,
    Rectification,
    RectificationSource,
    SupervisionType,
)
from lvze.orgs.models import DEFAULT_WORK_AREAS, Organization, OrgKind, Person
from lvze.records.models import (
    DEFAULT_ACTIVITY_TYPES,
    Activity,
    ActivityType,
    ConsultationLevel,
    Honor,
    HonorLevel,
    Meeting,
    MeetingKind,
    StudyRecord,
    Talk,
)

BATCH = 5000
# A branch's two years of meetings: monthly 主题党日 and 支委会, quarterly 党员大会 and 党课, a yearly
# 组织生活会 and 民主评议党员 — 66 a branch, 198,000 for 3,000 branches.
BRANCH_MEETINGS = (
    [(MeetingKind.THEME_DAY, m) for m in range(22)]
    + [(MeetingKind.BRANCH_COMMITTEE, m) for m in range(22)]
    + [(MeetingKind.BRANCH_ASSEMBLY, m) for m in range(0, 22, 3)]
    + [(MeetingKind.PARTY_LECTURE, m) for m in range(1, 22, 3)]
    + [(MeetingKind.ORG_LIFE, 0), (MeetingKind.ORG_LIFE, 12), (MeetingKind.MEMBER_REVIEW, 1), (MeetingKind.MEMBER_REVIEW, 13)]
)
ACTIVITIES_PER_BRANCH = 33
START = date(2023, 1, 1)
LAST_DAY = date(2024, 11, 15)


def month_day(rng: random.Random, month_index: int) -> date:
    year, month = START.year + month_index // 12, month_index % 12 + 1
    return date(year, month, rng.randint(1, 28))


def any_day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randint(0, (LAST_DAY - START).days))


class RecordsBuilder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).only("id", "unit_id", "code", "path"))
        self.units = list(Organization.objects.filter(kind=OrgKind.COMMITTEE).only("id", "code", "depth", "path"))
        self.first_person = {}
        for pid, branch_id in Person.objects.order_by("id").values_list("id", "branch_id"):
            self.first_person.setdefault(branch_id, pid)

    def build(self) -> dict[str, int]:
        return {
            "meetings": self.build_meetings(),
            "attendance": self.build_attendance(),
            "activities": self.build_activities(),
            "talks": self.build_talks(),
            "study": self.build_study(),
            "honours": self.build_honours(),
            "inspections": self.build_inspections(),
            "rectifications": self.build_rectifications(),
        }

    def build_meetings(self) -> int:
        rows = [self.branch_meeting(b, kind, m) for b in self.branches for kind, m in BRANCH_MEETINGS]
        for unit in self.units:
            rows += self.unit_meetings(unit)
        Meeting.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def branch_meeting(self, branch: Organization, kind: str, month_index: int) -> Meeting:
        day = month_day(self.rng, month_index)
        return Meeting(organization_id=branch.pk, kind=kind, period=f"{day:%Y-%m}", held_on=day, topic=f"{day:%Y年%m月}学习",
                       work_area=DEFAULT_WORK_AREAS[0])

    def unit_meetings(self, unit: Organization) -> list[Meeting]:
        rows = []
        for year in (2023, 2024):
            for level in ConsultationLevel.values:
                for quarter in range(4 if year == 2023 else 3):
                    day = date(year, quarter * 3 + 2, self.rng.randint(1, 28))
                    rows.append(Meeting(organization_id=unit.pk, kind=MeetingKind.CONSULTATION, consultation_level=level,
                                        period=f"{day:%Y-%m}", held_on=day, topic="专题会商", work_area="综合监督"))
            day = date(year, 2, self.rng.randint(1, 28))
            rows.append(Meeting(organization_id=unit.pk, kind=MeetingKind.DEMOCRATIC_LIFE, period=str(year - 1),
                                held_on=day, topic=f"{year - 1}年度民主生活会", work_area=DEFAULT_WORK_AREAS[0]))
        return rows

    def build_attendance(self) -> int:
        """Every member of the branch at every branch meeting; one in ten absent, chosen by ids."""
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO records_attendance (meeting_id, person_id, present, absence_reason, expected,"
                " excluded_reason, confirmed_at, objection)"
                " SELECT m.id, p.id, ((m.id * 31 + p.id * 17) %% 10) <> 0, '', %s, '', NULL, ''"
                " FROM records_meeting m JOIN orgs_person p ON p.branch_id = m.organization_id",
                [True],
            )
            added = cursor.rowcount
            cursor.execute(
                "UPDATE records_meeting SET"
                " expected_count = (SELECT COUNT(*) FROM records_attendance a WHERE a.meeting_id = records_meeting.id),"
                " attended_count = (SELECT COUNT(*) FROM records_attendance a WHERE a.meeting_id = records_meeting.id"
                " AND a.present)"
                " WHERE organization_id IN (SELECT id FROM orgs_organization WHERE kind = %s)",
                [OrgKind.BRANCH],
            )
        return added

    def build_activities(self) -> int:
        ActivityType.objects.bulk_create(
            [ActivityType(unit_id=u.pk, name=n, order=i) for u in self.units for i, n in enumerate(DEFAULT_ACTIVITY_TYPES)],
            ignore_conflicts=True,
        )
        types = {(t.unit_id, t.name): t.pk for t in ActivityType.objects.all()}
        rows = []
        for branch in self.branches:
            for n in range(ACTIVITIES_PER_BRANCH):
                name = DEFAULT_ACTIVITY_TYPES[n % len(DEFAULT_ACTIVITY_TYPES)]
                rows.append(Activity(
                    organization_id=branch.pk, activity_type_id=types[(branch.unit_id, name)], name=f"{name}{n + 1}",
                    held_on=any_day(self.rng), people_covered=self.rng.randint(0, 90),
                    problems_solved=self.rng.randint(0, 5), participant_count=self.rng.randint(5, 20),
                    work_area=DEFAULT_WORK_AREAS[n % len(DEFAULT_WORK_AREAS)],
                    highlight="把党的声音传到“最后一公里”" if n == 0 else "",
                ))
            if len(rows) >= BATCH:
                Activity.objects.bulk_create(rows)
                rows = []
        Activity.objects.bulk_create(rows)
        return len(self.branches) * ACTIVITIES_PER_BRANCH

    def build_talks(self) -> int:
        rows = []
        for branch in self.branches:
            person = self.first_person.get(branch.pk)
            for _n in range(8 if person else 0):
                day = any_day(self.rng)
                rows.append(Talk(organization_id=branch.pk, held_on=day, period=f"{day:%Y-%m}", initiator_id=person,
                                 partner_id=person, topic="谈心谈话"))
        Talk.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def build_study(self) -> int:
        rows = [StudyRecord(organization_id=b.pk, held_on=month_day(self.rng, m), title="集中学习")
                for b in self.branches for m in range(0, 22, 2)]
        StudyRecord.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def build_honours(self) -> int:
        rows = [Honor(organization_id=u.pk, level=level, title=title, awarded_on=any_day(self.rng), recipient_org_id=u.pk)
                for u in self.units
                for level, title in ((HonorLevel.MUNICIPAL, "市级文明单位"), (HonorLevel.PROVINCIAL, "五一劳动奖状"))]
        Honor.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def build_inspections(self) -> int:
        """Each district checks its branches every half-year: a published campaign with scores."""
        districts = [u for u in self.units if u.depth == 2]
        by_unit: dict[int, list[Organization]] = {}
        for branch in self.branches:
            by_unit.setdefault(branch.unit_id, []).append(branch)
        campaigns = [
            Inspection(unit_id=d.pk, root_id=d.pk, name=f"{half}支部工作检查", period=half, status=InspectionStatus.PUBLISHED,
                       deadline=date(int(half[:4]), 6 if half.endswith("H1") else 12, 20),
                       published_on=date(int(half[:4]), 6 if half.endswith("H1") else 12, 28))
            for d in districts for half in ("2023H1", "2023H2", "2024H1")
        ]
        Inspection.objects.bulk_create(campaigns, batch_size=BATCH)
        targets = [
            InspectionTarget(inspection_id=c.pk, organization_id=b.pk, score=round(self.rng.uniform(70, 100), 1))
            for c in Inspection.objects.all() for b in by_unit.get(c.unit_id, [])
        ]
        InspectionTarget.objects.bulk_create(targets, batch_size=BATCH)
        return len(campaigns)

    def build_rectifications(self) -> int:
        """The ledger over every rectification item; half of them from a finding of one of the six types."""
        types = SupervisionType.values
        sources = [FindingSource.INSPECTION, FindingSource.SUPERVISION]
        created = 0
        items = WorkItem.objects.filter(source=Source.RECTIFICATION).values_list(
            "id", "organization_id", "unit_id", "due_date", "title"
        )
        batch: list[tuple] = []
        for row in items.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) == BATCH:
                created += self.rectification_batch(batch, types, sources)
                batch = []
        return created + self.rectification_batch(batch, types, sources)

    def rectification_batch(self, rows: list[tuple], types: list[str], sources: list[str]) -> int:
        findings = {}
        for item_id, org_id, unit_id, due, title in rows:
            if item_id % 2 == 0:
                kind = types[item_id % len(types)]
                findings[item_id] = Finding(unit_id=unit_id, organization_id=org_id, source=sources[item_id % 4 // 2],
                                            supervision_type=kind, description=f"{title}问题", found_on=due - timedelta(days=30))
        Finding.objects.bulk_create(findings.values())
        Rectification.objects.bulk_create([
            Rectification(unit_id=unit_id, source=RectificationSource.SUPERVISION if item_id in findings else RectificationSource.SELF,
                          finding=findings.get(item_id), supervision_type=findings[item_id].supervision_type if item_id in findings else "",
                          problem=f"{title}问题", measures="制定整改措施", responsible_org_id=org_id, deadline=due,
                          work_item_id=item_id, identity=f"bench:{item_id}")
            for item_id, org_id, unit_id, due, title in rows
        ])
        return len(rows)
