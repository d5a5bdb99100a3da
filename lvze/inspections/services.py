"""Writes for checklists, campaigns and scores, findings, and evaluations. Each is atomic and audited.

The rectification ledger's writes are in `rectifications.py`. Access is checked by the views through
the selectors; these functions check the rules of the data (states, required reasons, scopes of
the organisations named).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lvze.audit.services import audit_record
from lvze.duties.generation import secretaries
from lvze.duties.models import DEFAULT_WARN_DAYS, Source, Status, WorkItem
from lvze.duties.services import check_upload, store_blob, work_item_submit
from lvze.inspections import scoring
from lvze.inspections.checklists import BUILT_IN_TEMPLATES, BuiltInTemplate
from lvze.inspections.facts import compute_fact, fact_as_of, meeting_kinds
from lvze.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    DutyReport,
    Evaluation,
    EvaluationEntry,
    Fact,
    Finding,
    FindingSource,
    Inspection,
    InspectionItem,
    InspectionStatus,
    InspectionTarget,
    Score,
    ScoreEvidence,
    Scoring,
)
from lvze.lib import filetypes
from lvze.lib.periods import Period
from lvze.orgs.models import Organization, Person

ITEM_FIELDS = ("seq", "title", "description", "scoring", "max_points", "weight", "fact", "fact_param")


def user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def within_unit(org: Organization, unit: Organization) -> bool:
    """The organisation belongs to the unit's own data (its subtree, not below a subordinate 党委)."""
    return org.path.startswith(unit.path) and org.unit_id == (unit.unit_id or unit.pk)


# --- checklist templates ---------------------------------------------------------------------


def check_item_values(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(values.get("title", "")).strip():
        errors["title"] = "请填写检查项目"
    if values.get("scoring") not in Scoring.values:
        errors["scoring"] = "请选择评分方式"
    if values.get("scoring") == Scoring.POINTS and not (values.get("max_points") or 0) > 0:
        errors["max_points"] = "计分项目的满分须大于0"
    if not (values.get("weight") or 0) > 0:
        errors["weight"] = "权重须大于0"
    fact = values.get("fact") or ""
    if fact not in Fact.values:
        errors["fact"] = "未知的核验方式"
    elif fact == Fact.MEETINGS:
        try:
            if not meeting_kinds(values.get("fact_param") or ""):
                errors["fact_param"] = "会议开展情况须指定会议类型"
        except ValueError as exc:
            errors["fact_param"] = str(exc)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def checklist_install_builtin(*, actor: Any, unit: Organization, builtin: BuiltInTemplate | None = None) -> list[ChecklistTemplate]:
    """Give the unit the shipped templates it does not have yet (by code); idempotent."""
    have = set(ChecklistTemplate.objects.filter(unit=unit).values_list("builtin_code", flat=True))
    created = []
    for template in [builtin] if builtin else BUILT_IN_TEMPLATES:
        if template.code in have:
            continue
        name = template.name
        if ChecklistTemplate.objects.filter(unit=unit, name=name).exists():
            name = f"{name}（内置）"
        row = ChecklistTemplate.objects.create(
            unit=unit, name=name, description=template.description, builtin_code=template.code
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                template=row,
                seq=seq,
                title=i.title,
                description=i.description,
                scoring=i.scoring,
                max_points=i.max_points,
                weight=i.weight,
                fact=i.fact,
                fact_param=i.fact_param,
            )
            for seq, i in enumerate(template.items, start=1)
        )
        created.append(row)
    if created:
        audit_record(
            actor=actor,
            action="checklist.install",
            organization=unit,
            object_repr="内置检查模板",
            changes={"templates": [t.name for t in created]},
        )
    return created


@transaction.atomic
def checklist_template_create(
    *, actor: Any, unit: Organization, name: str, description: str = "", copy_from: ChecklistTemplate | None = None
) -> ChecklistTemplate:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写模板名称"})
    if ChecklistTemplate.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": "本单位已有同名模板"})
    template = ChecklistTemplate.objects.create(unit=unit, name=name, description=description.strip())
    if copy_from is not None:
        ChecklistItem.objects.bulk_create(
            ChecklistItem(template=template, **{f: getattr(i, f) for f in ITEM_FIELDS})
            for i in copy_from.items.all()
        )
    audit_record(
        actor=actor,
        action="checklist.create",
        obj=template,
        organization=unit,
        changes={"name": name, "copy_from": copy_from},
    )
    return template


@transaction.atomic
def checklist_item_add(*, actor: Any, template: ChecklistTemplate, **values: Any) -> ChecklistItem:
    values = {k: values.get(k) for k in ITEM_FIELDS if k != "seq"}
    values["fact"] = values.get("fact") or ""
    values["fact_param"] = (values.get("fact_param") or "").strip()
    values["description"] = (values.get("description") or "").strip()
    values["max_points"] = values.get("max_points") or Decimal("10")
    check_item_values(values)
    last = template.items.aggregate(last=Max("seq"))["last"] or 0
    item = ChecklistItem.objects.create(template=template, seq=last + 1, **values)
    audit_record(
        actor=actor,
        action="checklist.item_add",
        obj=item,
        organization=template.unit,
        changes={"template": template.name, **values},
    )
    return item


@transaction.atomic
def checklist_item_remove(*, actor: Any, item: ChecklistItem) -> None:
    template = item.template
    audit_record(
        actor=actor,
        action="checklist.item_remove",
        obj=item,
        organization=template.unit,
        changes={"template": template.name, "title": item.title},
    )
    item.delete()


# --- campaigns ------------------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    unit: Organization,
    template: ChecklistTemplate,
    name: str,
    period: str,
    root: Organization,
    deadline: date,
    rectify_deadline: date | None = None,
    inspectors: Iterable[Person] = (),
    board_size: int = 0,
) -> Inspection:
    """A campaign over the organisations of `root` (in the unit), snapshotting the template's items."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = "请填写检查名称"
    elif Inspection.objects.filter(unit=unit, name=name).exists():
        errors["name"] = "本单位已有同名检查"
    try:
        parsed = Period.parse(period)
    except ValueError as exc:
        errors["period"] = str(exc)
        parsed = None
    if not within_unit(root, unit):
        errors["root"] = "检查范围须为本单位的组织"
    if template.unit_id != unit.pk:
        errors["template"] = "请选择本单位的检查模板"
    elif not template.items.exists():
        errors["template"] = "该模板还没有检查项目"
    if parsed and deadline < parsed.start:
        errors["deadline"] = "自查时限不能早于检查期间开始"
    if rectify_deadline and rectify_deadline < deadline:
        errors["rectify_deadline"] = "整改时限不能早于自查时限"
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        unit=unit,
        template=template,
        name=name,
        period=str(parsed),
        root=root,
        target_kind=template.target_kind,
        deadline=deadline,
        rectify_deadline=rectify_deadline,
        board_size=board_size,
        created_by=user_or_none(actor),
    )
    inspection.inspectors.set(list(inspectors))
    InspectionItem.objects.bulk_create(
        InspectionItem(inspection=inspection, **{f: getattr(i, f) for f in ITEM_FIELDS})
        for i in template.items.all()
    )
    audit_record(
        actor=actor,
        action="inspection.create",
        obj=inspection,
        organization=unit,
        changes={
            "period": inspection.period,
            "template": template.name,
            "root": root.name,
            "deadline": deadline,
            "inspectors": [p.name for p in inspection.inspectors.all()],
        },
    )
    return inspection


@transaction.atomic
def inspection_update_texts(*, actor: Any, inspection: Inspection, practices: str, requirements: str) -> Inspection:
    """The 通报's two written sections: 主要做法和成效 and 整改要求 (empty means the generated text)."""
    changes = {}
    for field, value in (("practices", practices.strip()), ("requirements", requirements.strip())):
        if getattr(inspection, field) != value:
            changes[field] = value
            setattr(inspection, field, value)
    if changes:
        inspection.save(update_fields=list(changes))
        audit_record(
            actor=actor, action="inspection.texts", obj=inspection, organization=inspection.unit, changes=changes
        )
    return inspection


def self_check_key(inspection: Inspection, org: Organization) -> str:
    return f"inspection:{inspection.pk}:{org.pk}"


def campaign_targets(inspection: Inspection) -> list[Organization]:
    return list(
        Organization.objects.filter(
            path__startswith=inspection.root.path,
            kind=inspection.target_kind,
            unit_id=inspection.unit_id,
            active=True,
        ).order_by("path")
    )


@transaction.atomic
def inspection_launch(*, actor: Any, inspection: Inspection, today: date | None = None) -> Inspection:
    """Start the campaign: a self-check work item per target (set-based, idempotent keys), a score row
    per target and item, the computed facts filled in, and one audit event."""
    if inspection.status != InspectionStatus.DRAFT:
        raise ValidationError("检查已经启动")
    items = list(inspection.items.all())
    if not items:
        raise ValidationError("该检查还没有检查项目")
    orgs = campaign_targets(inspection)
    if not orgs:
        raise ValidationError(f"检查范围内没有{inspection.get_target_kind_display()}")
    secretary_of = secretaries()
    due = inspection.deadline
    WorkItem.objects.bulk_create(
        [
            WorkItem(
                key=self_check_key(inspection, org),
                source=Source.INSPECTION,
                organization=org,
                unit_id=org.unit_id or org.pk,
                org_path=org.path,
                responsible_person_id=secretary_of.get(org.pk),
                title=f"{inspection.name}：自查",
                work_area="党建质量",
                period=inspection.period,
                due_date=due,
                warn_from=due - timedelta(days=DEFAULT_WARN_DAYS),
            )
            for org in orgs
        ],
        ignore_conflicts=True,
    )
    work_items = {w.organization_id: w for w in WorkItem.objects.filter(key__startswith=f"inspection:{inspection.pk}:")}
    targets = InspectionTarget.objects.bulk_create(
        InspectionTarget(inspection=inspection, organization=org, work_item=work_items[org.pk]) for org in orgs
    )
    Score.objects.bulk_create(Score(target=t, item=i) for t in targets for i in items)
    inspection.status = InspectionStatus.RUNNING
    inspection.launched_at = timezone.now()
    inspection.save(update_fields=["status", "launched_at"])
    filled = fill_facts(inspection, today or timezone.localdate())
    rerank(inspection)
    audit_record(
        actor=actor,
        action="inspection.launch",
        obj=inspection,
        organization=inspection.unit,
        changes={"targets": len(targets), "self_check_items": len(work_items), "facts": filled},
    )
    return inspection


def apply_fact(score: Score, item: InspectionItem, result, now) -> None:
    """Write a computed fact onto a score. Unless an inspector overrode it (with a reason), the score
    follows the fact; an overridden score keeps its entry and shows the new figure beside it."""
    score.computed_ratio = result.share
    score.fact_text = result.text[:300]
    score.fact_data = result.data
    score.computed_at = now
    if score.override_reason:
        return
    if result.share is None:
        if score.by_platform:
            score.passed, score.points, score.grade, score.ratio, score.scored_at = None, None, "", None, None
            score.by_platform = False
        return
    entry = scoring.suggested_entry(item.scoring, result.share, item.max_points)
    score.passed, score.points, score.grade = entry.passed, entry.points, entry.grade
    score.ratio = scoring.entry_share(item.scoring, entry, item.max_points)
    score.by_platform = True
    score.scored_by = None
    score.scored_at = now


FACT_FIELDS = [
    "computed_ratio",
    "fact_text",
    "fact_data",
    "computed_at",
    "passed",
    "points",
    "grade",
    "ratio",
    "by_platform",
    "scored_by",
    "scored_at",
]


def fill_facts(inspection: Inspection, today: date, target: InspectionTarget | None = None) -> int:
    period = Period.parse(inspection.period)
    as_of = fact_as_of(period, today)
    scores = Score.objects.filter(target__inspection=inspection).exclude(item__fact="")
    if target is not None:
        scores = scores.filter(target=target)
    scores = list(scores.select_related("item", "target__organization"))
    now = timezone.now()
    for score in scores:
        result = compute_fact(score.item.fact, score.item.fact_param, score.target.organization, period, as_of)
        if result is not None:
            apply_fact(score, score.item, result, now)
    Score.objects.bulk_update(scores, FACT_FIELDS)
    return len(scores)


@transaction.atomic
def inspection_refresh_facts(
    *, actor: Any, inspection: Inspection, target: InspectionTarget | None = None, today: date | None = None
) -> int:
    if inspection.status != InspectionStatus.RUNNING:
        raise ValidationError("只有检查中的检查可以重新核验")
    count = fill_facts(inspection, today or timezone.localdate(), target)
    rerank(inspection)
    audit_record(
        actor=actor,
        action="inspection.refresh_facts",
        obj=inspection,
        organization=inspection.unit,
        changes={"scores": count, "target": target.organization.name if target else "全部"},
    )
    return count


def rerank(inspection: Inspection) -> list[InspectionTarget]:
    """Totals, ranks and (if enabled) 红黑榜 of every target, from the scores; one bulk update."""
    targets = list(inspection.targets.all())
    parts: dict[int, list] = defaultdict(list)
    complete = True
    for share, weight, target_id, scored_at in Score.objects.filter(target__inspection=inspection).values_list(
        "ratio", "item__weight", "target_id", "scored_at"
    ):
        parts[target_id].append((share, weight))
        complete = complete and scored_at is not None
    totals = [scoring.total_score(parts[t.pk]) for t in targets]
    ranks = scoring.competition_ranks(totals)
    # 红黑榜 only once every item of every target is scored: a partial score would name the wrong units.
    board = scoring.boards(totals, inspection.board_size) if complete else ["" for _ in targets]
    for target, total, rank, mark in zip(targets, totals, ranks, board, strict=True):
        target.score, target.rank, target.board = total, rank, mark
    InspectionTarget.objects.bulk_update(targets, ["score", "rank", "board"])
    return targets


def entered(scoring_kind: str, passed: bool | None, points: Decimal | None, grade: str) -> scoring.Suggested:
    """An entry reduced to the field its scoring uses, so entries compare with the suggested one."""
    if scoring_kind == Scoring.PASS_FAIL:
        return scoring.Suggested(passed, None, "")
    if scoring_kind == Scoring.POINTS:
        return scoring.Suggested(None, None if points is None else Decimal(points).quantize(scoring.SCORE_PLACES), "")
    return scoring.Suggested(None, None, grade)


@transaction.atomic
def score_save(
    *,
    actor: Any,
    score: Score,
    passed: bool | None = None,
    points: Decimal | None = None,
    grade: str = "",
    note: str = "",
    override_reason: str = "",
) -> Score:
    """An inspector's score. Where the platform computed the item, a different score needs a reason."""
    item = score.item
    inspection = item.inspection
    if inspection.status != InspectionStatus.RUNNING:
        raise ValidationError("检查不在进行中，不能评分")
    entry = entered(item.scoring, passed, points, grade)
    try:
        share = scoring.entry_share(item.scoring, entry, item.max_points)
    except ValueError as exc:
        raise ValidationError({"score": str(exc)}) from None
    reason = override_reason.strip()
    follows_fact = False
    if score.computed_ratio is not None:
        suggested = scoring.suggested_entry(item.scoring, score.computed_ratio, item.max_points)
        follows_fact = entry == suggested
        if follows_fact:
            reason = ""
        elif not reason:
            raise ValidationError({"override_reason": f"与平台核验结果（{score.fact_text}）不一致，须填写调整理由"})
    else:
        reason = ""
    before = {"passed": score.passed, "points": score.points, "grade": score.grade, "ratio": score.ratio}
    score.passed, score.points, score.grade = entry.passed, entry.points, entry.grade
    score.ratio = share
    score.override_reason = reason[:300]
    score.note = note.strip()
    score.by_platform = follows_fact
    score.scored_by = user_or_none(actor)
    score.scored_at = timezone.now()
    score.save(
        update_fields=[
            "passed", "points", "grade", "ratio", "override_reason", "note", "by_platform", "scored_by", "scored_at"
        ]
    )
    rerank(inspection)
    audit_record(
        actor=actor,
        action="inspection.score",
        obj=score,
        organization=inspection.unit,
        object_repr=f"{score.target.organization.name}·{item.title}",
        changes={
            "before": before,
            "after": {"passed": score.passed, "points": score.points, "grade": score.grade, "ratio": score.ratio},
            **({"override_reason": reason} if reason else {}),
        },
    )
    return score


def store_file(data: bytes) -> str:
    """Store bytes under their SHA-256 (identical files once), as the ledger's evidence is stored."""
    return store_blob(data)


@transaction.atomic
def score_evidence_add(*, actor: Any, score: Score, name: str, data: bytes, content_type: str = "") -> ScoreEvidence:
    content_type = filetypes.MIME_TYPES[check_upload(name, len(data), data)]
    name = filetypes.safe_filename(name)
    digest = store_file(data)
    evidence = ScoreEvidence.objects.create(
        score=score,
        name=name[:200],
        sha256=digest,
        size=len(data),
        content_type=content_type[:100],
        added_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="inspection.evidence",
        obj=score,
        organization=score.item.inspection.unit,
        changes={"name": name, "sha256": digest},
    )
    return evidence


@transaction.atomic
def target_self_check(*, actor: Any, target: InspectionTarget, text: str) -> InspectionTarget:
    """The target's self-check report, submitted as its work item (approved in the ledger)."""
    if not text.strip():
        raise ValidationError({"self_check": "请填写自查情况"})
    item = target.work_item
    if item.status == Status.DONE:
        raise ValidationError("自查已审核通过，不能再修改")
    target.self_check = text.strip()
    target.save(update_fields=["self_check"])
    if item.status != Status.SUBMITTED:
        work_item_submit(actor=actor, item=item, note="已提交自查情况")
    audit_record(
        actor=actor,
        action="inspection.self_check",
        obj=target.inspection,
        organization=target.organization,
        changes={"target": target.organization.name, "text": target.self_check[:200]},
    )
    return target


@transaction.atomic
def inspection_publish(*, actor: Any, inspection: Inspection, on: date | None = None) -> Inspection:
    """Freeze the results: every item scored, final ranking and 红黑榜, the date the 通报 carries."""
    if inspection.status != InspectionStatus.RUNNING:
        raise ValidationError("只有检查中的检查可以发布结果")
    missing = Score.objects.filter(target__inspection=inspection, scored_at__isnull=True).count()
    if missing:
        raise ValidationError(f"尚有{missing}项未评分，不能发布")
    rerank(inspection)
    inspection.status = InspectionStatus.PUBLISHED
    inspection.published_on = on or timezone.localdate()
    inspection.save(update_fields=["status", "published_on"])
    ranked = inspection.targets.select_related("organization").order_by("rank", "organization__path")
    audit_record(
        actor=actor,
        action="inspection.publish",
        obj=inspection,
        organization=inspection.unit,
        changes={"results": [[t.organization.name, t.score, t.rank, t.board] for t in ranked]},
    )
    return inspection


@transaction.atomic
def inspection_withdraw(*, actor: Any, inspection: Inspection, reason: str) -> Inspection:
    """Take a published result back for correction (the reason is kept)."""
    if inspection.status != InspectionStatus.PUBLISHED:
        raise ValidationError("只有已发布的检查可以撤回")
    if not reason.strip():
        raise ValidationError({"reason": "请写明撤回原因"})
    inspection.status = InspectionStatus.RUNNING
    inspection.save(update_fields=["status"])
    audit_record(
        actor=actor, action="inspection.withdraw", obj=inspection, organization=inspection.unit, changes={"reason": reason}
    )
    return inspection


# --- findings -------------------------------------------------------------------------------


def check_finding(
    *, unit: Organization, organization: Organization, source: str, supervision_type: str, description: str
) -> None:
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "请填写问题描述"
    if source not in FindingSource.values:
        errors["source"] = "请选择问题来源"
    if source == FindingSource.SUPERVISION and not supervision_type:
        errors["supervision_type"] = "监督发现的问题须选择“六位一体”监督类型"
    if not organization.path.startswith(unit.path):
        errors["organization"] = "涉及单位须在本单位范围内"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_create(
    *,
    actor: Any,
    unit: Organization,
    organization: Organization,
    source: str,
    description: str,
    found_on: date,
    supervision_type: str = "",
    inspection: Inspection | None = None,
    target: InspectionTarget | None = None,
    item: InspectionItem | None = None,
) -> Finding:
    check_finding(
        unit=unit, organization=organization, source=source, supervision_type=supervision_type, description=description
    )
    finding = Finding.objects.create(
        unit=unit,
        organization=organization,
        inspection=inspection,
        target=target,
        item=item,
        source=source,
        supervision_type=supervision_type if source == FindingSource.SUPERVISION else "",
        description=description.strip(),
        found_on=found_on,
        raised_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="finding.create",
        obj=finding,
        organization=organization,
        changes={
            "source": source,
            "supervision_type": finding.supervision_type,
            "inspection": inspection,
            "item": item,
            "description": finding.description,
        },
    )
    return finding


@transaction.atomic
def finding_update(
    *, actor: Any, finding: Finding, description: str, found_on: date, supervision_type: str = ""
) -> Finding:
    check_finding(
        unit=finding.unit,
        organization=finding.organization,
        source=finding.source,
        supervision_type=supervision_type,
        description=description,
    )
    values = {
        "description": description.strip(),
        "found_on": found_on,
        "supervision_type": supervision_type if finding.source == FindingSource.SUPERVISION else "",
    }
    changes = {k: [getattr(finding, k), v] for k, v in values.items() if getattr(finding, k) != v}
    for name, value in values.items():
        setattr(finding, name, value)
    finding.save(update_fields=list(values))
    audit_record(actor=actor, action="finding.update", obj=finding, organization=finding.organization, changes=changes)
    return finding


# --- evaluations (述职评议) and 述职述廉报告 ---------------------------------------------------


@transaction.atomic
def evaluation_create(
    *, actor: Any, unit: Organization, year: int, title: str, held_on: date, note: str = ""
) -> Evaluation:
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写名称"})
    if Evaluation.objects.filter(unit=unit, title=title).exists():
        raise ValidationError({"title": "本单位已有同名述职评议"})
    evaluation = Evaluation.objects.create(
        unit=unit, year=year, title=title, held_on=held_on, note=note.strip(), created_by=user_or_none(actor)
    )
    audit_record(
        actor=actor,
        action="evaluation.create",
        obj=evaluation,
        organization=unit,
        changes={"year": year, "held_on": held_on},
    )
    return evaluation


ENTRY_FIELDS = ("person", "report", "votes_good", "votes_fair", "votes_average", "votes_poor", "comments", "problems")


@transaction.atomic
def evaluation_entry_save(
    *, actor: Any, evaluation: Evaluation, organization: Organization, **values: Any
) -> EvaluationEntry:
    """Record (or correct) one secretary's 述职 and the attendees' votes; the grade follows the votes."""
    if not within_unit(organization, evaluation.unit):
        raise ValidationError({"organization": "须为本单位的党支部"})
    values = {k: values.get(k) for k in ENTRY_FIELDS}
    for key in ("report", "comments", "problems"):
        values[key] = (values[key] or "").strip()
    for key in ("votes_good", "votes_fair", "votes_average", "votes_poor"):
        values[key] = int(values[key] or 0)
        if values[key] < 0:
            raise ValidationError({key: "票数不能为负"})
    grade, score = scoring.evaluation_grade(
        values["votes_good"], values["votes_fair"], values["votes_average"], values["votes_poor"]
    )
    entry, created = EvaluationEntry.objects.update_or_create(
        evaluation=evaluation, organization=organization, defaults={**values, "grade": grade, "score": score}
    )
    audit_record(
        actor=actor,
        action="evaluation.entry",
        obj=evaluation,
        organization=organization,
        changes={
            "created": created,
            "person": values["person"],
            "votes": [values["votes_good"], values["votes_fair"], values["votes_average"], values["votes_poor"]],
            "grade": grade,
            "score": score,
        },
    )
    return entry


@transaction.atomic
def duty_report_file(
    *, actor: Any, unit: Organization, person: Person, year: int, title: str, content: str, filed_on: date
) -> DutyReport:
    """File (or, before it is checked, replace) a leader's 述职述廉报告 of a year."""
    if not title.strip() or not content.strip():
        raise ValidationError({"content": "请填写标题和报告内容"})
    existing = DutyReport.objects.filter(person=person, year=year).first()
    if existing and existing.checked_at:
        raise ValidationError("该报告已审核，不能再修改")
    report, created = DutyReport.objects.update_or_create(
        person=person,
        year=year,
        defaults={
            "unit": unit,
            "title": title.strip(),
            "content": content.strip(),
            "filed_on": filed_on,
            "filed_by": user_or_none(actor),
        },
    )
    audit_record(
        actor=actor,
        action="duty_report.file",
        obj=report,
        organization=unit,
        changes={"person": person.name, "year": year, "created": created, "covers_ideology": report.covers_ideology},
    )
    return report


@transaction.atomic
def duty_report_check(*, actor: Any, report: DutyReport, note: str = "", at: datetime | None = None) -> DutyReport:
    """Check a report off; it must report on the 意识形态 duties, as the seed requires."""
    if report.checked_at:
        raise ValidationError("该报告已审核")
    if not report.covers_ideology:
        raise ValidationError("述职述廉报告须包含履行意识形态工作责任制的情况，请退回报告人补充")
    report.checked_at = at or timezone.now()
    report.checked_by = user_or_none(actor)
    report.check_note = note.strip()[:300]
    report.save(update_fields=["checked_at", "checked_by", "check_note"])
    audit_record(actor=actor, action="duty_report.check", obj=report, organization=report.unit, changes={"note": note})
    return report
