"""What 审议 and 上报 contribute to the 工作总结: the reports the unit wrote, had its 党委会 review and
sent to the higher level in the period ("撰写……报告，经区局党委会专题研究审议后上报市局")."""

from __future__ import annotations

from collections import defaultdict

from lvze.documents.blocks import provenance
from lvze.documents.summary.facts import Fact, SummaryScope, fact_provider, register_theme
from lvze.documents.summary.templates import register_template
from lvze.upward.models import LIVE_SUBMISSION_STATES, Submission

register_theme("reports", "从严治党", "认真做好报告审议和上报", label="审议与上报")
register_template(
    "fact.submissions",
    "审议与上报",
    "撰写{报告}，[经{会议}专题研究审议后]上报{上级}",
    ("报告", "份数", "会议", "上级", "单位简称"),
)
# Where a kind of report belongs among the work areas; others go to the theme's default.
KIND_AREAS = {"ideology": "意识形态", "quality": "党建质量", "summary": "从严治党"}


def book_title(title: str) -> str:
    title = " ".join(title.split())
    return title if title.startswith("《") else f"《{title}》"


@fact_provider
def submission_facts(scope: SummaryScope) -> list[Fact]:
    """The unit's own submissions made in the period and not returned, per work area and recipient."""
    rows = (
        Submission.objects.filter(from_unit=scope.unit, state__in=LIVE_SUBMISSION_STATES)
        .filter(scope.moments("submitted_at"))
        .select_related("to_unit", "review")
        .order_by("submitted_at", "pk")
    )
    groups: dict[tuple[str, int], list[Submission]] = defaultdict(list)
    for submission in rows:
        groups[(scope.area(KIND_AREAS.get(submission.kind, ""), "reports"), submission.to_unit_id)].append(submission)
    facts = []
    for (area, _to), submissions in groups.items():
        reviewed = any(s.review.meeting_id for s in submissions)
        to_unit = submissions[0].to_unit
        text = scope.text(
            "fact.submissions",
            报告="".join(book_title(s.title) for s in submissions),
            份数=len(submissions),
            会议=f"{scope.short_name}党委会" if reviewed else "",
            上级=to_unit.short_name or to_unit.name,
        )
        sources = [
            provenance(f"上报{to_unit.short_name or to_unit.name}", f"{s.title}（{s.submitted_at:%Y-%m-%d}，{s.get_state_display()}）",
                       scope.url("documents:draft-edit", s.draft_id))
            for s in submissions
        ]
        facts.append(Fact("reports", text, area=area, sources=sources))
    return facts
