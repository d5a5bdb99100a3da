"""Organisations (one tree for Party and administrative units), people and their appointments."""

from __future__ import annotations

from django.db import models


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    LEADING_GROUP = "leading_group", "党组"
    ORGAN_COMMITTEE = "organ_committee", "机关党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    PARTY_GROUP = "party_group", "党小组"
    DEPARTMENT = "department", "部门/科室/税务所"
    DISCIPLINE = "discipline", "纪检组"
    UNION = "union", "工会"
    YOUTH = "youth", "团支部"
    WOMEN = "women", "妇委会"


# A 党委 or 党组 is a "unit": a higher level reads below it but writes only its own unit's data.
UNIT_KINDS = (OrgKind.COMMITTEE, OrgKind.LEADING_GROUP)
PARTY_KINDS = (
    OrgKind.COMMITTEE,
    OrgKind.LEADING_GROUP,
    OrgKind.ORGAN_COMMITTEE,
    OrgKind.GENERAL_BRANCH,
    OrgKind.BRANCH,
    OrgKind.PARTY_GROUP,
)


class Organization(models.Model):
    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("全称", max_length=100)
    short_names = models.JSONField("简称", default=list, blank=True)
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # Materialised path of codes ("/SJ/QJ/QJ01/"): subtree checks are one indexed prefix condition.
    path = models.CharField(max_length=500, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)
    unit = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="最近的上级党委/党组（含自身）",
    )
    has_committee = models.BooleanField("已设支委会", default=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "组织"
        indexes = [models.Index(fields=["path"], name="org_path_like", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.short_names[0] if self.short_names else ""

    @property
    def is_unit(self) -> bool:
        return self.kind in UNIT_KINDS

    def is_within(self, other: Organization) -> bool:
        return self.path.startswith(other.path)


class WorkArea(models.Model):
    """工作板块: one ordered list per unit; the summary's sections follow it."""

    unit = models.ForeignKey(Organization, models.CASCADE, related_name="work_areas")
    name = models.CharField("名称", max_length=30)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["unit_id", "order"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="workarea_unique_name")]

    def __str__(self) -> str:
        return self.name


DEFAULT_WORK_AREAS = ["学习宣传", "从严治党", "党建质量", "意识形态", "精神文明", "综合监督"]


class PartyStatus(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"
    NONE = "none", "非党员"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Person(models.Model):
    name = models.CharField("姓名", max_length=30, db_index=True)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True, db_index=True)
    party_status = models.CharField(
        "人员类别", max_length=16, choices=PartyStatus.choices, default=PartyStatus.FULL
    )
    joined_party_on = models.DateField("入党时间", null=True, blank=True)
    branch = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="members", verbose_name="所在支部"
    )
    department = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="部门"
    )
    position = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["branch__path", "name", "id"]
        verbose_name = "人员"

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        if len(self.id_number) < 8:
            return "*" * len(self.id_number)
        return self.id_number[:4] + "*" * (len(self.id_number) - 8) + self.id_number[-4:]


class Membership(models.Model):
    """Dated branch membership and party status, so a past roster (应到) stays right after moves."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="memberships")
    branch = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    party_status = models.CharField(max_length=16, choices=PartyStatus.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="不含当日；空表示至今")

    class Meta:
        ordering = ["person_id", "start"]
        indexes = [models.Index(fields=["branch", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.branch_id} {self.start}–{self.end or ''}"


class Post(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    COMMITTEE_MEMBER = "committee_member", "委员"
    ORGANIZATION_MEMBER = "organization_member", "组织委员"
    PUBLICITY_MEMBER = "publicity_member", "宣传委员"
    DISCIPLINE_MEMBER = "discipline_member", "纪检委员"
    LEADERSHIP_MEMBER = "leadership_member", "班子成员"
    DISCIPLINE_HEAD = "discipline_head", "纪检组组长"
    DISCIPLINE_STAFF = "discipline_staff", "纪检组成员"
    HEAD = "head", "负责人"
    GROUP_LEADER = "group_leader", "党小组长"


class Appointment(models.Model):
    person = models.ForeignKey(Person, models.CASCADE, related_name="appointments")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="appointments")
    post = models.CharField("职务", max_length=24, choices=Post.choices)
    areas = models.ManyToManyField(WorkArea, blank=True, related_name="leaders", verbose_name="分管板块")
    departments = models.ManyToManyField(
        Organization, blank=True, related_name="supervising_appointments", verbose_name="分管部门"
    )
    start = models.DateField("任职日期", null=True, blank=True)
    end = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        ordering = ["organization__path", "post", "id"]

    def __str__(self) -> str:
        return f"{self.organization.name}{self.get_post_display()}"


class DataCorrection(models.Model):
    """One field corrected from the 人员信息核对 page; counted per period in reports."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="corrections")
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    issue = models.CharField(max_length=40)
    field = models.CharField(max_length=40)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    corrected_at = models.DateTimeField(auto_now_add=True)
    corrected_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["unit", "corrected_at"])]

    def __str__(self) -> str:
        return f"{self.person_id}.{self.field}"

    @property
    def field_label(self) -> str:
        return str(Person._meta.get_field(self.field).verbose_name)
