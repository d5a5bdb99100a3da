"""Campaigns: launch, computed facts that match the ledger, overrides only with a reason, ranking, publish."""

from datetime import date
from decimal import Decimal as D

from django.core.exceptions import ValidationError

from lvze.audit.models import AuditEvent
from lvze.duties.models import Source, Status, Timeliness, WorkItem
from lvze.duties.timeliness import timeliness_counts
from lvze.inspections.models import InspectionStatus, Score
from lvze.inspections.services import (
    inspection_create,
    inspection_launch,
    inspection_publish,
    inspection_refresh_facts,
    score_save,
    target_self_check,
)
from lvze.inspections.tests.base import TODAY, InspectionFixture
from lvze.records.services import meeting_record


class CampaignTests(InspectionFixture):
    def score(self, inspection, org: str, title: str) -> Score:
        return Score.objects.select_related("item", "target").get(
            target__inspection=inspection, target__organization__code=org, item__title=title
        )

    def test_launch_creates_self_checks_and_snapshot(self):
        events = AuditEvent.objects.count()
        inspection = self.make_campaign()
        self.assertEqual(inspection.status, InspectionStatus.RUNNING)
        self.assertEqual(
            [t.organization.code for t in inspection.targets.order_by("organization__path")], ["QJ01", "QJ02"]
        )
        item = WorkItem.objects.get(key=f"inspection:{inspection.pk}:{self.orgs['QJ01'].pk}")
        self.assertEqual(
            (item.source, item.due_date, item.period, item.responsible_person),
            (Source.INSPECTION, date(2023, 7, 7), "2023Q2", self.secretary_person),
        )
        self.assertEqual(inspection.items.count(), 5)
        self.assertEqual(Score.objects.filter(target__inspection=inspection).count(), 10)
        self.assertEqual(
            list(AuditEvent.objects.filter(seq__gt=events).order_by("seq").values_list("action", flat=True)),
            ["inspection.create", "inspection.launch"],
            "a launch is one audit event, not one per target",
        )
        with self.assertRaises(ValidationError):
            inspection_launch(actor=None, inspection=inspection, today=TODAY)

    def test_theme_day_fact_matches_the_ledger(self):
        inspection = self.make_campaign()
        qj01 = self.score(inspection, "QJ01", "主题党日")
        # April and May on time; June's was held on 3 July, after the period's end: not done as of 30 June.
        self.assertEqual(qj01.fact_data["expected"], 3)
        self.assertEqual((qj01.fact_data["on_time"], qj01.fact_data["late"]), (2, 0))
        self.assertEqual(qj01.computed_ratio, D("0.6667"))
        self.assertEqual((qj01.points, qj01.ratio, qj01.scored_by), (D("13.3"), D("0.6650"), None))
        self.assertIn("主题党日应开展3次，按期2次，未开展1次", qj01.fact_text)
        qj02 = self.score(inspection, "QJ02", "主题党日")
        self.assertEqual(qj02.computed_ratio, D("0.3333"))

    def test_timeliness_fact_is_the_on_time_rate_of_the_ledger(self):
        inspection = self.make_campaign()
        score = self.score(inspection, "QJ01", "党建云平台任务完成情况")
        items = WorkItem.objects.filter(
            organization=self.orgs["QJ01"], due_date__range=(date(2023, 4, 1), date(2023, 6, 30))
        ).exclude(source=Source.INSPECTION)
        counts = timeliness_counts(items, date(2023, 6, 30))
        due = items.count()
        self.assertEqual(score.fact_data["due"], due)
        self.assertEqual(score.fact_data["on_time"], counts[Timeliness.ON_TIME])
        self.assertEqual(score.computed_ratio, (D(counts[Timeliness.ON_TIME]) / due).quantize(D("0.0001")))
        self.assertIn("按期办结率", score.fact_text)

    def test_three_meetings_counts_quarterly_items(self):
        inspection = self.make_campaign()
        score = self.score(inspection, "QJ01", "“三会一课”")
        self.assertEqual((score.fact_data["expected"], score.fact_data["on_time"]), (2, 1))
        self.assertIn("支部党员大会应开展1次，按期1次", score.fact_text)
        self.assertIn("党课应开展1次，按期0次，未开展1次", score.fact_text)

    def test_manual_items_are_unscored_until_an_inspector_scores(self):
        inspection = self.make_campaign()
        manual = self.score(inspection, "QJ01", "《党支部工作手册》")
        self.assertIsNone(manual.scored_at)
        with self.assertRaisesMessage(ValidationError, "尚有2项未评分"):
            inspection_publish(actor=None, inspection=inspection)

    def test_study_fact_counts_months_with_study_records(self):
        inspection = self.make_campaign()
        qj01 = self.score(inspection, "QJ01", "政治学习笔记")
        self.assertEqual(qj01.fact_data, {"months": 3, "months_with_records": 2, "records": 3})
        self.assertEqual((qj01.computed_ratio, qj01.grade), (D("0.6667"), "average"))
        self.assertEqual(qj01.fact_text, "期内3个月中有2个月登记了政治学习，共3次")
        qj02 = self.score(inspection, "QJ02", "政治学习笔记")
        self.assertEqual((qj02.computed_ratio, qj02.grade), (D("0"), "poor"))

    def test_override_needs_a_reason(self):
        inspection = self.make_campaign()
        score = self.score(inspection, "QJ01", "主题党日")
        user = self.users["party_admin"]
        with self.assertRaises(ValidationError) as caught:
            score_save(actor=user, score=score, points=D("20"))
        self.assertIn("override_reason", caught.exception.message_dict)
        score.refresh_from_db()
        self.assertEqual(score.points, D("13.3"))
        score_save(actor=user, score=score, points=D("16"), override_reason="6月主题党日因防汛顺延，已报备")
        score.refresh_from_db()
        self.assertEqual((score.points, score.ratio, score.scored_by), (D("16.0"), D("0.8000"), user))
        self.assertTrue(score.overridden)
        # Saving the computed value again needs no reason and drops the old one.
        score_save(actor=user, score=score, points=D("13.3"))
        score.refresh_from_db()
        self.assertFalse(score.overridden)
        self.assertEqual(AuditEvent.objects.order_by("-seq").first().action, "inspection.score")

    def test_refresh_follows_new_records_but_keeps_overrides(self):
        inspection = self.make_campaign()
        theme = self.score(inspection, "QJ02", "主题党日")
        lecture = self.score(inspection, "QJ02", "“三会一课”")
        score_save(actor=None, score=lecture, points=D("10"), override_reason="党课记录在手册中，平台未登记")
        meeting_record(actor=None, organization=self.orgs["QJ02"], kind="theme_day", held_on=date(2023, 5, 20), topic="x")
        meeting_record(actor=None, organization=self.orgs["QJ02"], kind="party_lecture", held_on=date(2023, 6, 2), topic="y")
        inspection_refresh_facts(actor=None, inspection=inspection, today=TODAY)
        theme.refresh_from_db()
        lecture.refresh_from_db()
        self.assertEqual(theme.computed_ratio, D("0.6667"))
        self.assertEqual(theme.points, D("13.3"))
        self.assertEqual(lecture.computed_ratio, D("0.5000"))
        self.assertEqual(lecture.points, D("10.0"), "an overridden score keeps its entry")

    def test_ranking_board_and_publish(self):
        inspection = self.make_campaign()
        for score in Score.objects.filter(target__inspection=inspection, scored_at__isnull=True).select_related("item"):
            if score.item.scoring == "pass_fail":
                score_save(actor=None, score=score, passed=True)
            else:
                score_save(actor=None, score=score, grade="good" if score.target.organization.code == "QJ01" else "fair")
        inspection_publish(actor=None, inspection=inspection, on=date(2023, 7, 20))
        inspection.refresh_from_db()
        self.assertEqual((inspection.status, inspection.published_on), (InspectionStatus.PUBLISHED, date(2023, 7, 20)))
        targets = {t.organization.code: t for t in inspection.targets.select_related("organization")}
        self.assertEqual((targets["QJ01"].rank, targets["QJ01"].board), (1, "red"))
        self.assertEqual((targets["QJ02"].rank, targets["QJ02"].board), (2, "black"))
        weights = {s.item.title: s.item.weight for s in Score.objects.filter(target=targets["QJ01"]).select_related("item")}
        earned = sum(
            s.ratio * s.item.weight for s in Score.objects.filter(target=targets["QJ01"]).select_related("item")
        )
        self.assertEqual(targets["QJ01"].score, (earned / sum(weights.values()) * 100).quantize(D("0.1")))
        with self.assertRaises(ValidationError):
            score_save(actor=None, score=Score.objects.filter(target=targets["QJ01"]).first(), passed=True)

    def test_self_check_submits_the_work_item(self):
        inspection = self.make_campaign()
        target = inspection.targets.get(organization=self.orgs["QJ01"])
        target_self_check(actor=self.users["secretary"], target=target, text="已对照清单逐项自查")
        target.work_item.refresh_from_db()
        self.assertEqual(target.work_item.status, Status.SUBMITTED)
        with self.assertRaises(ValidationError):
            target_self_check(actor=None, target=target, text=" ")

    def test_create_validation(self):
        with self.assertRaises(ValidationError) as caught:
            inspection_create(
                actor=None,
                unit=self.orgs["QJ"],
                template=self.template,
                name="x",
                period="2023Q5",
                root=self.orgs["XQ"],
                deadline=date(2023, 7, 7),
            )
        self.assertEqual(set(caught.exception.message_dict), {"period", "root"})
