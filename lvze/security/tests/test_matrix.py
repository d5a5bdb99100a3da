"""The authorization matrix: every URL pattern of the project × every role, for objects of the same
branch, another branch and another unit, against a table written out here by hand. The data is the
demo (`lvze demo`), which fills every app; the columns are its accounts, one per role.

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
import io
import os
import re
import unittest
from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lvze.accounts.models import Role, User
from lvze.accounts.separation import ADMIN_ACTIONS, PERSONAL_ACTIONS
from lvze.api.services import api_token_create
from lvze.audit.models import AuditEvent
from lvze.documents.models import Draft
from lvze.duties.models import DutyListKind, ObligationRule, Plan, WorkItem
from lvze.duties.plan_services import duty_list_create
from lvze.duties.services import evidence_add_file, evidence_path, write_durably
from lvze.inspections.models import (
    ChecklistTemplate,
    DutyReport,
    Evaluation,
    EvaluationEntry,
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    Score,
)
from lvze.inspections.services import score_evidence_add
from lvze.orgs.models import Organization, Person
from lvze.records.models import (
    Activity,
    Attachment,
    Attendance,
    Brand,
    Honor,
    LifeMeeting,
    Meeting,
    Partnership,
    PioneerPost,
    ProblemEntry,
    StudyPlan,
    StudyRecord,
    Talk,
)
from lvze.reminders.models import Channel, ReminderSent, SendKind, SendState
from lvze.reminders.services import calendar_feed_issue, channel_create
from lvze.upward.models import ApprovalChain, ApprovalRequest, Review, Submission, SubmissionRequirement

USERS = [
    "anon",
    "dangban",
    "shuji",
    "zhibu1",
    "zhibu2",
    "jijian",
    "jingban",
    "dangyuan",
    "shiju",
    "xinqu",
    "xitong",
    "anquan",
    "shenji",
]
ADMIN_USERS = {"xitong": Role.SYSADMIN, "anquan": Role.SECADMIN, "shenji": Role.AUDITOR}
SHORT = ["anon", "padm", "lead", "sec1", "sec2", "sup", "staff", "mem", "city", "xqadm", "sys", "secad", "aud"]

# Who the columns are (lvze/orgs/demo.py): dangban (党务管理员), shuji (领导), jijian (纪检监督) on 区局 QJ;
# zhibu1 on 第一党支部 QJ01, zhibu2 on 第二党支部 QJ02; jingban (科室经办人) on 办公室; dangyuan = a member of
# QJ01; shiju = 市局 SJ's 党务管理员 (reads below, writes only its own unit); xinqu = 新区局 XQ's; the 三员
# xitong, anquan, shenji on SJ.
# Variants: QJ01 = an object of the first branch, QJ02 = of the second, XQ01 = of the other unit; QJ =
# an object of the 区局 itself. Rows with a single variant still test the three relations through the
# columns: zhibu1 (same branch), zhibu2 (another branch), xinqu (another unit).
MATRIX = """
#                                                   anon padm lead sec1 sec2 sup  staf mem  city xqad sys  seca aud
GET  api:openapi-json                      -        200  200  200  200  200  200  200  200  200  200  200  200  200
POST api:openapi-json                      -        200  200  200  200  200  200  200  200  200  200  200  200  200
GET  api:list_orgs                         -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:get_org                           1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_people                       -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:get_person                        1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_items                        -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:get_item                          1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:item_progress                     1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:item_progress                     1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:item_submit                       1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:item_submit                       1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:item_approve                      1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:item_approve                      1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:item_return                       1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:item_return                       1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:item_urge                         1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:item_urge                         1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:upload_evidence                   1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:upload_evidence                   1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_plans                        -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:get_plan                          1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_notifications                -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:read_notifications                -        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:read_notifications                -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:timeliness_stats                  -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:generate_document                 1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_meetings                     -        401  401  401  401  401  401  401  401  401  401  401  401  401
POST api:list_meetings                     -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:record_meeting                    -        401  401  401  401  401  401  401  401  401  401  401  401  401
POST api:record_meeting                    -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:get_meeting                       1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_activities                   -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_talks                        -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_inspections                  -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_rectifications               -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:get_rectification                 1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:request_close                     1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:request_close                     1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:verify                            1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:verify                            1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:return_rectification              1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:return_rectification              1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:api-root                          -        404  404  404  404  404  404  404  404  404  404  404  404  404
GET  api:dashboard_stats                   -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:list_submissions                  -        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:get_submission                    1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:submission_document               1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:receive                           1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:receive                           1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  api:return_submission                 1        405  405  405  405  405  405  405  405  405  405  405  405  405
POST api:return_submission                 1        401  401  401  401  401  401  401  401  401  401  401  401  401
GET  documents:summary-create              -        L    200  200  404  404  200  404  404  200  200  404  404  404
POST documents:summary-create              -        L    404  404  404  404  404  404  404  404  404  404  404  404
GET  documents:summary-templates           QJ       L    200  403  404  404  403  404  404  403  404  404  404  404
POST documents:summary-templates           QJ       L    302  403  404  404  403  404  404  403  404  404  404  404
GET  reports:dashboard                     -        L    200  200  403  403  200  403  403  200  200  403  403  403
GET  reports:export-page                   -        L    200  200  200  200  200  200  403  200  200  403  403  403
GET  reports:export-items                  -        L    200  200  200  200  200  200  403  200  200  403  403  403
GET  reports:export-meetings               -        L    200  200  200  200  200  200  403  200  200  403  403  403
GET  reports:export-talks                  -        L    200  200  200  200  200  200  403  200  200  403  403  403
GET  reports:export-activities             -        L    200  200  200  200  200  200  403  200  200  403  403  403
GET  reports:export-honors                 -        L    200  200  200  200  200  200  403  200  200  403  403  403
GET  reports:export-rectifications         -        L    200  200  200  200  200  200  403  200  200  403  403  403
POST api:api-root                          -        404  404  404  404  404  404  404  404  404  404  404  404  404
GET  api-docs                              -        200  200  200  200  200  200  200  200  200  200  200  200  200
POST api-docs                              -        200  200  200  200  200  200  200  200  200  200  200  200  200
GET  home                                  -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  search                                -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  healthz                               -        200  200  200  200  200  200  200  200  200  200  200  200  200
POST healthz                               -        200  200  200  200  200  200  200  200  200  200  200  200  200
GET  api-tokens                            -        L    200  200  200  200  200  200  200  200  200  200  200  200
POST api-tokens                            -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  api-token-revoke                      QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST api-token-revoke                      QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  accounts:login                        -        200  200  200  200  200  200  200  200  200  200  200  200  200
POST accounts:login                        -        200  200  200  200  200  200  200  200  200  200  200  200  200
GET  accounts:logout                       -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:logout                       -        L    L    L    L    L    L    L    L    L    L    L    L    L
GET  accounts:password-change              -        L    200  200  200  200  200  200  200  200  200  200  200  200
POST accounts:password-change              -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  accounts:user-list                    -        L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-create                  -        L    404  404  404  404  404  404  404  404  404  404  200  404
POST accounts:user-create                  -        L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-detail                  QJ01     L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-detail                  XQ       L    404  404  404  404  404  404  404  404  404  404  200  404
POST accounts:user-detail                  QJ01     L    404  404  404  404  404  404  404  404  404  404  200  404
POST accounts:user-detail                  XQ       L    404  404  404  404  404  404  404  404  404  404  200  404
GET  accounts:user-reset-password          QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:user-reset-password          XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:user-reset-password          QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:user-reset-password          XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  accounts:user-unlock                  QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:user-unlock                  XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:user-unlock                  QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:user-unlock                  XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  accounts:user-set-active              QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:user-set-active              XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:user-set-active              QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:user-set-active              XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  accounts:grant-revoke                 QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  accounts:grant-revoke                 XQ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST accounts:grant-revoke                 QJ01     L    404  404  404  404  404  404  404  404  404  404  302  404
POST accounts:grant-revoke                 XQ       L    404  404  404  404  404  404  404  404  404  404  302  404
GET  audit:event-list                      -        L    404  404  404  404  404  404  404  404  404  404  404  200
GET  audit:event-export                    csv      L    404  404  404  404  404  404  404  404  404  404  404  200
GET  audit:event-export                    xlsx     L    404  404  404  404  404  404  404  404  404  404  404  200
GET  audit:chain-verify                    -        L    404  404  404  404  404  404  404  404  404  404  404  200
GET  duties:item-list                      -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  duties:item-bulk                      -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST duties:item-bulk                      -        L    302  302  302  302  302  302  302  302  302  302  302  302
GET  duties:item-counts                    -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  duties:rule-list                      -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  duties:rule-edit                      QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST duties:rule-edit                      QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  duties:coverage                       -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  duties:item-detail                    QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  duties:item-detail                    QJ02     L    200  200  404  200  200  404  404  200  404  404  404  404
GET  duties:item-detail                    XQ01     L    404  404  404  404  404  404  404  200  200  404  404  404
GET  duties:item-evidence                  QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-evidence                  QJ02     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-evidence                  XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST duties:item-evidence                  QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
POST duties:item-evidence                  QJ02     L    302  404  404  302  404  404  404  404  404  404  404  404
POST duties:item-evidence                  XQ01     L    404  404  404  404  404  404  404  404  302  404  404  404
GET  duties:evidence-download              QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  duties:item-action                    QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-action                    QJ02     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  duties:item-action                    XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST duties:item-action                    QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
POST duties:item-action                    QJ02     L    302  404  404  302  404  404  404  404  404  404  404  404
POST duties:item-action                    XQ01     L    404  404  404  404  404  404  404  404  302  404  404  404
GET  plans:plan-list                       -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  plans:plan-import                     -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST plans:plan-import                     -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  plans:plan-detail                     QJ       L    200  200  200  200  200  200  404  200  404  404  404  404
GET  plans:plan-export                     QJ       L    200  200  200  200  200  200  404  200  404  404  404  404
GET  dutylists:dutylist-list               -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  dutylists:dutylist-create             -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST dutylists:dutylist-create             -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  dutylists:dutylist-detail             QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  dutylists:item-create                 QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST dutylists:item-create                 QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  dutylists:dutylist-generate           QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST dutylists:dutylist-generate           QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:meeting-list                  -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  records:meeting-create                -        L    200  404  200  200  200  404  404  200  200  404  404  404
POST records:meeting-create                -        L    200  404  200  200  200  404  404  200  200  404  404  404
GET  records:meeting-export                -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:meeting-roster                -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  records:meeting-kind-fields           -        L    200  404  200  200  200  404  404  200  200  404  404  404
GET  records:meeting-detail                QJ01     L    200  200  200  404  200  404  200  200  404  404  404  404
GET  records:meeting-edit                  QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:meeting-edit                  QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
GET  records:meeting-delete                QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:meeting-delete                QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:meeting-pick-item             QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:meeting-pick-item             QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:meeting-attachment-add        QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:meeting-attachment-add        QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:attachment-download           QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  records:attachment-delete             QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:attachment-delete             QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:attendance-stats              -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:attendance-confirm            QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:attendance-confirm            QJ01     L    404  404  404  404  404  404  302  404  404  404  404  404
GET  records:mine                          -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  records:talk-list                     -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:talk-create                   -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:talk-create                   -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:talk-detail                   QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  records:talk-edit                     QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:talk-edit                     QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
GET  records:talk-delete                   QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:talk-delete                   QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:talk-pick-item                QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:talk-pick-item                QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:activity-list                 -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:activity-create               -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:activity-create               -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:activity-export               -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:activity-types                -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST records:activity-types                -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  records:activity-detail               QJ01     L    200  200  200  404  200  404  200  200  404  404  404  404
GET  records:activity-edit                 QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:activity-edit                 QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
GET  records:activity-delete               QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:activity-delete               QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:activity-attachment-add       QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:activity-attachment-add       QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:life-list                     -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:life-create                   -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:life-create                   -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:life-detail                   QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  records:life-stage                    QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:life-stage                    QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:life-stage-attachment         QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:life-stage-attachment         QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:life-link-meeting             QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:life-link-meeting             QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:problem-add                   QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:problem-add                   QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:problem-edit                  QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST records:problem-edit                  QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  records:problem-delete                QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST records:problem-delete                QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:note-checks                   -        L    200  200  200  200  200  200  404  200  200  404  404  404
POST records:note-checks                   -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:import                        -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:import                        -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:partnerships-list             -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:partnerships-create           -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:partnerships-create           -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:partnerships-edit             QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:partnerships-edit             QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
GET  records:partnerships-delete           QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:partnerships-delete           QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:brands-list                   -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:brands-create                 -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:brands-create                 -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:brands-edit                   QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST records:brands-edit                   QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  records:brands-delete                 QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST records:brands-delete                 QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:pioneer-posts-list            -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:pioneer-posts-create          -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:pioneer-posts-create          -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:pioneer-posts-edit            QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:pioneer-posts-edit            QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
GET  records:pioneer-posts-delete          QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:pioneer-posts-delete          QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:honors-list                   -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:honors-create                 -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:honors-create                 -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:honors-edit                   QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST records:honors-edit                   QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  records:honors-delete                 QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST records:honors-delete                 QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  records:study-plans-list              -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:study-plans-create            -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:study-plans-create            -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:study-plans-edit              QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:study-plans-edit              QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
GET  records:study-plans-delete            QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:study-plans-delete            QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  records:study-records-list            -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  records:study-records-create          -        L    200  404  200  200  404  404  404  200  200  404  404  404
POST records:study-records-create          -        L    200  404  200  200  404  404  404  200  200  404  404  404
GET  records:study-records-edit            QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:study-records-edit            QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
GET  records:study-records-delete          QJ01     L    200  404  200  404  404  404  404  404  404  404  404  404
POST records:study-records-delete          QJ01     L    302  404  302  404  404  404  404  404  404  404  404  404
GET  reminders:notification-list           -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  reminders:notification-read           -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST reminders:notification-read           -        L    302  302  302  302  302  302  302  302  302  302  302  302
GET  reminders:channel-list                -        L    200  200  200  200  200  200  200  200  200  404  404  404
POST reminders:channel-list                -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  reminders:policy                      -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST reminders:policy                      -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  reminders:channel-action              QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
GET  reminders:channel-action              QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST reminders:channel-action              QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
POST reminders:channel-action              QJ01     L    404  404  404  404  404  404  302  404  404  404  404  404
GET  reminders:calendar                    -        L    200  200  200  200  200  200  200  200  200  200  200  200
POST reminders:calendar                    -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  reminders:calendar-feed               valid    200  200  200  200  200  200  200  200  200  200  200  200  200
GET  reminders:calendar-feed               bogus    404  404  404  404  404  404  404  404  404  404  404  404  404
GET  reminders:reverse-list                -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  reminders:notice                      QJ01     L    200  200  200  404  200  404  200  200  404  404  404  404
GET  reminders:notice                      QJ02     L    200  200  404  200  200  404  404  200  404  404  404  404
GET  reminders:notice                      XQ01     L    404  404  404  404  404  404  404  200  200  404  404  404
GET  reminders:send-list                   -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  reminders:send-resend                 QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  reminders:send-resend                 XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST reminders:send-resend                 QJ01     L    302  404  404  404  404  404  404  404  404  404  404  404
POST reminders:send-resend                 XQ01     L    404  404  404  404  404  404  404  404  302  404  404  404
GET  documents:draft-list                  -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  documents:draft-create                -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST documents:draft-create                -        L    302  404  404  404  404  404  404  404  404  404  404  404
GET  documents:mask-settings               QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST documents:mask-settings               QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  documents:draft-edit                  QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  documents:draft-save                  QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST documents:draft-save                  QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  documents:draft-diff                  QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  documents:version-restore             QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST documents:version-restore             QJ       L    302  404  404  404  404  404  404  404  404  404  404  404
GET  documents:draft-docx                  QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  documents:draft-pdf                   QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  documents:draft-masked                QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  documents:draft-masked-docx           QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  inspections:inspection-list           -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  inspections:inspection-create         -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST inspections:inspection-create         -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  inspections:inspection-detail         QJ       L    200  200  200  200  200  404  404  200  404  404  404  404
GET  inspections:inspection-texts          QJ       L    200  403  403  403  403  404  404  403  404  404  404  404
POST inspections:inspection-texts          QJ       L    200  403  403  403  403  404  404  403  404  404  404  404
GET  inspections:inspection-bulletin       QJ       L    200  200  200  200  200  404  404  200  404  404  404  404
GET  inspections:inspection-draft          QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:inspection-draft          QJ       L    302  403  403  403  403  404  404  403  404  404  404  404
GET  inspections:target-detail             QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  inspections:target-self-check         QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:target-self-check         QJ01     L    403  403  403  404  403  404  404  403  404  404  404  404
GET  inspections:target-finding            QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:target-finding            QJ01     L    302  403  403  404  302  404  404  403  404  404  404  404
GET  inspections:inspection-action         QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:inspection-action         QJ       L    302  403  403  403  403  404  404  403  404  404  404  404
GET  inspections:score-save                QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:score-save                QJ01     L    403  403  403  404  403  404  404  403  404  404  404  404
GET  inspections:score-evidence            QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:score-evidence            QJ01     L    403  403  403  404  403  404  404  403  404  404  404  404
GET  inspections:evidence-download         QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  inspections:template-list             -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  inspections:template-create           -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST inspections:template-create           -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  inspections:template-install          -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:template-install          -        L    302  404  404  404  404  404  404  404  404  404  404  404
GET  inspections:template-detail           QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  inspections:template-item-add         QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:template-item-add         QJ       L    200  403  404  404  403  404  404  403  404  404  404  404
GET  inspections:template-item-remove      QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:template-item-remove      QJ       L    302  403  404  404  403  404  404  403  404  404  404  404
GET  inspections:finding-list              -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  inspections:finding-create            -        L    200  404  404  404  200  404  404  200  200  404  404  404
POST inspections:finding-create            -        L    200  404  404  404  200  404  404  200  200  404  404  404
GET  inspections:finding-detail            QJ01     L    200  200  200  404  200  404  404  200  404  404  404  404
GET  inspections:finding-edit              QJ01     L    403  403  403  404  403  404  404  403  404  404  404  404
POST inspections:finding-edit              QJ01     L    403  403  403  404  403  404  404  403  404  404  404  404
GET  inspections:finding-rectify           QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:finding-rectify           QJ01     L    403  403  403  404  403  404  404  403  404  404  404  404
GET  inspections:evaluation-list           -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  inspections:evaluation-create         -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST inspections:evaluation-create         -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  inspections:evaluation-detail         QJ       L    200  200  200  200  200  404  404  200  404  404  404  404
GET  inspections:evaluation-entry          QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:evaluation-entry          QJ01     L    200  403  403  403  403  404  404  403  404  404  404  404
GET  inspections:evaluation-entry-rectify  QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:evaluation-entry-rectify  QJ01     L    302  403  403  403  403  404  404  403  404  404  404  404
GET  inspections:report-list               -        L    200  200  200  200  200  200  404  200  200  404  404  404
GET  inspections:report-create             -        L    200  200  404  404  404  404  404  200  200  404  404  404
POST inspections:report-create             -        L    200  200  404  404  404  404  404  200  200  404  404  404
GET  inspections:report-detail             QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  inspections:report-check              QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST inspections:report-check              QJ       L    302  403  404  404  403  404  404  403  404  404  404  404
GET  rectifications:rectification-list     -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  rectifications:rectification-export   -        L    200  200  200  200  200  200  200  200  200  404  404  404
GET  rectifications:rectification-create   -        L    200  404  404  404  200  404  404  200  200  404  404  404
POST rectifications:rectification-create   -        L    200  404  404  404  200  404  404  200  200  404  404  404
GET  rectifications:rectification-import   -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST rectifications:rectification-import   -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  rectifications:problem-take           -        L    200  404  404  404  404  404  404  200  200  404  404  404
POST rectifications:problem-take           -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  rectifications:rectification-detail   QJ       L    200  200  200  404  200  404  404  200  404  404  404  404
GET  rectifications:rectification-edit     QJ       L    200  403  403  404  200  404  404  403  404  404  404  404
POST rectifications:rectification-edit     QJ       L    200  403  403  404  200  404  404  403  404  404  404  404
GET  rectifications:rectification-action   QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST rectifications:rectification-action   QJ       L    302  403  302  404  403  404  404  403  404  404  404  404
GET  upward:index                          -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  upward:draft-review                   QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:review-submit                  QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:review-submit                  QJ       L    302  403  404  404  403  404  404  403  404  404  404  404
GET  upward:review-docx                    QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:submission-create              QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:submission-create              QJ       L    302  403  404  404  403  404  404  403  404  404  404  404
GET  upward:review-decide                  QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:review-decide                  QJ       L    302  403  404  404  403  404  404  403  404  404  404  404
GET  upward:inbox                          -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  upward:submission-detail              QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:submission-docx                QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:submission-decide              QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:submission-decide              QJ       L    403  403  404  404  403  404  404  302  404  404  404  404
GET  upward:requirement-list               -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  upward:requirement-create             -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:requirement-create             -        L    404  404  404  404  404  404  404  302  404  404  404  404
GET  upward:requirement-defaults           -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:requirement-defaults           -        L    404  404  404  404  404  404  404  302  404  404  404  404
GET  upward:requirement-generate           -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:requirement-generate           -        L    404  404  404  404  404  404  404  302  404  404  404  404
GET  upward:requirement-toggle             SJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:requirement-toggle             SJ       L    404  404  404  404  404  404  404  302  404  404  404  404
GET  upward:overview                       -        L    200  200  404  404  200  404  404  200  200  404  404  404
GET  upward:overview-items                 QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:overview-meetings              QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:overview-activities            QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:overview-rectifications        QJ       L    200  200  404  404  200  404  404  200  404  404  404  404
GET  upward:approval-list                  -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  upward:chain-list                     -        L    200  404  404  404  404  404  404  200  200  404  404  404
GET  upward:chain-edit                     QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
POST upward:chain-edit                     QJ       L    200  404  404  404  404  404  404  404  404  404  404  404
GET  upward:approval-detail                QJ       L    200  200  404  404  200  200  404  200  404  404  404  404
GET  upward:approval-resubmit              QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:approval-resubmit              QJ       L    403  403  404  404  403  403  404  403  404  404  404  404
GET  upward:approval-decide                QJ       L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:approval-decide                QJ       L    403  403  404  404  403  403  404  403  404  404  404  404
GET  upward:union-ledger                   -        L    200  200  404  404  200  200  404  200  200  404  404  404
GET  upward:union-entry-create             -        L    405  405  405  405  405  405  405  405  405  405  405  405
POST upward:union-entry-create             -        L    302  403  404  404  403  302  404  403  404  404  404  404
GET  upward:union-export                   -        L    200  200  404  404  200  200  404  200  200  404  404  404
GET  orgs:org-tree                         -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  orgs:org-create                       QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-create                       QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-create                       XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:org-create                       QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-create                       QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-create                       XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:org-detail                       QJ01     L    200  200  200  404  200  404  200  200  404  200  200  404
GET  orgs:org-detail                       QJ02     L    200  200  404  200  200  404  404  200  404  200  200  404
GET  orgs:org-detail                       XQ01     L    404  404  404  404  404  404  404  200  200  200  200  404
GET  orgs:org-edit                         QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-edit                         QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-edit                         XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:org-edit                         QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-edit                         QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-edit                         XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:org-move                         QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-move                         QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:org-move                         XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:org-move                         QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-move                         QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:org-move                         XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:org-set-active                   QJ01     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  orgs:org-set-active                   QJ02     L    405  405  405  405  405  405  405  405  405  405  405  405
GET  orgs:org-set-active                   XQ01     L    405  405  405  405  405  405  405  405  405  405  405  405
POST orgs:org-set-active                   QJ01     L    302  404  404  404  404  404  404  404  404  302  404  404
POST orgs:org-set-active                   QJ02     L    302  404  404  404  404  404  404  404  404  302  404  404
POST orgs:org-set-active                   XQ01     L    404  404  404  404  404  404  404  404  302  302  404  404
GET  orgs:person-list                      -        L    200  200  200  200  200  200  200  200  200  200  200  200
GET  orgs:person-create                    -        L    200  404  404  404  404  404  404  200  200  200  404  404
POST orgs:person-create                    -        L    200  404  404  404  404  404  404  200  200  200  404  404
GET  orgs:person-import                    -        L    200  404  404  404  404  404  404  200  200  200  404  404
POST orgs:person-import                    -        L    200  404  404  404  404  404  404  200  200  200  404  404
GET  orgs:quality                          -        L    200  404  404  404  404  404  404  200  200  200  404  404
GET  orgs:person-detail                    QJ01     L    200  200  200  404  200  404  404  200  404  200  200  404
GET  orgs:person-detail                    QJ02     L    200  200  404  200  200  404  404  200  404  200  200  404
GET  orgs:person-detail                    XQ01     L    404  404  404  404  404  404  404  200  200  200  200  404
GET  orgs:person-edit                      QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:person-edit                      QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:person-edit                      XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:person-edit                      QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:person-edit                      QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:person-edit                      XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
GET  orgs:appointment-create               QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:appointment-create               QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
GET  orgs:appointment-create               XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
POST orgs:appointment-create               QJ01     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:appointment-create               QJ02     L    200  404  404  404  404  404  404  404  404  200  404  404
POST orgs:appointment-create               XQ01     L    404  404  404  404  404  404  404  404  200  200  404  404
"""

ROW = re.compile(r"^(GET|POST)\s+(\S+)\s+(\S+)\s+(.*)$")


def url_patterns() -> dict[str, list[str]]:
    """Every named URL pattern of the project, walked through the resolvers (namespaces included),
    with the keyword arguments it takes."""
    found: dict[str, list[str]] = {}

    def walk(patterns, namespace: str, outer: list[str]) -> None:
        for pattern in patterns:
            groups = list(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, outer + groups)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
                found.setdefault(namespace + pattern.name, outer + groups)

    walk(get_resolver().url_patterns, "", [])
    return found


def url_names() -> list[str]:
    return list(url_patterns())


def url_kwargs(name: str) -> list[str]:
    return url_patterns()[name]


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


PDF = b"%PDF-1.4 matrix\n"
JPEG = b"\xff\xd8\xff\xe0 matrix"


def first(model, **lookup):
    found = model.objects.filter(**lookup).order_by("pk").first()
    assert found is not None, f"the demo has no {model.__name__} with {lookup}"
    return found


class MatrixFixture(TestCase):
    """The demo, built once for the class, plus the few objects it does not make."""

    @classmethod
    def setUpTestData(cls):
        call_command("demo", "--today", "2024-06-28", stdout=io.StringIO())
        cls.users = {u.username: u for u in User.objects.filter(username__in=USERS)}
        orgs = {o.code: o for o in Organization.objects.filter(code__in=["SJ", "QJ", "QJ01", "QJ02", "XQ", "XQ01"])}
        cls.orgs = orgs
        member = cls.users["dangyuan"].person
        cls.items = {code: first(WorkItem, organization__code=code) for code in ("QJ01", "QJ02", "XQ01")}
        cls.evidence = evidence_add_file(actor=None, item=cls.items["QJ01"], name="会议记录.pdf", data=PDF)
        cls.people = {code: first(Person, branch__code=code, active=True) for code in ("QJ01", "QJ02", "XQ01")}
        cls.duty_list = duty_list_create(actor=None, unit=orgs["QJ"], kind=DutyListKind.COMMITTEE, name="主体责任清单", year=2024)
        cls.channels = {
            "QJ": channel_create(actor=None, kind="email", target="bgs@example.org", unit=orgs["QJ"]),
            "QJ01": channel_create(actor=None, kind="email", target="member@example.org", person=member),
        }
        Channel.objects.update(active=False)
        cls.sends = {
            code: ReminderSent.objects.create(
                key=f"matrix:{code}", item=cls.items[code], recipient=cls.people[code], channel_key="inapp",
                kind=SendKind.BEFORE_DUE, day=date(2024, 6, 28), state=SendState.FAILED, attempts=1,
            )
            for code in ("QJ01", "XQ01")
        }
        cls.feed_token = calendar_feed_issue(actor=cls.users["dangyuan"])
        cls.api_token, _plain = api_token_create(actor=cls.users["dangban"], name="矩阵", read_only=True, days=30)
        inspection = first(Inspection, unit__code="QJ")
        target = first(InspectionTarget, inspection=inspection, organization__code="QJ01")
        cls.score = first(Score, target=target)
        cls.score_evidence = score_evidence_add(actor=None, score=cls.score, name="手册.jpg", data=JPEG)
        attachment = first(Attachment)
        cls.attachment_blob = (attachment.sha256, evidence_path(attachment.sha256).read_bytes())
        life = first(LifeMeeting, organization__code="QJ")
        draft = first(Draft, unit__code="QJ")
        chain = first(ApprovalChain, unit__code="QJ")
        template = first(ChecklistTemplate, unit__code="QJ")
        cls.objects = {
            "meeting": first(Meeting, organization__code="QJ01"),
            "attachment": first(Attachment),
            "attendance": first(Attendance, person=member),
            "talk": first(Talk, organization__code="QJ01"),
            "activity": first(Activity, organization__code="QJ01"),
            "life": life,
            "stage": life.stages.order_by("pk").first(),
            "problem": first(ProblemEntry, process=life),
            "partnership": first(Partnership, organization__code="QJ01"),
            "brand": first(Brand, organization__code="QJ"),
            "pioneer": first(PioneerPost, organization__code="QJ01"),
            "honor": first(Honor, organization__code="QJ"),
            "study_plan": first(StudyPlan, organization__code="QJ01"),
            "study_record": first(StudyRecord, organization__code="QJ01"),
            "draft": draft,
            "version": draft.versions.order_by("number").first(),
            "inspection": inspection,
            "target": target,
            "template": template,
            "template_item": template.items.order_by("pk").first(),
            "finding": first(Finding, organization__code="QJ01"),
            "evaluation": first(Evaluation, unit__code="QJ"),
            "entry": first(EvaluationEntry, evaluation__unit__code="QJ"),
            "report": first(DutyReport, unit__code="QJ"),
            "rectification": first(Rectification, unit__code="QJ"),
            "review": first(Review, draft__unit__code="QJ"),
            "submission": first(Submission, draft__unit__code="QJ"),
            "requirement": first(SubmissionRequirement),
            "chain": chain,
            "approval": first(ApprovalRequest, chain=chain),
            "plan": first(Plan, unit__code="QJ"),
            "rule": first(ObligationRule, unit__code="QJ"),
        }

    def setUp(self):
        # Each test has its own upload directory (conftest); lay the files the rows download into it.
        write_durably(evidence_path(self.evidence.sha256), PDF)
        write_durably(evidence_path(self.score_evidence.sha256), JPEG)
        write_durably(evidence_path(self.attachment_blob[0]), self.attachment_blob[1])

    def url(self, name: str, variant: str) -> str:
        """The address of a row: the URL name's arguments filled from the variant's object."""
        v, o = variant, self.objects
        account = {"QJ01": self.users["zhibu1"], "XQ": self.users["xinqu"]}.get(v)
        args = {
            "orgs:org-create": lambda: reverse(name) + f"?parent={v}",
            "orgs:org-detail": lambda: reverse(name, args=[v]),
            "orgs:org-edit": lambda: reverse(name, args=[v]),
            "orgs:org-move": lambda: reverse(name, args=[v]),
            "orgs:org-set-active": lambda: reverse(name, args=[v]),
            "orgs:person-detail": lambda: reverse(name, args=[self.people[v].pk]),
            "orgs:person-edit": lambda: reverse(name, args=[self.people[v].pk]),
            "orgs:appointment-create": lambda: reverse(name, args=[self.people[v].pk]),
            "accounts:user-detail": lambda: reverse(name, args=[account.pk]),
            "accounts:user-reset-password": lambda: reverse(name, args=[account.pk]),
            "accounts:user-unlock": lambda: reverse(name, args=[account.pk]),
            "accounts:user-set-active": lambda: reverse(name, args=[account.pk]),
            "accounts:grant-revoke": lambda: reverse(name, args=[account.pk, account.grants.get().pk]),
            "api-token-revoke": lambda: reverse(name, args=[self.api_token.pk]),
            "audit:event-export": lambda: reverse(name, args=[v]),
            "duties:item-detail": lambda: reverse(name, args=[self.items[v].pk]),
            "duties:item-evidence": lambda: reverse(name, args=[self.items[v].pk]),
            "duties:evidence-download": lambda: reverse(name, args=[self.items[v].pk, self.evidence.pk]),
            "duties:item-action": lambda: reverse(name, args=[self.items[v].pk, "progress"]),
            "duties:rule-edit": lambda: reverse(name, args=[o["rule"].pk]),
            "plans:plan-detail": lambda: reverse(name, args=[o["plan"].pk]),
            "plans:plan-export": lambda: reverse(name, args=[o["plan"].pk]),
            "dutylists:dutylist-detail": lambda: reverse(name, args=[self.duty_list.pk]),
            "dutylists:item-create": lambda: reverse(name, args=[self.duty_list.pk]),
            "dutylists:dutylist-generate": lambda: reverse(name, args=[self.duty_list.pk]),
            "reminders:channel-action": lambda: reverse(name, args=[self.channels[v].pk, "enable"]),
            "reminders:calendar-feed": lambda: reverse(
                name, args=[self.feed_token if v == "valid" else "x" * len(self.feed_token)]
            ),
            "reminders:notice": lambda: reverse(name, args=[v, "2024-05"]),
            "reminders:send-resend": lambda: reverse(name, args=[self.sends[v].pk]),
            "documents:mask-settings": lambda: reverse(name, args=["QJ"]),
            "documents:summary-templates": lambda: reverse(name, args=["QJ"]),
            "documents:version-restore": lambda: reverse(name, args=[o["draft"].pk, o["version"].number]),
            "inspections:inspection-action": lambda: reverse(name, args=[o["inspection"].pk, "refresh"]),
            "inspections:target-detail": lambda: reverse(name, args=[o["inspection"].pk, o["target"].pk]),
            "inspections:target-self-check": lambda: reverse(name, args=[o["inspection"].pk, o["target"].pk]),
            "inspections:target-finding": lambda: reverse(name, args=[o["inspection"].pk, o["target"].pk]),
            "inspections:score-save": lambda: reverse(name, args=[self.score.pk]),
            "inspections:score-evidence": lambda: reverse(name, args=[self.score.pk]),
            "inspections:evidence-download": lambda: reverse(name, args=[self.score_evidence.pk]),
            "inspections:template-item-remove": lambda: reverse(name, args=[o["template_item"].pk]),
            "inspections:evaluation-entry-rectify": lambda: reverse(name, args=[o["entry"].pk]),
            "rectifications:rectification-action": lambda: reverse(name, args=[o["rectification"].pk, "progress"]),
            "records:life-stage": lambda: reverse(name, args=[o["life"].pk, o["stage"].pk]),
            "records:life-stage-attachment": lambda: reverse(name, args=[o["life"].pk, o["stage"].pk]),
            "records:problem-edit": lambda: reverse(name, args=[o["life"].pk, o["problem"].pk]),
            "records:problem-delete": lambda: reverse(name, args=[o["life"].pk, o["problem"].pk]),
            "upward:review-decide": lambda: reverse(name, args=[o["review"].pk, "return"]),
            "upward:submission-decide": lambda: reverse(name, args=[o["submission"].pk, "return"]),
            "upward:chain-edit": lambda: reverse(name, args=["QJ", o["chain"].code]),
            "upward:approval-decide": lambda: reverse(name, args=[o["approval"].pk, "return"]),
        }
        if name in args:
            return args[name]()
        if name.startswith("upward:overview-"):
            return reverse(name, args=["QJ", "2024H1", "QJ"])
        if name.startswith("api:"):
            kwargs = {k: 1 for k in url_kwargs(name)}
            kwargs.update({k: "QJ" for k in kwargs if k == "code"}, **({"kind": "summary"} if "kind" in kwargs else {}))
            return reverse(name, kwargs=kwargs)
        # One object of the app, named by the URL's single id argument.
        by_argument = {
            "meeting_id": "meeting", "attachment_id": "attachment", "attendance_id": "attendance", "talk_id": "talk",
            "activity_id": "activity", "process_id": "life", "draft_id": "draft", "inspection_id": "inspection",
            "template_id": "template", "finding_id": "finding", "evaluation_id": "evaluation", "report_id": "report",
            "rect_id": "rectification", "review_id": "review", "submission_id": "submission",
            "requirement_id": "requirement", "request_id": "approval",
        }
        by_route = {
            "partnerships": "partnership", "brands": "brand", "pioneer-posts": "pioneer", "honors": "honor",
            "study-plans": "study_plan", "study-records": "study_record",
        }
        kwargs = url_kwargs(name)
        if not kwargs:
            assert v == "-", f"{name} takes no variant, got {v}"
            return reverse(name)
        assert len(kwargs) == 1, f"{name} needs a case in MatrixFixture.url: {kwargs}"
        (argument,) = kwargs
        key = by_argument.get(argument) or by_route.get(name.split(":")[1].rsplit("-", 1)[0])
        assert key, f"{name} needs a case in MatrixFixture.url"
        return reverse(name, args=[o[key].pk])

    def post_data(self, name: str, variant: str) -> dict:
        """The few POST rows where an empty form would hide the answer behind a 404 of its own."""
        if name == "records:meeting-pick-item":
            meeting = self.objects["meeting"]
            return {"item": WorkItem.objects.filter(organization=meeting.organization).order_by("id").first().pk}
        if name == "duties:item-bulk":
            return {"pick": [item.pk for item in self.items.values()], "action": "urge", "note": "请抓紧办理"}
        if name == "records:talk-pick-item":
            talk = self.objects["talk"]
            return {"item": WorkItem.objects.filter(organization=talk.organization).order_by("id").first().pk}
        if name == "records:life-link-meeting":
            return {"meeting": first(Meeting, organization=self.objects["life"].organization).pk}
        if name == "documents:draft-create":
            return {"org": "QJ", "kind": "quality"}
        if name == "inspections:template-install":
            return {"unit": self.orgs["QJ"].pk}
        if name in {"upward:requirement-create", "upward:requirement-defaults", "upward:requirement-generate"}:
            return {"org": "SJ"}
        if name == "upward:union-entry-create":
            return {"org": "QJ"}
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
                allowed = (*ADMIN_ACTIONS[ADMIN_USERS[username]], *PERSONAL_ACTIONS)
                business = {a for a in written if not a.startswith(allowed)}
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
        # The API authenticates by token, never by the session cookie (401 above), so CSRF does not apply.
        posts = {
            (name, variant)
            for method, name, variant, _c in parse(MATRIX)
            if method == "POST" and not name.startswith(("api:", "api-docs"))
        }
        for username in ("dangban", "zhibu1", "xitong"):
            client = Client(enforce_csrf_checks=True)
            client.force_login(self.users[username])
            for name, variant in sorted(posts):
                url = self.url(name, variant)
                with transaction.atomic():
                    response = client.post(url, self.post_data(name, variant))
                    transaction.set_rollback(True)
                self.assertEqual(response.status_code, 403, f"{username} POST {url}")
        anonymous = Client(enforce_csrf_checks=True)
        response = anonymous.post(reverse("accounts:login"), {"username": "shuji", "password": "Lvze@2023"})
        self.assertEqual(response.status_code, 403)

    def test_anonymous_reaches_static_files(self):
        self.assertEqual(Client().get("/static/css/lvze.css").status_code, 200)


THREE = ["QJ01", "QJ02", "XQ01"]
DRAFT_VARIANTS = {
    **{
        name: THREE
        for name in [
            "orgs:org-create", "orgs:org-detail", "orgs:org-edit", "orgs:org-move", "orgs:org-set-active",
            "orgs:person-detail", "orgs:person-edit", "orgs:appointment-create",
            "duties:item-detail", "duties:item-evidence", "duties:item-action", "reminders:notice",
        ]
    },
    **{name: ["QJ01", "XQ"] for name in [
        "accounts:user-detail", "accounts:user-reset-password", "accounts:user-unlock",
        "accounts:user-set-active", "accounts:grant-revoke",
    ]},
    "reminders:channel-action": ["QJ", "QJ01"],
    "reminders:calendar-feed": ["valid", "bogus"],
    "reminders:send-resend": ["QJ01", "XQ01"],
    "audit:event-export": ["csv", "xlsx"],
}
# The unit an object of a single-object row belongs to, for the variant column (the object is chosen in
# MatrixFixture.url); rows not named here are objects of the 区局 QJ.
BRANCH_LEVEL = {
    "records:meeting-detail", "records:meeting-edit", "records:meeting-delete", "records:meeting-pick-item",
    "records:meeting-attachment-add", "records:attendance-confirm", "records:talk-detail", "records:talk-edit",
    "records:talk-delete", "records:talk-pick-item", "records:activity-detail", "records:activity-edit",
    "records:activity-delete", "records:activity-attachment-add", "records:partnerships-edit",
    "records:partnerships-delete", "records:pioneer-posts-edit", "records:pioneer-posts-delete",
    "records:study-plans-edit", "records:study-plans-delete", "records:study-records-edit",
    "records:study-records-delete", "inspections:target-detail", "inspections:target-self-check",
    "inspections:target-finding", "inspections:score-save", "inspections:score-evidence",
    "inspections:evidence-download", "inspections:finding-detail", "inspections:finding-edit",
    "inspections:finding-rectify", "inspections:evaluation-entry", "inspections:evaluation-entry-rectify",
    "duties:evidence-download",
}
CITY_LEVEL = {"upward:requirement-toggle"}


def draft_variants(name: str) -> list[str]:
    if name in DRAFT_VARIANTS:
        return DRAFT_VARIANTS[name]
    if not url_kwargs(name):
        return ["-"]
    if name.startswith("api:"):
        return ["1"]
    return ["QJ01" if name in BRANCH_LEVEL else "SJ" if name in CITY_LEVEL else "QJ"]


@unittest.skipUnless(os.environ.get("LVZE_MATRIX_DRAFT"), "set LVZE_MATRIX_DRAFT=1 to print draft rows")
class MatrixDraftTests(MatrixFixture):
    """Maintainers' aid, skipped unless LVZE_MATRIX_DRAFT=1: prints rows for URL names that have none,
    with today's answers, to be checked cell by cell against the rules before they go into MATRIX."""

    def test_print_draft(self):
        covered = {name for _m, name, _v, _c in parse(MATRIX)}
        clients = self.clients()
        lines = []
        for name in url_names():
            if name in covered:
                continue
            for method in ("GET", "POST"):
                for variant in draft_variants(name):
                    url = self.url(name, variant)
                    codes = self.observe(clients, method, url, self.post_data(name, variant) if method == "POST" else {})
                    if method == "POST" and all(c in {"405", "L", "401"} for c in codes[1:]) and "405" in codes:
                        continue  # a GET-only view: no POST row
                    lines.append(f"{method:<4} {name:<37} {variant:<8} " + " ".join(f"{c:<4}" for c in codes).rstrip())
        print("\n" + "\n".join(lines))
