"""Writes to organisations and people. Each function is atomic and appends an audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from lvze.audit.services import audit_record, diff_fields
from lvze.orgs.models import (
    DEFAULT_WORK_AREAS,
    UNIT_KINDS,
    Appointment,
    DataCorrection,
    Membership,
    Organization,
    Person,
    WorkArea,
)

CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def validate_code(code: str) -> None:
    if not code or not set(code) <= CODE_CHARS:
        raise ValidationError({"code": "代码只能由字母、数字、下划线和连字符组成"})
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": f"代码“{code}”已被使用"})


def nearest_unit(kind: str, parent: Organization | None) -> Organization | None:
    if kind in UNIT_KINDS:
        return None  # set to itself after insert
    return parent.unit if parent else None


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    short_names: list[str] | None = None,
    has_committee: bool = False,
    sort_order: int = 0,
) -> Organization:
    validate_code(code)
    org = Organization.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        short_names=short_names or [],
        path=f"{parent.path if parent else '/'}{code}/",
        depth=(parent.depth + 1) if parent else 0,
        unit=nearest_unit(kind, parent),
        has_committee=has_committee,
        sort_order=sort_order,
    )
    if kind in UNIT_KINDS:
        org.unit = org
        org.save(update_fields=["unit"])
        WorkArea.objects.bulk_create(
            WorkArea(unit=org, name=n, order=i) for i, n in enumerate(DEFAULT_WORK_AREAS)
        )
    audit_record(
        actor=actor,
        action="organization.create",
        obj=org,
        organization=org,
        changes={"code": code, "name": name, "kind": kind, "parent": parent.code if parent else None},
    )
    return org


@transaction.atomic
def organization_update(*, actor: Any, org: Organization, **values: Any) -> Organization:
    allowed = {"name", "short_names", "has_committee", "sort_order"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)} here")
    changes = diff_fields(org, values)
    if not changes:
        return org
    for field, value in values.items():
        setattr(org, field, value)
    org.save(update_fields=list(values))
    audit_record(actor=actor, action="organization.update", obj=org, organization=org, changes=changes)
    return org


def refresh_units(root: Organization) -> None:
    """Recompute the owning unit of every organisation in root's subtree, parents before children."""
    units: dict[int, int | None] = {}
    for org in Organization.objects.filter(path__startswith=root.path).order_by("depth"):
        if org.kind in UNIT_KINDS:
            unit_id = org.pk
        elif org.parent_id in units:
            unit_id = units[org.parent_id]
        else:
            unit_id = Organization.objects.get(pk=org.parent_id).unit_id if org.parent_id else None
        units[org.pk] = unit_id
        if org.unit_id != unit_id:
            Organization.objects.filter(pk=org.pk).update(unit_id=unit_id)


@transaction.atomic
def organization_move(*, actor: Any, org: Organization, new_parent: Organization) -> Organization:
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": "不能移动到自身或其下级组织之下"})
    old_path, old_parent = org.path, org.parent
    new_path = f"{new_parent.path}{org.code}/"
    depth_shift = new_parent.depth + 1 - org.depth
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    refresh_units(org)
    audit_record(
        actor=actor,
        action="organization.move",
        obj=org,
        organization=org,
        changes={"parent": [old_parent.code if old_parent else None, new_parent.code]},
    )
    return org


@transaction.atomic
def organization_set_active(*, actor: Any, org: Organization, active: bool) -> Organization:
    """Units are deactivated, never deleted: their records stay countable."""
    if org.active == active:
        return org
    if not active and Organization.objects.filter(parent=org, active=True).exists():
        raise ValidationError({"active": "请先停用其下级组织"})
    if not active and Person.objects.filter(branch=org, active=True).exists():
        raise ValidationError({"active": "该组织仍有在册人员，请先转出"})
    org.active = active
    org.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="organization.activate" if active else "organization.deactivate",
        obj=org,
        organization=org,
        changes={"active": [not active, active]},
    )
    return org


PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "party_status",
    "joined_party_on",
    "branch",
    "department",
    "position",
    "phone",
    "active",
)


def person_org(person: Person) -> Organization | None:
    return person.branch or person.department


def open_membership(person: Person, start: date) -> None:
    if person.branch_id and person.party_status != "none":
        Membership.objects.create(
            person=person, branch_id=person.branch_id, party_status=person.party_status, start=start
        )


def membership_changed(changes: dict[str, Any]) -> bool:
    return bool({"branch", "party_status", "active"} & set(changes))


def person_insert(values: dict[str, Any], since: date) -> Person:
    """Insert a person and open their dated membership; no audit (callers record it)."""
    person = Person(**{k: v for k, v in values.items() if k in PERSON_FIELDS})
    person.full_clean(exclude=["branch", "department"])
    person.save()
    open_membership(person, since)
    return person


def person_apply(person: Person, values: dict[str, Any], day: date) -> dict[str, list[Any]]:
    """Apply changed values; a change of branch or status closes the membership and opens the next."""
    values = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    changes = diff_fields(person, values)
    if not changes:
        return changes
    for field in changes:
        setattr(person, field, values[field])
    person.full_clean(exclude=["branch", "department"])
    person.save(update_fields=[*changes, "updated_at"])
    if membership_changed(changes):
        Membership.objects.filter(person=person, end__isnull=True).update(end=day)
        if person.active:
            open_membership(person, day)
    return changes


@transaction.atomic
def person_create(*, actor: Any, since: date | None = None, **values: Any) -> Person:
    person = person_insert(values, since or timezone.localdate())
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        organization=person_org(person),
        changes={k: v for k, v in values.items() if k in PERSON_FIELDS},
    )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, on: date | None = None, correction_of: str = "", **values: Any
) -> Person:
    changes = person_apply(person, values, on or timezone.localdate())
    if not changes:
        return person
    if correction_of:
        record_corrections(actor=actor, person=person, issue=correction_of, changes=changes)
    audit_record(
        actor=actor,
        action="person.correct" if correction_of else "person.update",
        obj=person,
        organization=person_org(person),
        changes=changes,
    )
    return person


def record_corrections(*, actor: Any, person: Person, issue: str, changes: dict[str, list[Any]]) -> None:
    org = person_org(person)
    unit = org.unit if org and org.unit_id else org
    if unit is None:
        return
    DataCorrection.objects.bulk_create(
        DataCorrection(
            person=person,
            unit=unit,
            issue=issue,
            field=field,
            old_value=str(old or "")[:200],
            new_value=str(new or "")[:200],
            corrected_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for field, (old, new) in changes.items()
    )


@transaction.atomic
def appointment_create(
    *,
    actor: Any,
    person: Person,
    organization: Organization,
    post: str,
    start: date | None = None,
    areas: list[WorkArea] | None = None,
    departments: list[Organization] | None = None,
) -> Appointment:
    appointment = Appointment.objects.create(person=person, organization=organization, post=post, start=start)
    if areas:
        appointment.areas.set(areas)
    if departments:
        appointment.departments.set(departments)
    audit_record(
        actor=actor,
        action="appointment.create",
        obj=appointment,
        organization=organization,
        changes={
            "person": person.name,
            "post": appointment.get_post_display(),
            "areas": [a.name for a in areas or []],
            "departments": [d.name for d in departments or []],
        },
    )
    return appointment


@transaction.atomic
def appointment_end(*, actor: Any, appointment: Appointment, end: date) -> Appointment:
    appointment.end = end
    appointment.save(update_fields=["end"])
    audit_record(
        actor=actor,
        action="appointment.end",
        obj=appointment,
        organization=appointment.organization,
        changes={"end": str(end)},
    )
    return appointment
