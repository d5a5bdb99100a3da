"""Inspections and the rectification ledger over the API, through the inspections app's selectors
and services: the responsible side applies for 销号 with evidence, the reviewer verifies or returns."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lvze.api.pagination import LimitOffset
from lvze.api.schemas import Error, NoteIn
from lvze.inspections.rectifications import (
    rectification_request_close,
    rectification_return,
    rectification_verify,
)
from lvze.inspections.selectors import (
    can_handle_rectification,
    can_review_rectification,
    inspections_for_user,
    rectification_for_user,
    rectification_state,
    rectifications_for_user,
)

router = Router(tags=["检查与整改"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class InspectionOut(Schema):
    id: int
    name: str
    period: str
    org: str = Field(..., alias="unit.code")
    status: str
    deadline: date


class RectificationOut(Schema):
    id: int
    unit: str = Field(..., alias="unit.code")
    source: str
    source_label: str
    supervision_type: str
    problem: str
    measures: str
    responsible_org: str = Field(..., alias="responsible_org.code")
    deadline: date
    work_item_id: int
    state: str

    @staticmethod
    def resolve_state(obj) -> str:
        return str(rectification_state(obj))


@router.get("/inspections", response={200: list[InspectionOut], **ERRORS}, summary="检查")
@paginate(LimitOffset)
def list_inspections(request: HttpRequest):
    return inspections_for_user(request.user).select_related("unit").order_by("-id")


@router.get("/rectifications", response={200: list[RectificationOut], **ERRORS}, summary="整改台账")
@paginate(LimitOffset)
def list_rectifications(request: HttpRequest, source: str = ""):
    rects = rectifications_for_user(request.user).select_related("unit", "responsible_org", "work_item").order_by("deadline", "id")
    return rects.filter(source=source) if source else rects


@router.get("/rectifications/{rect_id}", response={200: RectificationOut, **ERRORS}, summary="整改详情")
def get_rectification(request: HttpRequest, rect_id: int):
    return rectification_for_user(request.user, rect_id)


@router.post("/rectifications/{rect_id}/request-close", response={200: RectificationOut, **ERRORS}, summary="申请销号（附佐证）")
def request_close(request: HttpRequest, rect_id: int, note: Form[str], file: File[UploadedFile] = None):
    rect = rectification_for_user(request.user, rect_id)
    if not can_handle_rectification(request.user, rect):
        raise PermissionDenied("您不是该整改事项的责任方")
    files = [(file.name, file.read(), file.content_type or "")] if file else []
    rectification_request_close(actor=request.user, rect=rect, note=note, files=files)
    return rectification_for_user(request.user, rect_id)


def review(request: HttpRequest, rect_id: int, service, note: str):
    rect = rectification_for_user(request.user, rect_id)
    if not can_review_rectification(request.user, rect):
        raise PermissionDenied("您无权验收该整改事项")
    service(actor=request.user, rect=rect, note=note)
    return rectification_for_user(request.user, rect_id)


@router.post("/rectifications/{rect_id}/verify", response={200: RectificationOut, **ERRORS}, summary="验收销号")
def verify(request: HttpRequest, rect_id: int, payload: NoteIn):
    return review(request, rect_id, rectification_verify, payload.note)


@router.post("/rectifications/{rect_id}/return", response={200: RectificationOut, **ERRORS}, summary="退回整改")
def return_rectification(request: HttpRequest, rect_id: int, payload: NoteIn):
    return review(request, rect_id, rectification_return, payload.note)
