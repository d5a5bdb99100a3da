"""Two more journeys of issue 13, in a real browser: the half-year summary from generation to 审议 and
download, and an inspection from its checklist template to 通报, rectification and 销号."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document

from lvze.documents.models import Draft
from lvze.e2e.conftest import login, shot
from lvze.orgs.demo import DEMO_PASSWORD
from lvze.orgs.demo_seed import SEED_TODAY
from lvze.reports.tests.base import frozen
from lvze.upward.models import ReviewState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED_LECTURES = "累计开展9次宣传宣讲活动，覆盖群众580余人"
SEED_FEATURES = "共举办特色活动8场，覆盖群众460余人，解决群众操心事、烦心事、揪心事72件"
ADDED = "下一步将把宣讲成效纳入支部年度考核。"


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
        page.goto(f"{base}/documents/summary/new/")
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
