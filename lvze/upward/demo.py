"""Demo data for 审议, 上报 and 逐级审批, written only through the services (so every row is audited).

- 市局 requires its units' reports (the shipped defaults; plus a half-yearly report of the kind the
  demo can already generate, while the summary kind does not exist yet), and the items are generated
  for the demo years.
- For every such period already due, 区局 and 新区局 generate the document, put it to a recorded 党委会,
  and submit the adopted version to 市局, which receives it days later (a reviewer's delay that does
  not make anyone late). 区局's first document is first sent back by its 党委会 and revised; 新区局's
  first is late; 新区局's latest is returned by 市局 with comments and not yet resubmitted. A period
  that has ended but is not yet due waits at the 党委会 (提交审议).
- 区局's 工会经费: a chain 经办人 → 工会主席 → 分管局领导 → 党委书记, monthly 行政拨缴 and 按月上缴 since
  January of last year, some expenditures, and items in every state (approved, pending at the first
  and at the second level, returned).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from lvze.accounts.models import Role, User
from lvze.accounts.services import role_grant, user_create
from lvze.documents import services as documents
from lvze.documents.kinds import KINDS
from lvze.documents.models import Draft
from lvze.lib.periods import Period
from lvze.orgs.demo import DEMO_PASSWORD
from lvze.orgs.models import Organization
from lvze.records.models import MeetingKind
from lvze.records.services import meeting_record
from lvze.reminders.models import Notification
from lvze.upward import approvals, services
from lvze.upward.generation import submissions_generate
from lvze.upward.models import (
    ApprovalRequest,
    ApprovalState,
    Submission,
    SubmissionRequirement,
    SubmissionState,
)

UNIT_ADMINS = {"QJ": "dangban", "XQ": "xinqu"}
RETURN_COMMENTS = "请按市局模板补充“下半年工作谋划”的具体措施，并核实各项数据后重新上报。"
REVIEW_COMMENTS = "第一部分的数据请与台账核对一致后再提交。"


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def build_upward(today: date, rng: random.Random) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["shiju", "dangban", "xinqu", "jingban", "fenguan", "shuji"])}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=["SJ", "QJ", "XQ", "QJGH", "QJBGS"])}
    build_submissions(today, rng, users, orgs)
    build_union_fund(today, rng, users, orgs)
    quiet_old_notifications()


# --- 审议与上报 ----------------------------------------------------------------------------


def demo_kind() -> str:
    return "summary" if "summary" in KINDS else "quality"


def build_submissions(today: date, rng: random.Random, users: dict, orgs: dict) -> None:
    city = users["shiju"]
    services.requirements_install_defaults(actor=city, unit=orgs["SJ"])
    kind = demo_kind()
    if not SubmissionRequirement.objects.filter(unit=orgs["SJ"], kind=kind).exists():
        services.requirement_create(
            actor=city, unit=orgs["SJ"], kind=kind, name="人员信息核对情况报告", period_scope="half",
            due_month_offset=1, due_day=10,
        )
    years = [today.year - 1, today.year]
    for year in years:
        submissions_generate(actor=None, period=Period("year", year))
    plan = sorted(
        (requirement.due_for(period), period, requirement)
        for requirement in SubmissionRequirement.objects.filter(unit=orgs["SJ"], kind=kind, active=True)
        for year in years
        for period in requirement.periods_in(Period("year", year))
        if period.end < today
    )
    due_plan = [entry for entry in plan if entry[0] <= today]
    for code in ("QJ", "XQ"):
        for index, (due, period, requirement) in enumerate(due_plan):
            walk_through(
                today, rng, users, orgs[code], kind, period, requirement.name, due,
                returned_by_committee=code == "QJ" and index == 0,
                late=code == "XQ" and index == 0,
                returned_upward=code == "XQ" and index == len(due_plan) - 1,
            )
    for due, period, _requirement in plan:
        if due > today:  # ended but not yet due: 区局's draft waits at the 党委会
            draft = new_draft(users["dangban"], orgs["QJ"], kind, period, period.end + timedelta(days=1))
            services.review_submit(actor=users["dangban"], draft=draft, at=at(min(today, period.end + timedelta(days=2))))


def new_draft(actor: User, unit: Organization, kind: str, period: Period, day: date) -> Draft:
    draft = documents.draft_create(actor=actor, unit=unit, kind=kind, period=str(period), today=day)
    if period.label() not in draft.title:  # a kind whose title has no period: say which one it reports on
        documents.draft_save(
            actor=actor, draft=draft, blocks=draft.content, title=f"{period.label()}{draft.title}报告",
            signoff=draft.signoff, doc_date=draft.doc_date, base_version=draft.version, note="标题写明期间",
        )
    return draft


def committee(unit: Organization, held_on: date, topic: str):
    return meeting_record(
        actor=None, organization=unit, kind=MeetingKind.COMMITTEE_MEETING, held_on=held_on, topic=topic
    ).record


def revise(actor: User, draft: Draft) -> None:
    blocks = [dict(b) for b in draft.content]
    paragraph = next((b for b in blocks if b["type"] == "paragraph"), None)
    if paragraph is None:
        return
    paragraph["text"] = paragraph["text"] + "（已按党委会审议意见核对数据。）"
    documents.draft_save(
        actor=actor, draft=draft, blocks=blocks, title=draft.title, signoff=draft.signoff,
        doc_date=draft.doc_date, base_version=draft.version, note="按党委会审议意见修改",
    )


def walk_through(
    today: date,
    rng: random.Random,
    users: dict,
    unit: Organization,
    kind: str,
    period: Period,
    name: str,
    due: date,
    *,
    returned_by_committee: bool,
    late: bool,
    returned_upward: bool,
) -> None:
    admin, city = users[UNIT_ADMINS[unit.code]], users["shiju"]
    start = max(period.end + timedelta(days=1), due - timedelta(days=9))
    draft = new_draft(admin, unit, kind, period, start)
    topic = f"专题研究审议{period.label()}{name}"
    if returned_by_committee:
        first = services.review_submit(actor=admin, draft=draft, at=at(start))
        meeting = committee(unit, start + timedelta(days=1), topic)
        services.review_return(actor=admin, review=first, meeting=meeting, comments=REVIEW_COMMENTS, at=at(start + timedelta(days=1), 17))
        revise(admin, draft)
        start += timedelta(days=2)
    review = services.review_submit(actor=admin, draft=draft, at=at(start))
    meeting_day = start + timedelta(days=1)
    services.review_adopt(
        actor=admin, review=review, meeting=committee(unit, meeting_day, topic), comments="同意上报", at=at(meeting_day, 17)
    )
    submit_day = due + timedelta(days=rng.randint(2, 5)) if late else min(due, meeting_day + timedelta(days=rng.randint(1, 3)))
    if submit_day > today:
        return
    submission = services.submission_create(actor=admin, review=review, at=at(submit_day))
    # 市局 goes through its inbox after the deadline: receipt after the due date keeps a timely unit on time.
    decide_day = max(due, submit_day) + timedelta(days=rng.randint(1, 5))
    if decide_day > today:
        return
    if returned_upward:
        services.submission_return(actor=city, submission=submission, comments=RETURN_COMMENTS, at=at(decide_day))
    else:
        services.submission_receive(actor=city, submission=submission, comments="已收悉", at=at(decide_day))


# --- 工会经费 -----------------------------------------------------------------------------

EXPENSES = [
    (1, 20, "慰问", "春节走访慰问困难职工", 2400),
    (3, 8, "文体活动", "“三八”妇女节文艺汇演", 1600),
    (4, 28, "文体活动", "“庆五一迎五四”职工羽毛球比赛", 1850),
    (5, 8, "困难帮扶", "“5·8人道公益日”爱心助困", 1000),
    (9, 15, "慰问", "中秋节慰问退休职工", 2200),
    (11, 10, "文体活动", "职工健步走活动", 900),
]


def union_chairman(orgs: dict) -> User:
    chairman = User.objects.filter(username="gonghui").first()
    if chairman is None:
        chairman = user_create(
            actor=None, username="gonghui", password=DEMO_PASSWORD, display_name="区局工会主席", is_demo=True
        )
        role_grant(actor=None, user=chairman, role=Role.STAFF, organization=orgs["QJGH"])
    return chairman


def build_union_fund(today: date, rng: random.Random, users: dict, orgs: dict) -> None:
    chairman = union_chairman(orgs)
    approvals.approval_chain_save(
        actor=users["dangban"], unit=orgs["QJ"], code=approvals.UNION_CHAIN, name=approvals.UNION_CHAIN_NAME,
        steps=[
            {"label": "工会主席", "user": chairman},
            {"label": "分管局领导", "user": users["fenguan"]},
            {"label": "党委书记", "user": users["shuji"]},
        ],
    )
    approvers = [chairman, users["fenguan"], users["shuji"]]
    entries: list[tuple[date, str, str, str, int]] = []
    month = Period("month", today.year - 1, 1)
    while month.start <= today:
        payroll = rng.randint(30, 38) * 100
        entries.append((month.start + timedelta(days=9), "income", "行政拨缴", f"{month.label()}行政拨缴工会经费", payroll))
        entries.append((month.start + timedelta(days=24), "remit", "按月上缴", f"{month.label()}按月上缴上级工会", payroll * 2 // 5))
        for m, d, category, summary, amount in EXPENSES:
            if m == month.index:
                entries.append((date(month.year, m, d), "expense", category, summary, amount))
        month = month.next()
    entries = sorted(e for e in entries if e[0] <= today)
    for index, (day, kind, category, summary, amount) in enumerate(entries):
        entry = approvals.union_entry_create(
            actor=users["jingban"], unit=orgs["QJ"], organization=orgs["QJBGS"], kind=kind, occurred_on=day,
            category=category, summary=summary, amount=amount, at=at(day, 9),
        )
        # The last entry still waits at the 工会主席, the one before it at the 分管局领导.
        levels = {len(entries) - 1: 0, len(entries) - 2: 1}.get(index, len(approvers))
        for level, approver in enumerate(approvers[:levels], start=1):
            when = min(day + timedelta(days=level), today)
            approvals.approval_approve(actor=approver, request=entry.approval, at=at(when, 14 + level))
    # And one expenditure sent back by the 分管局领导.
    day = max(today - timedelta(days=6), date(today.year, 1, 1))
    returned = approvals.union_entry_create(
        actor=users["jingban"], unit=orgs["QJ"], organization=orgs["QJBGS"], kind="expense", occurred_on=day,
        category="慰问", summary="慰问住院职工（含营养品）", amount=3000, at=at(day, 9),
    )
    approvals.approval_approve(actor=chairman, request=returned.approval, at=at(day, 14))
    approvals.approval_return(
        actor=users["fenguan"], request=returned.approval, at=at(day, 16),
        note="超出《工会委员会经费收支管理办法》规定的慰问标准，请调整金额后重新提交。",
    )


def quiet_old_notifications() -> None:
    """The demo's history is read; only the latest notice about something still open stays unread."""
    open_urls = {f"/upward/approvals/{pk}/" for pk in ApprovalRequest.objects.filter(
        state__in=[ApprovalState.PENDING, ApprovalState.RETURNED]).values_list("pk", flat=True)}
    open_urls |= {f"/upward/submissions/{pk}/" for pk in Submission.objects.filter(
        state__in=[SubmissionState.SUBMITTED, SubmissionState.RETURNED]).values_list("pk", flat=True)}
    latest = (
        Notification.objects.filter(url__in=open_urls).values("url").annotate(last=Max("id")).values_list("last", flat=True)
    )
    Notification.objects.filter(url__startswith="/upward/", read_at__isnull=True).exclude(pk__in=list(latest)).update(
        read_at=timezone.now()
    )
