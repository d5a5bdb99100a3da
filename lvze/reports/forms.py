from __future__ import annotations

from datetime import date

from django import forms

from lvze.lib.periods import Period


def period_choices(today: date, current: Period | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices: years, halves and quarters of the last three years; months of the last two; and the
    period being shown when it is older (asked for by a link), so the select says what the page shows."""
    groups = []
    for year in range(today.year, today.year - 3, -1):
        whole = Period("year", year)
        options = [(str(whole), whole.label())]
        options += [(str(p), p.label()) for p in whole.halves()]
        options += [(str(p), p.label()) for p in whole.quarters()]
        if year >= today.year - 1:
            options += [(str(p), p.label()) for p in whole.months() if p.start <= today]
        groups.append((f"{year}年", options))
    if current is not None and not any(str(current) == value for _g, options in groups for value, _l in options):
        groups.insert(0, ("所选期间", [(str(current), current.label())]))
    return groups


def default_period(today: date) -> Period:
    return Period.of_date(today, "half")


class DashboardForm(forms.Form):
    org = forms.CharField(required=False, max_length=32)
    period = forms.CharField(required=False, max_length=8)

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        try:
            return Period.parse(text)
        except ValueError as exc:
            raise forms.ValidationError("期间应为 2023、2023H1、2023Q2 或 2023-05 等格式") from exc
