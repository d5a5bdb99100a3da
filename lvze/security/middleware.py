"""Security headers on every response.

The Content-Security-Policy allows scripts only from our own origin: no inline scripts, no inline event
handlers, no eval. Inline `style` attributes remain allowed (templates use a few for layout; they cannot
run code). A view that needs another policy sets the header itself and it is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)  # absent when WhiteNoise answered before the session
        if user is not None and user.is_authenticated:
            # Pages behind the login hold personal and Party data: never kept by shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


class RequestSizeLimitMiddleware:
    """A request body larger than any allowed upload is refused before it is read (413), so an
    oversized file never reaches a temporary file, a form or a service."""

    MARGIN = 1024 * 1024  # multipart boundaries and the other fields of the form

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_BYTES + self.MARGIN
        if length > limit:
            text = f"上传内容过大（{length / 1024 / 1024:.1f} MB），单个文件不得超过 {settings.UPLOAD_MAX_BYTES // 1024 // 1024} MB。"
            return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
