from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lvze.accounts.models import Role
from lvze.audit import export
from lvze.audit.models import AuditEvent
from lvze.audit.selectors import CATEGORIES, filtered_audit_events, first_chain_break
from lvze.audit.services import audit_record
from lvze.orgs.selectors import grant_orgs

FILTER_KEYS = ("category", "action", "actor", "object", "org", "ip", "from", "to")


def require_auditor(request: HttpRequest) -> None:
    if not grant_orgs(request.user, {Role.AUDITOR}):
        raise Http404


def filters_of(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "")[:100] for k in FILTER_KEYS if request.GET.get(k)}


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    require_auditor(request)
    events = filtered_audit_events(request.user, request.GET)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": request.GET,
        "querystring": request.GET.copy(),
        "export_query": query.urlencode(),
        "categories": [(k, label) for k, (label, _) in CATEGORIES.items()],
    }
    return render(request, "audit/event_list.html", context)


@require_GET
def event_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered events as CSV or .xlsx; the export itself is an audit event."""
    require_auditor(request)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    # A snapshot: the events up to now, not the export's own event nor any written while it streams.
    upto = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    events = filtered_audit_events(request.user, request.GET).filter(seq__lte=upto)
    audit_record(
        actor=request.user,
        action="audit.export",
        object_repr=f"审计日志导出（{fmt}）",
        changes={"format": fmt, "filters": filters_of(request), "rows": events.count(), "upto": upto},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "csv":
        response = StreamingHttpResponse(export.csv_lines(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
    return FileResponse(
        export.xlsx_file(events),
        as_attachment=True,
        filename=f"audit-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
def chain_verify(request: HttpRequest) -> HttpResponse:
    """The auditor runs `lvze audit verify` from the browser; the check is itself recorded."""
    require_auditor(request)
    broken = first_chain_break()
    audit_record(
        actor=request.user,
        action="audit.verify",
        object_repr="审计链校验",
        changes={"intact": broken is None, **({"seq": broken.seq, "reason": broken.reason} if broken else {})},
    )
    return render(request, "audit/verify.html", {"broken": broken})
