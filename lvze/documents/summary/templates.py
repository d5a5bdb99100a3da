"""The phrasing of the 工作总结: sentence templates with defaults as in the seed, which a unit can change.

A template is plain text with placeholders in braces ("累计开展{次数}次宣传宣讲活动") and optional
parts in square brackets: "[，覆盖群众{覆盖人数}人]" is left out when a figure inside it is 0 or
empty, so a kind of record without people covered says nothing about them instead of "0人".
Figures of people arrive already approximated ("580余"); counts of events and items stay exact.

Keys: "title", "opening", "work.heading", "plan.heading", per work area "section.<板块>",
"lead.<板块>" and "plan.section.<板块>", per item theme "item.<theme>", and the fact sentences
"fact.…". Keys that depend on a unit's lists (work areas, activity types) are derived from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lvze.records.models import ConsultationLevel, HonorLevel, MeetingKind, TalkKind

PLACEHOLDER = re.compile(r"\{([^{}\[\]\s]+)\}")
OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_LEADING = re.compile(r"^[，、；,;\s]+")
_DOUBLED = re.compile(r"([，、；])[，、；]+")
BLANK_VALUES = ("", "0", "0.00", "0元")

# --- defaults ------------------------------------------------------------------------------

TITLE = "{年}年{半年}落实全面从严治党主体责任和抓基层党建、党风廉政建设责任制情况总结"
OPENING = (
    "{期间}，{单位}坚持以习近平新时代中国特色社会主义思想和党的二十大精神为指引，深入贯彻新时代党的建设总要求，"
    "按照中央和省、市委决策部署，切实增强管党治党意识，坚持抓基层、打基础，补短板、强动能，基层党建工作取得了新成效，"
    "有力推动了全面从严治党向纵深发展。现将有关情况报告如下："
)

# The seed's section titles for the default work areas; other areas get a generic one.
SECTION_TITLES = {
    "学习宣传": "学思想、强党性，深入学习宣传党的二十大精神",
    "从严治党": "强部署、压责任，着力推进全面从严治党",
    "党建质量": "抓规范、促融合，切实提升党建工作质量",
    "意识形态": "重施教、浓氛围，着力抓牢意识形态领域",
    "精神文明": "抓宣传、争先进，持续开展精神文明创建",
    "综合监督": "严监督、促协调，着力深化一体化综合监督",
}
SECTION_TITLE_OTHER = "扎实推进{板块}工作"
PLAN_SECTION_TITLES = {
    "学习宣传": "进一步加强理论学习宣传",
    "从严治党": "进一步推进全面从严治党",
    "党建质量": "进一步夯实党建基础工作",
    "意识形态": "进一步抓牢意识形态工作",
    "精神文明": "进一步深化精神文明创建",
    "综合监督": "持续推进一体化综合监督",
}
PLAN_SECTION_OTHER = "进一步做好{板块}工作"

# The topic sentence that opens each "一是…" item, by theme.
ITEM_LEADS = {
    "study": "领学研讨相结合，形成良好学习氛围",
    "deployment": "在周密部署中推进工作落实",
    "meetings": "规范支部建设",
    "life": "在民主生活会中做到自我净化",
    "talks": "深入开展谈心谈话",
    "registries": "推进党建融合",
    "consultation": "坚持与纪检部门密切配合，按照“三级会商机制”要求，明确会商内容，持续强化对管党治党政治责任落实情况的监督",
    "honours": "着力强化创先争优",
    "activity:宣讲": "线上线下相结合，确保宣传取得实效",
    "activity:特色活动": "笃行实践相结合，推动工作落地落实",
    "activity:志愿服务": "进一步做好志愿服务",
    "activity:走访慰问": "深入开展走访慰问",
    "activity:联建共建": "推进党建联建共建",
    "activity:比赛": "在宣传教育引导上下功夫",
    "activity:捐款": "积极开展爱心捐款",
    "activity:群团活动": "进一步强化群团工作",
}
ITEM_LEAD_ACTIVITY_OTHER = "扎实开展{类型}活动"
ITEM_LEAD_ACTIVITY_NAMED = "扎实开展{类型}"  # for a type whose name already ends in 活动
ITEM_LEAD_OTHER = ""

ACTIVITY_FACTS = {
    "宣讲": "截至目前，累计开展{次数}次宣传宣讲活动[，覆盖群众{覆盖人数}人][，解决群众操心事、烦心事、揪心事{解决问题}件]",
    "特色活动": "截至目前，共举办特色活动{次数}场[，覆盖群众{覆盖人数}人][，解决群众操心事、烦心事、揪心事{解决问题}件]",
    "志愿服务": "组织开展志愿服务活动{次数}次[，参与党员干部{参与人数}人][，服务群众{覆盖人数}人][，解决群众操心事、烦心事、揪心事{解决问题}件]",
    "走访慰问": "开展走访慰问{次数}次[，走访群众{覆盖人数}人][，解决群众操心事、烦心事、揪心事{解决问题}件][，发放慰问金{金额}元]",
    "捐款": "组织开展捐款活动{次数}次[，{参与人数}名干部职工捐款{金额}元]",
    "比赛": "组织开展和参加比赛{次数}次[，参与干部职工{参与人数}人]",
    "群团活动": "组织开展群团活动{次数}次[，参与干部职工{参与人数}人][，覆盖群众{覆盖人数}人]",
}
ACTIVITY_FACT_OTHER = (
    "开展{类型}活动{次数}次[，参与干部职工{参与人数}人][，覆盖群众{覆盖人数}人]"
    "[，解决群众操心事、烦心事、揪心事{解决问题}件][，涉及金额{金额}元]"
)
ACTIVITY_FACT_NAMED = ACTIVITY_FACT_OTHER.replace("{类型}活动", "{类型}")
ACTIVITY_PLACEHOLDERS = ("类型", "次数", "参与人数", "覆盖人数", "解决问题", "金额", "本期")

# Each phrase starts with its verb; `join_phrases` writes a verb once for a run of phrases sharing
# it ("召开支部党员大会4次、支委会6次，开展主题党日活动6次").
MEETING_PHRASES = {
    MeetingKind.BRANCH_ASSEMBLY: "召开支部党员大会{次数}次",
    MeetingKind.BRANCH_COMMITTEE: "召开支委会{次数}次",
    MeetingKind.GROUP_MEETING: "召开党小组会{次数}次",
    MeetingKind.PARTY_LECTURE: "讲党课{次数}次",
    MeetingKind.THEME_DAY: "开展主题党日活动{次数}次",
    MeetingKind.ORG_LIFE: "召开组织生活会{次数}次",
    MeetingKind.MEMBER_REVIEW: "开展民主评议党员{次数}次",
    MeetingKind.DEMOCRATIC_LIFE: "召开民主生活会{次数}次",
    MeetingKind.COMMITTEE_MEETING: "召开党委会{次数}次",
    MeetingKind.SPECIAL_TOPIC: "召开专题会议{次数}次[（{议题}）]",
}
MEETING_PHRASE_OTHER = "召开{类型}{次数}次"
VERBS = ("召开", "开展", "讲", "组织")

CONSULTATION_PHRASES = {
    ConsultationLevel.COMMITTEE: "党委与纪检组专题会商{次数}次",
    ConsultationLevel.LEADER: "分管党建局领导与纪检组组长会商{次数}次",
    ConsultationLevel.ORGAN: "机关党委与纪检组会商{次数}次",
}

FACTS = {
    "fact.meetings": "{本期}以来，{会议}",
    "fact.consultation": "{本期}以来，{会商}，有效推动“两个责任”同向发力、同频共振",
    "fact.talks": "{本期}以来，开展{谈话}",
    "fact.talk": "{类型}{次数}人次",
    "fact.honours": "{本期}以来，{获奖情况}",
    "fact.honours.unit": "{单位简称}获得{荣誉}",
    "fact.honours.org": "{组织}获得{荣誉}",
    "fact.honours.orgs_counted": "所属{单位数}个组织获得各级荣誉{项数}项[，其中{分级}]",
    "fact.honours.people": "{人数}人获得{授予单位}{荣誉}",
    "fact.honours.people_several": "{人数}人分获{授予单位}{荣誉}",
    "fact.honour.level": "{级别}“{名称}”荣誉称号",
    "fact.honour.named": "“{名称}”称号",
    "fact.timeliness.clean": "平台各项任务推进有序，未出现临期、逾期及逾期办结任务",
    "fact.timeliness.counts": (
        "{期间}到期事项{事项数}项，按期办结{按期办结}项[，逾期办结{逾期办结}项][，逾期未办结{逾期}项]"
        "[，临期{临期}项][，尚未到期{正常}项]，按期办结率{按期办结率}"
    ),
    "fact.corrections": "认真核对调整党建云平台人员信息{项数}项，做到信息录入全面、资料内容准确",
    "fact.life": (
        "组织召开{会议}[，扎实做好{会前环节}等会前准备工作]，深入开展批评与自我批评"
        "[。会后，按照要求制定问题清单{问题数}条和整改台账][，已整改{已整改}条][，正在整改{整改中}条][，待整改{待整改}条][，{归档}]"
    ),
    "fact.life.others": "所属{组织数}个党组织召开{会议}[，制定问题清单{问题数}条][，已整改{已整改}条]",
    "fact.study": (
        "[按月制定党支部政治学习计划{支部计划}份][，制定理论学习中心组学习计划{中心组计划}份]"
        "[，开展理论学习中心组学习{中心组学习}次][，各党支部开展集中学习{集中学习}次]"
    ),
    "fact.registries": (
        "[推动打造{品牌}品牌][，将{包联}确定为包联支部][，与{结对}开展结对共建][，设置党员先锋模范岗{先锋岗}个]"
    ),
    "fact.tasks": (
        "对照《{计划}》[，{按期办结}项重点任务按期办结（{按期任务}）][，{逾期办结}项逾期办结][，{推进中}项正在推进]"
    ),
    "plan.task": "{任务}。[{措施}，]{时限}",
    "plan.rules": "扎实做好{规定动作}等规定动作，做到不丢项不漏项",
}
FACT_PLACEHOLDERS = {
    "fact.meetings": ("本期", "期间", "会议"),
    "fact.consultation": ("本期", "期间", "会商"),
    "fact.talks": ("本期", "期间", "谈话"),
    "fact.talk": ("类型", "次数"),
    "fact.honours": ("本期", "期间", "获奖情况"),
    "fact.honours.unit": ("单位", "单位简称", "荣誉"),
    "fact.honours.org": ("组织", "荣誉"),
    "fact.honours.orgs_counted": ("单位数", "项数", "分级"),
    "fact.honours.people": ("人数", "授予单位", "荣誉"),
    "fact.honours.people_several": ("人数", "授予单位", "荣誉"),
    "fact.honour.level": ("级别", "名称"),
    "fact.honour.named": ("级别", "名称"),
    "fact.timeliness.clean": ("本期", "期间", "事项数"),
    "fact.timeliness.counts": ("本期", "期间", "事项数", "按期办结", "逾期办结", "逾期", "临期", "正常", "按期办结率"),
    "fact.corrections": ("本期", "期间", "项数", "人数"),
    "fact.life": ("会议", "会前环节", "问题数", "已整改", "整改中", "待整改", "归档"),
    "fact.life.others": ("组织数", "会议", "问题数", "已整改"),
    "fact.study": ("本期", "期间", "支部计划", "中心组计划", "中心组学习", "集中学习"),
    "fact.registries": ("品牌", "包联", "结对", "先锋岗"),
    "fact.tasks": ("计划", "按期任务", "按期办结", "逾期办结", "推进中"),
    "plan.task": ("任务", "措施", "时限", "牵头单位"),
    "plan.rules": ("规定动作",),
}
FACT_LABELS = {
    "fact.meetings": "会议次数句",
    "fact.consultation": "会商句",
    "fact.talks": "谈心谈话句",
    "fact.talk": "谈心谈话（每类）",
    "fact.honours": "荣誉句",
    "fact.honours.unit": "本单位荣誉",
    "fact.honours.org": "所属组织荣誉",
    "fact.honours.orgs_counted": "所属组织荣誉（较多时合计）",
    "fact.honours.people": "个人荣誉（同一荣誉）",
    "fact.honours.people_several": "个人荣誉（同一授予单位的多项荣誉）",
    "fact.honour.level": "荣誉名称写法",
    "fact.honour.named": "荣誉名称写法（名称已含级别时）",
    "fact.timeliness.clean": "时效：无临期、逾期及逾期办结",
    "fact.timeliness.counts": "时效：有临期、逾期或逾期办结",
    "fact.corrections": "人员信息核对调整",
    "fact.life": "民主（组织）生活会",
    "fact.life.others": "所属组织的生活会",
    "fact.study": "学习计划与学习",
    "fact.registries": "品牌、包联与先锋岗",
    "fact.tasks": "重点任务进展",
    "plan.task": "工作谋划：每项任务",
    "plan.rules": "工作谋划：规定动作",
}


def register_template(key: str, label: str, default: str, placeholders: tuple[str, ...], *, group: str = "数据句式") -> None:
    """A sentence template for a fact provider of another app, listed on the settings page."""
    FACTS[key] = default
    FACT_PLACEHOLDERS[key] = placeholders
    FACT_LABELS[key] = label
    FACT_GROUPS[key] = group


FACT_GROUPS: dict[str, str] = {}
PERIOD_PLACEHOLDERS = ("年", "半年", "期间", "本期", "单位", "单位简称")


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    group: str
    label: str
    default: str
    placeholders: tuple[str, ...]
    multiline: bool = False


def activity_fact_default(type_name: str) -> str:
    if type_name in ACTIVITY_FACTS:
        return ACTIVITY_FACTS[type_name]
    return ACTIVITY_FACT_NAMED if type_name.endswith("活动") else ACTIVITY_FACT_OTHER


def join_phrases(phrases: list[str]) -> str:
    """Phrases joined with 、, the verb written once for a run sharing it, runs separated by ，."""
    text = ""
    previous = ""
    for phrase in phrases:
        verb = next((v for v in VERBS if phrase.startswith(v)), "")
        if text and verb and verb == previous:
            text += "、" + phrase[len(verb):]
        else:
            text += ("，" if text else "") + phrase
        previous = verb
    return text


def default_for(key: str) -> str:
    """The shipped text of any key, including keys derived from a unit's lists."""
    if key == "title":
        return TITLE
    if key == "opening":
        return OPENING
    if key == "work.heading":
        return "工作情况"
    if key == "plan.heading":
        return "{下期}工作谋划"
    if key.startswith("section."):
        return SECTION_TITLES.get(key.removeprefix("section."), SECTION_TITLE_OTHER)
    if key.startswith("plan.section."):
        return PLAN_SECTION_TITLES.get(key.removeprefix("plan.section."), PLAN_SECTION_OTHER)
    if key.startswith("lead."):
        return ""
    if key.startswith("item.activity:"):
        named = key.endswith("活动")
        return ITEM_LEADS.get(key.removeprefix("item."), ITEM_LEAD_ACTIVITY_NAMED if named else ITEM_LEAD_ACTIVITY_OTHER)
    if key.startswith("item."):
        return ITEM_LEADS.get(key.removeprefix("item."), ITEM_LEAD_OTHER)
    if key.startswith("fact.activity."):
        return activity_fact_default(key.removeprefix("fact.activity."))
    if key.startswith("fact.meeting."):
        return MEETING_PHRASES.get(key.removeprefix("fact.meeting."), MEETING_PHRASE_OTHER)
    if key.startswith("fact.consultation."):
        level = key.removeprefix("fact.consultation.")
        return CONSULTATION_PHRASES.get(level, "{类型}会商{次数}次")
    return FACTS.get(key, "")


def template_specs(
    areas: Iterable[str], activity_types: Iterable[str], themes: Iterable[tuple[str, str]] = ()
) -> list[TemplateSpec]:
    """Every template a unit can change, grouped as the settings page shows them; `themes` are the
    items' themes (key, label) other than the activity types."""
    areas, activity_types = list(areas), list(activity_types)
    specs = [
        TemplateSpec("title", "标题与开头", "标题", TITLE, ("年", "半年", "期间", "单位", "单位简称")),
        TemplateSpec("opening", "标题与开头", "开头段", OPENING, PERIOD_PLACEHOLDERS, multiline=True),
        TemplateSpec("work.heading", "标题与开头", "第一部分标题", "工作情况", ()),
        TemplateSpec("plan.heading", "标题与开头", "第二部分标题", "{下期}工作谋划", ("下期",)),
    ]
    for area in areas:
        specs += [
            TemplateSpec(f"section.{area}", "各板块", f"“{area}”板块标题", default_for(f"section.{area}"), ("板块", "单位简称")),
            TemplateSpec(f"lead.{area}", "各板块", f"“{area}”板块导语（可空）", "", PERIOD_PLACEHOLDERS, multiline=True),
            TemplateSpec(
                f"plan.section.{area}", "各板块", f"“{area}”工作谋划标题", default_for(f"plan.section.{area}"), ("板块",)
            ),
        ]
    themes = list(themes)
    themes += [(f"activity:{name}", f"{name}活动") for name in activity_types]
    for theme, label in themes:
        placeholders = ("类型",) if theme.startswith("activity:") else ()
        specs.append(TemplateSpec(f"item.{theme}", "条目引语", f"“{label}”条目的引语", default_for(f"item.{theme}"), placeholders))
    for name in activity_types:
        specs.append(
            TemplateSpec(f"fact.activity.{name}", "数据句式", f"{name}活动", activity_fact_default(name), ACTIVITY_PLACEHOLDERS, True)
        )
    for kind, label in MeetingKind.choices:
        if kind in (MeetingKind.CONSULTATION, MeetingKind.CENTRAL_GROUP):
            continue
        placeholders = ("类型", "次数", "议题") if kind == MeetingKind.SPECIAL_TOPIC else ("类型", "次数")
        specs.append(
            TemplateSpec(f"fact.meeting.{kind}", "会议与谈话", f"会议：{label}", default_for(f"fact.meeting.{kind}"), placeholders)
        )
    for level, label in ConsultationLevel.choices:
        specs.append(
            TemplateSpec(f"fact.consultation.{level}", "会议与谈话", f"会商：{label}", default_for(f"fact.consultation.{level}"), ("类型", "次数"))
        )
    for key, label in FACT_LABELS.items():
        group = "会议与谈话" if key in ("fact.meetings", "fact.consultation", "fact.talks", "fact.talk") else "数据句式"
        if key.startswith("plan."):
            group = "工作谋划"
        group = FACT_GROUPS.get(key, group)
        specs.append(TemplateSpec(key, group, label, FACTS[key], FACT_PLACEHOLDERS[key], multiline=len(FACTS[key]) > 40))
    return specs


# --- filling -------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    return value is None or str(value).strip() in BLANK_VALUES


def fill(template: str, values: Mapping[str, object]) -> str:
    """The template with its placeholders filled; optional parts whose figures are blank are left out."""

    def optional(match: re.Match[str]) -> str:
        part = match.group(1)
        names = PLACEHOLDER.findall(part)
        return "" if any(is_blank(values.get(name)) for name in names) else part

    text = OPTIONAL.sub(optional, template)
    text = PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)
    text = _DOUBLED.sub(r"\1", text)
    return _LEADING.sub("", text).strip()


def check_template(text: str, placeholders: Iterable[str]) -> list[str]:
    """What is wrong with a template a user typed (unknown placeholders, unbalanced brackets)."""
    problems = []
    allowed = set(placeholders)
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in allowed})
    if unknown:
        hint = "、".join(f"{{{p}}}" for p in placeholders) if allowed else "（此项不使用占位符）"
        problems.append(f"不认识的占位符：{'、'.join('{' + u + '}' for u in unknown)}；可用：{hint}")
    stripped = OPTIONAL.sub("", text)
    if "[" in stripped or "]" in stripped:
        problems.append("方括号须成对出现，且不能嵌套")
    leftover = PLACEHOLDER.sub("", stripped)
    if "{" in leftover or "}" in leftover:
        problems.append("花括号须成对出现，如 {次数}")
    return problems


def honour_level_label(level: str) -> str:
    return "" if level == HonorLevel.OTHER else HonorLevel(level).label


def talk_label(kind: str) -> str:
    return TalkKind(kind).label if kind in TalkKind.values else kind
