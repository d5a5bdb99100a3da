"""One error shape for every failure: {"code", "message" (Chinese), "errors": [{"field", "message"}]}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class RateLimited(Exception):
    pass


class ReadOnlyToken(Exception):
    pass


def body(code: str, message: str, errors: list[dict] | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or []}


def field_of(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload")]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, payload: dict) -> HttpResponse:
        return api.create_response(request, payload, status=status)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc):
        errors = [{"field": field_of(e.get("loc", [])), "message": e.get("msg", "")} for e in exc.errors]
        return respond(request, 422, body("invalid", "请求参数有误", errors))

    @api.exception_handler(DjangoValidationError)
    def rejected(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
        else:
            errors = [{"field": "", "message": m} for m in exc.messages]
        return respond(request, 422, body("rejected", "；".join(e["message"] for e in errors), errors))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, body("not_found", "对象不存在或不在您的权限范围内"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, body("forbidden", str(exc) or "无权执行此操作"))

    @api.exception_handler(ReadOnlyToken)
    def read_only(request, exc):
        return respond(request, 403, body("read_only_token", "只读令牌不能执行写操作"))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, 401, body("unauthenticated", "缺少或无效的访问令牌（Authorization: Bearer …）"))

    @api.exception_handler(RateLimited)
    def too_many(request, exc):
        response = respond(request, 429, body("rate_limited", "请求过于频繁，请稍后再试"))
        response["Retry-After"] = "60"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return respond(request, exc.status_code, body("error", str(exc)))
