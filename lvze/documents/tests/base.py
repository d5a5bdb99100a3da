"""Shared setup: the base tree plus a person and a short name that collide with protected phrases."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from lxml import etree

from lvze.documents import services
from lvze.documents.models import Draft
from lvze.orgs.models import Organization
from lvze.test import LvzeTestCase

TODAY = date(2024, 5, 10)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def docx_xml(data: bytes, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(part))


def paragraph_texts(root: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(w("t"))) for p in root.iter(w("p"))]


class DocumentsTestCase(LvzeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A person called 示范 and a branch short-named 第一: "示范引领" and "第一议题" must survive masking.
        cls.p_fragment = cls.make_person("示范", "QJ02")
        Organization.objects.filter(code="QJ01").update(short_names=["第一", "一支部"])
        cls.orgs["QJ01"].refresh_from_db()

    def make_draft(self, username: str = "party_admin", unit: str = "QJ") -> Draft:
        return services.draft_create(
            actor=self.users[username], unit=self.orgs[unit], kind="quality", today=TODAY
        )

    def save(self, draft: Draft, blocks: list[dict], note: str = "保存", **header):
        return services.draft_save(
            actor=self.users["party_admin"],
            draft=draft,
            blocks=blocks,
            title=header.get("title", draft.title),
            signoff=header.get("signoff", draft.signoff),
            doc_date=header.get("doc_date", draft.doc_date),
            base_version=draft.version,
            note=note,
        )


def block_by_slot(draft: Draft, slot: str) -> dict:
    return next(b for b in draft.content if b.get("slot") == slot)
