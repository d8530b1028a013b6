"""Watches a `signed` asset in headless Chromium (Debian's, through Playwright) through /watch?token=, and checks
that an altered token gets the 403 page. Prints one JSON object: {"checks": [{"name", "ok", "detail"}]}.

Usage: signed_viewer_check.py BASE_URL ASSET TOKEN ENGINE
"""
import json
import sys
import time

from playwright.sync_api import sync_playwright

BASE, ASSET, TOKEN, ENGINE = sys.argv[1:5]
checks = []


def check(name, ok, detail=""):
    checks.append({"name": f"{ENGINE}: {name}", "ok": bool(ok), "detail": str(detail)})


def wait_for(page, expression, timeout=30.0):
    """Polls until truthy; the timeout only stops a test that would otherwise hang."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        page.wait_for_timeout(100)
    return value


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--autoplay-policy=no-user-gesture-required"])
        page = browser.new_page(viewport={"width": 960, "height": 540})
        responses = []
        page.context.on("response", lambda r: responses.append((r.status, r.url)))
        page.goto(f"{BASE}/watch/{ASSET}?token={TOKEN}&engine={ENGINE}")
        started = page.evaluate("() => !!(window.strataPlayer && window.strataPlayer.configuration)")
        check("the page starts a player with the token", started)
        if started:
            page.click(".strata-big-play")
            playing = wait_for(page, "() => document.querySelector('video').currentTime > 1")
            check("the signed video plays", playing, page.evaluate("() => document.querySelector('video').currentTime"))
            package = [(status, url) for status, url in responses if "/stream/" in url or f"/watch/{ASSET}/" in url]
            check("the player fetched the package", len(package) >= 3, package)
            check("every package request carries the token", all(f"/t/{TOKEN}/" in url for _, url in package), package)
            check("every package request was answered", all(status in (200, 206, 304) for status, _ in package), package)

        altered = TOKEN[:-1] + ("1" if TOKEN[-1] == "0" else "0")
        response = page.goto(f"{BASE}/watch/{ASSET}?token={altered}&engine={ENGINE}")
        code = page.evaluate("() => document.querySelector('[data-error-code]')?.dataset.errorCode")
        check("an altered token gets the 403 page", response.status == 403 and code == "invalid_token", (response.status, code))
        response = page.goto(f"{BASE}/watch/{ASSET}?engine={ENGINE}")
        code = page.evaluate("() => document.querySelector('[data-error-code]')?.dataset.errorCode")
        check("no token gets the 403 page", response.status == 403 and code == "token_required", (response.status, code))
        browser.close()


try:
    main()
finally:
    print(json.dumps({"checks": checks}))
