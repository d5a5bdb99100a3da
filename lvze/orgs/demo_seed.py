"""`lvze demo --scenario seed-2023h1`: the demo's organisations and people with the records of the seed's
2023 first half, so that the generated 工作总结 for 示范区税务局党委 (QJ), 2023H1, reproduces the seed's
figures:

- 9 宣讲 covering 583 people ("累计开展9次宣传宣讲活动，覆盖群众580余人");
- 8 特色活动 covering 462 people and solving 72 problems ("共举办特色活动8场，覆盖群众460余人，
  解决群众操心事、烦心事、揪心事72件");
- the honours 省级“五一劳动奖状” and “市级文明单位”, and the people's honours of the seed;
- 会商 2 / 3 / 4 at the three levels;
- the 2022年度民主生活会 held in January 2023, with its preparation, 问题清单 and archive;
- every item of the ledger due in 2023H1 completed on time — by the meeting that fulfils it, or by a
  submission approved for a task of 《区局党委2023年全面从严治党工作要点》 — so none is 临期, 逾期 or
  逾期办结 as of 30 June 2023;
- 核对调整党建云平台人员信息 26项, the study plans and records, the brands, 包联支部 and 先锋岗.

Everything is written through the same services as the pages (and the 分解表 through the importer),
so the figures on every page agree with the summary. Deterministic: no dependence on today.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from lvze.audit.services import audit_record
from lvze.duties.generation import obligations_generate
from lvze.duties.models import Source, Status, WorkItem
from lvze.duties.services import work_item_approve, work_item_progress, work_item_submit
from lvze.duties.task_import import tasks_import
from lvze.lib.periods import Period
from lvze.orgs.models import Appointment, DataCorrection, Organization, OrgKind, Person, Post
from lvze.records import services
from lvze.records.models import (
    Activity,
    ActivityType,
    Brand,
    ConsultationLevel,
    Honor,
    HonorLevel,
    LifeMeetingKind,
    Meeting,
    MeetingKind,
    Partnership,
    PioneerPost,
    ProblemEntry,
    ProblemStatus,
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

SCENARIO = "seed-2023h1"
SEED_TODAY = date(2023, 6, 30)
UNIT = "QJ"
PLAN_NAME = "区局党委2023年全面从严治党工作要点"

# (name, organisation code, date, people covered, highlight)
LECTURES = [
    ("“独贵春风”理论宣讲团宣讲党的二十大精神", "QJ", date(2023, 1, 12), 58, "切实以“身边事”解读“大政策”，用“小故事”阐明“大道理”"),
    ("党的二十大精神进社区宣讲", "QJ01", date(2023, 2, 16), 72, "将党的二十大精神送到群众生产生活第一线"),
    ("党的二十大精神进企业宣讲", "QJ02", date(2023, 3, 9), 65, "把党的声音和关怀传到“最后一公里”"),
    ("税费优惠政策宣讲进园区", "QJ03", date(2023, 3, 23), 60, ""),
    ("“二十大精神进万家”入户宣讲", "QJ04", date(2023, 4, 13), 81, ""),
    ("依托微信公众号开展线上宣讲", "QJ", date(2023, 4, 27), 55, ""),
    ("“学习强国”平台专题宣讲", "QJ05", date(2023, 5, 11), 70, ""),
    ("党的二十大精神进校园宣讲", "QJ06", date(2023, 5, 25), 62, ""),
    ("“独贵春风”理论宣讲团进乡村宣讲", "QJ07", date(2023, 6, 8), 60, ""),
]
# (name, organisation code, date, people covered, problems solved, highlight)
FEATURES = [
    ("春节走访入户与政策宣讲", "QJ01", date(2023, 1, 18), 52, 8, "“民生温度”和“幸福厚度”显著提升"),
    ("元宵节“猜灯谜 学政策”", "QJ02", date(2023, 2, 5), 61, 10, ""),
    ("“三八”妇女节巾帼政策服务", "QJ03", date(2023, 3, 8), 55, 9, ""),
    ("“万名干部下基层”需求摸排", "QJ04", date(2023, 3, 28), 60, 11, ""),
    ("解决群众“急难愁盼”问题现场办", "QJ05", date(2023, 4, 19), 58, 7, ""),
    ("人居环境整治党员先锋行动", "QJ06", date(2023, 5, 17), 62, 9, ""),
    ("网格化服务进社区", "QJ07", date(2023, 6, 7), 57, 10, ""),
    ("产业项目政策辅导", "QJ08", date(2023, 6, 21), 57, 8, ""),
]
# (type, work area, name, organisation code, date, participants, people covered, amount, highlight)
OTHER_ACTIVITIES = [
    ("比赛", "意识形态", "党的二十大精神应知应会知识竞赛", "QJ", date(2023, 3, 15), 62, 0, None,
     "区局获得优秀组织奖、两名同志获优秀答题奖"),
    ("比赛", "意识形态", "“奋进新征程”主题演讲比赛", "QJTZB", date(2023, 5, 4), 24, 0, None, "一名同志获演讲比赛三等奖"),
    ("联建共建", "意识形态", "“风华正茂展风采 党业融合促发展”主题“联学共建”活动", "QJTZB", date(2023, 5, 19), 15, 0, None,
     "参观红色展馆，重温入党誓词"),
    ("联建共建", "党建质量", "税企党建“1+1”结对共建活动", "QJ01", date(2023, 4, 20), 18, 35, None,
     "形成了“以共建促党建、以党建促业务、以业务强党建”的良好模式"),
    ("群团活动", "精神文明", "“三八妇女节”文艺汇演", "QJFWH", date(2023, 3, 7), 20, 0, None, "充分展现区局巾帼风采"),
    ("群团活动", "精神文明", "“巾帼风采话港城”活动", "QJFWH", date(2023, 3, 24), 16, 0, None, ""),
    ("群团活动", "精神文明", "“党的二十大报告知识竞答”活动", "QJTZB", date(2023, 3, 30), 35, 0, None, "提升区局队伍风貌"),
    ("群团活动", "精神文明", "“缅怀先烈 激发斗志”清明主题活动", "QJTZB", date(2023, 4, 4), 30, 0, None, ""),
    ("比赛", "精神文明", "“庆五一迎五四，绽放青春，羽你同行”职工羽毛球比赛", "QJGH", date(2023, 4, 28), 40, 0, None, ""),
    ("捐款", "精神文明", "“5·8人道公益日—爱心助困送温暖”网络捐款", "QJGH", date(2023, 5, 8), 46, 0, Decimal("4600"), ""),
    ("志愿服务", "精神文明", "文明城市环境卫生日活动", "QJ02", date(2023, 3, 5), 14, 120, None,
     "组织支部党员成立党员先锋队深入包联路段"),
    ("志愿服务", "精神文明", "“学雷锋做表率 我是党员我先行”志愿服务活动", "QJ03", date(2023, 3, 5), 11, 86, None, ""),
    ("志愿服务", "精神文明", "“创建文明城市”洁美家园行动", "QJ05", date(2023, 5, 26), 12, 95, None, ""),
]
CONSULTATIONS = [  # the seed's 三级会商: 2, 3 and 4 in the first half
    ("QJ", ConsultationLevel.COMMITTEE, [date(2023, 2, 22), date(2023, 5, 24)]),
    ("QJ", ConsultationLevel.LEADER, [date(2023, 1, 30), date(2023, 3, 29), date(2023, 6, 14)]),
    ("QJJG", ConsultationLevel.ORGAN, [date(2023, 1, 31), date(2023, 3, 20), date(2023, 4, 26), date(2023, 6, 20)]),
]
PROBLEMS = [
    ("理论学习", "理论学习的系统性不够，学用结合不够紧密", "制定年度学习计划，每月开展专题研讨", ProblemStatus.DONE),
    ("落实全面从严治党责任", "对基层党支部督促指导不够有力", "实行班子成员包联支部，每季度督导一次", ProblemStatus.IN_PROGRESS),
    ("作风建设", "深入基层调研不够", "每名班子成员每季度调研不少于2次", ProblemStatus.IN_PROGRESS),
]
CORRECTIONS = 26

# The 分解表 of 《区局党委2023年全面从严治党工作要点》, each task with its work area.
TASK_HEADER = ["序号", "任务", "具体措施", "牵头单位", "配合单位", "责任领导", "完成时限", "工作板块"]
TASKS = [
    ("一、学习宣传", "深入学习宣传贯彻党的二十大精神", "开展“十项活动”，组织理论宣讲团深入群众宣讲", "办公室", "各党支部", "党委书记", "6月底前", "学习宣传"),
    ("一、学习宣传", "落实党委理论学习中心组学习制度", "按月制定学习计划，做好学习记录", "办公室", "人事教育股", "党委书记", "每月", "学习宣传"),
    ("二、从严治党", "完善《党委重点落实事项清单》", "明确协助落实科室、时限要求，逐项抓好落实", "办公室", "人事教育股", "分管党建局领导", "3月31日前", "从严治党"),
    ("二、从严治党", "召开全面从严治党工作会议", "印发工作要点和重点任务分解表，全面部署全年工作", "办公室", "纪检组", "党委书记", "第一季度", "从严治党"),
    ("二、从严治党", "对重点任务分解表各项事项督促督办", "每季度调度一次进展，推动全面从严治党向纵深发展", "办公室", "纪检组", "分管党建局领导", "每季度", "从严治党"),
    ("二、从严治党", "听取党委委员、机关各单位落实全面从严治党主体责任情况汇报", "每半年专题研究一次全面从严治党工作", "办公室", "", "党委书记", "每半年", "从严治党"),
    ("二、从严治党", "落实《税务系统全面从严治党主体责任和监督责任清单》", "逐项逐条对照责任事项，以反向清单形式提醒各单位", "办公室", "各股室", "分管党建局领导", "持续推进", "从严治党"),
    ("三、党建质量", "开展党支部书记抓党建述职评议", "各党支部书记述职，班子成员点评", "人事教育股", "各党支部", "分管党建局领导", "3月31日前", "党建质量"),
    ("三、党建质量", "核对调整党建云平台人员信息", "逐人核对党员信息，做到信息录入全面、资料内容准确", "人事教育股", "各党支部", "分管党建局领导", "上半年", "党建质量"),
    ("三、党建质量", "持续深化“知行先锋·逐梦示范”党建品牌创建", "总结先进经验和典型做法，通过信息简报、各级媒体、内外网等渠道宣传推广", "办公室", "各党支部", "分管党建局领导", "12月31日前", "党建质量"),
    ("三、党建质量", "深入落实“党旗红+税务蓝”赋能助力营商环境持续优化推进方案", "细化具体落实措施，发挥支部战斗堡垒及党员先锋模范作用", "纳税服务股", "各党支部", "分管党建局领导", "11月30日前", "党建质量"),
    ("四、意识形态", "制定区局《意识形态工作责任清单》", "明确班子成员“一岗双责”内容，及时上报市局", "办公室", "", "党委书记", "9月30日前", "意识形态"),
    ("四、意识形态", "专题分析研判意识形态工作", "每半年专题研判一次，形成报告经党委会审议后上报市局", "办公室", "各股室", "党委书记", "每半年", "意识形态"),
    ("五、精神文明", "落实《工会委员会经费收支管理办法》", "按月上缴工会经费，收支项目逐级审批", "工会", "", "分管党建局领导", "每月", "精神文明"),
    ("六、综合监督", "落实“三级会商机制”", "明确会商内容，持续强化对管党治党政治责任落实情况的监督", "纪检组", "办公室", "分管党建局领导", "每季度", "综合监督"),
    ("六、综合监督", "协助纪检组深化纪检监察体制改革", "协调各部门在综合监督、立体监督上下功夫、求实效", "纪检组", "办公室", "分管党建局领导", "12月31日前", "综合监督"),
]

# What the scenario replaces, dependants first: 上报 and 审议 (they hold drafts and 党委会 records),
# drafts, inspections and the rectification ledger, every record, and the ledger with its sources.
# Deleting these cascades to attendance, stages, problems, scores, events, evidence and reminders.
# Organisations, people, accounts and each unit's settings (rules, lists, templates) stay.
RECORD_MODELS = [
    "upward.Submission", "upward.Review", "upward.UnionFundEntry", "upward.ApprovalRequest",
    "documents.Draft",
    "inspections.Rectification", "inspections.Finding", "inspections.Inspection", "inspections.Evaluation",
    "inspections.DutyReport",
    "records.Talk", "records.LifeMeeting", "records.Meeting", "records.Activity", "records.Honor",
    "records.StudyRecord", "records.StudyPlan", "records.NoteCheck", "records.PioneerPost", "records.Partnership",
    "records.Brand", "orgs.DataCorrection", "duties.WorkItem", "duties.Task", "duties.Plan", "duties.DutyItem",
    "duties.DutyList",
]


def clear_records() -> dict[str, int]:
    """Delete every record and ledger item, keeping organisations, people, accounts and settings."""
    removed = {}
    for label in RECORD_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app this installation does not have
            continue
        count, _ = model.objects.all().delete()
        removed[label] = count
    return removed


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def at(day: date, hour: int = 16) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def load_seed_scenario() -> dict[str, int]:
    """Replace all records with the seed's 2023 first half (organisations and people stay)."""
    if not Organization.objects.filter(code=UNIT).exists():
        raise ValueError("场景数据需要演示单位（示范区税务局党委，代码 QJ）；请先运行 lvze demo 或加 --reset")
    rng = random.Random(f"lvze-{SCENARIO}")
    removed = clear_records()
    for unit in Organization.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.LEADING_GROUP]).order_by("path"):
        activity_types_install(actor=None, unit=unit)
    obligations_generate(actor=None, period=Period("year", 2023))
    build_plan()
    record_obligations(rng)
    record_committee_meetings()
    record_consultations()
    record_life_meeting()
    record_activities()
    record_honours()
    record_study(rng)
    record_registries()
    record_corrections(rng)
    record_inspection()
    record_supervision()
    record_evaluation()
    counts = {
        "meetings": Meeting.objects.count(),
        "activities": Activity.objects.count(),
        "honours": Honor.objects.count(),
        "work_items": WorkItem.objects.count(),
        "open_items_due_in_2023h1": WorkItem.objects.filter(
            due_date__lte=SEED_TODAY, status__in=[Status.TODO, Status.IN_PROGRESS, Status.SUBMITTED, Status.RETURNED]
        ).count(),
    }
    audit_record(
        actor=None, action="demo.scenario", organization=org(UNIT),
        changes={"scenario": SCENARIO, "removed": sum(removed.values()), **counts},
    )
    return counts


# --- the ledger ------------------------------------------------------------------------------


def workbook_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([f"{PLAN_NAME}重点任务分解表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TASK_HEADER))
    ws.append(TASK_HEADER)
    category = None
    for seq, (cat, task, measures, lead, cooperating, leader, deadline, area) in enumerate(TASKS, start=1):
        if cat != category:
            ws.append([cat])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(TASK_HEADER))
            category = cat
        ws.append([seq, task, measures, lead, cooperating, leader, deadline, area])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_plan() -> None:
    """The 分解表 through the importer; its items due by 30 June submitted before their deadline and
    approved, the later ones in progress."""
    result = tasks_import(actor=None, data=workbook_bytes(), root=org(UNIT), plan=PLAN_NAME, year=2023,
                          filename="2023年全面从严治党重点任务分解表.xlsx")
    if result.errors:
        raise RuntimeError("; ".join(str(e) for e in result.errors))
    items = WorkItem.objects.filter(source=Source.TASK, due_date__isnull=False).order_by("due_date", "id")
    for n, item in enumerate(items):
        if item.due_date > SEED_TODAY:
            if n % 3 == 0:
                work_item_progress(actor=None, item=item, note="已制定方案，正在推进")
            continue
        start = Period.parse(item.period).start if item.period else item.due_date - timedelta(days=20)
        submitted = max(start, item.due_date - timedelta(days=2 + n % 9))
        work_item_submit(actor=None, item=item, note="已按要求完成，佐证材料已上传", at=at(submitted))
        work_item_approve(actor=None, item=item, note="审核通过")


def roster_split(org_: Organization, kind: str, day: date, rng: random.Random) -> tuple[list[Person], dict[Person, str]]:
    roster = roster_for(org_, kind, day)
    absent = {p: rng.choice(["公出", "病假", "休假"]) for p in roster[1:] if rng.random() < 0.06}
    return [p for p in roster if p not in absent], absent


TOPICS = {
    MeetingKind.THEME_DAY: ["学习贯彻党的二十大精神", "重温入党誓词", "学雷锋志愿服务", "参观红色教育基地", "“税企联建”共建活动", "廉政警示教育"],
    MeetingKind.BRANCH_COMMITTEE: ["研究本月支部工作", "部署主题党日安排", "研究党员教育管理事项"],
    MeetingKind.BRANCH_ASSEMBLY: ["传达学习党的二十大精神", "通报支部工作情况"],
    MeetingKind.PARTY_LECTURE: ["书记讲党课：学习贯彻党的二十大精神", "党课：全面从严治党永远在路上"],
    MeetingKind.CENTRAL_GROUP: ["学习党的二十大报告", "学习习近平总书记重要讲话精神", "学习中国共产党历史"],
}


def record_obligations(rng: random.Random) -> None:
    """Every mandatory action due by 30 June held before its deadline, fulfilling its item."""
    items = (
        WorkItem.objects.filter(source=Source.RULE, fulfilled_by_kind__startswith="meeting:", due_date__lte=SEED_TODAY)
        .select_related("organization", "rule")
        .order_by("due_date", "organization__path", "id")
    )
    for item in items:
        kind = item.fulfilled_by_kind.split(":", 1)[1]
        period = Period.parse(item.period)
        latest = min(item.due_date, period.end)
        held = max(period.start, latest - timedelta(days=rng.randint(3, 20)))
        present, absent = roster_split(item.organization, kind, held, rng)
        topic = rng.choice(TOPICS.get(kind, [item.rule.name]))
        placement = services.meeting_record(
            actor=None, organization=item.organization, kind=kind, held_on=held, topic=topic,
            present=present, absent=absent, host=present[0].name if present else "", place="党员活动室",
            work_area=item.work_area, summary=f"{item.organization.name}召开{MeetingKind(kind).label}，{topic}。",
            first_topic="学习习近平总书记重要讲话精神" if kind == MeetingKind.CENTRAL_GROUP else "",
        )
        if placement.completed is None:  # several items fit (专题会议): complete this one
            services.meeting_fulfil_item(actor=None, meeting=placement.record, item=item)


def record_committee_meetings() -> None:
    """区局党委会 every month, each opening with its 第一议题."""
    qj = org(UNIT)
    for month in range(1, 7):
        held = date(2023, month, 6 + month)
        roster = roster_for(qj, MeetingKind.COMMITTEE_MEETING, held)
        services.meeting_record(
            actor=None, organization=qj, kind=MeetingKind.COMMITTEE_MEETING, held_on=held,
            topic=["研究部署全面从严治党工作", "研究党建和党风廉政建设工作", "研究意识形态工作"][month % 3],
            first_topic="学习习近平总书记重要讲话精神", present=roster, host=roster[0].name if roster else "",
            work_area="从严治党", place="党委会议室",
        )


def record_consultations() -> None:
    for code, level, days in CONSULTATIONS:
        for held in days:
            services.meeting_record(
                actor=None, organization=org(code), kind=MeetingKind.CONSULTATION, held_on=held,
                topic=f"{ConsultationLevel(level).label}专题会商", consultation_level=level,
                agenda="“两个责任”落实情况、近期监督发现问题及整改、下阶段重点工作",
                outcome="明确会商意见，压实责任分工", work_area="综合监督", place="纪检组会议室",
            )


def leaders() -> list[Person]:
    posts = [Post.SECRETARY, Post.LEADERSHIP_MEMBER, Post.DISCIPLINE_HEAD]
    rows = Appointment.objects.filter(organization__code__in=[UNIT, "QJJJ"], post__in=posts).select_related("person")
    return list(dict.fromkeys(a.person for a in rows.order_by("post", "id")))


def record_life_meeting() -> None:
    """The 2022年度民主生活会, held in January 2023: preparation, talks, the meeting, 问题清单, archive."""
    qj = org(UNIT)
    held = date(2023, 1, 16)
    process = life_meeting_create(actor=None, organization=qj, kind=LifeMeetingKind.DEMOCRATIC_LIFE, year=2022,
                                  theme="学思想、强党性、重实践、建新功")
    team = leaders()
    roster = roster_for(qj, MeetingKind.DEMOCRATIC_LIFE, held)
    # 所属期间 2022-12: it is the 2022年度 meeting, so it does not complete the 2023 item.
    placement = services.meeting_record(
        actor=None, organization=qj, kind=MeetingKind.DEMOCRATIC_LIFE, held_on=held, period="2022-12",
        topic="2022年度民主生活会", present=roster, host=roster[0].name if roster else "", work_area="从严治党",
        place="党委会议室", summary="班子成员深入开展自我剖析、批评与自我批评。",
    )
    stages = {s.code: s for s in process.stages.all()}
    before = {StageCode.STUDY: date(2023, 1, 3), StageCode.OPINIONS: date(2023, 1, 6),
              StageCode.TALKS: date(2023, 1, 10), StageCode.MATERIALS: date(2023, 1, 12)}
    for code, day in before.items():
        life_stage_update(actor=None, stage=stages[code], state=StageState.DONE, done_on=day, note="按要求完成。")
    for first, second in zip(team, team[1:], strict=False):
        services.talk_record(actor=None, organization=qj, held_on=date(2023, 1, 9), initiator=first, partner=second,
                             kind=TalkKind.LEADERS, topic="民主生活会会前谈心谈话", life_meeting=process,
                             content="相互提批评意见，交流思想。")
    life_meeting_link(actor=None, process=process, meeting=placement.record)
    life_stage_update(actor=None, stage=stages[StageCode.MEETING], state=StageState.DONE, done_on=held, note="会议如期召开。")
    for seq, (category, problem, measures, status) in enumerate(PROBLEMS, start=1):
        registry_save(actor=None, instance=ProblemEntry(
            process=process, seq=seq, category=category, problem=problem, measures=measures, responsible_org=qj,
            responsible_person=team[seq % len(team)] if team else None, deadline=date(2023, 6, 30), status=status))
    life_stage_update(actor=None, stage=stages[StageCode.PROBLEMS], state=StageState.DONE, done_on=date(2023, 1, 20),
                      note=f"形成问题清单{len(PROBLEMS)}条，建立整改台账。")
    life_stage_update(actor=None, stage=stages[StageCode.ARCHIVE], state=StageState.DONE, done_on=date(2023, 2, 10),
                      note="会议记录、对照检查材料等已归档。")


# --- activities, honours, study, registries --------------------------------------------------


def activity_type(unit: Organization, name: str) -> ActivityType:
    return ActivityType.objects.get(unit=unit, name=name)


def participants_of(org_: Organization, day: date) -> list[Person]:
    return roster_for(org_, MeetingKind.THEME_DAY, day) if org_.kind == OrgKind.BRANCH else []


def record_activities() -> None:
    qj = org(UNIT)
    rows = [("宣讲", "学习宣传", name, code, day, 0, covered, None, highlight, 0)
            for name, code, day, covered, highlight in LECTURES]
    rows += [("特色活动", "学习宣传", name, code, day, 0, covered, None, highlight, solved)
             for name, code, day, covered, solved, highlight in FEATURES]
    rows += [(*row, 0) for row in OTHER_ACTIVITIES]
    pairing = None
    for kind, area, name, code, day, participants, covered, amount, highlight, solved in rows:
        organiser = org(code)
        people = participants_of(organiser, day)
        details = {}
        if kind == "联建共建" and code == "QJ01":
            pairing = pairing or Partnership.objects.filter(kind=Partnership.Kind.PAIRING).first()
            if pairing:
                details.update(partnership=pairing, brand=pairing.brand, partner_name=pairing.partner_name)
        activity_record(
            actor=None, organization=organiser, activity_type=activity_type(qj, kind), name=name, held_on=day,
            participants=people, participant_count=participants or len(people), people_covered=covered,
            problems_solved=solved, amount=amount, work_area=area, highlight=highlight,
            place="区局" if code == UNIT else "", summary="组织党员干部参加，取得良好效果。", **details,
        )


def branch_people(code: str) -> list[Person]:
    return list(Person.objects.filter(branch__code=code).order_by("id"))


def record_honours() -> None:
    qj = org(UNIT)
    people = list(Person.objects.filter(branch__path__startswith=qj.path).order_by("id"))
    plan = [
        (HonorLevel.PROVINCIAL, "五一劳动奖状", "省总工会", date(2023, 4, 27), qj, None),
        (HonorLevel.MUNICIPAL, "市级文明单位", "市文明委", date(2023, 5, 30), qj, None),
        (HonorLevel.MUNICIPAL, "“二十大精神应知应会知识竞赛”优秀答题奖", "市委宣传部", date(2023, 3, 28), None, people[7]),
        (HonorLevel.MUNICIPAL, "“二十大精神应知应会知识竞赛”优秀答题奖", "市委宣传部", date(2023, 3, 28), None, people[20]),
        (HonorLevel.DISTRICT, "行业工作典范", "区文明办", date(2023, 6, 12), None, people[11]),
        (HonorLevel.DISTRICT, "学法用法典范", "区文明办", date(2023, 6, 12), None, people[30]),
    ]
    for level, title, by, awarded_on, recipient_org, person in plan:
        registry_save(actor=None, instance=Honor(
            organization=qj, level=level, title=title, awarded_on=awarded_on, awarded_by=by,
            recipient_org=recipient_org, recipient_person=person, work_area="精神文明"))


def record_study(rng: random.Random) -> None:
    """Monthly 政治学习计划 and a collective study per 区局 branch, and the 中心组 plan for the year."""
    qj = org(UNIT)
    contents = ["党的二十大报告", "习近平总书记重要讲话精神", "《中国共产党章程》", "中国共产党历史", "《党的二十大报告学习辅导百问》"]
    registry_save(actor=None, instance=StudyPlan(
        organization=qj, kind=StudyPlanKind.CENTRAL, period="2023", title="2023年党委理论学习中心组学习计划",
        content="；".join(contents), form="集中学习、专题研讨、辅导报告", topics="深刻领悟“两个确立”的决定性意义"))
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=qj.path).order_by("path"))
    for month in Period("half", 2023, 1).months():
        for n, branch in enumerate(branches):
            topic = contents[(month.index + n) % len(contents)]
            plan = registry_save(actor=None, instance=StudyPlan(
                organization=branch, kind=StudyPlanKind.BRANCH, period=str(month), title=f"{month.label()}政治学习计划",
                content=f"学习{topic}", form="集中学习＋交流研讨", topics=f"结合岗位谈学习{topic}的体会"))
            held = month.start + timedelta(days=9 + n)
            roster = roster_for(branch, MeetingKind.THEME_DAY, held)
            registry_save(actor=None, instance=StudyRecord(
                organization=branch, plan=plan, held_on=held, title=f"学习{topic}", form=StudyForm.COLLECTIVE,
                leader=roster[0].name if roster else "", notes="支部书记领学，党员交流发言。"),
                m2m={"participants": [p for p in roster if rng.random() > 0.08]})


def record_registries() -> None:
    qj, qj01, qj03 = org(UNIT), org("QJ01"), org("QJ03")
    brand = registry_save(actor=None, instance=Brand(
        organization=qj, name="税企党建“1+1”结对共建促双赢", established_on=date(2023, 3, 1),
        description="区局与辖区企业党组织结对共建，以共建促党建、以党建促业务、以业务强党建。"))
    registry_save(actor=None, instance=Brand(organization=qj, name="知行先锋·逐梦示范", established_on=date(2023, 2, 1),
                                             description="区局党建品牌，突出学做结合、知行合一。"))
    secretary = Appointment.objects.filter(organization=qj, post=Post.SECRETARY).select_related("person").first()
    leader = secretary.person if secretary else None
    registry_save(actor=None, instance=Partnership(
        organization=qj, kind=Partnership.Kind.CONTACT, partner_name=qj03.name, partner_org=qj03, leader=leader,
        started_on=date(2023, 2, 20), description="区局党委包联支部，党委书记亲自带队指导。"))
    registry_save(actor=None, instance=Partnership(
        organization=qj01, kind=Partnership.Kind.PAIRING, partner_name="示范工业园区联合党支部", brand=brand, leader=leader,
        started_on=date(2023, 3, 1), description="税企联建：联学、联办、联创。"))
    for code, title in (("QJ01", "办税服务厅党员先锋岗"), ("QJ02", "纳税服务党员先锋岗"), ("QJ05", "征管一线党员先锋岗")):
        people = branch_people(code)
        if len(people) > 3:
            registry_save(actor=None, instance=PioneerPost(
                organization=people[3].branch, person=people[3], title=title, designated_on=date(2023, 3, 15),
                description="亮身份、作表率，优质高效服务纳税人缴费人。"))


def record_corrections(rng: random.Random) -> None:
    """核对调整党建云平台人员信息: 26 fields corrected from the 人员信息核对 page between March and June."""
    qj = org(UNIT)
    people = list(Person.objects.filter(branch__path__startswith=qj.path).order_by("id"))
    fields = [("phone", "缺少联系电话"), ("position", "职务未填写"), ("joined_party_on", "入党时间缺失")]
    rows = []
    for n in range(CORRECTIONS):
        person = people[(n * 7) % len(people)]
        field, issue = fields[n % len(fields)]
        rows.append(DataCorrection(person=person, unit=qj, issue=issue, field=field, old_value="", new_value="已补录"))
    created = DataCorrection.objects.bulk_create(rows)
    for n, correction in enumerate(created):
        moment = at(date(2023, 3, 1) + timedelta(days=(n * 4) % 110), 10)
        DataCorrection.objects.filter(pk=correction.pk).update(corrected_at=moment)


# --- inspections, supervision and 述职评议 ---------------------------------------------------------

INSPECTION_FINDINGS = [
    ("QJ04", "部分党员政治学习笔记记录过于简单，缺少学习心得体会"),
    ("QJ06", "《党支部工作手册》支委会记录未体现研究事项结果"),
]
SUPERVISION_FINDINGS = [
    ("committee", "QJBGS", "意识形态工作专题研究记录不够完整", date(2023, 5, 10)),
    ("discipline", "QJ03", "党员领导干部廉政谈话记录不完整", date(2023, 5, 22)),
    ("discipline", "QJSW1", "税务所公务用车使用登记不规范", date(2023, 6, 5)),
]


def record_inspection() -> None:
    """2023年第一季度支部工作检查: self-checks in on time, scored, 通报 published, its two problems
    rectified and closed before their deadline."""
    from lvze.inspections import rectifications as rect_services
    from lvze.inspections import services as inspections
    from lvze.inspections.models import ChecklistTemplate, FindingSource, Score

    qj = org(UNIT)
    inspections.checklist_install_builtin(actor=None, unit=qj)
    template = ChecklistTemplate.objects.get(unit=qj, builtin_code="branch_quarterly")
    inspection = inspections.inspection_create(
        actor=None, unit=qj, template=template, name="2023年第一季度支部工作检查", period="2023Q1", root=org("QJJG"),
        deadline=date(2023, 4, 7), rectify_deadline=date(2023, 5, 31), board_size=2,
    )
    inspections.inspection_launch(actor=None, inspection=inspection, today=date(2023, 4, 1))
    for n, target in enumerate(inspection.targets.select_related("work_item").order_by("organization__path")):
        target.self_check = "已对照检查清单逐项自查：政治学习笔记、《党支部工作手册》已补充完善，平台任务已核对。"
        target.save(update_fields=["self_check"])
        work_item_submit(actor=None, item=target.work_item, note="已提交自查情况", at=at(date(2023, 4, 3 + n % 4)))
        work_item_approve(actor=None, item=target.work_item, note="自查情况属实")
    weak = {code for code, _text in INSPECTION_FINDINGS}
    scores = Score.objects.filter(target__inspection=inspection).select_related("item", "target__organization")
    for score in scores.order_by("target__organization__path", "item__seq"):
        if score.item.fact and score.computed_ratio is not None:
            continue  # the platform's own figure from the ledger
        good = score.target.organization.code not in weak
        inspections.score_save(
            actor=None, score=score, passed=good, points=score.item.max_points * (1 if good else Decimal("0.8")),
            grade="good" if good else "fair", note="" if good else "记录不够规范",
        )
    findings = [
        inspections.finding_create(
            actor=None, unit=qj, organization=org(code), source=FindingSource.INSPECTION, description=text,
            found_on=date(2023, 4, 10), inspection=inspection, target=inspection.targets.get(organization__code=code),
        )
        for code, text in INSPECTION_FINDINGS
    ]
    inspections.inspection_publish(actor=None, inspection=inspection, on=date(2023, 4, 14))
    for finding in findings:
        rect = rect_services.finding_rectify(actor=None, finding=finding, measures="对照问题逐项整改，完善记录，立行立改",
                                             at=at(date(2023, 4, 17)))
        evidence = [("整改情况说明.pdf", f"%PDF-1.4 整改情况说明 {rect.pk}".encode(), "application/pdf")]
        rect_services.rectification_request_close(actor=None, rect=rect, note="已完成整改，完善相关记录", files=evidence,
                                                  at=at(date(2023, 5, 15)))
        rect_services.rectification_verify(actor=None, rect=rect, note="经核查已整改到位", at=at(date(2023, 5, 18)))
        rect_services.rectification_close(actor=None, rect=rect, note="同意销号", at=at(date(2023, 5, 19)))


def record_supervision() -> None:
    """六位一体 supervision findings of the first half, rectified with deadlines in the second."""
    from lvze.inspections import rectifications as rect_services
    from lvze.inspections import services as inspections
    from lvze.inspections.models import FindingSource

    qj = org(UNIT)
    for kind, code, text, found_on in SUPERVISION_FINDINGS:
        finding = inspections.finding_create(actor=None, unit=qj, organization=org(code), source=FindingSource.SUPERVISION,
                                             supervision_type=kind, description=text, found_on=found_on)
        rect = rect_services.finding_rectify(actor=None, finding=finding, deadline=found_on + timedelta(days=75),
                                             measures="建立台账，明确专人，限期整改", at=at(found_on + timedelta(days=1)))
        rect_services.rectification_progress(actor=None, rect=rect, note="已制定整改方案，正在落实",
                                             at=at(found_on + timedelta(days=4)))


def record_evaluation() -> None:
    """2022年度党支部书记抓党建述职评议, held in February 2023."""
    from lvze.inspections import services as inspections

    qj = org(UNIT)
    evaluation = inspections.evaluation_create(
        actor=None, unit=qj, year=2022, title="2022年度党支部书记抓党建述职评议", held_on=date(2023, 2, 16),
        note="区局党委班子成员、机关党委委员和党员代表参加评议。",
    )
    secretaries = dict(
        Appointment.objects.filter(post=Post.SECRETARY, organization__kind=OrgKind.BRANCH).values_list("organization_id", "person")
    )
    for n, branch in enumerate(Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=qj.path).order_by("path")):
        if branch.pk not in secretaries:
            continue
        good = 24 - n
        inspections.evaluation_entry_save(
            actor=None, evaluation=evaluation, organization=branch, person=Person.objects.get(pk=secretaries[branch.pk]),
            report="2022年，支部认真落实“三会一课”、主题党日等制度，完成党建云平台各项任务。",
            votes_good=good, votes_fair=30 - good, votes_average=0, votes_poor=0, comments="工作思路清晰，措施较为有力。",
        )
