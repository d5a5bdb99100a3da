from __future__ import annotations

from django import forms
from django.utils import timezone

from lvze.orgs.models import Organization, Person
from lvze.records.models import (
    Activity,
    ActivityType,
    AttachmentKind,
    Brand,
    ConsultationLevel,
    Honor,
    LifeMeeting,
    LifeMeetingKind,
    LifeMeetingStage,
    MeetingKind,
    Partnership,
    PioneerPost,
    ProblemEntry,
    StudyPlan,
    StudyRecord,
    Talk,
)

PERIOD_REGEX = r"^\d{4}(H[12]|Q[1-4]|-\d{2})?$"
PERIOD_ERROR = {"invalid": "期间格式应为 2023、2023H1、2023Q2 或 2023-05"}
DATE = {"type": "date"}
TIME = {"type": "time"}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("日期不能晚于今天")
    return value


# Kind-specific fields of a meeting, shown when that kind is chosen.
KIND_FIELDS = {
    MeetingKind.PARTY_LECTURE: ["speaker", "lecture_title"],
    MeetingKind.THEME_DAY: ["theme", "activity_form"],
    MeetingKind.COMMITTEE_MEETING: ["first_topic"],
    MeetingKind.CONSULTATION: ["consultation_level", "agenda", "outcome"],
}
ALL_KIND_FIELDS = sorted({f for fields in KIND_FIELDS.values() for f in fields})
COMMON_FIELDS = ["organization", "kind", "held_on", "starts_at", "ends_at", "period", "topic", "place", "host",
                 "recorder", "work_area"]
TAIL_FIELDS = ["summary", "decisions", "roster_note"]


class MeetingForm(forms.Form):
    organization = forms.ModelChoiceField(label="组织", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="会议类型")
    held_on = forms.DateField(label="日期", widget=date_input(), validators=[not_future])
    starts_at = forms.TimeField(label="开始时间", required=False, widget=forms.TimeInput(attrs=TIME, format="%H:%M"))
    ends_at = forms.TimeField(label="结束时间", required=False, widget=forms.TimeInput(attrs=TIME, format="%H:%M"))
    period = forms.RegexField(
        label="所属期间", required=False, regex=PERIOD_REGEX,
        help_text="默认为会议日期所在月份；如5月的主题党日在6月2日召开，填 2023-05",
        error_messages={"invalid": "期间格式应为 2023-05、2023Q2 等"},
    )
    topic = forms.CharField(label="主题/议题", max_length=200)
    place = forms.CharField(label="地点", max_length=100, required=False)
    host = forms.CharField(label="主持人", max_length=30, required=False)
    recorder = forms.CharField(label="记录人", max_length=30, required=False)
    work_area = forms.ChoiceField(label="工作板块", required=False)
    speaker = forms.CharField(label="主讲人", max_length=30, required=False)
    lecture_title = forms.CharField(label="党课题目", max_length=200, required=False)
    theme = forms.CharField(label="活动主题", max_length=200, required=False)
    activity_form = forms.CharField(label="活动形式", max_length=60, required=False, help_text="如：集中学习、参观见学、志愿服务")
    first_topic = forms.CharField(label="第一议题", max_length=200, required=False, help_text="党委会须有第一议题，未填写的将被标记")
    consultation_level = forms.ChoiceField(label="会商层级", required=False, choices=[("", "—"), *ConsultationLevel.choices])
    agenda = forms.CharField(label="会商内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    outcome = forms.CharField(label="会商结果", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    summary = forms.CharField(label="会议内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    decisions = forms.CharField(label="决定事项", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    roster_note = forms.CharField(label="应到人员调整说明", max_length=200, required=False,
                                  help_text="应到人员与花名册不一致时说明原因")

    def __init__(self, *args, orgs=None, kinds=(), work_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["kind"].choices = kinds
        self.fields["work_area"].choices = [("", "—"), *[(n, n) for n in work_areas]]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name in ALL_KIND_FIELDS:
            if name not in KIND_FIELDS.get(kind, []):
                data[name] = ""
        if kind == MeetingKind.CONSULTATION and not data.get("consultation_level"):
            self.add_error("consultation_level", "会商须选择层级")
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "结束时间应晚于开始时间")
        return data

    def selected_kind(self) -> str:
        return self.data.get("kind") if self.is_bound else self.initial.get("kind", "")

    def common(self):
        return [self[n] for n in COMMON_FIELDS]

    def specific(self, kind: str | None = None):
        return [self[n] for n in KIND_FIELDS.get(kind or self.selected_kind(), [])]

    def tail(self):
        return [self[n] for n in TAIL_FIELDS]


class AttachmentForm(forms.Form):
    file = forms.FileField(label="文件")
    kind = forms.ChoiceField(label="类别", choices=AttachmentKind.choices, initial=AttachmentKind.MINUTES)


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose organisation and people choices are limited to the writer's scope."""

    person_fields: tuple[str, ...] = ()
    org_fields: tuple[str, ...] = ("organization",)

    def __init__(self, *args, orgs=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.org_fields:
            if name in self.fields and orgs is not None:
                self.fields[name].queryset = orgs
        # A writer with a single organisation (a branch secretary) need not choose it.
        if orgs is not None and "organization" in self.fields and not self.initial.get("organization"):
            only = list(orgs[:2])
            if len(only) == 1:
                self.initial["organization"] = only[0]
        for name in self.person_fields:
            if name in self.fields and people is not None:
                self.fields[name].queryset = people
                self.fields[name].label_from_instance = person_label
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = date_input()
            if isinstance(field.widget, forms.TimeInput):
                field.widget = forms.TimeInput(attrs=TIME, format="%H:%M")


class TalkForm(ScopedModelForm):
    person_fields = ("initiator", "partner")
    period = forms.RegexField(label="所属期间", required=False, regex=PERIOD_REGEX, error_messages=PERIOD_ERROR,
                              help_text="默认为谈话日期所在月份")

    class Meta:
        model = Talk
        fields = ["organization", "kind", "held_on", "starts_at", "period", "initiator", "partner", "place", "topic",
                  "content", "opinions", "life_meeting"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4}), "opinions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, life_meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].validators.append(not_future)
        self.fields["life_meeting"].queryset = life_meetings if life_meetings is not None else LifeMeeting.objects.none()
        self.fields["life_meeting"].help_text = "为民主（组织）生活会会前开展的谈心谈话，选择对应的会议"


class ActivityForm(ScopedModelForm):
    person_fields = ("participants",)

    class Meta:
        model = Activity
        fields = ["organization", "activity_type", "name", "held_on", "ends_on", "place", "participant_count",
                  "people_covered", "problems_solved", "amount", "partnership", "brand", "partner_name", "work_area",
                  "highlight", "summary", "participants"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}), "highlight": forms.Textarea(attrs={"rows": 2}),
                   "participants": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, types=None, work_areas=(), partnerships=None, brands=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].validators.append(not_future)
        self.fields["activity_type"].queryset = types if types is not None else ActivityType.objects.none()
        self.fields["partnership"].queryset = partnerships if partnerships is not None else Partnership.objects.none()
        self.fields["brand"].queryset = brands if brands is not None else Brand.objects.none()
        self.fields["work_area"] = forms.ChoiceField(label="工作板块", required=False,
                                                     choices=[("", "—"), *[(n, n) for n in work_areas]])
        self.fields["participant_count"].help_text = "选择了参与党员而未填人数时，按所选人数计"
        for name in ("participant_count", "people_covered", "problems_solved"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in ("participant_count", "people_covered", "problems_solved"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        org, kind = data.get("organization"), data.get("activity_type")
        if org is not None and kind is not None and kind.unit_id != (org.unit_id or org.pk):
            self.add_error("activity_type", "活动类型不属于该组织所在单位")
        return data


class ActivityTypeForm(forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = ["name", "order", "active"]


class PartnershipForm(ScopedModelForm):
    person_fields = ("leader",)

    class Meta:
        model = Partnership
        fields = ["organization", "kind", "partner_name", "partner_org", "leader", "brand", "started_on", "ended_on",
                  "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, all_orgs=None, brands=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_org"].queryset = all_orgs if all_orgs is not None else Organization.objects.none()
        self.fields["brand"].queryset = brands if brands is not None else Brand.objects.none()


class BrandForm(ScopedModelForm):
    class Meta:
        model = Brand
        fields = ["organization", "name", "established_on", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PioneerPostForm(ScopedModelForm):
    person_fields = ("person",)

    class Meta:
        model = PioneerPost
        fields = ["organization", "person", "title", "designated_on", "ended_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class HonorForm(ScopedModelForm):
    person_fields = ("recipient_person",)
    org_fields = ("organization", "recipient_org")

    class Meta:
        model = Honor
        fields = ["organization", "level", "title", "awarded_on", "awarded_by", "recipient_org", "recipient_person",
                  "work_area", "note"]

    def __init__(self, *args, work_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_org"].help_text = "单位获得的荣誉选择单位；个人获得的选择获得者"
        self.fields["work_area"] = forms.ChoiceField(label="工作板块", required=False,
                                                     choices=[("", "—"), *[(n, n) for n in work_areas]])

    def clean(self):
        data = super().clean()
        if data.get("recipient_org") and data.get("recipient_person"):
            raise forms.ValidationError("获得单位和获得者只填一项")
        return data


class StudyPlanForm(ScopedModelForm):
    period = forms.RegexField(label="期间", regex=PERIOD_REGEX, error_messages=PERIOD_ERROR,
                              help_text="支部按月制定，如 2023-05；中心组可按年、季度或月")

    class Meta:
        model = StudyPlan
        fields = ["organization", "kind", "period", "title", "content", "form", "topics"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4}), "topics": forms.Textarea(attrs={"rows": 2})}


class StudyRecordForm(ScopedModelForm):
    person_fields = ("participants",)

    class Meta:
        model = StudyRecord
        fields = ["organization", "plan", "held_on", "title", "form", "leader", "participants", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "participants": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].validators.append(not_future)
        self.fields["plan"].queryset = plans if plans is not None else StudyPlan.objects.none()


class NoteCheckForm(forms.Form):
    organization = forms.ModelChoiceField(label="支部", queryset=Organization.objects.none())
    period = forms.RegexField(label="检查季度", regex=r"^\d{4}Q[1-4]$", error_messages={"invalid": "季度格式如 2023Q2"})
    checked_on = forms.DateField(label="检查日期", widget=date_input(), validators=[not_future])

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs


class LifeMeetingForm(ScopedModelForm):
    class Meta:
        model = LifeMeeting
        fields = ["organization", "kind", "year", "title", "theme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "留空则为“某年度民主生活会”"
        self.fields["kind"].choices = LifeMeetingKind.choices


class StageForm(forms.ModelForm):
    class Meta:
        model = LifeMeetingStage
        fields = ["state", "done_on", "note"]
        widgets = {"done_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}


class ProblemForm(ScopedModelForm):
    person_fields = ("person", "responsible_person")
    org_fields = ("responsible_org",)

    class Meta:
        model = ProblemEntry
        fields = ["scope", "person", "category", "problem", "measures", "responsible_org", "responsible_person",
                  "deadline", "status"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 2}), "measures": forms.Textarea(attrs={"rows": 2})}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="台账类型", choices=[("meetings", "会议台账"), ("activities", "活动台账")])
    org = forms.ModelChoiceField(label="所属单位/组织", queryset=Organization.objects.none(), to_field_name="code")
    file = forms.FileField(label="台账文件（.xlsx）")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


def person_label(person: Person) -> str:
    return f"{person.name}（{person.branch.name}）" if person.branch_id else person.name
