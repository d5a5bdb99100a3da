from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from lvze.audit.context import current_ip

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The connection's address; X-Forwarded-For is believed only from a trusted proxy
    (LVZE_TRUSTED_PROXIES), and then its last hop that is not itself a trusted proxy is the client."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.LVZE_TRUSTED_PROXIES
    if remote not in trusted:
        return remote[:45]
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    untrusted = [h for h in hops if h not in trusted]
    return (untrusted[-1] if untrusted else remote)[:45]


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class AccessDeniedAuditMiddleware:
    """Permission denials are audit events: a 403 (CSRF failure, 三员分立, an explicit refusal) or a 404
    answered by a view (an object that does not exist or lies outside the user's scope — the selectors
    deliberately do not tell the two apart). One event per refused request, written after the response
    is known, so the check itself costs nothing on the allowed path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        # A 404 with no resolved view is an unknown address, not a refusal.
        if status == 403 or (status == 404 and getattr(request, "resolver_match", None) is not None):
            record_denial(request, status)
        return response


def record_denial(request: HttpRequest, status: int) -> None:
    from lvze.audit.services import audit_record

    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    try:
        audit_record(
            actor=user,
            action="access.denied",
            object_repr=request.path[:200],
            changes={
                "status": status,
                "method": request.method,
                "path": request.get_full_path()[:500],
                "view": match.view_name if match else "",
            },
        )
    except Exception:  # a refusal stays a refusal even if it cannot be recorded; the error is logged
        logger.exception("could not record an access denial")
