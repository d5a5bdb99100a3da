"""The benchmark dataset at its small scale: every area filled, attendance for every member, a ledger row for
every rectification item."""

from django.db.models import Count
from django.test import TestCase

from lvze.benchdata import build_dataset
from lvze.benchdata_records import ACTIVITIES_PER_BRANCH, BRANCH_MEETINGS
from lvze.duties.models import Source, WorkItem
from lvze.inspections.models import Finding, InspectionTarget, Rectification
from lvze.orgs.models import Organization, OrgKind, Person
from lvze.records.models import Activity, Attendance, Meeting


class SmallDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.counts = build_dataset("small", seed=3)

    def test_every_area_is_filled(self):
        branches = Organization.objects.filter(kind=OrgKind.BRANCH).count()
        self.assertEqual(self.counts["work_items"], 3000)
        self.assertEqual(Meeting.objects.filter(organization__kind=OrgKind.BRANCH).count(), branches * len(BRANCH_MEETINGS))
        self.assertEqual(Activity.objects.count(), branches * ACTIVITIES_PER_BRANCH)
        self.assertGreater(InspectionTarget.objects.count(), 0)
        self.assertGreater(Finding.objects.count(), 0)

    def test_attendance_covers_every_member_and_matches_the_counts(self):
        people = dict(Person.objects.values_list("branch_id").annotate(n=Count("id")))
        meeting = Meeting.objects.filter(organization__kind=OrgKind.BRANCH).first()
        self.assertEqual(meeting.attendance.count(), people[meeting.organization_id])
        self.assertEqual(meeting.expected_count, people[meeting.organization_id])
        self.assertEqual(meeting.attended_count, meeting.attendance.filter(present=True).count())
        self.assertEqual(Attendance.objects.count(), self.counts["attendance"])
        self.assertLess(Attendance.objects.filter(present=True).count(), Attendance.objects.count())

    def test_every_rectification_item_has_its_ledger_row(self):
        items = WorkItem.objects.filter(source=Source.RECTIFICATION)
        self.assertEqual(Rectification.objects.count(), items.count())
        self.assertFalse(items.filter(rectification__isnull=True).exists())
        self.assertEqual(Rectification.objects.filter(finding__isnull=False).count(), Finding.objects.count())
