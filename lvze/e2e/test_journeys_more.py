"""Two more journeys of issue 13, in a real browser: the half-year summary from generation to 审议 and
download, and an inspection from its checklist template to 通报, rectification and 销号."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document

from lvze.documents.models import Draft
from lvze.duties.models import Status, WorkItem
from lvze.e2e.conftest import login, shot
from lvze.inspections.models import Inspection, InspectionStatus, Rectification, RectificationState
from lvze.inspections.selectors import rectification_state
from lvze.orgs.demo import DEMO_PASSWORD
from lvze.orgs.demo_seed import SEED_TODAY
from lvze.orgs.models import Post
from lvze.orgs.services import appointment_create
from lvze.reports.tests.base import frozen
from lvze.test import PASSWORD
from lvze.upward.models import ReviewState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_LECTURES = "累计开展9次宣传宣讲活动，覆盖群众580余人"
SEED_FEATURES = "共举办特色活动8场，覆盖群众460余人，解决群众操心事、烦心事、揪心事72件"
ADDED = "下一步将把宣讲成效纳入支部年度考核。"
PROBLEM = "《党支部工作手册》会议记录不完整，缺少5月支委会记录"


def docx_text(path: Path) -> str:
    return "\n".join(paragraph.text for paragraph in Document(str(path)).paragraphs)


@pytest.fixture
def seed(transactional_db):
    """`lvze demo --scenario seed-2023h1` on an empty database: the demo organisation and its accounts,
    with the records of the seed's 2023 first half."""
    call_command("demo", "--scenario", "seed-2023h1", stdout=io.StringIO())


def test_party_admin_drafts_the_seed_summary_submits_it_for_review_and_downloads_it(page, live_server, seed, tmp_path):
    base = live_server.url
    with frozen(SEED_TODAY):
        login(page, base, "dangban", DEMO_PASSWORD)
        page.locator("nav").get_by_role("link", name="公文草稿").click()
        page.select_option("select[name=org]", value="QJ")
        assert page.locator("select[name=period]").input_value() == "2023H1"
        shot(page, "journey-summary-generate")
        page.get_by_role("button", name="生成工作总结").click()
        page.get_by_text("已生成《").wait_for()
        draft = Draft.objects.get(unit__code="QJ", kind="summary", period="2023H1")
        assert draft.version == 1

        paragraph = page.locator("textarea[name^=text-]").filter(has_text=SEED_LECTURES)
        assert paragraph.count() == 1
        text = paragraph.input_value()
        paragraph.fill(text + ADDED)
        page.fill("input[name=note]", "补充宣讲成效的考核安排")
        page.get_by_role("button", name="保存为新版本").click()
        page.get_by_text("已保存为第2版").wait_for()
        paragraph.scroll_into_view_if_needed()
        shot(page, "journey-summary-edited")
        draft.refresh_from_db()
        assert draft.version == 2

        page.get_by_role("button", name="审议与上报…").click()
        page.get_by_role("button", name="将第2版提交党委会审议").click()
        page.get_by_text("已将第2版提交党委会审议").wait_for()
        shot(page, "journey-summary-review")
        review = draft.reviews.get()
        assert (review.round, review.state, review.version.number) == (1, ReviewState.PENDING, 2)

        with page.expect_download() as info:
            page.get_by_role("link", name="下载提交审议的版本").click()
        download = info.value
        assert download.suggested_filename.endswith(".docx")
        path = tmp_path / download.suggested_filename
        download.save_as(path)

    text = docx_text(path)
    assert draft.title in text
    assert SEED_LECTURES in text and ADDED in text
    assert SEED_FEATURES in text
    assert "未出现临期、逾期及逾期办结任务" in text


def state_of(rect: Rectification) -> RectificationState:
    """The ledger's state as saved now (the pages changed it since `rect` was read)."""
    return rectification_state(Rectification.objects.select_related("work_item").get(pk=rect.pk))


def score_everything(page, *, good: bool) -> None:
    """Enter every unscored item on a target's page through its own form: full marks, or a weaker result."""
    unscored = page.locator("tr[id^=score-]", has_text="未评分")
    while unscored.count():
        form = unscored.first.locator("xpath=following-sibling::tr[1]").locator("form").first
        if form.locator("select[name=passed]").count():
            form.locator("select[name=passed]").select_option("1" if good else "0")
        elif form.locator("select[name=grade]").count():
            form.locator("select[name=grade]").select_option("good" if good else "fair")
        else:
            points = form.locator("input[name=points]")
            points.fill(points.get_attribute("max") if good else "10")
        form.locator("input[name=note]").fill("符合要求" if good else "记录不够规范")
        form.get_by_role("button", name="保存评分").click()
        page.get_by_text("的评分").first.wait_for()


def test_inspection_from_template_to_bulletin_rectification_and_closing(page, live_server, data, tmp_path):
    base = live_server.url
    # 张一 is 第一党支部's secretary, so a problem found there is his to rectify.
    appointment_create(actor=None, person=data.p1, organization=data.orgs["QJ01"], post=Post.SECRETARY,
                       start=date(2022, 1, 1))
    login(page, base, "party_admin", PASSWORD)
    page.locator("nav").get_by_role("link", name="检查考核").click()
    page.get_by_role("link", name="检查模板").click()
    page.get_by_role("button", name="为示范区税务局党委安装").click()
    page.get_by_role("link", name="党支部工作季度检查").wait_for()

    page.get_by_role("link", name="检查", exact=True).click()
    page.get_by_role("link", name="发起检查").click()
    page.select_option("#id_unit", value=str(data.orgs["QJ"].pk))
    page.select_option("#id_template", label="党支部工作季度检查")
    page.select_option("#id_root", value=str(data.orgs["QJJG"].pk))
    rectify_by = date.fromisoformat(page.input_value("#id_deadline")) + timedelta(days=30)
    page.fill("#id_rectify_deadline", rectify_by.isoformat())
    page.fill("#id_board_size", "1")
    page.locator("h1").scroll_into_view_if_needed()
    shot(page, "journey-inspection-create")
    page.get_by_role("button", name="创建检查").click()
    page.get_by_role("button", name="启动检查").click()
    page.get_by_text("检查已启动").wait_for()
    inspection = Inspection.objects.get()
    assert inspection.status == InspectionStatus.RUNNING
    assert sorted(inspection.targets.values_list("organization__code", flat=True)) == ["QJ01", "QJ02"]

    for name, good in (("第二党支部", True), ("第一党支部", False)):
        page.get_by_role("row", name=name).get_by_role("link", name="自查与评分").click()
        score_everything(page, good=good)
        page.get_by_role("link", name=inspection.name, exact=True).click()
    page.get_by_role("row", name="第一党支部").get_by_role("link", name="自查与评分").click()
    shot(page, "journey-inspection-scores")

    page.get_by_label("问题描述").fill(PROBLEM)
    page.get_by_label("检查项目").select_option(label="《党支部工作手册》")
    page.get_by_role("button", name="记录问题").click()
    page.get_by_text("已记录发现的问题").wait_for()

    page.get_by_role("link", name=inspection.name, exact=True).click()
    page.get_by_role("button", name="发布检查结果").click()
    page.get_by_text("检查结果已发布，可下载通报").wait_for()
    ranking = dict(inspection.targets.values_list("organization__code", "rank"))
    assert ranking == {"QJ02": 1, "QJ01": 2}
    assert page.get_by_role("row", name="第二党支部").get_by_text("红榜").count() == 1
    assert page.get_by_role("row", name="第一党支部").get_by_text("黑榜").count() == 1
    shot(page, "journey-inspection-published")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载通报（.docx）").click()
    path = tmp_path / "通报.docx"
    info.value.save_as(path)
    bulletin = docx_text(path)
    assert inspection.name in bulletin
    assert "第一党支部" in bulletin and PROBLEM in bulletin

    # the finding goes to the 整改台账, with its measures
    page.get_by_role("link", name=PROBLEM).click()
    page.get_by_label("整改措施").fill("补齐缺失的会议记录，建立会议记录月度自查制度")
    shot(page, "journey-inspection-finding")
    page.get_by_role("button", name="转入整改台账").click()
    page.get_by_text("已转入整改台账").wait_for()
    rect = Rectification.objects.get()
    assert (rect.responsible_org.code, rect.deadline, rect.finding.description) == ("QJ01", rectify_by, PROBLEM)
    assert rect.responsible_person == data.p1 and rect.measures.startswith("补齐缺失的会议记录")
    assert state_of(rect) == RectificationState.IN_PROGRESS

    # 张一, the responsible person, reports it done with evidence and applies for 销号
    page.context.clear_cookies()
    login(page, base, "member", PASSWORD)
    page.locator("nav").get_by_role("link", name="整改台账").click()
    page.get_by_role("link", name=PROBLEM).click()
    page.get_by_label("说明").fill("已补齐5月支委会记录，月度自查制度已印发")
    evidence = tmp_path / "整改情况说明.pdf"
    evidence.write_bytes("%PDF-1.4 整改情况说明".encode())
    page.get_by_label("整改佐证").set_input_files(str(evidence))
    shot(page, "journey-inspection-request")
    page.get_by_role("button", name="申请销号").click()
    page.get_by_text("已申请销号，等待验收").wait_for()
    assert state_of(rect) == RectificationState.REQUESTED

    # the 纪检组 checks it, accepts it and closes it
    page.context.clear_cookies()
    login(page, base, "supervisor", PASSWORD)
    page.locator("nav").get_by_role("link", name="整改台账").click()
    page.get_by_role("link", name="申请销号").click()  # the ledger's card of what awaits verification
    page.get_by_role("link", name=PROBLEM).click()
    page.get_by_label("说明").fill("经核查已整改到位")
    page.get_by_role("button", name="验收通过").click()
    page.get_by_text("验收通过").first.wait_for()
    page.get_by_label("说明").fill("同意销号")
    page.once("dialog", lambda dialog: dialog.accept())  # 销号 asks for confirmation first
    page.get_by_role("button", name="销号", exact=True).click()
    page.get_by_text("已销号").first.wait_for()
    shot(page, "journey-inspection-closed")

    rect.refresh_from_db()
    assert state_of(rect) == RectificationState.CLOSED
    assert rect.closed_by == data.users["supervisor"] and rect.closed_at is not None
    item = WorkItem.objects.get(pk=rect.work_item_id)
    assert item.status == Status.DONE and item.completed_at is not None
    assert list(rect.events.values_list("action", flat=True)) == ["created", "requested", "verified", "closed"]

