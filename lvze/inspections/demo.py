"""Demo inspections: the quarterly branch inspections of the demo years run through the real services —
launched, self-checked, scored (the platform's figures from the ledger, a few overridden with a reason),
published with their findings — then the findings rectified into a ledger with items in every state,
supervision findings of several types, the previous year's 述职评议 and leaders' 述职述廉报告.

Everything is dated in the past relative to `today` and follows from the records already built, so
the computed facts agree with the ledger and re-verifying a campaign changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from lvze.accounts.models import User
from lvze.duties.models import Status
from lvze.duties.services import work_item_approve, work_item_submit
from lvze.inspections import rectifications as rect_services
from lvze.inspections import services
from lvze.inspections.models import (
    ChecklistTemplate,
    FindingSource,
    InspectionStatus,
    Rectification,
    RectificationEvent,
    Score,
)
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, Organization, OrgKind, Person, Post

MANUAL_FINDINGS = {
    "政治学习笔记": ["部分党员政治学习笔记记录过于简单，缺少学习心得体会", "个别党员政治学习笔记未按月记录"],
    "《党支部工作手册》": ["《党支部工作手册》党费收缴记录不完整", "《党支部工作手册》支委会记录未体现研究事项结果"],
}
FACT_FINDINGS = {
    "“三会一课”": "“三会一课”开展不规范：{fact}",
    "主题党日": "主题党日未按月开展：{fact}",
    "党建云平台任务完成情况": "党建云平台任务未按期完成：{fact}",
}
SUPERVISION = [
    ("committee", "QJBGS", "意识形态工作责任制落实情况报告未按时上报党委会审议"),
    ("discipline", "QJ03", "党员领导干部廉政谈话记录不完整"),
    ("discipline", "QJSW1", "税务所公务用车使用登记不规范"),
    ("department", "QJRJ", "干部选拔任用纪实材料归档不及时"),
    ("grassroots", "QJ05", "支部对党员请假外出情况掌握不及时"),
    ("democratic", "QJ02", "党员群众反映办税服务厅窗口引导不到位"),
    ("external", "QJNF", "“12366”热线回访中纳税人反映咨询答复不一致"),
    ("discipline", "QJ07", "“三重一大”事项决策记录不完整"),
]
EVALUATION_PROBLEMS = [
    "抓党建与抓业务融合不够紧密",
    "党员教育管理方式较为单一",
    "支部品牌建设特色不够鲜明",
    "对青年党员的培养措施不够具体",
]
IDEOLOGY = (
    "三、落实意识形态工作责任制情况。认真履行“一岗双责”，把意识形态工作与分管业务同部署、同落实，"
    "定期分析研判分管领域意识形态形势，做好网络舆情引导。"
)


def at(day: date, hour: int = 16) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("person").first()


def quarters_to_run(today: date) -> list[Period]:
    """Every quarter of the demo years whose results can have been published by `today`."""
    result = []
    for year in (today.year - 1, today.year):
        for quarter in Period("year", year).quarters():
            if quarter.end + timedelta(days=15) <= today:
                result.append(quarter)
    return result


GRADES_UP = {"poor": "average", "average": "fair", "fair": "good", "good": "good"}


def raised(score: Score) -> dict:
    """The score an inspector gives after seeing records the platform lacks: one step up."""
    item = score.item
    if item.scoring == "points":
        return {"points": min(item.max_points, (score.points or Decimal(0)) + Decimal(2))}
    if item.scoring == "grade":
        return {"grade": GRADES_UP[score.grade or "poor"]}
    return {"passed": True}


def run_campaign(quarter: Period, today: date, rng: random.Random, template, admin, inspector) -> None:
    unit = template.unit
    deadline = quarter.end + timedelta(days=7)
    inspection = services.inspection_create(
        actor=admin,
        unit=unit,
        template=template,
        name=f"{quarter.label()}支部工作检查",
        period=str(quarter),
        root=Organization.objects.get(code="QJJG"),
        deadline=deadline,
        rectify_deadline=quarter.end + timedelta(days=90),
        inspectors=[p for p in (admin.person, inspector.person) if p],
        board_size=2,
    )
    services.inspection_launch(actor=admin, inspection=inspection, today=today)
    for target in inspection.targets.select_related("organization", "work_item"):
        roll = rng.random()
        if roll < 0.08:
            continue  # never submitted: the self-check stays 逾期 in the ledger
        submitted = deadline - timedelta(days=rng.randint(0, 6)) if roll > 0.2 else deadline + timedelta(days=rng.randint(1, 4))
        text = "已对照检查清单逐项自查：政治学习笔记、《党支部工作手册》已补充完善，平台任务已核对。"
        target.self_check = text
        target.save(update_fields=["self_check"])
        work_item_submit(actor=None, item=target.work_item, note="已提交自查情况", at=at(submitted))
        work_item_approve(actor=admin, item=target.work_item, note="自查情况属实")
    scored = Score.objects.filter(target__inspection=inspection).select_related("item", "target__organization")
    overridden = False
    for score in scored.order_by("target__organization__path", "item__seq"):
        item = score.item
        if item.fact and score.computed_ratio is not None:
            if not overridden and score.computed_ratio < 1 and rng.random() < 0.3:
                services.score_save(
                    actor=inspector,
                    score=score,
                    **raised(score),
                    override_reason="支部提供了线下记录，经核实后调整",
                    note="会后补录平台记录",
                )
                overridden = True
            continue
        good = rng.random()
        services.score_save(
            actor=inspector,
            score=score,
            passed=good > 0.15,
            points=(item.max_points * Decimal(str(round(0.6 + 0.4 * good, 1)))).quantize(Decimal("0.1")),
            grade="good" if good > 0.5 else "fair" if good > 0.2 else "average",
            note="" if good > 0.2 else "记录不够规范",
        )
    findings = []
    for score in scored.filter(ratio__lt=1).order_by("ratio", "target__organization__path")[:5]:
        item = score.item
        if item.title in FACT_FINDINGS and score.fact_text:
            text = FACT_FINDINGS[item.title].format(fact=score.fact_text.split("（")[0])
        elif item.title in MANUAL_FINDINGS:
            text = rng.choice(MANUAL_FINDINGS[item.title])
        else:
            continue
        findings.append(
            services.finding_create(
                actor=inspector,
                unit=unit,
                organization=score.target.organization,
                source=FindingSource.INSPECTION,
                description=text,
                found_on=deadline + timedelta(days=2),
                inspection=inspection,
                target=score.target,
                item=item,
            )
        )
    services.inspection_publish(actor=admin, inspection=inspection, on=deadline + timedelta(days=5))
    for finding in findings:
        rect = rect_services.finding_rectify(
            actor=admin, finding=finding, measures="对照问题逐项整改，完善记录，举一反三", at=at(deadline + timedelta(days=6))
        )
        progress(rect, today, rng, admin)


def outcome_for(rect: Rectification, today: date, rng: random.Random) -> str:
    """Where a rectification stands by `today`: the ones still running are open, awaiting verification
    or returned; older ones mostly closed on time, some closed late, verified only, or still overdue."""
    if rect.deadline >= today - timedelta(days=5):
        return rng.choice(["open", "open", "requested", "returned"])
    roll = rng.random()
    if roll < 0.1:
        return "open"
    if roll < 0.22:
        return "late"
    if roll < 0.32:
        return "verified"
    return "closed"


EVIDENCE_NOTE = "已完成整改，上传整改情况说明"


def evidence_for(rect: Rectification) -> list[tuple[str, bytes, str]]:
    return [("整改情况说明.pdf", f"%PDF-1.4 整改情况说明 {rect.pk}".encode(), "application/pdf")]


def progress(rect: Rectification, today: date, rng: random.Random, reviewer) -> None:
    """Move a rectification along through the real services, every step dated on or before `today`."""
    created = timezone.localdate(rect.events.order_by("at", "id").first().at)
    outcome = outcome_for(rect, today, rng)
    started = created + timedelta(days=3)
    if started >= today:
        return
    rect_services.rectification_progress(actor=None, rect=rect, note="已制定整改方案，正在落实", at=at(started))
    if outcome == "open":
        return
    if outcome in ("requested", "returned"):
        asked = min(today - timedelta(days=3), rect.deadline - timedelta(days=1))
        if asked <= started:
            return
        rect_services.rectification_request_close(actor=None, rect=rect, note=EVIDENCE_NOTE, files=evidence_for(rect), at=at(asked))
        if outcome == "returned":
            rect_services.rectification_return(
                actor=reviewer, rect=rect, note="佐证材料不完整，请补充活动照片和会议记录", at=at(asked + timedelta(days=2))
            )
        return
    if outcome == "late":
        done = rect.deadline + timedelta(days=rng.randint(2, 15))
    else:
        done = rect.deadline - timedelta(days=rng.randint(0, 15))
    done = min(max(done, started + timedelta(days=8)), today - timedelta(days=12))
    if rng.random() < 0.3 and done - timedelta(days=6) > started:
        rect_services.rectification_request_close(
            actor=None, rect=rect, note=EVIDENCE_NOTE, files=evidence_for(rect), at=at(done - timedelta(days=6))
        )
        rect_services.rectification_return(
            actor=reviewer, rect=rect, note="整改措施落实不到位，请补充", at=at(done - timedelta(days=4))
        )
        rect_services.rectification_request_close(actor=None, rect=rect, note="已补充整改佐证", at=at(done))
    else:
        rect_services.rectification_request_close(actor=None, rect=rect, note=EVIDENCE_NOTE, files=evidence_for(rect), at=at(done))
    verified = done + timedelta(days=rng.randint(2, 6))
    rect_services.rectification_verify(actor=reviewer, rect=rect, note="经核查已整改到位", at=at(verified))
    if outcome != "verified":
        rect_services.rectification_close(actor=reviewer, rect=rect, note="同意销号", at=at(verified + timedelta(days=rng.randint(1, 5))))


def build_supervision(today: date, rng: random.Random, unit, admin, supervisor) -> None:
    for index, (kind, code, text) in enumerate(SUPERVISION):
        found_on = today - timedelta(days=20 + index * 37)
        finding = services.finding_create(
            actor=supervisor,
            unit=unit,
            organization=Organization.objects.get(code=code),
            source=FindingSource.SUPERVISION,
            supervision_type=kind,
            description=text,
            found_on=found_on,
        )
        if index % 4 != 1:
            rect = rect_services.finding_rectify(
                actor=supervisor,
                finding=finding,
                deadline=found_on + timedelta(days=45),
                measures="建立台账，明确专人，限期整改",
                at=at(found_on + timedelta(days=1)),
            )
            progress(rect, today, rng, supervisor)


def take_life_meeting_problems(today: date, rng: random.Random, unit, admin) -> None:
    """The 民主生活会's 问题清单 (built with the records) taken into the ledger a week after the meeting."""
    for entry in rect_services.untaken_problems([unit]):
        meeting = entry.process.meeting
        taken_on = (meeting.held_on if meeting else today) + timedelta(days=7)
        if taken_on > today:
            continue
        for rect in rect_services.problem_entries_take(
            actor=admin, unit=unit, entries=[entry], default_deadline=taken_on + timedelta(days=180)
        ):
            RectificationEvent.objects.filter(rectification=rect).update(at=at(taken_on))
            progress(rect, today, rng, admin)


def build_evaluation(today: date, rng: random.Random, unit, admin) -> None:
    year = today.year - 1
    held_on = date(today.year, 1, 12)
    if held_on > today:
        return
    evaluation = services.evaluation_create(
        actor=admin, unit=unit, year=year, title=f"{year}年度党支部书记抓党建述职评议", held_on=held_on,
        note="区局党委班子成员、机关党委委员和党员代表参加评议。",
    )
    secretaries = dict(
        Appointment.objects.filter(post=Post.SECRETARY, end__isnull=True, organization__kind=OrgKind.BRANCH)
        .values_list("organization_id", "person_id")
    )
    branches = Organization.objects.filter(path__startswith=unit.path, unit=unit, kind=OrgKind.BRANCH).order_by("path")
    for branch in branches:
        person_id = secretaries.get(branch.pk)
        if person_id is None:
            continue
        attendees = 30
        good = rng.randint(14, 26)
        fair = rng.randint(0, attendees - good)
        average = rng.randint(0, attendees - good - fair)
        problems = rng.sample(EVALUATION_PROBLEMS, k=rng.choice([0, 1, 1, 2]))
        entry = services.evaluation_entry_save(
            actor=admin,
            evaluation=evaluation,
            organization=branch,
            person=Person.objects.get(pk=person_id),
            report=f"{year}年，支部认真落实“三会一课”、主题党日等制度，完成党建云平台各项任务。",
            votes_good=good,
            votes_fair=fair,
            votes_average=average,
            votes_poor=attendees - good - fair - average,
            comments="工作思路清晰，措施较为有力。",
            problems="\n".join(problems),
        )
        if problems:
            for rect in rect_services.evaluation_entry_rectify(
                actor=admin, entry=entry, deadline=date(today.year, 3, 31), at=at(held_on + timedelta(days=1))
            ):
                progress(rect, today, rng, admin)


def build_duty_reports(today: date, unit, admin) -> None:
    year = today.year - 1
    filed_on = date(today.year, 1, 8)
    if filed_on > today:
        return
    leaders = (
        Appointment.objects.filter(
            organization=unit, post__in=[Post.SECRETARY, Post.LEADERSHIP_MEMBER], end__isnull=True
        )
        .select_related("person")
        .order_by("id")
    )
    for index, appointment in enumerate(leaders):
        person = appointment.person
        content = (
            f"一、履行全面从严治党主体责任和“一岗双责”情况。{year}年，认真落实党委部署，抓好分管领域党建工作。"
            "二、廉洁自律情况。严格遵守中央八项规定精神，未发现违规违纪问题。"
        )
        if index != len(leaders) - 1:
            content += IDEOLOGY  # the last one left it out: it stays unchecked until supplemented
        report = services.duty_report_file(
            actor=admin, unit=unit, person=person, year=year, title=f"{year}年度述职述廉报告", content=content, filed_on=filed_on
        )
        if report.covers_ideology:
            services.duty_report_check(actor=admin, report=report, note="内容完整", at=at(filed_on + timedelta(days=5)))


def build_inspections(today: date, rng: random.Random) -> None:
    unit = Organization.objects.get(code="QJ")
    admin, inspector, supervisor = user("dangban"), user("fenguan"), user("jijian")
    services.checklist_install_builtin(actor=admin, unit=unit)
    template = ChecklistTemplate.objects.get(unit=unit, builtin_code="branch_quarterly")
    for quarter in quarters_to_run(today):
        run_campaign(quarter, today, rng, template, admin, inspector)
    current = Period.of_date(today, "quarter")
    if today >= current.start + timedelta(days=20):
        running = services.inspection_create(
            actor=admin,
            unit=unit,
            template=template,
            name=f"{current.label()}支部工作检查",
            period=str(current),
            root=Organization.objects.get(code="QJJG"),
            deadline=current.end + timedelta(days=7),
            rectify_deadline=current.end + timedelta(days=90),
            inspectors=[p for p in (admin.person, inspector.person) if p],
            board_size=2,
        )
        services.inspection_launch(actor=admin, inspection=running, today=today)
    build_supervision(today, rng, unit, admin, supervisor)
    take_life_meeting_problems(today, rng, unit, admin)
    build_evaluation(today, rng, unit, admin)
    build_duty_reports(today, unit, admin)
    assert not Score.objects.filter(
        target__inspection__status=InspectionStatus.PUBLISHED, scored_at__isnull=True
    ).exists()
    assert not Rectification.objects.filter(work_item__status=Status.DONE, work_item__done_on__gt=today).exists()
