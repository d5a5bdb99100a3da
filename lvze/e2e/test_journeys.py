"""The journeys of issue 13 that the platform supports today, in a real browser."""

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from lvze.duties.generation import obligations_generate
from lvze.duties.models import Status, Task, WorkItem
from lvze.e2e.conftest import login, shot
from lvze.lib.periods import Period
from lvze.records.models import Meeting
from lvze.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_reads_the_notice_records_a_theme_day_and_sees_it_done(page, live_server, data):
    today = timezone.localdate()
    month = Period.of_date(today, "month")
    obligations_generate(actor=None, period=month, scope=data.orgs["QJ01"])
    login(page, live_server.url, "secretary", PASSWORD)
    page.goto(f"{live_server.url}/reminders/notice/QJ01/{month}/")
    page.get_by_text(f"{month.label()}主题党日").first.wait_for()
    shot(page, "journey-notice")

    page.goto(f"{live_server.url}/records/meetings/new/")
    page.select_option("#id_organization", label="第一党支部")
    page.select_option("#id_kind", value="theme_day")
    page.fill("#id_held_on", today.isoformat())
    page.dispatch_event("#id_held_on", "change")
    page.fill("#id_topic", "学习党的二十大精神")
    page.locator("#roster").get_by_text("张一").wait_for()
    shot(page, "journey-record-meeting")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("学习党的二十大精神").first.wait_for()

    meeting = Meeting.objects.get(topic="学习党的二十大精神")
    item = WorkItem.objects.get(organization__code="QJ01", rule__code="theme_day", period=str(month))
    assert meeting.fulfils_id == item.pk
    assert item.status == Status.DONE
    page.goto(f"{live_server.url}/items/{item.pk}/")
    page.get_by_text("按期办结").first.wait_for()
    shot(page, "journey-item-done")


def decomposition_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年全面从严治党重点任务分解表"])
    ws.append(["序号", "任务", "具体措施", "牵头单位", "配合单位", "责任领导", "完成时限"])
    ws.append(["一、强化理论武装"])
    ws.append([1, "深入学习宣传贯彻党的二十大精神", "制定学习计划", "办公室", "各党支部", "党委书记", "6月底前"])
    ws.append([2, "规范主题党日", "每月开展", "各党支部", "办公室", "分管党建局领导", "每季度"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_party_admin_imports_a_decomposition_table_with_preview(page, live_server, data, tmp_path):
    path = tmp_path / "分解表.xlsx"
    path.write_bytes(decomposition_workbook())
    login(page, live_server.url, "party_admin", PASSWORD)
    page.goto(f"{live_server.url}/plans/import/")
    page.select_option("#id_org", value="QJ")
    page.fill("#id_plan_name", "2024年全面从严治党工作要点")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_text("深入学习宣传贯彻党的二十大精神").first.wait_for()
    assert Task.objects.count() == 0, "the preview writes nothing"
    shot(page, "journey-import-preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("2024年全面从严治党工作要点").first.wait_for()
    assert Task.objects.count() == 2
    page.goto(f"{live_server.url}/items/?q=深入学习")
    page.get_by_role("link", name="深入学习宣传贯彻党的二十大精神").first.wait_for()


def test_supervisor_records_a_consultation_and_cannot_edit_a_branch_meeting(page, live_server, data):
    from lvze.records.services import meeting_record

    today = timezone.localdate()
    branch = meeting_record(actor=None, organization=data.orgs["QJ01"], kind="theme_day", held_on=today, topic="支部的会").record
    login(page, live_server.url, "supervisor", PASSWORD)
    page.goto(f"{live_server.url}/records/meetings/new/")
    page.select_option("#id_organization", label="示范区税务局党委")
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_topic", "党委与纪检组专题会商")
    page.select_option("#id_consultation_level", index=1)
    page.get_by_role("button", name="保存").click()
    page.get_by_text("党委与纪检组专题会商").first.wait_for()
    assert Meeting.objects.filter(kind="consultation", topic="党委与纪检组专题会商").exists()
    response = page.goto(f"{live_server.url}/records/meetings/{branch.pk}/edit/")
    assert response.status == 404
