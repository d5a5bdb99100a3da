"""纪实 records: what the organisations actually did. Recorded once, they fulfil the ledger's items.

Meetings and talks fulfil work items (`fulfils`, unique when set, so an item is never completed by two
records); activities, study, honours and the registries are counted by reports and dashboards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lvze.duties.models import WorkItem
from lvze.orgs.models import Organization, Person


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", "支部党员大会"
    BRANCH_COMMITTEE = "branch_committee", "支委会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    ORG_LIFE = "org_life", "组织生活会"
    MEMBER_REVIEW = "member_review", "民主评议党员"
    DEMOCRATIC_LIFE = "democratic_life", "民主生活会"
    CENTRAL_GROUP = "central_group", "理论学习中心组学习"
    COMMITTEE_MEETING = "committee_meeting", "党委会"
    SPECIAL_TOPIC = "special_topic", "专题会议"
    CONSULTATION = "consultation", "会商"


# Meetings every member of the branch is expected at (组织生活): the ones attendance rates count.
MEMBER_MEETING_KINDS = (
    MeetingKind.BRANCH_ASSEMBLY,
    MeetingKind.GROUP_MEETING,
    MeetingKind.PARTY_LECTURE,
    MeetingKind.THEME_DAY,
    MeetingKind.ORG_LIFE,
    MeetingKind.MEMBER_REVIEW,
)
# Meetings of a committee (支委会, 党委会 …): 应到 is the committee's members, not the whole branch.
COMMITTEE_MEETING_KINDS = (
    MeetingKind.BRANCH_COMMITTEE,
    MeetingKind.DEMOCRATIC_LIFE,
    MeetingKind.CENTRAL_GROUP,
    MeetingKind.COMMITTEE_MEETING,
)


class ConsultationLevel(models.TextChoices):
    """The seed's 三级会商机制."""

    COMMITTEE = "committee", "党委与纪检组"
    LEADER = "leader", "分管党建局领导与纪检组组长"
    ORGAN = "organ", "机关党委与纪检组"


class Meeting(models.Model):
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="meetings", verbose_name="组织")
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    period = models.CharField("所属期间", max_length=8, help_text="默认为会议日期所在月份")
    held_on = models.DateField("日期")
    starts_at = models.TimeField("开始时间", null=True, blank=True)
    ends_at = models.TimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.CharField("主持人", max_length=30, blank=True)
    recorder = models.CharField("记录人", max_length=30, blank=True)
    topic = models.CharField("主题/议题", max_length=200)
    first_topic = models.CharField("第一议题", max_length=200, blank=True)
    summary = models.TextField("会议内容", blank=True)
    decisions = models.TextField("决定事项", blank=True)
    work_area = models.CharField("工作板块", max_length=30, blank=True)
    # 应到/实到: kept from the attendance rows, or as written in an imported 台账 without names.
    expected_count = models.PositiveIntegerField("应到人数", default=0)
    attended_count = models.PositiveIntegerField("实到人数", default=0)
    roster_note = models.CharField("应到人员调整说明", max_length=200, blank=True)
    # 党课
    speaker = models.CharField("主讲人", max_length=30, blank=True)
    lecture_title = models.CharField("党课题目", max_length=200, blank=True)
    # 主题党日
    theme = models.CharField("活动主题", max_length=200, blank=True)
    activity_form = models.CharField("活动形式", max_length=60, blank=True)
    # 会商
    consultation_level = models.CharField(
        "会商层级", max_length=12, choices=ConsultationLevel.choices, blank=True
    )
    agenda = models.TextField("会商内容", blank=True)
    outcome = models.TextField("会商结果", blank=True)
    fulfils = models.ForeignKey(
        WorkItem, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="完成的事项"
    )
    imported_from = models.CharField("导入文件", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "会议记录"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "held_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["fulfils"], condition=Q(fulfils__isnull=False), name="meeting_fulfils_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"

    @property
    def fulfilment_kind(self) -> str:
        return f"meeting:{self.kind}"

    @property
    def lacks_first_topic(self) -> bool:
        """The "第一议题" rule: every 党委会 opens with one; a missing one is flagged."""
        return self.kind == MeetingKind.COMMITTEE_MEETING and not self.first_topic.strip()

    @property
    def attendance_rate(self) -> float | None:
        return self.attended_count / self.expected_count if self.expected_count else None


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "实到"
    ABSENT = "absent", "缺席"
    EXCLUDED = "excluded", "不计应到"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, models.PROTECT, related_name="attendance")
    present = models.BooleanField("实到", default=True)
    absence_reason = models.CharField("缺席原因", max_length=100, blank=True)
    # 应到 comes from the roster; a roster member left out of it carries the reason.
    expected = models.BooleanField("应到", default=True)
    excluded_reason = models.CharField("不计应到原因", max_length=100, blank=True)
    confirmed_at = models.DateTimeField("本人确认时间", null=True, blank=True)
    objection = models.CharField("本人异议", max_length=200, blank=True)

    class Meta:
        verbose_name = "出席情况"
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")]
        indexes = [models.Index(fields=["person", "meeting"], name="attendance_person")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.person_id}"

    @property
    def status(self) -> str:
        if not self.expected:
            return AttendanceStatus.EXCLUDED
        return AttendanceStatus.PRESENT if self.present else AttendanceStatus.ABSENT

    @property
    def reason(self) -> str:
        return self.excluded_reason if not self.expected else self.absence_reason


class TalkKind(models.TextChoices):
    SECRETARY_MEMBER = "secretary_member", "书记与党员谈心谈话"
    LEADERS = "leaders", "班子成员之间谈心谈话"
    LEADER_STAFF = "leader_staff", "班子成员与分管部门负责人谈心谈话"
    MEMBERS = "members", "党员之间谈心谈话"
    INTEGRITY = "integrity", "廉政谈话"
    OTHER = "other", "其他"


class Talk(models.Model):
    """谈心谈话: who talked with whom, when, about what. Fulfils the yearly 谈心谈话 item."""

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="talks", verbose_name="组织")
    kind = models.CharField("谈话类型", max_length=20, choices=TalkKind.choices, default=TalkKind.SECRETARY_MEMBER)
    held_on = models.DateField("日期")
    starts_at = models.TimeField("时间", null=True, blank=True)
    period = models.CharField("所属期间", max_length=8)
    initiator = models.ForeignKey(Person, models.PROTECT, related_name="talks_given", verbose_name="谈话人")
    partner = models.ForeignKey(Person, models.PROTECT, related_name="talks_received", verbose_name="谈话对象")
    place = models.CharField("地点", max_length=100, blank=True)
    topic = models.CharField("谈话主题", max_length=200)
    content = models.TextField("谈话内容", blank=True)
    opinions = models.TextField("意见建议", blank=True)
    life_meeting = models.ForeignKey(
        "LifeMeeting", models.SET_NULL, null=True, blank=True, related_name="talks", verbose_name="民主（组织）生活会"
    )
    fulfils = models.ForeignKey(WorkItem, models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "谈心谈话"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"])]
        constraints = [
            models.UniqueConstraint(fields=["fulfils"], condition=Q(fulfils__isnull=False), name="talk_fulfils_once"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} 谈心谈话：{self.initiator.name}—{self.partner.name}"

    fulfilment_kind = "talk"


DEFAULT_ACTIVITY_TYPES = ["宣讲", "志愿服务", "走访慰问", "联建共建", "特色活动", "比赛", "捐款", "群团活动"]


class ActivityType(models.Model):
    """One configurable list per unit (党委), like the work areas."""

    unit = models.ForeignKey(Organization, models.CASCADE, related_name="activity_types")
    name = models.CharField("名称", max_length=30)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "活动类型"
        ordering = ["unit_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="activitytype_unique_name")]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    class Kind(models.TextChoices):
        CONTACT = "contact", "包联支部"
        PAIRING = "pairing", "结对共建"

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="partnerships", verbose_name="本方组织")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    partner_name = models.CharField("对方单位/支部", max_length=100)
    partner_org = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="对方（本系统内）",
        help_text="对方在本系统内时选择；系统外单位只填名称",
    )
    leader = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="包联/带队领导")
    brand = models.ForeignKey("Brand", models.SET_NULL, null=True, blank=True, related_name="partnerships", verbose_name="党建品牌")
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    description = models.TextField("共建内容", blank=True)

    class Meta:
        verbose_name = "共建关系"
        ordering = ["-started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.partner_name}"


class Brand(models.Model):
    """党建品牌, e.g. "税企党建'1+1'结对共建促双赢"."""

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="brands", verbose_name="创建组织")
    name = models.CharField("品牌名称", max_length=100)
    established_on = models.DateField("创建日期", null=True, blank=True)
    description = models.TextField("品牌内涵与做法", blank=True)
    active = models.BooleanField("在创", default=True)

    class Meta:
        verbose_name = "党建品牌"
        ordering = ["organization__path", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="brand_unique_name")]

    def __str__(self) -> str:
        return self.name


class PioneerPost(models.Model):
    """党员先锋模范岗: a designation on a person."""

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="pioneer_posts", verbose_name="所在组织")
    person = models.ForeignKey(Person, models.PROTECT, related_name="pioneer_posts", verbose_name="党员")
    title = models.CharField("岗位名称", max_length=100)
    designated_on = models.DateField("设岗日期")
    ended_on = models.DateField("撤岗日期", null=True, blank=True)
    description = models.TextField("岗位职责与承诺", blank=True)

    class Meta:
        verbose_name = "党员先锋模范岗"
        ordering = ["-designated_on", "id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.person.name}）"


class Activity(models.Model):
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="activities", verbose_name="组织")
    activity_type = models.ForeignKey(ActivityType, models.PROTECT, related_name="activities", verbose_name="活动类型")
    name = models.CharField("活动名称", max_length=200)
    held_on = models.DateField("日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    participant_count = models.PositiveIntegerField("参与人数", default=0)
    people_covered = models.PositiveIntegerField("覆盖群众人数", default=0)
    problems_solved = models.PositiveIntegerField("解决问题数", default=0, help_text="解决群众操心事、烦心事、揪心事件数")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    partnership = models.ForeignKey(Partnership, models.SET_NULL, null=True, blank=True, related_name="activities", verbose_name="共建关系")
    brand = models.ForeignKey(Brand, models.SET_NULL, null=True, blank=True, related_name="activities", verbose_name="党建品牌")
    partner_name = models.CharField("合作单位", max_length=100, blank=True)
    work_area = models.CharField("工作板块", max_length=30, blank=True)
    highlight = models.CharField("亮点", max_length=300, blank=True, help_text="一两句话，供工作总结引用")
    summary = models.TextField("活动内容", blank=True)
    participants = models.ManyToManyField(Person, blank=True, related_name="activities", verbose_name="参与党员")
    imported_from = models.CharField("导入文件", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "活动"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.name}"


class AttachmentKind(models.TextChoices):
    MINUTES = "minutes", "会议记录/纪要"
    PHOTO = "photo", "照片"
    MATERIAL = "material", "材料"
    OTHER = "other", "其他"


class Attachment(models.Model):
    """A file of a record, stored under its SHA-256 like the ledger's evidence (same store)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, null=True, blank=True, related_name="attachments")
    activity = models.ForeignKey(Activity, models.CASCADE, null=True, blank=True, related_name="attachments")
    stage = models.ForeignKey("LifeMeetingStage", models.CASCADE, null=True, blank=True, related_name="attachments")
    kind = models.CharField("类别", max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(meeting__isnull=False, activity__isnull=True, stage__isnull=True)
                    | Q(meeting__isnull=True, activity__isnull=False, stage__isnull=True)
                    | Q(meeting__isnull=True, activity__isnull=True, stage__isnull=False)
                ),
                name="attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self):
        return self.meeting or self.activity or self.stage


class LifeMeetingKind(models.TextChoices):
    DEMOCRATIC_LIFE = "democratic_life", "民主生活会"
    ORG_LIFE = "org_life", "组织生活会"


class LifeMeeting(models.Model):
    """民主生活会 / 组织生活会 as a process: stages, then the 问题清单 that feeds the rectification ledger."""

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="life_meetings", verbose_name="组织")
    kind = models.CharField("类型", max_length=20, choices=LifeMeetingKind.choices)
    year = models.PositiveSmallIntegerField("年度", help_text="会议所针对的年度，如“2022年度民主生活会”")
    title = models.CharField("名称", max_length=200)
    theme = models.CharField("会议主题", max_length=200, blank=True)
    meeting = models.ForeignKey(
        Meeting, models.SET_NULL, null=True, blank=True, related_name="life_processes", verbose_name="会议记录"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "民主（组织）生活会"
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "year"], name="lifemeeting_unique_year"),
        ]

    def __str__(self) -> str:
        return self.title


class StageCode(models.TextChoices):
    STUDY = "study", "会前学习"
    OPINIONS = "opinions", "征求意见"
    TALKS = "talks", "谈心谈话"
    MATERIALS = "materials", "对照检查材料"
    MEETING = "meeting", "召开会议"
    PROBLEMS = "problems", "问题清单和整改台账"
    ARCHIVE = "archive", "资料归档"


class StageState(models.TextChoices):
    PENDING = "pending", "未开始"
    ACTIVE = "active", "进行中"
    DONE = "done", "已完成"


class LifeMeetingStage(models.Model):
    process = models.ForeignKey(LifeMeeting, models.CASCADE, related_name="stages")
    code = models.CharField("环节", max_length=12, choices=StageCode.choices)
    order = models.PositiveSmallIntegerField(default=0)
    state = models.CharField("状态", max_length=8, choices=StageState.choices, default=StageState.PENDING)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.TextField("情况说明", blank=True)

    class Meta:
        verbose_name = "环节"
        ordering = ["process_id", "order"]
        constraints = [models.UniqueConstraint(fields=["process", "code"], name="lifestage_unique_code")]

    def __str__(self) -> str:
        return f"{self.process}·{self.get_code_display()}"


class ProblemStatus(models.TextChoices):
    OPEN = "open", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    DONE = "done", "已整改"


class ProblemEntry(models.Model):
    """问题清单 entry. Shaped as the rectification ledger's input (source + problem + responsible unit is
    its identity key): that ledger takes an entry by recording its own item's id in `rectification_ref`."""

    class Scope(models.TextChoices):
        COLLECTIVE = "collective", "班子（支委会）"
        PERSONAL = "personal", "个人"

    process = models.ForeignKey(LifeMeeting, models.CASCADE, related_name="problems")
    seq = models.PositiveSmallIntegerField("序号", default=0)
    scope = models.CharField("问题层面", max_length=12, choices=Scope.choices, default=Scope.COLLECTIVE)
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="个人")
    category = models.CharField("问题类别", max_length=60, blank=True)
    problem = models.TextField("问题表现")
    measures = models.TextField("整改措施", blank=True)
    responsible_org = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任单位"
    )
    responsible_person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任人"
    )
    deadline = models.DateField("整改时限", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    rectification_ref = models.CharField(
        "整改台账编号", max_length=40, blank=True, help_text="整改台账接收后填写，接收过的条目不会重复转入"
    )

    class Meta:
        verbose_name = "问题清单条目"
        ordering = ["process_id", "seq", "id"]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def source_label(self) -> str:
        return f"{self.process.year}年度{self.process.get_kind_display()}"

    def as_rectification(self) -> dict:
        """What the rectification ledger needs to create its item from this entry."""
        return {
            "source": "life_meeting",
            "source_label": self.source_label,
            "source_ref": f"problem:{self.pk}",
            "problem": self.problem,
            "measures": self.measures,
            "responsible_org": self.responsible_org or self.process.organization,
            "responsible_person": self.responsible_person,
            "deadline": self.deadline,
        }


class StudyPlanKind(models.TextChoices):
    BRANCH = "branch", "党支部政治学习计划"
    CENTRAL = "central", "理论学习中心组学习计划"


class StudyPlan(models.Model):
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="study_plans", verbose_name="组织")
    kind = models.CharField("类型", max_length=10, choices=StudyPlanKind.choices, default=StudyPlanKind.BRANCH)
    period = models.CharField("期间", max_length=8, help_text="支部按月制定，如 2023-05；中心组可按年、季度或月")
    title = models.CharField("名称", max_length=200)
    content = models.TextField("学习内容")
    form = models.CharField("学习形式", max_length=100, blank=True)
    topics = models.TextField("研讨主题", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "学习计划"
        ordering = ["-period", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "period"], name="studyplan_unique_period"),
        ]

    def __str__(self) -> str:
        return self.title


class StudyForm(models.TextChoices):
    COLLECTIVE = "collective", "集中学习"
    DISCUSSION = "discussion", "交流研讨"
    LECTURE = "lecture", "专题辅导"
    ONLINE = "online", "线上学习"
    SELF = "self", "个人自学"


class StudyRecord(models.Model):
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="study_records", verbose_name="组织")
    plan = models.ForeignKey(StudyPlan, models.SET_NULL, null=True, blank=True, related_name="records", verbose_name="学习计划")
    held_on = models.DateField("日期")
    title = models.CharField("学习内容", max_length=200)
    form = models.CharField("学习形式", max_length=12, choices=StudyForm.choices, default=StudyForm.COLLECTIVE)
    leader = models.CharField("领学人", max_length=30, blank=True)
    participants = models.ManyToManyField(Person, blank=True, related_name="study_records", verbose_name="参学人员")
    notes = models.TextField("学习情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "学习记录"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class NoteCheck(models.Model):
    """The quarterly check of each member's 政治学习笔记."""

    class Result(models.TextChoices):
        GOOD = "good", "合格"
        IMPROVE = "improve", "需改进"
        MISSING = "missing", "未记录"

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="note_checks", verbose_name="支部")
    person = models.ForeignKey(Person, models.PROTECT, related_name="note_checks", verbose_name="党员")
    period = models.CharField("检查期间", max_length=8)
    checked_on = models.DateField("检查日期")
    result = models.CharField("结果", max_length=8, choices=Result.choices, default=Result.GOOD)
    remark = models.CharField("意见", max_length=200, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = "学习笔记检查"
        ordering = ["-period", "person__name"]
        constraints = [models.UniqueConstraint(fields=["person", "period"], name="notecheck_unique_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.person_id} {self.result}"


class HonorLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"
    OTHER = "other", "其他"


class Honor(models.Model):
    """创先争优: an honour won by a unit or a person."""

    organization = models.ForeignKey(Organization, models.PROTECT, related_name="honors", verbose_name="登记组织")
    level = models.CharField("级别", max_length=12, choices=HonorLevel.choices)
    title = models.CharField("荣誉名称", max_length=200)
    awarded_on = models.DateField("获得日期")
    awarded_by = models.CharField("授予单位", max_length=100, blank=True)
    recipient_org = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="获得单位"
    )
    recipient_person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="honors", verbose_name="获得者"
    )
    work_area = models.CharField("工作板块", max_length=30, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "荣誉"
        ordering = ["-awarded_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_org__isnull=True) | Q(recipient_person__isnull=True),
                name="honor_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def recipient(self) -> str:
        if self.recipient_person_id:
            return self.recipient_person.name
        return self.recipient_org.name if self.recipient_org_id else self.organization.name
