from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lvze.accounts.models import Role
from lvze.duties.coverage import coverage_matrix
from lvze.duties.forms import RuleForm
from lvze.duties.generation import rule_pack_install
from lvze.duties.models import ObligationRule, Timeliness
from lvze.duties.rule_services import rule_update
from lvze.duties.selectors import UNIT_READERS
from lvze.duties.views import TIMELINESS_CLASS
from lvze.lib.periods import Period
from lvze.orgs.models import UNIT_KINDS
from lvze.orgs.selectors import organizations_for_user, writable_organizations_for_user


def readable_units(request: HttpRequest):
    units = organizations_for_user(request.user, UNIT_READERS).filter(kind__in=UNIT_KINDS, active=True)
    if not units.exists():
        raise Http404
    return units.order_by("path")


def chosen_unit(request: HttpRequest, units):
    code = request.GET.get("unit") or units.first().code
    unit = units.filter(code=code).first()
    if unit is None:
        raise Http404("单位不存在或不在您的权限范围内")
    return unit


@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    units = readable_units(request)
    unit = chosen_unit(request, units)
    can_edit = writable_organizations_for_user(request.user).filter(pk=unit.pk).exists() and bool(
        organizations_for_user(request.user, {Role.PARTY_ADMIN}).filter(pk=unit.pk).exists()
    )
    if can_edit:
        rule_pack_install(unit)
    rules = ObligationRule.objects.filter(unit=unit).order_by("id")
    return render(request, "duties/rule_list.html", {"units": units, "unit": unit, "rules": rules, "can_edit": can_edit})


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = ObligationRule.objects.filter(pk=rule_id, unit__in=writable_organizations_for_user(request.user)).first()
    if rule is None or not organizations_for_user(request.user, {Role.PARTY_ADMIN}).filter(pk=rule.unit_id).exists():
        raise Http404
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            rule_update(actor=request.user, rule=ObligationRule.objects.get(pk=rule.pk), values=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "规则已保存；已生成的事项不变，之后生成的事项按新规则")
            return redirect(f"{redirect('duties:rule-list').url}?unit={rule.unit.code}")
    return render(request, "duties/rule_form.html", {"form": form, "rule": rule})


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    units = readable_units(request)
    unit = chosen_unit(request, units)
    today = timezone.localdate()
    try:
        period = Period.parse(request.GET.get("period") or str(today.year))
    except ValueError as exc:
        messages.error(request, str(exc))
        period = Period.parse(str(today.year))
    as_of = min(today, period.end)
    context = {
        "units": units,
        "unit": unit,
        "period": period,
        "as_of": as_of,
        "matrices": coverage_matrix(unit, period, as_of),
        "css": TIMELINESS_CLASS,
        "legend": Timeliness.choices,
    }
    return render(request, "duties/coverage.html", context)
