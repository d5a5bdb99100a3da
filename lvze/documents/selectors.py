"""Reads of drafts, versions and masking settings, and the scope checks behind every documents page.

Drafts are read by the roles that look at a whole unit (党务管理员, 领导, 纪检监督) on the draft's unit
or above it; they are written only by the 党务管理员 of the unit itself. The 三员 never see them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from lvze.accounts.models import Role
from lvze.documents.blocks import heading_prefixes, is_edited, table_text
from lvze.documents.models import Draft, DraftVersion, MaskSettings
from lvze.lib.masking import DEFAULT_PROTECTED_PHRASES, MaskRegistry
from lvze.orgs.models import UNIT_KINDS, Appointment, Organization, Person
from lvze.orgs.selectors import grant_orgs, own_unit_q, subtree_q

DRAFT_READERS = frozenset({Role.PARTY_ADMIN, Role.LEADER, Role.SUPERVISOR})
DRAFT_WRITERS = frozenset({Role.PARTY_ADMIN})


def drafts_for_user(user) -> QuerySet[Draft]:
    return Draft.objects.filter(subtree_q(grant_orgs(user, DRAFT_READERS), "unit__")).select_related(
        "unit", "created_by", "updated_by"
    )


def draft_write_q(user) -> Q:
    return own_unit_q(grant_orgs(user, DRAFT_WRITERS), "unit__")


def draft_for_user(user, draft_id: int, *, write: bool = False) -> Draft:
    drafts = drafts_for_user(user)
    if write:
        drafts = drafts.filter(draft_write_q(user))
    draft = drafts.filter(pk=draft_id).first()
    if draft is None:
        raise Http404("草稿不存在或不在您的权限范围内")
    return draft


def can_edit_draft(user, draft: Draft) -> bool:
    return Draft.objects.filter(draft_write_q(user), pk=draft.pk).exists()


def draft_units_for_user(user) -> QuerySet[Organization]:
    """The units (党委/党组) whose documents the user may generate."""
    return Organization.objects.filter(own_unit_q(grant_orgs(user, DRAFT_WRITERS)), kind__in=UNIT_KINDS)


def draft_unit_for_user(user, code: str) -> Organization:
    unit = draft_units_for_user(user).filter(code=code).first()
    if unit is None:
        raise Http404("单位不存在或您无权为其生成文档")
    return unit


def can_read_drafts(user) -> bool:
    return bool(grant_orgs(user, DRAFT_READERS))


def draft_versions(draft: Draft) -> QuerySet[DraftVersion]:
    return draft.versions.select_related("saved_by").order_by("-number")


def draft_version(draft: Draft, number: int) -> DraftVersion:
    version = draft.versions.filter(number=number).first()
    if version is None:
        raise Http404("版本不存在")
    return version


# --- masking -------------------------------------------------------------------------------


def ancestor_codes(org: Organization) -> list[str]:
    return [code for code in org.path.split("/") if code]


def mask_settings_for(unit: Organization) -> MaskSettings | None:
    """The unit's own settings, else the nearest higher unit's; None means the shipped defaults."""
    return (
        MaskSettings.objects.filter(unit__code__in=ancestor_codes(unit))
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )


def registry_people_names(unit: Organization) -> set[str]:
    """Everyone in the unit's subtree (by branch, department or post, active or not), and the post
    holders of the units above it, whom a document may also name."""
    in_tree = Q(branch__path__startswith=unit.path) | Q(department__path__startswith=unit.path)
    names = set(Person.objects.filter(in_tree).values_list("name", flat=True))
    posts = Appointment.objects.filter(
        Q(organization__path__startswith=unit.path) | Q(organization__code__in=ancestor_codes(unit))
    )
    names.update(posts.values_list("person__name", flat=True))
    return names


def registry_org_names(unit: Organization) -> list[tuple[str, list[str]]]:
    orgs = Organization.objects.filter(Q(path__startswith=unit.path) | Q(code__in=ancestor_codes(unit)))
    return [(name, list(short_names or [])) for name, short_names in orgs.values_list("name", "short_names")]


def mask_registry_for(unit: Organization) -> MaskRegistry:
    """The names a masked export of this unit's documents replaces, from the platform's registry."""
    settings = mask_settings_for(unit)
    extra: dict = {}
    if settings is not None:
        extra = {
            "generic_words": settings.generic_words.split(),
            "protected_phrases": (*DEFAULT_PROTECTED_PHRASES, *settings.protected_phrases.split()),
            "places": settings.places.split(),
            "terms": settings.terms.split(),
            "figures": settings.figures,
        }
    return MaskRegistry(
        people_names=registry_people_names(unit), org_names=registry_org_names(unit), **extra
    )


# --- the editor's view of a draft ----------------------------------------------------------


@dataclass(frozen=True)
class Source:
    label: str
    value: str
    href: str
    ref: str


@dataclass(frozen=True)
class BlockView:
    """A block as the editor shows it."""

    block: dict
    prefix: str
    edited: bool
    section_label: str
    table_text: str
    rows: int
    sources: list[Source]

    @property
    def id(self) -> str:
        return self.block["id"]

    @property
    def latest_text(self) -> str:
        latest = self.block.get("latest")
        if not latest:
            return ""
        if "rows" in latest:
            return table_text({"header": latest["header"], "rows": latest["rows"]})
        return latest["text"]


def textarea_rows(text: str, chars_per_line: int = 40) -> int:
    lines = sum(max(1, -(-len(line) // chars_per_line)) for line in text.split("\n"))
    return max(2, min(16, lines))


def resolve_sources(blocks: list[dict]) -> dict[str, str]:
    """Provenance refs ("orgs.person:12") → page URLs, with one query for organisations' codes."""
    refs = {p["source"] for block in blocks for p in block.get("provenance", [])}
    org_ids = [int(ref.split(":")[1]) for ref in refs if ref.startswith("orgs.organization:")]
    codes = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "code")) if org_ids else {}
    hrefs = {}
    for ref in refs:
        model, _, pk = ref.partition(":")
        if ref.startswith("/"):
            hrefs[ref] = ref
        elif model == "orgs.person" and pk.isdigit():
            hrefs[ref] = reverse("orgs:person-detail", args=[int(pk)])
        elif model == "orgs.organization" and pk.isdigit() and int(pk) in codes:
            hrefs[ref] = reverse("orgs:org-detail", args=[codes[int(pk)]])
    return hrefs


def draft_block_views(draft: Draft, section_labels: dict[str, str]) -> list[BlockView]:
    prefixes = heading_prefixes(draft.content)
    hrefs = resolve_sources(draft.content)
    views = []
    for block in draft.content:
        text = table_text(block) if block["type"] == "table" else block["text"]
        sources = [
            Source(p["label"], p["value"], hrefs.get(p["source"], ""), p["source"]) for p in block.get("provenance", [])
        ]
        views.append(
            BlockView(
                block=block,
                prefix=prefixes.get(block["id"], ""),
                edited=is_edited(block),
                section_label=section_labels.get(block.get("section", ""), ""),
                table_text=text if block["type"] == "table" else "",
                rows=1 if block["type"] == "heading" else textarea_rows(text),
                sources=sources,
            )
        )
    return views
