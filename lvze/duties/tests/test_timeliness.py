from datetime import date, datetime, timedelta
from unittest import mock

from django.utils import timezone

from lvze.duties.models import Source, Status, Timeliness, WorkItem
from lvze.duties.services import work_item_approve, work_item_submit
from lvze.duties.timeliness import on_time_rate, timeliness_counts, timeliness_q, with_timeliness
from lvze.test import LvzeTestCase

DUE = date(2023, 6, 30)


class TimelinessTests(LvzeTestCase):
    def item(self, key: str, due: date | None = DUE, **fields) -> WorkItem:
        org = self.orgs["QJ01"]
        return WorkItem.objects.create(
            key=key,
            source=Source.TASK,
            organization=org,
            unit=org.unit,
            org_path=org.path,
            title=key,
            due_date=due,
            warn_from=due - timedelta(days=3) if due else None,
            **fields,
        )

    def state(self, item: WorkItem, as_of: date) -> str:
        return with_timeliness(WorkItem.objects.filter(pk=item.pk), as_of).get().timeliness

    def test_open_item_boundaries(self):
        item = self.item("open")
        self.assertEqual(self.state(item, date(2023, 6, 26)), Timeliness.NORMAL)
        self.assertEqual(self.state(item, date(2023, 6, 27)), Timeliness.DUE_SOON, "due - today == w")
        self.assertEqual(self.state(item, date(2023, 6, 29)), Timeliness.DUE_SOON, "due tomorrow")
        self.assertEqual(self.state(item, DUE), Timeliness.DUE_SOON, "due today")
        self.assertEqual(self.state(item, date(2023, 7, 1)), Timeliness.OVERDUE)

    def test_done_on_time_and_a_day_late(self):
        on_time = self.item("on-time", status=Status.DONE, done_on=DUE)
        late = self.item("late", status=Status.DONE, done_on=DUE + timedelta(days=1))
        self.assertEqual(self.state(on_time, date(2023, 8, 1)), Timeliness.ON_TIME)
        self.assertEqual(self.state(late, date(2023, 8, 1)), Timeliness.LATE)

    def test_as_of_a_past_period_end_ignores_later_completion(self):
        late = self.item("late", status=Status.DONE, done_on=date(2023, 7, 5))
        self.assertEqual(self.state(late, DUE), Timeliness.DUE_SOON)
        self.assertEqual(self.state(late, date(2023, 7, 3)), Timeliness.OVERDUE)

    def test_submitted_is_still_open(self):
        item = self.item("submitted", status=Status.SUBMITTED)
        self.assertEqual(self.state(item, date(2023, 7, 2)), Timeliness.OVERDUE)

    def test_no_deadline_is_long_term(self):
        self.assertEqual(self.state(self.item("long", due=None), DUE), Timeliness.LONG_TERM)

    def test_approval_after_due_of_an_on_time_submission_is_on_time(self):
        item = self.item("reviewed")
        submitted = timezone.make_aware(datetime(2023, 6, 30, 17, 0))
        work_item_submit(actor=self.users["secretary"], item=item, at=submitted)
        with mock.patch("django.utils.timezone.now", return_value=timezone.make_aware(datetime(2023, 7, 4, 9, 0))):
            work_item_approve(actor=self.users["party_admin"], item=item)
        item.refresh_from_db()
        self.assertEqual(item.done_on, DUE)
        self.assertEqual(self.state(item, date(2023, 7, 10)), Timeliness.ON_TIME)

    def test_conditions_are_exclusive_and_counts_add_up(self):
        self.item("a")
        self.item("b", due=date(2023, 6, 1))
        self.item("c", status=Status.DONE, done_on=date(2023, 6, 1))
        self.item("d", due=None)
        self.item("e", due=date(2023, 9, 30))
        as_of = date(2023, 6, 28)
        counts = timeliness_counts(WorkItem.objects.all(), as_of)
        self.assertEqual(sum(counts.values()), 5)
        self.assertEqual(counts, {"long_term": 1, "on_time": 1, "late": 0, "overdue": 1, "due_soon": 1, "normal": 1})
        for key in counts:
            self.assertEqual(WorkItem.objects.filter(timeliness_q(key, as_of)).count(), counts[key])
        self.assertEqual(on_time_rate(counts, 4), 0.25)
        self.assertIsNone(on_time_rate(counts, 0))
