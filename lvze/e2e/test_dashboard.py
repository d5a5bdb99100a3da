"""统计看板 in a real browser: the charts draw, the period swaps the figures in place, a figure opens its rows."""

import pytest

from lvze.e2e.conftest import login, shot
from lvze.reports.tests.base import ReportTestCase, frozen
from lvze.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pixels drawn on each chart's canvas (ECharts renders to canvas): [chart, drawn pixels].
CANVAS_INK = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const canvas = el.querySelector('canvas');
  if (!canvas) { return [el.dataset.chart, 0]; }
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { ink++; } }
  return [el.dataset.chart, ink];
})"""


@pytest.fixture
def data(transactional_db):
    ReportTestCase.setUpTestData()
    return ReportTestCase


def test_dashboard_draws_its_charts_and_swaps_the_period(page, live_server, data):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with frozen():
        login(page, live_server.url, "party_admin", PASSWORD)
        page.goto(f"{live_server.url}/reports/?period=2024H1")
        page.locator("[data-chart=months] canvas").wait_for()
        ink = dict(page.evaluate(CANVAS_INK))
        assert set(ink) == {"timeliness", "months", "units", "branches", "obligations", "activity_types",
                            "activity_areas", "supervision"}
        assert all(n > 1000 for n in ink.values()), ink
        shot(page, "dashboard")

        page.select_option("select[name=period]", "2024Q1")
        page.wait_for_url("**/reports/?*period=2024Q1*")
        page.get_by_text("2024年第一季度（2024-01-01 至 2024-03-31）").wait_for()
        page.locator("[data-chart=months] canvas").wait_for()
        after = dict(page.evaluate(CANVAS_INK))
        assert after["months"] > 1000 and after["timeliness"] > 1000, after
        assert page.locator("h1").count() == 1, "only the figures were swapped"

        total = page.locator("[data-figure=total]").inner_text()
        page.locator("[data-figure=total]").click()
        page.wait_for_url("**/items/?*due_to=2024-03-31*")
        assert f"共 {total} 条" in page.content()
    assert not errors, errors
