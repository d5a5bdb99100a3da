"""The built-in rule pack of mandatory actions (规定动作), with the source of each frequency.

Installed into a unit the first time its obligations are generated; each unit may then adjust,
disable or add rules. Record kinds name what fulfils an item (`meeting:<kind>`, `talk`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lvze.duties.models import Frequency
from lvze.orgs.models import OrgKind

BRANCH_REGULATIONS = "《中国共产党支部工作条例（试行）》（2018）"
DEMOCRATIC_LIFE = "《县以上党和国家机关党员领导干部民主生活会若干规定》"
LOCAL = "地方默认值，可按本单位实际修改"


@dataclass(frozen=True)
class BuiltInRule:
    code: str
    name: str
    org_kind: str
    frequency: str
    fulfilled_by: str
    work_area: str
    source: str
    requires_committee: bool = False
    local_default: bool = False


RULE_PACK = [
    BuiltInRule(
        "branch_assembly",
        "支部党员大会",
        OrgKind.BRANCH,
        Frequency.QUARTERLY,
        "meeting:branch_assembly",
        "党建质量",
        f"{BRANCH_REGULATIONS}：一般每季度召开1次",
    ),
    BuiltInRule(
        "branch_committee",
        "支委会",
        OrgKind.BRANCH,
        Frequency.MONTHLY,
        "meeting:branch_committee",
        "党建质量",
        f"{BRANCH_REGULATIONS}：一般每月召开1次（设支委会的支部）",
        requires_committee=True,
    ),
    BuiltInRule(
        "group_meeting",
        "党小组会",
        OrgKind.PARTY_GROUP,
        Frequency.MONTHLY,
        "meeting:group_meeting",
        "党建质量",
        f"{BRANCH_REGULATIONS}：一般每月召开1次",
    ),
    BuiltInRule(
        "theme_day",
        "主题党日",
        OrgKind.BRANCH,
        Frequency.MONTHLY,
        "meeting:theme_day",
        "党建质量",
        f"{BRANCH_REGULATIONS}：每月相对固定1天开展主题党日",
    ),
    BuiltInRule(
        "party_lecture",
        "党课",
        OrgKind.BRANCH,
        Frequency.QUARTERLY,
        "meeting:party_lecture",
        "学习宣传",
        f"{BRANCH_REGULATIONS}：按期上党课；每季度1次为{LOCAL}",
        local_default=True,
    ),
    BuiltInRule(
        "org_life",
        "组织生活会",
        OrgKind.BRANCH,
        Frequency.ANNUAL,
        "meeting:org_life",
        "从严治党",
        f"{BRANCH_REGULATIONS}：每年至少召开1次，一般安排在第四季度",
    ),
    BuiltInRule(
        "talks",
        "谈心谈话",
        OrgKind.BRANCH,
        Frequency.ANNUAL,
        "talk",
        "从严治党",
        f"{BRANCH_REGULATIONS}：每年至少开展1次",
    ),
    BuiltInRule(
        "member_review",
        "民主评议党员",
        OrgKind.BRANCH,
        Frequency.ANNUAL,
        "meeting:member_review",
        "从严治党",
        f"{BRANCH_REGULATIONS}：一般每年开展1次",
    ),
    BuiltInRule(
        "democratic_life",
        "民主生活会",
        OrgKind.COMMITTEE,
        Frequency.ANNUAL,
        "meeting:democratic_life",
        "从严治党",
        f"{DEMOCRATIC_LIFE}：每年召开1次，一般安排在第四季度",
    ),
    BuiltInRule(
        "central_group",
        "理论学习中心组学习",
        OrgKind.COMMITTEE,
        Frequency.MONTHLY,
        "meeting:central_group",
        "学习宣传",
        f"各地要求不一，每月1次为{LOCAL}",
        local_default=True,
    ),
    BuiltInRule(
        "strict_governance_study",
        "专题研究全面从严治党工作",
        OrgKind.COMMITTEE,
        Frequency.SEMIANNUAL,
        "meeting:special_topic",
        "从严治党",
        f"每半年专题研究1次（本单位要求），{LOCAL}",
        local_default=True,
    ),
    BuiltInRule(
        "regulations_study",
        "专题研究党内法规执行工作",
        OrgKind.COMMITTEE,
        Frequency.ANNUAL,
        "meeting:special_topic",
        "从严治党",
        f"每年专题研究1次（本单位要求），{LOCAL}",
        local_default=True,
    ),
    BuiltInRule(
        "ideology_analysis",
        "意识形态工作专题分析研判",
        OrgKind.COMMITTEE,
        Frequency.SEMIANNUAL,
        "meeting:special_topic",
        "意识形态",
        f"每半年分析研判1次，{LOCAL}",
        local_default=True,
    ),
]
