"""The shell in a real browser: the global search box, confirmation before destructive actions, the
busy state of long forms, and the layout on a phone."""

import pytest

from lvze.api.models import ApiToken
from lvze.api.services import api_token_create
from lvze.duties.generation import obligations_generate
from lvze.e2e.conftest import login, shot
from lvze.lib.periods import Period
from lvze.records.services import meeting_record
from lvze.test import PASSWORD, FixtureMixin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Fixture(FixtureMixin):
    pass


@pytest.fixture
def fixture(transactional_db):
    Fixture.build_fixture()
    return Fixture


def test_search_from_the_top_bar(page, live_server, fixture):
    from datetime import date

    meeting_record(actor=None, organization=fixture.orgs["QJ01"], kind="theme_day", held_on=date(2024, 5, 10),
                   topic="第一党支部主题党日：学习党章")
    login(page, live_server.url, "party_admin", PASSWORD)
    page.get_by_label("全局搜索：人员、组织、事项、纪实").fill("第一")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert [" ".join(text.split()) for text in page.locator("h2").all_inner_texts()] == ["组织 1", "会议纪实 1"]
    shot(page, "search")
    page.get_by_role("link", name="第一党支部主题党日：学习党章").click()
    page.wait_for_url("**/records/meetings/*/")
    assert "会议纪实" in page.locator(".crumbs-bar").inner_text()


def test_destructive_actions_ask_first(page, live_server, fixture):
    user = fixture.users["party_admin"]
    api_token_create(actor=user, name="OA 对接", read_only=True, days=30)
    login(page, live_server.url, "party_admin", PASSWORD)
    page.goto(f"{live_server.url}/accounts/tokens/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="吊销").click()
    page.wait_for_timeout(300)
    assert "OA 对接" in asked[0]
    assert ApiToken.objects.get().revoked_at is None
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="吊销").click()
    page.wait_for_selector("text=已吊销令牌")
    assert ApiToken.objects.get().revoked_at is not None


# Noted in the page right after the browser has sent the form (the busy state lasts until the answer
# replaces the page): the message shown, whether the button is disabled, and whether a second submit
# of the same form would go through.
OBSERVE_SUBMIT = """
window.addEventListener("submit", (event) => {  // after the page's own handlers on document
  const form = event.target;
  if (!form.hasAttribute("data-busy")) return;
  setTimeout(() => {
    const note = form.querySelector(".busy-note");
    const again = form.dispatchEvent(new SubmitEvent("submit", {bubbles: true, cancelable: true}));
    const state = [note && note.textContent, form.querySelector("button[type=submit]").disabled, again];
    sessionStorage.setItem("busy", JSON.stringify(state));
  }, 0);  // after the page's own timer, which disables the buttons
});
"""


def test_an_import_shows_it_is_working_and_cannot_be_sent_twice(page, live_server, fixture):
    page.add_init_script(OBSERVE_SUBMIT)
    login(page, live_server.url, "party_admin", PASSWORD)
    page.goto(f"{live_server.url}/people/import/")
    page.select_option("select[name=org]", "QJ")
    page.set_input_files("input[type=file]", files=[{"name": "花名册.xlsx", "mimeType": "application/octet-stream",
                                                     "buffer": b"not a workbook"}])
    with page.expect_navigation():
        page.locator("form[data-busy] button[type=submit]").click()
    assert page.evaluate("JSON.parse(sessionStorage.getItem('busy'))") == ["正在上传并校验文件，请稍候…", True, False]
    # The answer (here: the preview, listing what is wrong with the file) is a fresh page, not busy.
    assert page.url.endswith("/people/import/")
    assert page.locator(".busy-note").count() == 0


def test_phone_layout(browser, live_server, fixture):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page = context.new_page()
    obligations_generate(actor=None, period=Period.parse("2024Q2"))
    try:
        login(page, live_server.url, "party_admin", PASSWORD)
        menu = page.get_by_role("button", name="菜单")
        assert menu.is_visible()
        assert not page.locator("#sidebar-nav").is_visible()
        shot(page, "phone-home")
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        assert page.get_by_role("link", name="事项台账").is_visible()
        shot(page, "phone-menu")
        for path in ("/items/", "/people/", "/search/?q=第"):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            # Nothing widens the page; wide tables scroll inside themselves.
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        page.goto(f"{live_server.url}/people/")
        shot(page, "phone-people")
        page.goto(f"{live_server.url}/items/")
        page.wait_for_load_state("networkidle")
        page.locator("table").first.scroll_into_view_if_needed()
        shot(page, "phone-ledger")
    finally:
        context.close()


def test_keyboard_reaches_the_content_and_the_search_box(page, live_server, fixture):
    login(page, live_server.url, "secretary", PASSWORD)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
    search = page.get_by_role("searchbox", name="全局搜索：人员、组织、事项、纪实")
    search.focus()
    page.keyboard.type("张")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("link", name="张一").is_visible()
