"""人员信息核对情况: the quality checks of the people page, written up as a document.

Every figure comes from the same queries the 人员信息核对 page shows (`lvze.orgs.quality`), so the
document and the page always agree; each paragraph names the page its figures come from.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from lvze.documents.blocks import Block, heading, paragraph, provenance, source_ref, table
from lvze.documents.kinds import DocumentKind, GenerationContext, Section, register
from lvze.documents.reports import kind_report, register_report
from lvze.lib.cn import cn_date
from lvze.orgs.models import DataCorrection, OrgKind, PartyStatus, Person
from lvze.orgs.quality import QualityIssue, people_in, quality_issues
from lvze.orgs.selectors import subtree

ISSUE_TABLE_HEADER = ["序号", "问题类型", "人员或组织", "具体情况"]
ISSUE_TABLE_WIDTHS = [1.4, 4, 2.7, 5.9]  # 序号 and an eight-character 问题类型 fit on one line


def url(name: str, **params: str) -> str:
    return reverse(name) + (f"?{urlencode(params)}" if params else "")


def issues(context: GenerationContext) -> list[QualityIssue]:
    return context.once("issues", lambda: quality_issues(context.unit))


def quality_url(context: GenerationContext) -> str:
    return url("orgs:quality", org=context.unit.code)


# --- 基本情况 ------------------------------------------------------------------------------


def roster_counts(context: GenerationContext) -> dict[str, int]:
    counts = people_in(context.unit).aggregate(
        total=Count("id"),
        full=Count("id", filter=Q(party_status=PartyStatus.FULL)),
        probationary=Count("id", filter=Q(party_status=PartyStatus.PROBATIONARY)),
    )
    counts["branches"] = subtree(context.unit).filter(kind=OrgKind.BRANCH, active=True).count()
    return counts


def basic_section(context: GenerationContext) -> list[Block]:
    counts, found = roster_counts(context), issues(context)
    people = {i.person.pk for i in found if i.person}
    orgs = {i.org.pk for i in found if i.org}
    code = context.unit.code
    text = (
        f"截至{cn_date(context.today)}，{context.unit.name}共有在册人员{counts['total']}人，"
        f"其中正式党员{counts['full']}人、预备党员{counts['probationary']}人，党支部{counts['branches']}个。"
        "对照《中国共产党支部工作条例（试行）》和人员信息登记要求，对人员信息逐项核对，"
    )
    text += (
        f"共发现问题{len(found)}个，涉及人员{len(people)}人、组织{len(orgs)}个。" if found else "未发现问题。"
    )
    sources = [
        provenance("在册人员", f"{counts['total']}人", url("orgs:person-list", branch=code)),
        provenance("正式党员", f"{counts['full']}人", url("orgs:person-list", branch=code, status="full")),
        provenance(
            "预备党员", f"{counts['probationary']}人", url("orgs:person-list", branch=code, status="probationary")
        ),
        provenance("党支部", f"{counts['branches']}个", reverse("orgs:org-detail", args=[code])),
        provenance("发现问题", f"{len(found)}个，涉及人员{len(people)}人、组织{len(orgs)}个", quality_url(context)),
    ]
    return [heading("基本情况", 1, slot="basic.heading"), paragraph(text, slot="basic.text", sources=sources)]


# --- 发现的问题 -----------------------------------------------------------------------------


def issue_rows(found: list[QualityIssue]) -> list[list[str]]:
    return [
        [str(n), issue.title, issue.person.name if issue.person else issue.org.name, issue.detail]
        for n, issue in enumerate(found, start=1)
    ]


def issue_records(found: list[QualityIssue]) -> list[dict]:
    """Each row's record: the person or organisation the check flagged."""
    return [
        provenance(
            f"第{n}行",
            issue.person.name if issue.person else issue.org.name,
            source_ref("orgs.person", issue.person.pk) if issue.person else source_ref("orgs.organization", issue.org.pk),
        )
        for n, issue in enumerate(found, start=1)
    ]


def issues_section(context: GenerationContext) -> list[Block]:
    found = issues(context)
    blocks = [heading("发现的问题", 1, slot="issues.heading")]
    if not found:
        return [*blocks, paragraph("本次核对未发现问题，人员信息完整。", slot="issues.none")]
    by_title = Counter(issue.title for issue in found)
    summary = "、".join(f"{title}{n}个" for title, n in by_title.items())
    sources = [provenance(title, f"{n}个", quality_url(context)) for title, n in by_title.items()]
    return [
        *blocks,
        paragraph(f"按问题类型统计，{summary}。具体情况如下：", slot="issues.summary", sources=sources),
        table(
            ISSUE_TABLE_HEADER,
            issue_rows(found),
            widths=ISSUE_TABLE_WIDTHS,
            slot="issues.table",
            sources=[provenance("问题清单", f"{len(found)}条", quality_url(context)), *issue_records(found)],
        ),
    ]


# --- 核对调整情况 ---------------------------------------------------------------------------


def field_label(field: str) -> str:
    try:
        return str(Person._meta.get_field(field).verbose_name)
    except Exception:  # a field since removed from Person: show its code
        return field


def corrections_section(context: GenerationContext) -> list[Block]:
    corrections = DataCorrection.objects.filter(unit__path__startswith=context.unit.path)
    total = corrections.count()
    people = corrections.values("person_id").distinct().count()
    by_field = list(corrections.values("field").annotate(n=Count("id")).order_by("-n", "field"))
    if total:
        detail = "、".join(f"{field_label(row['field'])}{row['n']}项" for row in by_field)
        text = f"通过平台人员信息核对功能，累计核对调整人员信息{total}项，涉及人员{people}人，其中{detail}。"
    else:
        text = "平台尚无核对调整记录。"
    text += "对发现的问题，逐项核实后在平台上修正，确保人员信息准确完整。"
    sources = [provenance("核对调整", f"{total}项，涉及人员{people}人", quality_url(context))]
    sources += [provenance(field_label(row["field"]), f"{row['n']}项", quality_url(context)) for row in by_field]
    return [
        heading("核对调整情况", 1, slot="corrections.heading"),
        paragraph(text, slot="corrections.text", sources=sources),
    ]


QUALITY = register(
    DocumentKind(
        key="quality",
        label="人员信息核对",
        sections=(
            Section("basic", "基本情况", basic_section),
            Section("issues", "发现的问题", issues_section),
            Section("corrections", "核对调整情况", corrections_section),
        ),
        title=lambda unit, period: f"{unit.name}人员信息核对情况",
    )
)

register_report(kind_report(QUALITY))
