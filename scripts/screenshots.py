"""Screenshot the main pages of a running server for the user guide: python scripts/screenshots.py [BASE_URL]."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PAGES = [
    ("dangban", "/", "home-party-admin"),
    ("dangban", "/orgs/", "org-tree"),
    ("dangban", "/orgs/QJ/", "org-detail"),
    ("dangban", "/people/", "person-list"),
    ("dangban", "/people/quality/", "quality"),
    ("dangban", "/people/import/", "person-import"),
    ("zhibu1", "/people/", "person-list-secretary"),
    ("anquan", "/accounts/users/", "accounts"),
    ("shenji", "/audit/", "audit-log"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for username, path, name in PAGES:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(f"{BASE}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", "Lvze@2023")
            page.click("button[type=submit]")
            page.goto(BASE + path)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
