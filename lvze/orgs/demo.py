"""The demo organisation: deterministic for a given date, consistent with the rules it shows."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from lvze.accounts.models import Role
from lvze.accounts.services import role_grant, user_create
from lvze.orgs.models import OrgKind, PartyStatus, Person, Post, WorkArea
from lvze.orgs.services import appointment_create, organization_create, person_create

DEMO_PASSWORD = "Lvze@2023"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宇浩然文博晨阳欣怡思雨嘉琪子涵梓轩雅婷俊峰海燕春梅晓东立新永刚"

# (code, full name, short names, kind, parent code)
ORGS = [
    ("SJ", "示范市税务局党委", ["市局"], OrgKind.COMMITTEE, None),
    ("SJ01", "示范市税务局机关第一党支部", [], OrgKind.BRANCH, "SJ"),
    ("QJ", "示范区税务局党委", ["区局"], OrgKind.COMMITTEE, "SJ"),
    ("QJJG", "示范区税务局机关党委", ["机关党委"], OrgKind.ORGAN_COMMITTEE, "QJ"),
    *[
        (f"QJ0{i}", f"第{n}党支部", [], OrgKind.BRANCH, "QJJG")
        for i, n in enumerate("一二三四五六七八", start=1)
    ],
    ("QJJJ", "示范区税务局纪检组", ["纪检组"], OrgKind.DISCIPLINE, "QJ"),
    ("QJBGS", "办公室", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJRJ", "人事教育股", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJNF", "纳税服务股", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJZG", "征收管理股", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJSZ", "税政股", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJFZ", "法制股", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJSW1", "第一税务所", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJSW2", "第二税务所", [], OrgKind.DEPARTMENT, "QJ"),
    ("QJGH", "示范区税务局工会", ["工会"], OrgKind.UNION, "QJ"),
    ("QJTZB", "示范区税务局团支部", ["团支部"], OrgKind.YOUTH, "QJ"),
    ("QJFWH", "示范区税务局妇委会", ["妇委会"], OrgKind.WOMEN, "QJ"),
    ("XQ", "示范新区税务局党委", ["新区局"], OrgKind.COMMITTEE, "SJ"),
    ("XQ01", "新区第一党支部", [], OrgKind.BRANCH, "XQ"),
    ("XQ02", "新区第二党支部", [], OrgKind.BRANCH, "XQ"),
    ("XQBGS", "新区局办公室", [], OrgKind.DEPARTMENT, "XQ"),
]

# branch code: (full members, probationary members, has 支委会, has a secretary)
BRANCHES = {
    "SJ01": (8, 0, True, True),
    "QJ01": (15, 1, True, True),
    "QJ02": (13, 1, True, True),
    "QJ03": (11, 0, True, True),
    "QJ04": (8, 1, False, True),  # 7+ full members without a 支委会: shows in 人员信息核对
    "QJ05": (6, 1, False, True),
    "QJ06": (6, 0, False, False),  # secretary post vacant
    "QJ07": (5, 1, False, True),
    "QJ08": (2, 2, False, True),  # fewer than 3 full members
    "XQ01": (9, 1, True, True),
    "XQ02": (7, 0, True, True),
}
QJ_DEPARTMENTS = ["QJBGS", "QJRJ", "QJNF", "QJZG", "QJSZ", "QJFZ", "QJSW1", "QJSW2"]
NON_PARTY_STAFF = 9


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    org: str
    label: str


ACCOUNTS = [
    DemoAccount("dangban", Role.PARTY_ADMIN, "QJ", "区局党建办（党务管理员）"),
    DemoAccount("shuji", Role.LEADER, "QJ", "区局党委书记（领导）"),
    DemoAccount("fenguan", Role.LEADER, "QJ", "分管党建局领导（领导）"),
    DemoAccount("zhibu1", Role.SECRETARY, "QJ01", "第一党支部书记"),
    DemoAccount("zhibu2", Role.SECRETARY, "QJ02", "第二党支部书记"),
    DemoAccount("jijian", Role.SUPERVISOR, "QJ", "纪检组组长（监督）"),
    DemoAccount("jingban", Role.STAFF, "QJBGS", "办公室经办人"),
    DemoAccount("dangyuan", Role.MEMBER, "QJ01", "第一党支部党员"),
    DemoAccount("shiju", Role.PARTY_ADMIN, "SJ", "市局党建办（上级党务管理员）"),
    DemoAccount("xinqu", Role.PARTY_ADMIN, "XQ", "新区局党建办（党务管理员）"),
    DemoAccount("xitong", Role.SYSADMIN, "SJ", "系统管理员"),
    DemoAccount("anquan", Role.SECADMIN, "SJ", "安全管理员"),
    DemoAccount("shenji", Role.AUDITOR, "SJ", "审计管理员"),
]


class NameMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def next(self) -> str:
        while True:
            size = self.rng.choice([1, 2, 2])
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(size))
            if name not in self.used:
                self.used.add(name)
                return name


class DemoBuilder:
    def __init__(self, today: date):
        self.today = today
        self.rng = random.Random(f"lvze-demo-{today.isoformat()}")
        self.names = NameMaker(self.rng)
        self.orgs = {}
        self.people: dict[str, list[Person]] = {}

    def build(self) -> list[DemoAccount]:
        self.build_orgs()
        self.build_people()
        self.build_appointments()
        self.build_accounts()
        self.build_ledger()
        return ACCOUNTS

    def build_ledger(self) -> None:
        """Two years of mandatory actions, completed the only honest way: by meeting records."""
        from lvze.inspections.demo import build_inspections
        from lvze.orgs.demo_plan import build_plan
        from lvze.orgs.demo_records import build_records
        from lvze.upward.demo import build_upward

        build_records(self.today, self.rng)
        build_plan(self.today, self.rng)
        build_inspections(self.today, self.rng)
        build_upward(self.today, self.rng)

    def build_orgs(self) -> None:
        for order, (code, name, short, kind, parent) in enumerate(ORGS):
            has_committee = BRANCHES.get(code, (0, 0, False, False))[2]
            self.orgs[code] = organization_create(
                actor=None,
                code=code,
                name=name,
                short_names=short,
                kind=kind,
                parent=self.orgs.get(parent),
                has_committee=has_committee,
                sort_order=order,
            )

    def birth_date(self) -> date:
        return date(
            self.today.year - self.rng.randint(24, 58), self.rng.randint(1, 12), self.rng.randint(1, 28)
        )

    def new_person(self, *, branch: str | None, status: str, department: str | None, position: str) -> Person:
        born = self.birth_date()
        joined = None
        if status != PartyStatus.NONE:
            joined = born.replace(year=born.year + self.rng.randint(19, 24))
            if status == PartyStatus.PROBATIONARY:
                joined = self.today - timedelta(days=self.rng.randint(30, 300))
        return person_create(
            actor=None,
            since=date(self.today.year - 3, 1, 1),
            name=self.names.next(),
            gender=self.rng.choice(["male", "female"]),
            birth_date=born,
            party_status=status,
            joined_party_on=joined,
            branch=self.orgs[branch] if branch else None,
            department=self.orgs[department] if department else None,
            position=position,
            # A few records lack a phone number, as real rosters do: they show up in 人员信息核对.
            phone="" if self.rng.random() < 0.04 else f"139{self.rng.randint(10000000, 99999999)}",
        )

    def department_for(self, branch: str) -> str | None:
        if branch.startswith("QJ"):
            return self.rng.choice(QJ_DEPARTMENTS)
        return "XQBGS" if branch.startswith("XQ") else None

    def build_people(self) -> None:
        for branch, (full, probationary, _committee, _secretary) in BRANCHES.items():
            members = []
            for i in range(full + probationary):
                status = PartyStatus.FULL if i < full else PartyStatus.PROBATIONARY
                position = self.rng.choice(["科员", "一级主办", "二级主办", "四级主任科员", "副股长", "股长"])
                members.append(
                    self.new_person(
                        branch=branch,
                        status=status,
                        department=self.department_for(branch),
                        position=position,
                    )
                )
            self.people[branch] = members
        self.people["staff"] = [
            self.new_person(
                branch=None,
                status=PartyStatus.NONE,
                department=self.rng.choice(QJ_DEPARTMENTS),
                position="科员",
            )
            for _ in range(NON_PARTY_STAFF)
        ]

    def appoint(self, person: Person, org: str, post: str, areas=(), departments=()) -> None:
        unit = self.orgs[org].unit or self.orgs[org]
        area_objs = list(WorkArea.objects.filter(unit=unit, name__in=areas))
        appointment_create(
            actor=None,
            person=person,
            organization=self.orgs[org],
            post=post,
            start=date(self.today.year - 2, 1, 1),
            areas=area_objs,
            departments=[self.orgs[d] for d in departments],
        )

    def build_appointments(self) -> None:
        leaders = self.people["QJ01"]
        self.appoint(leaders[0], "QJ", Post.SECRETARY, ["从严治党"], [])
        self.appoint(
            leaders[1], "QJ", Post.LEADERSHIP_MEMBER, ["党建质量", "意识形态", "精神文明"], ["QJBGS", "QJRJ"]
        )
        self.appoint(leaders[2], "QJ", Post.LEADERSHIP_MEMBER, ["学习宣传"], ["QJNF", "QJZG"])
        self.appoint(leaders[3], "QJ", Post.LEADERSHIP_MEMBER, [], ["QJSZ", "QJFZ", "QJSW1", "QJSW2"])
        self.appoint(leaders[4], "QJJJ", Post.DISCIPLINE_HEAD, ["综合监督"], [])
        self.appoint(leaders[5], "QJJJ", Post.DISCIPLINE_STAFF)
        self.appoint(leaders[1], "QJJG", Post.SECRETARY)
        self.appoint(self.people["SJ01"][0], "SJ", Post.SECRETARY, ["从严治党"])
        self.appoint(self.people["SJ01"][1], "SJ", Post.LEADERSHIP_MEMBER, ["党建质量"])
        self.appoint(self.people["XQ01"][0], "XQ", Post.SECRETARY, ["从严治党"])
        for branch, (_full, _prob, committee, secretary) in BRANCHES.items():
            members = self.people[branch]
            # In 第一党支部 the first six are the unit's leaders; its branch officers come after them.
            start = 6 if branch == "QJ01" else 1
            if secretary:
                self.appoint(members[start], branch, Post.SECRETARY)
            if committee:
                for post, person in zip(
                    [Post.ORGANIZATION_MEMBER, Post.PUBLICITY_MEMBER, Post.DISCIPLINE_MEMBER],
                    members[start + 1 :],
                    strict=False,
                ):
                    self.appoint(person, branch, post)

    def account_person(self, account: DemoAccount) -> Person | None:
        qj01 = self.people["QJ01"]
        chosen = {
            "dangban": qj01[9],
            "shuji": qj01[0],
            "fenguan": qj01[1],
            "zhibu1": qj01[6],
            "zhibu2": self.people["QJ02"][1],
            "jijian": qj01[4],
            "jingban": self.people["staff"][0],
            "dangyuan": qj01[12],
            "shiju": self.people["SJ01"][3],
            "xinqu": self.people["XQ01"][2],
        }
        return chosen.get(account.username)

    def build_accounts(self) -> None:
        for account in ACCOUNTS:
            user = user_create(
                actor=None,
                username=account.username,
                password=DEMO_PASSWORD,
                display_name=account.label,
                person=self.account_person(account),
                is_demo=True,
            )
            role_grant(actor=None, user=user, role=account.role, organization=self.orgs[account.org])
