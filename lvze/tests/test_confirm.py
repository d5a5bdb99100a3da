"""Destructive buttons ask first: every button that deletes, revokes, returns or closes carries
data-confirm itself or sits in a form that does (lvze.js asks the question)."""

import re

from django.test import SimpleTestCase

from lvze.security.tests.test_templates import ROOT, TEMPLATES

DESTRUCTIVE = re.compile(r"^(删除|吊销|撤销|作废.*|退回.*|销号|停用.*)$")
BUTTON = re.compile(r"<button\b([^>]*)>(.*?)</button>", re.S)
# Pages that are themselves the confirmation (a GET page with one 确认删除 button) need no dialog.
CONFIRMATION_PAGES = {"records/confirm_delete.html"}


def enclosing_form(text: str, position: int) -> str:
    start = text.rfind("<form", 0, position)
    if start < 0 or text.rfind("</form>", 0, position) > start:
        return ""
    return text[start:text.index(">", start) + 1]


def destructive_buttons(text: str):
    for match in BUTTON.finditer(text):
        attributes, label = match.groups()
        label = re.sub(r"\{%.*?%\}", "", label).strip()
        if DESTRUCTIVE.match(label):
            yield match.start(), attributes, label


def unguarded(text: str) -> list[str]:
    return [
        label
        for position, attributes, label in destructive_buttons(text)
        if "data-confirm" not in attributes and "data-confirm" not in enclosing_form(text, position)
    ]


class ConfirmTests(SimpleTestCase):
    def test_destructive_buttons_ask_first(self):
        seen = sum(len(list(destructive_buttons(path.read_text()))) for path in TEMPLATES)
        self.assertGreater(seen, 15)
        missing = {}
        for path in TEMPLATES:
            name = str(path.relative_to(ROOT / "templates"))
            if name in CONFIRMATION_PAGES:
                continue
            labels = unguarded(path.read_text())
            if labels:
                missing[name] = labels
        self.assertEqual(missing, {})

    def test_the_check_sees_an_unguarded_button(self):
        self.assertEqual(unguarded('<form method="post"><button type="submit">删除</button></form>'), ["删除"])
        self.assertEqual(unguarded('<form method="post" data-confirm="确定？"><button>删除</button></form>'), [])
        self.assertEqual(unguarded('<button data-confirm="确定？" formaction="/x">退回</button>'), [])
