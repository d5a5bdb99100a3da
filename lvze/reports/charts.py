"""ECharts options for the dashboard, built from the same figures the tables show.

Options are plain data (reaching the page through `json_script`); every bar, slice and point carries the
URL of the rows behind it, which static/js/dashboard.js opens on click. A chart with nothing to show is
left out, and the page says so instead.
"""

from __future__ import annotations

from lvze.duties.models import Timeliness
from lvze.reports.selectors import STATE_KEYS, Dashboard, Row

COLOURS = {
    "on_time": "#2e7d32",
    "late": "#f9a825",
    "overdue": "#c62828",
    "due_soon": "#ef6c00",
    "normal": "#90a4ae",
}
LABELS = {key: Timeliness(key).label for key in STATE_KEYS}
TOOLTIP_AXIS = {"trigger": "axis", "axisPointer": {"type": "shadow"}}
GRID = {"left": 48, "right": 56, "top": 40, "bottom": 56, "containLabel": True}
PERCENT_AXIS = {"type": "value", "name": "按期办结率", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}}


def point(value, url: str = "") -> dict:
    return {"value": value, "url": url} if url else {"value": value}


def percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def timeliness_pie(d: Dashboard) -> dict:
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c} 项（{d}%）"},
        "legend": {"bottom": 0},
        "color": [COLOURS[k] for k in STATE_KEYS],
        "series": [{
            "type": "pie",
            "radius": ["40%", "68%"],
            "label": {"formatter": "{b}\n{c}"},
            "data": [{"name": LABELS[k], "value": getattr(d.tally, k), "url": d.links[k]} for k in STATE_KEYS],
        }],
    }


def stacked_states(rows: list[Row], url_of) -> list[dict]:
    return [
        {
            "name": LABELS[k],
            "type": "bar",
            "stack": "items",
            "color": COLOURS[k],
            "data": [point(getattr(r.tally, k), url_of(r, k)) for r in rows],
        }
        for k in STATE_KEYS
    ]


def with_timeliness(url: str, key: str) -> str:
    return f"{url}&timeliness={key}" if url else ""


def month_chart(d: Dashboard) -> dict:
    return {
        "tooltip": TOOLTIP_AXIS,
        "legend": {"bottom": 0},
        "grid": GRID,
        "xAxis": {"type": "category", "data": [m.label for m in d.months]},
        "yAxis": [{"type": "value", "name": "事项数", "minInterval": 1}, PERCENT_AXIS],
        "series": [
            *stacked_states(d.months, lambda r, k: with_timeliness(r.url, k)),
            {"name": "按期办结率", "type": "line", "yAxisIndex": 1, "color": "#8b1a1a",
             "data": [point(percent(m.tally.rate), m.url) for m in d.months]},
        ],
    }


def unit_chart(rows: list[Row]) -> dict:
    return {
        "tooltip": TOOLTIP_AXIS,
        "legend": {"bottom": 0},
        "grid": GRID,
        "xAxis": {"type": "category", "data": [r.label for r in rows], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": [{"type": "value", "name": "事项数", "minInterval": 1}, PERCENT_AXIS],
        "series": [
            *stacked_states(rows, lambda r, k: with_timeliness(r.url, k)),
            {"name": "按期办结率", "type": "line", "yAxisIndex": 1, "color": "#8b1a1a",
             "data": [point(percent(r.tally.rate), r.url) for r in rows]},
        ],
    }


def ranking_chart(rows: list[Row]) -> dict:
    ordered = list(reversed(rows))  # ECharts draws the first category at the bottom
    return {
        "tooltip": TOOLTIP_AXIS,
        "grid": {**GRID, "left": 12, "bottom": 24},
        "xAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {"type": "category", "data": [f"{r.extra['rank']}. {r.label}" for r in ordered]},
        "series": [{
            "name": "按期办结率", "type": "bar", "color": COLOURS["on_time"],
            "label": {"show": True, "position": "right", "formatter": "{c}%"},
            "data": [point(percent(r.tally.rate), r.url) for r in ordered],
        }],
    }


def obligation_chart(rows: list[Row]) -> dict:
    return {
        "tooltip": TOOLTIP_AXIS,
        "legend": {"bottom": 0},
        "grid": GRID,
        "xAxis": {"type": "category", "data": [r.label for r in rows], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": "应开展（规定动作）", "type": "bar", "color": "#90a4ae",
             "data": [point(r.tally.total, r.url) for r in rows]},
            {"name": "已完成", "type": "bar", "color": COLOURS["on_time"],
             "data": [point(r.tally.done, r.url) for r in rows]},
            {"name": "实际召开（记录）", "type": "bar", "color": "#8b1a1a",
             "data": [point(r.extra["held"], r.extra["held_url"]) for r in rows]},
        ],
    }


def activity_chart(rows: list[Row]) -> dict:
    return {
        "tooltip": TOOLTIP_AXIS,
        "legend": {"bottom": 0},
        "grid": GRID,
        "xAxis": {"type": "category", "data": [r.label for r in rows], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": [{"type": "value", "name": "次", "minInterval": 1}, {"type": "value", "name": "人", "minInterval": 1}],
        "series": [
            {"name": "活动次数", "type": "bar", "color": "#8b1a1a",
             "data": [point(r.extra["count"], r.extra["url"]) for r in rows]},
            {"name": "覆盖群众", "type": "bar", "yAxisIndex": 1, "color": "#ffb300",
             "data": [point(r.extra["people_covered"], r.extra["url"]) for r in rows]},
        ],
    }


def supervision_chart(rows: list[Row]) -> dict:
    return {
        "tooltip": TOOLTIP_AXIS,
        "grid": {**GRID, "bottom": 24},
        "xAxis": {"type": "category", "data": [r.label for r in rows], "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"name": "问题（个）", "type": "bar", "color": "#8b1a1a",
                    "data": [point(r.extra["n"], r.extra["url"]) for r in rows]}],
    }


def chart_data(d: Dashboard) -> dict:
    charts = {}
    if d.tally.total:
        charts["timeliness"] = timeliness_pie(d)
        charts["months"] = month_chart(d)
    children = [r for r in d.units if r.url and r.tally.total]
    if children:
        charts["units"] = unit_chart(children)
    if d.branches:
        charts["branches"] = ranking_chart(d.branches)
    if d.obligations:
        charts["obligations"] = obligation_chart(d.obligations)
    if d.activity_types:
        charts["activity_types"] = activity_chart(d.activity_types)
    if d.activity_areas:
        charts["activity_areas"] = activity_chart(d.activity_areas)
    if any(r.extra["n"] for r in d.supervision):
        charts["supervision"] = supervision_chart(d.supervision)
    return charts
