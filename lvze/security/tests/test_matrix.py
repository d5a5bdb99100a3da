"""The authorization matrix: every URL pattern of the project × every role, for objects of the same
branch, another branch and another unit, against a table written out here by hand.

The table is the specification. It is never computed from the selectors under test; a URL pattern
without a row fails `test_every_url_has_rows`, so a new view cannot arrive without someone deciding
who may open it. docs/security.md carries the same table (`test_docs_carry_the_matrix`; regenerate
with LVZE_WRITE_MATRIX=1).

Codes: L = redirect to the login page, 200, 302 (a redirect elsewhere: done, or back to a page),
403, 404 (absent or out of scope — deliberately the same answer), 405 (method not allowed).
GET rows are asked as they are; POST rows carry a valid CSRF token and no form data (each in its own
rolled-back transaction), so a permitted user gets the form back (200) or a redirect (302) and a
refused one 403/404 — and nothing is written either way.
"""

from __future__ import annotations

import copy
import os
import re
from datetime import date
from pathlib import Path

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lvze.accounts.models import Role
from lvze.accounts.separation import ADMIN_ACTIONS, PERSONAL_ACTIONS
from lvze.audit.models import AuditEvent
from lvze.duties.generation import obligations_generate
from lvze.duties.models import DutyListKind, ObligationRule, Plan, WorkItem
from lvze.duties.plan_services import duty_list_create
from lvze.duties.services import evidence_add_file, evidence_path, write_durably
from lvze.lib.periods import Period
from lvze.records.services import meeting_record
from lvze.reminders.models import Channel
from lvze.reminders.services import calendar_feed_issue, channel_create
from lvze.test import LvzeTestCase

USERS = [
    "anon",
    "party_admin",
    "leader",
    "secretary",
    "secretary2",
    "supervisor",
    "staff",
    "member",
    "city_admin",
    "xq_admin",
    "sysadmin",
    "secadmin",
    "auditor",
]
ADMIN_USERS = ("sysadmin", "secadmin", "auditor")
SHORT = ["anon", "padm", "lead", "sec1", "sec2", "sup", "staff", "mem", "city", "xqadm", "sys", "secad", "aud"]

# Who the columns are (lvze/test.py): party_admin, leader, supervisor on 区局 QJ; secretary on 第一党支部
# QJ01, secretary2 on 第二党支部 QJ02; staff on 办公室 QJBGS; member = 张一 of QJ01; city_admin on 市局 SJ
# (reads below, writes only its own unit); xq_admin on 新区局 XQ; the 三员 on SJ.
# Variants: QJ01 = an object of the first branch, QJ02 = of the second, XQ01 = of the other unit;
# QJ/XQ = of the unit itself.
MATRIX = """
#                                               anon padm lead sec1 sec2 sup  staf mem  city xqad sys  seca aud
GET  home                              -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  healthz                           -        200  200  200  200  200  200  200  200  200  200  200  200  200
GET  accounts:login                    -        200  200  200  200  200  200  200  200  200  200  200  200  200
POST accounts:login                    -        200  200  200  200  200  200  200  200  200  200  200  200  200
GET  accounts:logout                   -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:logout                   -        L    L    L    L    L    L    L    L    L    L    L    L    L
GET  accounts:password-change          -        L    200  200  200  200  200  200  200  200  200  200  200  200
POST accounts:password-change          -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  accounts:user-list                -        L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-create              -        L    404  404  404  404  404  404  404  404  404  404  200  404
POST accounts:user-create              -        L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-detail              QJ01     L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-detail              XQ       L    404  404  404  404  404  404  404  404  404  404  200  404
POST accounts:user-detail              QJ01     L    404  404  404  404  404  404  404  404  404  404  200  404
POST accounts:user-detail              XQ       L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-reset-password      QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:user-reset-password      XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:user-reset-password      QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:user-reset-password      XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  accounts:user-unlock              QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:user-unlock              XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:user-unlock              QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:user-unlock              XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  accounts:user-set-active          QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:user-set-active          XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:user-set-active          QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:user-set-active          XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  accounts:grant-revoke             QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:grant-revoke             XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:grant-revoke             QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:grant-revoke             XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  audit:event-list                  -        L    404  404  404  404  404  404  404  404  404  404  404  200
GET  audit:event-export                csv      L    404  404  404  404  404  404  404  404  404  404  404  200
GET  audit:event-export                xlsx     L    404  404  404  404  404  404  404  404  404  404  404  200
GET  audit:chain-verify                -        L    404  404  404  404  404  404  404  404  404  404  404  200
GET  duties:item-list                  -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  duties:item-bulk                  -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST duties:item-bulk                  -        L    302  302  302  302  302  302  302  302  302  302  302  302
GET  duties:item-counts                -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  duties:rule-list                  -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  duties:rule-edit                  QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  duties:rule-edit                  XQ       L    404  404  404  404  404  404  404  404  200  404  404  404
POST duties:rule-edit                  QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST duties:rule-edit                  XQ       L    404  404  404  404  404  404  404  404  200  404  404  404
GET  duties:coverage                   -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  duties:item-detail                QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  duties:item-detail                QJ02     L    200  200  404  200  200  404  404  200  404  404  404  404
GET  duties:item-detail                XQ01     L    404  404  404  404  404  404  404  200  200  404  404  404
GET  duties:item-evidence              QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-evidence              QJ02     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-evidence              XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST duties:item-evidence              QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
POST duties:item-evidence              QJ02     L    302  404  404  302  404  404  404  404  404  404  404  404
POST duties:item-evidence              XQ01     L    404  404  404  404  404  404  404  404  302  404  404  404
GET  duties:evidence-download          QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  duties:evidence-download          QJ02     L    200  200  404  200  200  404  404  200  404  404  404  404
GET  duties:evidence-download          XQ01     L    404  404  404  404  404  404  404  200  200  404  404  404
GET  duties:item-action                QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-action                QJ02     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-action                XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST duties:item-action                QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
POST duties:item-action                QJ02     L    302  404  404  302  404  404  404  404  404  404  404  404
POST duties:item-action                XQ01     L    404  404  404  404  404  404  404  404  302  404  404  404
GET  plans:plan-list                   -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  plans:plan-import                 -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST plans:plan-import                 -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  plans:plan-detail                 QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  plans:plan-detail                 XQ       L    404  404  404  404  404  404  404  200  200  404  404  404
GET  plans:plan-export                 QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  plans:plan-export                 XQ       L    404  404  404  404  404  404  404  200  200  404  404  404
GET  dutylists:dutylist-list           -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  dutylists:dutylist-create         -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST dutylists:dutylist-create         -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  dutylists:dutylist-detail         QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  dutylists:dutylist-detail         XQ       L    404  404  404  404  404  404  404  200  200  404  404  404
GET  dutylists:item-create             QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  dutylists:item-create             XQ       L    404  404  404  404  404  404  404  404  200  404  404  404
POST dutylists:item-create             QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST dutylists:item-create             XQ       L    404  404  404  404  404  404  404  404  200  404  404  404
GET  dutylists:dutylist-generate       QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
GET  dutylists:dutylist-generate       XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST dutylists:dutylist-generate       QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
POST dutylists:dutylist-generate       XQ       L    404  404  404  404  404  404  404  404  302  404  404  404
GET  records:meeting-list              -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  records:meeting-create            -        L    200  404  200  200  200  404  404  200  200  404  404  404
POST records:meeting-create            -        L    200  404  200  200  200  404  404  200  200  404  404  404
GET  records:meeting-roster            -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  records:meeting-detail            QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  records:meeting-detail            QJ02     L    200  200  404  200  200  404  404  200  404  404  404  404
GET  records:meeting-detail            XQ01     L    404  404  404  404  404  404  404  200  200  404  404  404
GET  records:meeting-pick-item         QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  records:meeting-pick-item         QJ02     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  records:meeting-pick-item         XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:meeting-pick-item         QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
POST records:meeting-pick-item         QJ02     L    302  404  404  302  404  404  404  404  404  404  404  404
POST records:meeting-pick-item         XQ01     L    404  404  404  404  404  404  404  404  302  404  404  404
GET  reminders:notification-list       -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  reminders:notification-read       -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST reminders:notification-read       -        L    302  302  302  302  302  302  302  302  302  302  302  302
GET  reminders:channel-list            -        L    200  404  404  404  404  404  200  200  200  404  404  404
POST reminders:channel-list            -        L    200  404  404  404  404  404  200  200  200  404  404  404
GET  reminders:channel-action          QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
GET  reminders:channel-action          QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST reminders:channel-action          QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
POST reminders:channel-action          QJ01     L    404  404  404  404  404  404  302  404  404  404  404  404
GET  reminders:calendar                -        L    200  200  200  200  200  200  200  200  200  200  200  200
POST reminders:calendar                -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  reminders:calendar-feed           valid    200  200  200  200  200  200  200  200  200  200  200  200  200
GET  reminders:calendar-feed           bogus    404  404  404  404  404  404  404  404  404  404  404  404  404
GET  reminders:reverse-list            -        L    200  200  404  404  200  404  200  200  200  404  404  404
GET  reminders:notice                  QJ01     L    200  200  200  404  200  404  200  200  404  200  200  404
GET  reminders:notice                  QJ02     L    200  200  404  200  200  404  404  200  404  200  200  404
GET  reminders:notice                  XQ01     L    404  404  404  404  404  404  404  200  200  200  200  404
GET  orgs:org-tree                     -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  orgs:org-create                   QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-create                   QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-create                   XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:org-create                   QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-create                   QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-create                   XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:org-detail                   QJ01     L    200  200  200  404  200  404  200  200  404  200  200  404
GET  orgs:org-detail                   QJ02     L    200  200  404  200  200  404  404  200  404  200  200  404
GET  orgs:org-detail                   XQ01     L    404  404  404  404  404  404  404  200  200  200  200  404
GET  orgs:org-edit                     QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-edit                     QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-edit                     XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:org-edit                     QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-edit                     QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-edit                     XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:org-move                     QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-move                     QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-move                     XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:org-move                     QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-move                     QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-move                     XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:org-set-active               QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  orgs:org-set-active               QJ02     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  orgs:org-set-active               XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST orgs:org-set-active               QJ01     L    302  404  404  404  404  404  404  404  404  302  404  404
POST orgs:org-set-active               QJ02     L    302  404  404  404  404  404  404  404  404  302  404  404
POST orgs:org-set-active               XQ01     L    404  404  404  404  404  404  404  404  302  302  404  404
GET  orgs:person-list                  -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  orgs:person-create                -        L    200  404  404  404  404  404  404  200  200  200  404  404
POST orgs:person-create                -        L    200  404  404  404  404  404  404  200  200  200  404  404
GET  orgs:person-import                -        L    200  404  404  404  404  404  404  200  200  200  404  404
POST orgs:person-import                -        L    200  404  404  404  404  404  404  200  200  200  404  404
GET  orgs:quality                      -        L    200  404  404  404  404  404  404  200  200  200  404  404
GET  orgs:person-detail                QJ01     L    200  200  200  404  200  404  200  200  404  200  200  404
GET  orgs:person-detail                QJ02     L    200  200  404  200  200  404  404  200  404  200  200  404
GET  orgs:person-detail                XQ01     L    404  404  404  404  404  404  404  200  200  200  200  404
GET  orgs:person-edit                  QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:person-edit                  QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:person-edit                  XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:person-edit                  QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:person-edit                  QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:person-edit                  XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:appointment-create           QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:appointment-create           QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:appointment-create           XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:appointment-create           QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:appointment-create           QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:appointment-create           XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
"""

ROW = re.compile(r"^(GET|POST)\s+(\S+)\s+(\S+)\s+(.*)$")


def url_names() -> list[str]:
    """Every named URL pattern of the project, walked through the resolvers (namespaces included)."""
    names: list[str] = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def parse(table: str) -> list[tuple[str, str, str, list[str]]]:
    rows = []
    for line in table.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = ROW.match(line)
        assert match, line
        method, name, variant, codes = match.groups()
        codes = codes.split()
        assert len(codes) == len(USERS), line
        rows.append((method, name, variant, codes))
    return rows


class MatrixFixture(LvzeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        obligations_generate(actor=None, period=Period.parse("2024Q2"))
        cls.items = {
            code: WorkItem.objects.filter(organization__code=code).order_by("id").first() for code in ("QJ01", "QJ02", "XQ01")
        }
        cls.evidence = {
            code: evidence_add_file(actor=None, item=item, name="会议记录.pdf", data=b"%PDF-1.4 " + code.encode())
            for code, item in cls.items.items()
        }
        cls.meetings = {
            code: meeting_record(
                actor=None, organization=cls.orgs[code], kind="theme_day", held_on=date(2024, 5, 8), topic="主题党日"
            ).meeting
            for code in ("QJ01", "QJ02", "XQ01")
        }
        cls.duty_lists = {
            code: duty_list_create(actor=None, unit=cls.orgs[code], kind=DutyListKind.COMMITTEE, name="主体责任清单", year=2024)
            for code in ("QJ", "XQ")
        }
        cls.plans = {code: Plan.objects.create(unit=cls.orgs[code], name="2024年工作要点", year=2024) for code in ("QJ", "XQ")}
        cls.rules = {code: ObligationRule.objects.filter(unit=cls.orgs[code]).order_by("id").first() for code in ("QJ", "XQ")}
        cls.channels = {
            "QJ": channel_create(actor=None, kind="email", target="bgs@example.org", unit=cls.orgs["QJ"]),
            "QJ01": channel_create(actor=None, kind="email", target="zhang@example.org", person=cls.p1),
        }
        Channel.objects.update(active=False)
        cls.feed_token = calendar_feed_issue(actor=cls.users["member"])
        cls.people = {"QJ01": cls.p1, "QJ02": cls.p2, "XQ01": cls.p_xq}
        cls.accounts = {"QJ01": cls.users["secretary"], "XQ": cls.users["xq_admin"]}

    def setUp(self):
        # Each test has its own upload directory (conftest); lay the class's evidence files into it.
        for code, evidence in self.evidence.items():
            write_durably(evidence_path(evidence.sha256), b"%PDF-1.4 " + code.encode())

    def url(self, name: str, variant: str) -> str:
        """The address of a row: the URL name's arguments filled from the variant's object."""
        v = variant
        args = {
            "orgs:org-create": lambda: reverse(name) + f"?parent={v}",
            "orgs:org-detail": lambda: reverse(name, args=[v]),
            "orgs:org-edit": lambda: reverse(name, args=[v]),
            "orgs:org-move": lambda: reverse(name, args=[v]),
            "orgs:org-set-active": lambda: reverse(name, args=[v]),
            "orgs:person-detail": lambda: reverse(name, args=[self.people[v].pk]),
            "orgs:person-edit": lambda: reverse(name, args=[self.people[v].pk]),
            "orgs:appointment-create": lambda: reverse(name, args=[self.people[v].pk]),
            "accounts:user-detail": lambda: reverse(name, args=[self.accounts[v].pk]),
            "accounts:user-reset-password": lambda: reverse(name, args=[self.accounts[v].pk]),
            "accounts:user-unlock": lambda: reverse(name, args=[self.accounts[v].pk]),
            "accounts:user-set-active": lambda: reverse(name, args=[self.accounts[v].pk]),
            "accounts:grant-revoke": lambda: reverse(
                name, args=[self.accounts[v].pk, self.accounts[v].grants.get().pk]
            ),
            "audit:event-export": lambda: reverse(name, args=[v]),
            "duties:item-detail": lambda: reverse(name, args=[self.items[v].pk]),
            "duties:item-evidence": lambda: reverse(name, args=[self.items[v].pk]),
            "duties:evidence-download": lambda: reverse(name, args=[self.items[v].pk, self.evidence[v].pk]),
            "duties:item-action": lambda: reverse(name, args=[self.items[v].pk, "progress"]),
            "duties:rule-edit": lambda: reverse(name, args=[self.rules[v].pk]),
            "plans:plan-detail": lambda: reverse(name, args=[self.plans[v].pk]),
            "plans:plan-export": lambda: reverse(name, args=[self.plans[v].pk]),
            "dutylists:dutylist-detail": lambda: reverse(name, args=[self.duty_lists[v].pk]),
            "dutylists:item-create": lambda: reverse(name, args=[self.duty_lists[v].pk]),
            "dutylists:dutylist-generate": lambda: reverse(name, args=[self.duty_lists[v].pk]),
            "records:meeting-detail": lambda: reverse(name, args=[self.meetings[v].pk]),
            "records:meeting-pick-item": lambda: reverse(name, args=[self.meetings[v].pk]),
            "reminders:channel-action": lambda: reverse(name, args=[self.channels[v].pk, "enable"]),
            "reminders:calendar-feed": lambda: reverse(
                name, args=[self.feed_token if v == "valid" else "x" * len(self.feed_token)]
            ),
            "reminders:notice": lambda: reverse(name, args=[v, "2024-05"]),
        }
        if name in args:
            return args[name]()
        assert v == "-", f"{name} takes no variant, got {v}"
        return reverse(name)

    def post_data(self, name: str, variant: str) -> dict:
        """The few POST rows where an empty form would hide the answer behind a 404 of its own."""
        if name == "records:meeting-pick-item":
            return {"item": WorkItem.objects.filter(organization__code=variant).order_by("id").first().pk}
        if name == "duties:item-bulk":
            return {"pick": [item.pk for item in self.items.values()], "action": "urge", "note": "请抓紧办理"}
        return {}

    def clients(self) -> dict[str, Client]:
        clients = {"anon": Client()}
        for username in USERS[1:]:
            clients[username] = Client()
            clients[username].force_login(self.users[username])
        return clients

    def observe(self, clients: dict[str, Client], method: str, url: str, data: dict) -> list[str]:
        """Each user's answer; a refused request and any request of a 三员 writes no business data."""
        codes = []
        for username in USERS:
            client = clients[username]
            cookies = copy.deepcopy(client.cookies)  # a logout or login must not change the next row
            with transaction.atomic():
                last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
                response = client.post(url, data) if method == "POST" else client.get(url)
                new = AuditEvent.objects.filter(seq__gt=last or 0)
                written = set(new.exclude(action__regex=r"^(access|auth)\.").values_list("action", flat=True))
                transaction.set_rollback(True)
            client.cookies = cookies
            code = code_of(response)
            codes.append(code)
            if code in {"L", "403", "404", "405"}:
                assert not written, f"{method} {url} as {username} answered {code} but wrote {written}"
            if username in ADMIN_USERS:
                business = {a for a in written if not a.startswith((*ADMIN_ACTIONS[Role(username)], *PERSONAL_ACTIONS))}
                assert not business, f"{method} {url}: the {username} wrote business data {business}"
        return codes


def code_of(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return "L"
    return str(response.status_code)


def markdown(rows) -> str:
    lines = [
        "| 方法 | 地址名 | 对象 | " + " | ".join(SHORT) + " |",
        "|---|---|---|" + "---|" * len(SHORT),
    ]
    for method, name, variant, codes in rows:
        lines.append(f"| {method} | `{name}` | {variant} | " + " | ".join(codes) + " |")
    return "\n".join(lines)


DOCS = Path(__file__).resolve().parents[3] / "docs" / "security.md"
BEGIN, END = "<!-- matrix:begin -->", "<!-- matrix:end -->"


class AuthorizationMatrixTests(MatrixFixture):
    def test_every_url_has_rows(self):
        covered = {name for _m, name, _v, _c in parse(MATRIX)}
        missing = [name for name in url_names() if name not in covered]
        self.assertEqual(missing, [], "URL patterns without a row in the authorization matrix")
        unknown = covered - set(url_names())
        self.assertEqual(unknown, set(), "rows for URL names that no longer exist")

    def test_matrix(self):
        clients = self.clients()
        observed, failures = [], []
        for method, name, variant, expected in parse(MATRIX):
            url = self.url(name, variant)
            codes = self.observe(clients, method, url, self.post_data(name, variant) if method == "POST" else {})
            observed.append(f"{method:<4} {name:<33} {variant:<8} " + " ".join(f"{c:<4}" for c in codes).rstrip())
            for username, want, got in zip(USERS, expected, codes, strict=True):
                if want != got:
                    failures.append(f"{method} {url} ({name} {variant}) as {username}: expected {want}, got {got}")
        if os.environ.get("LVZE_PRINT_MATRIX"):
            print("\n" + "\n".join(observed))
        self.assertEqual(failures, [], "\n".join(failures))

    def test_docs_carry_the_matrix(self):
        table = markdown(parse(MATRIX))
        text = DOCS.read_text() if DOCS.exists() else ""
        if os.environ.get("LVZE_WRITE_MATRIX"):
            start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
            DOCS.write_text(text[:start] + "\n" + table + "\n" + text[end:])
            text = DOCS.read_text()
        self.assertIn(table, text, "docs/security.md is out of date: run with LVZE_WRITE_MATRIX=1")

    def test_every_post_needs_a_csrf_token(self):
        """Replaying a form without its token (or from another site) is refused, for every POST row."""
        posts = {(name, variant) for method, name, variant, _c in parse(MATRIX) if method == "POST"}
        for username in ("party_admin", "secretary", "sysadmin"):
            client = Client(enforce_csrf_checks=True)
            client.force_login(self.users[username])
            for name, variant in sorted(posts):
                url = self.url(name, variant)
                with transaction.atomic():
                    response = client.post(url, self.post_data(name, variant))
                    transaction.set_rollback(True)
                self.assertEqual(response.status_code, 403, f"{username} POST {url}")
        anonymous = Client(enforce_csrf_checks=True)
        response = anonymous.post(reverse("accounts:login"), {"username": "leader", "password": "Test@2023x"})
        self.assertEqual(response.status_code, 403)

    def test_anonymous_reaches_static_files(self):
        self.assertEqual(Client().get("/static/css/lvze.css").status_code, 200)
