"""Browser journeys: Playwright for Python driving the system's chromium against a live server.

Without chromium they skip and say so, except under CI=true, where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

from lvze.test import FixtureMixin

CHROMIUM = os.environ.get("LVZE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true 但找不到 chromium（{CHROMIUM}）：浏览器测试不能跳过")
        pytest.skip(f"找不到 chromium（{CHROMIUM}），跳过浏览器测试")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


class Fixture(FixtureMixin):
    pass


@pytest.fixture
def data(transactional_db):
    """The test tree and a user of every role (lvze.test), committed for the live server."""
    Fixture.build_fixture()
    return Fixture


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def shot(page, name: str) -> None:
    """With LVZE_SCREENSHOTS=1 the journeys refresh the user guide's pictures (docs/screenshots)."""
    if os.environ.get("LVZE_SCREENSHOTS") != "1":
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
