"""工作总结 pages: generate a unit's summary for a half-year or year, and change the unit's phrasing.

Generating creates an ordinary draft: the editor then edits, saves versions, regenerates a section,
exports and downloads the masked copy as for every document kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lvze.documents import services
from lvze.documents.selectors import can_read_drafts, draft_units_for_user, summary_unit_for_user
from lvze.documents.summary.facts import (
    Templates,
    item_themes,
    summary_period,
    unit_activity_types,
    unit_areas,
)
from lvze.documents.summary.templates import template_specs
from lvze.lib.periods import Period


def period_choices(today) -> list[tuple[str, str]]:
    """The halves and years of the last four years, latest first."""
    choices = []
    for year in range(today.year, today.year - 4, -1):
        choices += [(f"{year}H2", f"{year}年下半年"), (f"{year}H1", f"{year}年上半年"), (str(year), f"{year}年全年")]
    return choices


def default_period(today) -> str:
    return str(Period.of_date(today, "half"))


@require_http_methods(["GET", "POST"])
def summary_create(request: HttpRequest) -> HttpResponse:
    """Pick a unit and a period, generate, and open the draft in the editor."""
    if not can_read_drafts(request.user):
        raise Http404
    today = timezone.localdate()
    units = draft_units_for_user(request.user).order_by("path")
    error = ""
    if request.method == "POST":
        unit = summary_unit_for_user(request.user, request.POST.get("org", ""))
        try:
            period = summary_period(request.POST.get("period", "").strip(), today)
            draft = services.draft_create(actor=request.user, unit=unit, kind="summary", period=str(period))
        except (ValueError, ValidationError) as exc:
            error = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            messages.success(request, f"已生成《{draft.title}》（第1版），可直接修改后导出；每段右侧列出其数据来源")
            return redirect("documents:draft-edit", draft_id=draft.pk)
    context = {
        "units": units,
        "periods": period_choices(today),
        "selected_period": request.POST.get("period") or default_period(today),
        "selected_org": request.POST.get("org", ""),
        "error": error,
    }
    return render(request, "documents/summary_new.html", context, status=400 if error else 200)


@dataclass(frozen=True)
class TemplateRow:
    key: str
    label: str
    text: str
    default: str
    placeholders: tuple[str, ...]
    multiline: bool
    changed_here: bool
    inherited_from: str
    error: str = ""


@require_http_methods(["GET", "POST"])
def summary_templates(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's phrasing of the summary, template by template, with the placeholders each may use."""
    unit = summary_unit_for_user(request.user, code)
    specs = template_specs(unit_areas(unit), unit_activity_types(unit), item_themes())
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {s.key: request.POST[f"t-{s.key}"] for s in specs if f"t-{s.key}" in request.POST}
        reset = [key for key in request.POST.getlist("reset") if key]
        try:
            changes = services.summary_templates_save(actor=request.user, unit=unit, values=values, reset=reset)
        except ValidationError as exc:
            errors = {key: "；".join(msgs) for key, msgs in exc.message_dict.items()}
        else:
            messages.success(request, f"已保存{len(changes)}处句式修改" if changes else "句式没有变化")
            return redirect("documents:summary-templates", code=unit.code)
    current = Templates(unit)
    owners = {o.code: o.name for o in type(unit).objects.filter(code__in=set(current.owner.values()))}
    groups: dict[str, list[TemplateRow]] = {}
    for spec in specs:
        owner = current.owner.get(spec.key, "")
        text = request.POST.get(f"t-{spec.key}", current[spec.key]) if errors else current[spec.key]
        groups.setdefault(spec.group, []).append(
            TemplateRow(
                key=spec.key,
                label=spec.label,
                text=text,
                default=spec.default,
                placeholders=spec.placeholders,
                multiline=spec.multiline or len(text) > 40,
                changed_here=owner == unit.code,
                inherited_from=owners.get(owner, "") if owner and owner != unit.code else "",
                error=errors.get(spec.key, ""),
            )
        )
    context = {"unit": unit, "groups": groups, "errors": errors}
    return render(request, "documents/summary_templates.html", context, status=400 if errors else 200)
