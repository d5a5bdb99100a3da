"""The strict CSP holds only if no template or static file needs inline script; every form that
posts carries its CSRF token."""

import re
from pathlib import Path

from django.test import SimpleTestCase

import lvze

ROOT = Path(lvze.__file__).resolve().parent
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*") if p.is_file() and p.suffix in {".html", ".txt"})
OWN_JS = sorted(p for p in (ROOT / "static").rglob("*.js") if "vendor" not in p.parts)

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\s(on[a-z]+)\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
HTMX_SCRIPTING = re.compile(r"\b(hx-on[:\w-]*|hx-vars|data-hx-on[:\w-]*)\s*=|\bjs:", re.I)
POST_FORM = re.compile(r"<form\b[^>]*method=[\"']?post[^>]*>(.*?)</form>", re.I | re.S)


class TemplateTests(SimpleTestCase):
    def test_templates_are_found(self):
        self.assertGreater(len(TEMPLATES), 20)

    def test_no_inline_scripts_handlers_or_javascript_urls(self):
        for path in TEMPLATES:
            text = path.read_text()
            for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL, HTMX_SCRIPTING):
                found = pattern.search(text)
                self.assertIsNone(found, f"{path.relative_to(ROOT)}: {found and found.group(0)}")

    def test_every_post_form_has_a_csrf_token(self):
        for path in TEMPLATES:
            for form in POST_FORM.finditer(path.read_text()):
                self.assertIn("{% csrf_token %}", form.group(0), f"{path.relative_to(ROOT)}: {form.group(0)[:120]}")

    def test_own_static_js_needs_no_eval(self):
        for path in OWN_JS:
            text = path.read_text()
            for needle in ("eval(", "new Function(", "innerHTML =", "document.write("):
                self.assertNotIn(needle, text, str(path.relative_to(ROOT)))
