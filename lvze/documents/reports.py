"""`lvze report <name>`: the registry of documents the command line can produce.

Each entry builds a Draft (unsaved) for a unit; the command renders it through the same builder
as the editor, masked on request. A document kind becomes a report with `register_report(
kind_report(KIND))`; entries that need more options (a period, an inspection) add them in
`add_arguments` and read them from `options` in `build`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lvze.documents.generation import generate_draft
from lvze.documents.kinds import DocumentKind
from lvze.documents.models import Draft
from lvze.orgs.models import Organization


def no_arguments(parser: argparse.ArgumentParser) -> None:
    return None


@dataclass(frozen=True)
class Report:
    name: str
    help: str
    build: Callable[[Organization | None, dict[str, Any]], Draft]
    add_arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    org_required: bool = True


REPORTS: dict[str, Report] = {}


def register_report(report: Report) -> Report:
    REPORTS[report.name] = report
    return report


def kind_report(kind: DocumentKind, *, with_period: bool = False) -> Report:
    """A report that generates every section of `kind` for the unit (and --period, if asked for)."""

    def build(unit: Organization, options: dict[str, Any]) -> Draft:
        return generate_draft(unit=unit, kind=kind.key, period=options.get("period") or "")

    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--period", required=True, help="期间，如 2023H1、2023")

    return Report(
        name=kind.key,
        help=f"{kind.label}（.docx）",
        build=build,
        add_arguments=add_arguments if with_period else no_arguments,
    )
