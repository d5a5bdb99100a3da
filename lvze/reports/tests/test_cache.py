"""The figures cache: a second reading is served from it, and any change to the counted tables — through a
service, a bulk update or raw SQL — moves the data version, so the next reading counts afresh."""

from datetime import date

from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lvze.duties.models import Status, WorkItem
from lvze.inspections.services import finding_create
from lvze.lib.figures_cache import data_version, reader_key
from lvze.records.models import MeetingKind
from lvze.records.services import meeting_record
from lvze.reports.selectors import dashboard_figures
from lvze.reports.tests.base import H1, TODAY, ReportTestCase, frozen


@override_settings(LVZE_FIGURES_CACHE_SECONDS=60)
class FiguresCacheTests(ReportTestCase):
    def setUp(self):
        super().setUp()
        caches["figures"].clear()
        self.user = self.login("party_admin")

    def read(self):
        with frozen(TODAY), CaptureQueriesContext(connection) as queries:
            figures = dashboard_figures(self.user, self.orgs["QJ"], H1, TODAY)
        return figures, len(queries)

    def test_a_second_reading_comes_from_the_cache_with_the_same_figures(self):
        first, cold_queries = self.read()
        second, warm_queries = self.read()
        self.assertEqual(second.tally, first.tally)
        self.assertEqual([(r.key, r.tally) for r in second.months], [(r.key, r.tally) for r in first.months])
        self.assertEqual(second.obligations[0].extra["held"], first.obligations[0].extra["held"])
        self.assertLess(warm_queries, cold_queries - 5)

    def test_a_recorded_meeting_moves_the_version_and_shows_at_once(self):
        before, _ = self.read()
        version = data_version()
        with frozen(date(2024, 7, 1)):
            meeting_record(actor=None, organization=self.orgs["QJ02"], kind=MeetingKind.THEME_DAY,
                           held_on=date(2024, 3, 12), topic="3月主题党日")
        self.assertGreater(data_version(), version)
        after, _ = self.read()
        held = {r.key: r.extra["held"] for r in after.obligations}
        self.assertEqual(held["meeting:theme_day"], {r.key: r.extra["held"] for r in before.obligations}["meeting:theme_day"] + 1)
        self.assertEqual(after.tally.on_time, before.tally.on_time + 1)  # the meeting completed March's item

    def test_bulk_updates_and_raw_sql_move_the_version_too(self):
        before, _ = self.read()
        open_items = WorkItem.objects.filter(organization=self.orgs["QJ02"], due_date__lte=H1.end).exclude(status=Status.DONE)
        self.assertTrue(open_items.exists())
        version = data_version()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE duties_workitem SET status = %s, done_on = due_date WHERE id = %s",
                           [Status.DONE, open_items.first().pk])
        self.assertGreater(data_version(), version)
        after, _ = self.read()
        self.assertEqual(after.tally.on_time, before.tally.on_time + 1)

    def test_a_new_finding_shows_at_once_and_each_reader_has_their_own_counts(self):
        before, _ = self.read()
        finding_create(actor=self.user, unit=self.orgs["QJ"], organization=self.orgs["QJ02"], source="supervision",
                       supervision_type="department", description="新发现的问题", found_on=date(2024, 5, 5))
        after, _ = self.read()
        counts = {r.key: r.extra["n"] for r in after.supervision}
        self.assertEqual(counts["department"], {r.key: r.extra["n"] for r in before.supervision}["department"] + 1)
        self.assertNotEqual(reader_key(self.user), reader_key(self.users["leader"]))

    def test_the_ledgers_timeliness_cards_follow_a_completed_item(self):
        def overdue_card() -> str:
            with frozen(TODAY):
                html = self.client.get("/items/counts/", {"org": "QJ02"}).content.decode()
            return html[html.index("overdue"):][:200]

        before = overdue_card()
        self.assertEqual(overdue_card(), before)
        item = WorkItem.objects.filter(organization=self.orgs["QJ02"], due_date__lt=TODAY).exclude(status=Status.DONE).first()
        WorkItem.objects.filter(pk=item.pk).update(status=Status.DONE, done_on=TODAY)
        self.assertNotEqual(overdue_card(), before)

    @override_settings(LVZE_FIGURES_CACHE_SECONDS=0)
    def test_off_counts_every_time(self):
        _, first = self.read()
        _, second = self.read()
        self.assertEqual(first, second)
