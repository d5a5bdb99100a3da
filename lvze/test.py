"""The base test case: a small tree (市局 → 区局 with two branches, 纪检组 and a department; 新区局)
and a user of every role, so each feature's tests can check scope for every role."""

from __future__ import annotations

from datetime import date

from django.test import TestCase, TransactionTestCase

from lvze.accounts.models import Role, User
from lvze.accounts.services import role_grant, user_create
from lvze.orgs.models import OrgKind, PartyStatus, Person
from lvze.orgs.services import organization_create, person_create

PASSWORD = "Test@2023x"

TREE = [
    ("SJ", "示范市税务局党委", ["市局"], OrgKind.COMMITTEE, None),
    ("QJ", "示范区税务局党委", ["区局"], OrgKind.COMMITTEE, "SJ"),
    ("QJJG", "示范区税务局机关党委", ["机关党委"], OrgKind.ORGAN_COMMITTEE, "QJ"),
    ("QJ01", "第一党支部", [], OrgKind.BRANCH, "QJJG"),
    ("QJ02", "第二党支部", [], OrgKind.BRANCH, "QJJG"),
    ("QJJJ", "示范区税务局纪检组", ["纪检组"], OrgKind.DISCIPLINE, "QJ"),
    ("QJBGS", "办公室", [], OrgKind.DEPARTMENT, "QJ"),
    ("XQ", "示范新区税务局党委", ["新区局"], OrgKind.COMMITTEE, "SJ"),
    ("XQ01", "新区第一党支部", [], OrgKind.BRANCH, "XQ"),
]

# username: (role, organisation code)
ROLE_USERS = {
    "party_admin": (Role.PARTY_ADMIN, "QJ"),
    "leader": (Role.LEADER, "QJ"),
    "secretary": (Role.SECRETARY, "QJ01"),
    "secretary2": (Role.SECRETARY, "QJ02"),
    "supervisor": (Role.SUPERVISOR, "QJ"),
    "staff": (Role.STAFF, "QJBGS"),
    "member": (Role.MEMBER, "QJ01"),
    "city_admin": (Role.PARTY_ADMIN, "SJ"),
    "xq_admin": (Role.PARTY_ADMIN, "XQ"),
    "sysadmin": (Role.SYSADMIN, "SJ"),
    "secadmin": (Role.SECADMIN, "SJ"),
    "auditor": (Role.AUDITOR, "SJ"),
}


class FixtureMixin:
    orgs: dict
    users: dict[str, User]

    @classmethod
    def build_fixture(cls) -> None:
        cls.orgs = {}
        for code, name, short, kind, parent in TREE:
            cls.orgs[code] = organization_create(
                actor=None, code=code, name=name, short_names=short, kind=kind, parent=cls.orgs.get(parent)
            )
        cls.p1 = cls.make_person("张一", "QJ01", id_number="11010519491231002X")
        cls.p2 = cls.make_person("李二", "QJ02")
        cls.p_xq = cls.make_person("王新", "XQ01")
        cls.users = {}
        for username, (role, code) in ROLE_USERS.items():
            person = cls.p1 if username == "member" else None
            user = user_create(
                actor=None,
                username=username,
                password=PASSWORD,
                person=person,
                validate=False,
                must_change_password=False,
            )
            role_grant(actor=None, user=user, role=role, organization=cls.orgs[code])
            cls.users[username] = user

    @classmethod
    def make_person(cls, name: str, branch: str, **values) -> Person:
        return person_create(
            actor=None,
            since=date(2022, 1, 1),
            name=name,
            branch=cls.orgs[branch],
            party_status=values.pop("party_status", PartyStatus.FULL),
            **values,
        )

    def login(self, username: str) -> User:
        user = self.users[username]
        self.client.force_login(user)
        return user


class LvzeTestCase(FixtureMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.build_fixture()


class LvzeTransactionTestCase(FixtureMixin, TransactionTestCase):
    """For tests whose data other processes must see (committed, not inside a test transaction)."""

    def setUp(self) -> None:
        self.build_fixture()
