"""Demo records: two years of what the organisations did, ending at the demo date.

Meetings fulfil the rule pack's items with a realistic mix of on-time, late and missing ones; talks
fulfil the yearly 谈心谈话 items; 会商 at all three levels; 党委会 with their 第一议题 (one missing, so
the flag shows); activities of every type across the work areas; honours, study plans and records,
note checks, partnerships, a brand and 先锋模范岗; the unit's 民主生活会 as a process with its 问题清单.
Items are never marked done by hand; every completion comes from a record. Deterministic for a date:
everything random comes from the builder's rng, iterated in a fixed order.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from lvze.duties.generation import obligations_generate
from lvze.duties.models import Source, WorkItem
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, Organization, OrgKind, Person, Post
from lvze.records import services
from lvze.records.models import (
    ActivityType,
    AttachmentKind,
    Attendance,
    Brand,
    ConsultationLevel,
    Honor,
    HonorLevel,
    LifeMeetingKind,
    Meeting,
    MeetingKind,
    NoteCheck,
    Partnership,
    PioneerPost,
    ProblemEntry,
    StageCode,
    StageState,
    StudyForm,
    StudyPlan,
    StudyPlanKind,
    StudyRecord,
    TalkKind,
)
from lvze.records.registry_services import (
    activity_record,
    activity_types_install,
    life_meeting_create,
    life_meeting_link,
    life_stage_update,
    registry_save,
)
from lvze.records.selectors import roster_for

TOPICS = {
    "theme_day": ["学习贯彻党的二十大精神", "重温入党誓词", "学雷锋志愿服务", "参观红色教育基地", "“税企联建”共建活动", "廉政警示教育"],
    "branch_assembly": ["传达学习上级会议精神", "讨论发展党员事项", "通报支部工作情况"],
    "branch_committee": ["研究本月支部工作", "部署主题党日安排", "研究党员教育管理事项"],
    "party_lecture": ["书记讲党课：坚定理想信念", "党课：全面从严治党永远在路上", "党课：弘扬伟大建党精神"],
    "org_life": ["年度组织生活会"],
    "member_review": ["年度民主评议党员"],
    "democratic_life": ["年度民主生活会"],
    "central_group": ["理论学习中心组专题学习", "学习习近平总书记重要讲话精神"],
    "special_topic": ["专题研究全面从严治党工作", "意识形态工作专题分析研判", "专题研究党内法规执行工作"],
}
THEME_FORMS = ["集中学习", "参观见学", "志愿服务", "交流研讨", "重温入党誓词"]
FIRST_TOPICS = ["学习习近平总书记重要讲话精神", "学习党的二十大精神", "传达学习中央和上级重要会议精神"]

# (type, work area, names, people covered range, problems range, amount range or None)
ACTIVITY_PLAN = [
    ("宣讲", "学习宣传", ["“独贵春风”理论宣讲进社区", "党的二十大精神宣讲", "税费政策宣讲进企业"], (40, 90), (0, 3), None),
    ("志愿服务", "精神文明", ["文明城市环境卫生日", "“学雷锋做表率 我是党员我先行”志愿服务", "办税服务厅志愿导税"], (20, 80), (1, 6), None),
    ("走访慰问", "精神文明", ["春节走访慰问困难群众", "重阳节看望退休老党员", "走访纳税人问需求"], (10, 40), (2, 10), (500, 3000)),
    ("联建共建", "党建质量", ["税企党建“1+1”联学共建", "“党旗红+税务蓝”共建活动", "与社区党组织联建"], (30, 70), (1, 5), None),
    ("特色活动", "党建质量", ["“先锋大讲堂”特色学习", "青年理论学习小组“联学共建”", "“知行先锋”主题实践"], (30, 80), (2, 12), None),
    ("比赛", "意识形态", ["二十大精神应知应会知识竞赛", "主题演讲比赛", "职工羽毛球比赛"], (0, 0), (0, 0), None),
    ("捐款", "精神文明", ["“5·8人道公益日”网络捐款", "“慈心一日捐”活动"], (0, 0), (0, 0), (800, 6000)),
    ("群团活动", "精神文明", ["“三八”妇女节文艺汇演", "“五四”青年座谈会", "“缅怀先烈 激发斗志”清明主题活动"], (0, 30), (0, 0), None),
    ("特色活动", "从严治党", ["参观廉政教育基地", "“清廉税务”主题教育活动"], (0, 20), (0, 2), None),
    ("宣讲", "综合监督", ["一体化综合监督制度宣讲", "“六位一体”监督体系宣讲"], (10, 40), (0, 2), None),
]
GROUP_ACTIVITY = next(plan for plan in ACTIVITY_PLAN if plan[0] == "群团活动")


def build_records(today: date, rng: random.Random) -> None:
    """Every kind of record the demo shows, in a fixed order."""
    record_meetings(today, rng)
    record_talks(today, rng)
    record_committee_meetings(today, rng)
    record_consultations(today, rng)
    registries = record_registries(today, rng)
    record_activities(today, rng, registries)
    record_honours(today, rng)
    record_study(today, rng)
    record_life_meetings(today, rng)
    confirm_member_attendance(today, rng)


def years(today: date) -> tuple[int, int]:
    return today.year - 1, today.year


def meeting_day(item: WorkItem, rng: random.Random, today: date) -> tuple[date, str] | None:
    """When the demo holds this item's meeting: mostly within the period, sometimes late, sometimes never."""
    period = Period.parse(item.period)
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.16:
        held = period.end + timedelta(days=rng.randint(1, 6))
    else:
        span = (period.end - period.start).days
        held = period.start + timedelta(days=rng.randint(max(span - 20, 0), span))
    return (held, str(period)) if held <= today else None


def often_absent(today: date) -> Person | None:
    """One member of 第二党支部 who misses most meetings of the last year: the three-absences flag."""
    people = list(Person.objects.filter(branch__code="QJ02").order_by("id"))
    return people[5] if len(people) > 5 else None


def kind_details(kind: str, rng: random.Random, roster: list[Person]) -> dict:
    if kind == MeetingKind.PARTY_LECTURE:
        return {"speaker": roster[0].name if roster else "支部书记",
                "lecture_title": rng.choice(["坚定理想信念 筑牢思想根基", "全面从严治党永远在路上", "弘扬伟大建党精神"])}
    if kind == MeetingKind.THEME_DAY:
        return {"theme": rng.choice(TOPICS["theme_day"]), "activity_form": rng.choice(THEME_FORMS)}
    return {}


def record_meetings(today: date, rng: random.Random) -> None:
    for year in years(today):
        obligations_generate(actor=None, period=Period("year", year))
    items = (
        WorkItem.objects.filter(source=Source.RULE, fulfilled_by_kind__startswith="meeting:", period__lte=str(today.year + 1))
        .select_related("organization", "rule")
        .order_by("due_date", "organization__path", "id")
    )
    truant = often_absent(today)
    # One 班子成员 missed last year's 组织生活会 of his own branch: the 双重组织生活 flag.
    missed = Appointment.objects.filter(organization__code="QJ", post=Post.LEADERSHIP_MEMBER).order_by("id").last()
    for item in items:
        if Period.parse(item.period).start > today:
            continue
        when = meeting_day(item, rng, today)
        if when is None:
            continue
        held_on, period = when
        kind = item.fulfilled_by_kind.split(":", 1)[1]
        roster = roster_for(item.organization, kind, held_on)
        absent = {p: rng.choice(["公出", "病假", "休假"]) for p in roster if rng.random() < 0.08}
        if truant in roster and (today - held_on).days < 365 and rng.random() < 0.8:
            absent[truant] = ""
        if missed and kind == MeetingKind.ORG_LIFE and missed.person in roster and held_on.year == today.year - 1:
            absent[missed.person] = "公出"
        services.meeting_record(
            actor=None,
            organization=item.organization,
            kind=kind,
            held_on=held_on,
            period=period,
            topic=rng.choice(TOPICS.get(kind, [item.rule.name])),
            present=[p for p in roster if p not in absent],
            absent=absent,
            host=roster[0].name if roster else "",
            recorder=roster[1].name if len(roster) > 1 else "",
            place="党员活动室",
            starts_at=rng.choice(["09:00", "14:30", "15:00"]),
            work_area=item.work_area,
            summary=f"{item.organization.name}召开{MeetingKind(kind).label}，{rng.choice(TOPICS.get(kind, [item.rule.name]))}。",
            **kind_details(kind, rng, roster),
        )


def branches() -> list[Organization]:
    return list(Organization.objects.filter(kind=OrgKind.BRANCH, active=True).order_by("path"))


def record_talks(today: date, rng: random.Random) -> None:
    """Each branch's yearly 谈心谈话: the secretary talks with members; a few branches miss a year."""
    secretaries = {
        a.organization_id: a.person
        for a in Appointment.objects.filter(post=Post.SECRETARY, organization__kind=OrgKind.BRANCH).select_related("person")
    }
    for year in years(today):
        for branch in branches():
            if rng.random() < 0.1:
                continue
            roster = roster_for(branch, MeetingKind.THEME_DAY, min(today, date(year, 12, 31)))
            talker = secretaries.get(branch.pk) or (roster[0] if roster else None)
            partners = [p for p in roster if p != talker]
            if talker is None or not partners:
                continue
            for partner in rng.sample(partners, min(len(partners), rng.randint(2, 4))):
                held = date(year, rng.randint(3, 11), rng.randint(1, 28))
                if held > today:
                    continue
                services.talk_record(
                    actor=None, organization=branch, held_on=held, initiator=talker, partner=partner,
                    kind=TalkKind.SECRETARY_MEMBER, topic=rng.choice(["思想工作情况", "岗位履职与家庭情况", "意见建议征求"]),
                    content="交流思想、工作和生活情况，听取对支部工作的意见建议。", place="党员活动室",
                )


def unit(code: str) -> Organization | None:
    return Organization.objects.filter(code=code).first()


def leaders_of(org: Organization) -> list[Person]:
    return [a.person for a in Appointment.objects.filter(organization=org).select_related("person").order_by("post", "id")]


def record_committee_meetings(today: date, rng: random.Random) -> None:
    """区局党委会, monthly, each opening with its 第一议题 — except one, which the list flags."""
    qj = unit("QJ")
    if qj is None:
        return
    start = date(today.year - 1, 1, 1)
    missing = date(today.year - 1, rng.randint(2, 11), 1)
    month = start
    while month <= today:
        held = month + timedelta(days=rng.randint(3, 20))
        if held <= today:
            roster = roster_for(qj, MeetingKind.COMMITTEE_MEETING, held)
            services.meeting_record(
                actor=None, organization=qj, kind=MeetingKind.COMMITTEE_MEETING, held_on=held,
                topic=rng.choice(["研究部署本月重点工作", "研究党建和党风廉政建设工作", "研究干部教育管理事项"]),
                first_topic="" if month == missing else rng.choice(FIRST_TOPICS),
                present=roster, host=roster[0].name if roster else "", work_area="从严治党",
                place="党委会议室", starts_at="08:30",
            )
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def record_consultations(today: date, rng: random.Random) -> None:
    """三级会商: 党委与纪检组 and 分管党建局领导与纪检组组长 at 区局, 机关党委与纪检组 at 机关党委, about quarterly."""
    qj, organ = unit("QJ"), unit("QJJG")
    if qj is None or organ is None:
        return
    plan = [(qj, ConsultationLevel.COMMITTEE, 0.9), (qj, ConsultationLevel.LEADER, 0.8), (organ, ConsultationLevel.ORGAN, 0.7)]
    for year in years(today):
        for quarter in Period("year", year).quarters():
            for org, level, chance in plan:
                held = quarter.start + timedelta(days=rng.randint(20, 80))
                if held > today or rng.random() > chance:
                    continue
                services.meeting_record(
                    actor=None, organization=org, kind=MeetingKind.CONSULTATION, held_on=held,
                    topic=f"{ConsultationLevel(level).label}专题会商", consultation_level=level,
                    agenda="“两个责任”落实情况、近期监督发现问题及整改、下阶段重点工作",
                    outcome=rng.choice(["形成会商意见3条，明确责任分工", "就问题整改达成一致意见", "明确下季度监督重点"]),
                    work_area="综合监督", place="纪检组会议室",
                )


def record_registries(today: date, rng: random.Random) -> dict:
    qj, qj01, qj03 = unit("QJ"), unit("QJ01"), unit("QJ03")
    if qj is None:
        return {}
    start = date(today.year - 1, 3, 1)
    brand = registry_save(actor=None, instance=Brand(
        organization=qj, name="税企党建“1+1”结对共建促双赢", established_on=start,
        description="区局与辖区企业党组织结对共建，以共建促党建、以党建促业务、以业务强党建。"))
    registry_save(actor=None, instance=Brand(organization=qj, name="知行先锋·逐梦示范", established_on=start,
                                             description="区局党建品牌，突出学做结合、知行合一。"))
    leader = leaders_of(qj)[:1]
    contact = registry_save(actor=None, instance=Partnership(
        organization=qj, kind=Partnership.Kind.CONTACT, partner_name=qj03.name if qj03 else "第三党支部", partner_org=qj03,
        leader=leader[0] if leader else None, started_on=start, description="区局党委包联支部，党委书记亲自带队指导。"))
    pairing = registry_save(actor=None, instance=Partnership(
        organization=qj01 or qj, kind=Partnership.Kind.PAIRING, partner_name="示范工业园区联合党支部", brand=brand,
        leader=leader[0] if leader else None, started_on=start, description="税企联建：联学、联办、联创。"))
    for code, title in (("QJ01", "办税服务厅党员先锋岗"), ("QJ02", "纳税服务党员先锋岗"), ("QJ05", "征管一线党员先锋岗")):
        people = list(Person.objects.filter(branch__code=code).order_by("id"))
        if len(people) > 3:
            registry_save(actor=None, instance=PioneerPost(
                organization=people[3].branch, person=people[3], title=title, designated_on=start,
                description="亮身份、作表率，优质高效服务纳税人缴费人。"))
    return {"brand": brand, "contact": contact, "pairing": pairing}


def record_activities(today: date, rng: random.Random, registries: dict) -> None:
    """Activities of every type across the work areas, by the branches and the 工会/团支部/妇委会."""
    qj = unit("QJ")
    if qj is None:
        return
    organisers = branches() + list(Organization.objects.filter(code__in=["QJGH", "QJTZB", "QJFWH"]).order_by("path"))
    for unit_id in sorted({o.unit_id or o.pk for o in organisers}):
        activity_types_install(actor=None, unit=Organization.objects.get(pk=unit_id))
    types = {(t.unit_id, t.name): t for t in ActivityType.objects.all()}
    for year in years(today):
        for quarter in Period("year", year).quarters():
            if quarter.start > today:
                continue
            for org in organisers:
                group = org.kind in (OrgKind.UNION, OrgKind.YOUTH, OrgKind.WOMEN)
                count = 1 if group else rng.choice([0, 1, 1, 2])
                for _ in range(count):
                    kind, area, names, covered, solved, amount = (
                        GROUP_ACTIVITY if group and rng.random() < 0.6 else rng.choice(ACTIVITY_PLAN)
                    )
                    held = quarter.start + timedelta(days=rng.randint(0, 85))
                    if held > today:
                        continue
                    roster = roster_for(org, MeetingKind.THEME_DAY, held) if org.kind == OrgKind.BRANCH else []
                    participants = rng.sample(roster, max(1, len(roster) * 2 // 3)) if roster else []
                    details = {
                        "participant_count": len(participants) or rng.randint(12, 40),
                        "people_covered": rng.randint(*covered),
                        "problems_solved": rng.randint(*solved),
                        "amount": Decimal(rng.randint(*amount)) if amount else None,
                        "work_area": area,
                        "place": rng.choice(["社区", "办税服务厅", "企业", "区局", "红色教育基地"]),
                        "highlight": rng.choice(["以“身边事”解读“大政策”", "把党的声音传到“最后一公里”", "党建与业务深度融合",
                                                 "解决群众操心事、烦心事", ""]),
                        "summary": "组织党员干部参加，取得良好效果。",
                    }
                    if kind == "联建共建" and registries.get("pairing"):
                        details.update(partnership=registries["pairing"], brand=registries["brand"],
                                       partner_name=registries["pairing"].partner_name)
                    activity_record(
                        actor=None, organization=org, activity_type=types[(org.unit_id or org.pk, kind)],
                        name=rng.choice(names), held_on=held, participants=participants, **details,
                    )


def record_honours(today: date, rng: random.Random) -> None:
    qj = unit("QJ")
    if qj is None:
        return
    people = list(Person.objects.filter(branch__path__startswith=qj.path).order_by("id"))
    plan = [
        (HonorLevel.PROVINCIAL, "五一劳动奖状", "省总工会", qj, None),
        (HonorLevel.MUNICIPAL, "市级文明单位", "市文明委", qj, None),
        (HonorLevel.MUNICIPAL, "二十大精神应知应会知识竞赛优秀答题奖", "市委宣传部", None, people[7] if len(people) > 7 else None),
        (HonorLevel.MUNICIPAL, "二十大精神应知应会知识竞赛优秀答题奖", "市委宣传部", None, people[20] if len(people) > 20 else None),
        (HonorLevel.DISTRICT, "行业工作典范", "区文明办", None, people[11] if len(people) > 11 else None),
        (HonorLevel.DISTRICT, "学法用法典范", "区文明办", None, people[30] if len(people) > 30 else None),
        (HonorLevel.DISTRICT, "先进基层党组织", "区直机关工委", unit("QJ01"), None),
        (HonorLevel.DISTRICT, "主题演讲比赛三等奖", "区直机关工委", None, people[15] if len(people) > 15 else None),
    ]
    for i, (level, title, by, org, person) in enumerate(plan):
        awarded = date(today.year - 1 + (i % 2), rng.randint(1, 12), rng.randint(1, 28))
        if awarded > today:
            awarded = today - timedelta(days=rng.randint(1, 60))
        registry_save(actor=None, instance=Honor(
            organization=qj, level=level, title=title, awarded_on=awarded, awarded_by=by, recipient_org=org,
            recipient_person=person, work_area="精神文明"))


def record_study(today: date, rng: random.Random) -> None:
    """Monthly 政治学习计划 and a study record per 区局 branch for the last twelve months, the 中心组 plan,
    and the quarterly note checks."""
    qj = unit("QJ")
    if qj is None:
        return
    contents = ["党的二十大报告", "习近平总书记重要讲话精神", "《中国共产党章程》", "《中国共产党纪律处分条例》", "中国共产党历史"]
    for year in years(today):
        registry_save(actor=None, instance=StudyPlan(
            organization=qj, kind=StudyPlanKind.CENTRAL, period=str(year), title=f"{year}年党委理论学习中心组学习计划",
            content="；".join(contents), form="集中学习、专题研讨、辅导报告", topics="深刻领悟“两个确立”的决定性意义"))
    qj_branches = [b for b in branches() if b.path.startswith(qj.path)]
    month = Period.of_date(today, "month")
    months = []
    for _ in range(12):
        months.append(month)
        start = month.start - timedelta(days=1)
        month = Period.of_date(start, "month")
    for period in reversed(months):
        for branch in qj_branches:
            topic = rng.choice(contents)
            plan = registry_save(actor=None, instance=StudyPlan(
                organization=branch, kind=StudyPlanKind.BRANCH, period=str(period), title=f"{period.label()}政治学习计划",
                content=f"学习{topic}", form="集中学习＋交流研讨", topics=f"结合岗位谈学习{topic}的体会"))
            held = period.start + timedelta(days=rng.randint(5, 25))
            if held > today:
                continue
            roster = roster_for(branch, MeetingKind.THEME_DAY, held)
            registry_save(actor=None, instance=StudyRecord(
                organization=branch, plan=plan, held_on=held, title=f"学习{topic}", form=StudyForm.COLLECTIVE,
                leader=roster[0].name if roster else "", notes="支部书记领学，党员交流发言。"),
                m2m={"participants": [p for p in roster if rng.random() > 0.1]})
    quarter = Period.of_date(today, "quarter")
    checked = []
    for _ in range(4):
        quarter = Period.of_date(quarter.start - timedelta(days=1), "quarter")
        checked.append(quarter)
    checks = []
    for period in checked:
        for branch in qj_branches[:4]:
            for person in roster_for(branch, MeetingKind.THEME_DAY, period.end):
                result = NoteCheck.Result.GOOD if rng.random() > 0.12 else NoteCheck.Result.IMPROVE
                checks.append(NoteCheck(organization=branch, person=person, period=str(period),
                                        checked_on=period.end - timedelta(days=3), result=result,
                                        remark="" if result == NoteCheck.Result.GOOD else "记录不够完整"))
    NoteCheck.objects.bulk_create(checks)


def record_life_meetings(today: date, rng: random.Random) -> None:
    """The 区局's 民主生活会 of last year as a process: stages done, the meeting linked, its talks and 问题清单."""
    qj = unit("QJ")
    if qj is None:
        return
    year = today.year - 1
    process = life_meeting_create(actor=None, organization=qj, kind=LifeMeetingKind.DEMOCRATIC_LIFE, year=year,
                                  theme="学思想、强党性、重实践、建新功")
    meeting = Meeting.objects.filter(organization=qj, kind=MeetingKind.DEMOCRATIC_LIFE,
                                     held_on__year__in=[year, year + 1]).order_by("held_on").first()
    base = meeting.held_on if meeting else min(today, date(year, 12, 20))
    stages = {s.code: s for s in process.stages.all()}
    offsets = {StageCode.STUDY: -40, StageCode.OPINIONS: -30, StageCode.TALKS: -20, StageCode.MATERIALS: -10}
    for code, offset in offsets.items():
        life_stage_update(actor=None, stage=stages[code], state=StageState.DONE, done_on=base + timedelta(days=offset),
                          note="按要求完成。")
    leaders = leaders_of(qj)
    for first, second in zip(leaders, leaders[1:], strict=False):
        held = base - timedelta(days=rng.randint(21, 28))
        if held <= today:
            services.talk_record(actor=None, organization=qj, held_on=held, initiator=first, partner=second,
                                 kind=TalkKind.LEADERS, topic="民主生活会会前谈心谈话", life_meeting=process,
                                 content="相互提批评意见，交流思想。")
    if meeting is None:
        return
    life_meeting_link(actor=None, process=process, meeting=meeting)
    problems = [
        ("理论学习", "理论学习的系统性不够，学用结合不够紧密", "制定年度学习计划，每月专题研讨"),
        ("落实全面从严治党责任", "对基层党支部督促指导不够有力", "实行班子成员包联支部，每季度督导"),
        ("作风建设", "深入基层调研不够", "每名班子成员每季度调研不少于2次"),
    ]
    for seq, (category, problem, measures) in enumerate(problems, start=1):
        registry_save(actor=None, instance=ProblemEntry(
            process=process, seq=seq, category=category, problem=problem, measures=measures, responsible_org=qj,
            responsible_person=leaders[seq % len(leaders)] if leaders else None,
            deadline=meeting.held_on + timedelta(days=180), status="in_progress"))
    life_stage_update(actor=None, stage=stages[StageCode.PROBLEMS], state=StageState.DONE,
                      done_on=meeting.held_on + timedelta(days=7), note="形成问题清单3条，建立整改台账。")
    if meeting.held_on + timedelta(days=30) <= today:
        life_stage_update(actor=None, stage=stages[StageCode.ARCHIVE], state=StageState.DONE,
                          done_on=meeting.held_on + timedelta(days=30), note="会议记录、对照检查材料等已归档。")
    services.attachment_add(actor=None, owner=stages[StageCode.MATERIALS], name="班子对照检查材料.txt",
                            data=f"{year}年度民主生活会班子对照检查材料（演示）".encode(), kind=AttachmentKind.MATERIAL)


def confirm_member_attendance(today: date, rng: random.Random) -> None:
    """The demo member has confirmed most of their lines; the latest few wait for them."""
    from lvze.accounts.models import User

    user = User.objects.filter(username="dangyuan").select_related("person").first()
    if user is None or user.person is None:
        return
    lines = list(Attendance.objects.filter(person=user.person).order_by("meeting__held_on", "id").values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=lines[:-3]).update(confirmed_at=timezone.now())
