
from datetime import date, datetime

from ninja import Field, Schema


class OrgOut(Schema):
    code: str
    name: str
    short_names: list[str]
    kind: str
    parent: str | None = Field(None, alias="parent.code")
    active: bool


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    party_status: str
    branch: str | None = Field(None, alias="branch.code")
    department: str | None = Field(None, alias="department.code")
    position: str


class WorkItemOut(Schema):
    id: int
    title: str
    source: str
    organization: str = Field(..., alias="organization.code")
    responsible_person_id: int | None
    work_area: str
    period: str
    due_date: date | None
    status: str
    timeliness: str
    done_on: date | None


class EventOut(Schema):
    kind: str
    note: str
    actor: str | None = Field(None, alias="actor.username")
    at: datetime


class EvidenceOut(Schema):
    id: int
    name: str
    sha256: str
    size: int
    record_type: str
    record_id: str


class WorkItemDetail(WorkItemOut):
    events: list[EventOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.select_related("actor"))

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.evidence.all())


class NoteIn(Schema):
    note: str = Field("", max_length=2000, description="进展、退回原因或督办意见")


class TaskOut(Schema):
    id: int
    seq: int
    category: str
    title: str
    measures: str
    leader_text: str
    deadline_text: str
    frequency: str
    due_date: date | None
    lead_orgs: list[str]


class PlanOut(Schema):
    id: int
    name: str
    year: int
    unit: str = Field(..., alias="unit.code")


class PlanDetail(PlanOut):
    tasks: list[TaskOut]


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class ReadIn(Schema):
    ids: list[int] = Field(default_factory=list, description="为空则全部标为已读")


class CountOut(Schema):
    marked: int


class TimelinessStats(Schema):
    org: str
    as_of: date
    normal: int
    due_soon: int
    overdue: int
    on_time: int
    late: int
    long_term: int
    due_in_period: int
    on_time_rate: float | None


class Error(Schema):
    code: str
    message: str
    errors: list[dict]
