"""上报 over the API: the submitting unit's sent documents, the higher level's inbox, receive and return."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from lvze.api.pagination import LimitOffset
from lvze.api.schemas import Error, NoteIn
from lvze.documents.builder import render_version_docx
from lvze.upward.selectors import can_receive, incoming_for_user, submission_for_user, submissions_for_user
from lvze.upward.services import submission_receive, submission_return

router = Router(tags=["上报"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class SubmissionOut(Schema):
    id: int
    title: str
    kind: str
    period: str
    from_unit: str = Field(..., alias="from_unit.code")
    to_unit: str = Field(..., alias="to_unit.code")
    state: str
    comments: str
    submitted_at: datetime
    decided_at: datetime | None
    work_item_id: int | None


def rows(submissions):
    return submissions.select_related("from_unit", "to_unit").order_by("-submitted_at", "-id")


@router.get("/submissions", response={200: list[SubmissionOut], **ERRORS}, summary="上报（本单位报出的与下级报来的）")
@paginate(LimitOffset)
def list_submissions(request: HttpRequest, inbox: bool = False):
    return rows(incoming_for_user(request.user) if inbox else submissions_for_user(request.user))


@router.get("/submissions/{submission_id}", response={200: SubmissionOut, **ERRORS}, summary="上报详情")
def get_submission(request: HttpRequest, submission_id: int):
    return submission_for_user(request.user, submission_id)


@router.get("/submissions/{submission_id}/document.docx", response={200: None, **ERRORS}, summary="下载上报的审定版本")
def submission_document(request: HttpRequest, submission_id: int):
    submission = submission_for_user(request.user, submission_id)
    response = HttpResponse(render_version_docx(submission.draft, submission.version), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''submission-{submission.pk}.docx"
    return response


def decide(request: HttpRequest, submission_id: int, service, **kwargs):
    submission = submission_for_user(request.user, submission_id)
    if not can_receive(request.user, submission):
        raise PermissionDenied("只有接收单位的党务管理员可以处理")
    service(actor=request.user, submission=submission, **kwargs)
    return submission_for_user(request.user, submission_id)


@router.post("/submissions/{submission_id}/receive", response={200: SubmissionOut, **ERRORS}, summary="接收")
def receive(request: HttpRequest, submission_id: int):
    return decide(request, submission_id, submission_receive)


@router.post("/submissions/{submission_id}/return", response={200: SubmissionOut, **ERRORS}, summary="退回（须写明意见）")
def return_submission(request: HttpRequest, submission_id: int, payload: NoteIn):
    return decide(request, submission_id, submission_return, comments=payload.note)
