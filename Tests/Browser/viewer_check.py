"""Drives Strata's /watch and /embed pages in headless Chromium (Debian's, through Playwright) and prints
one JSON object: {"checks": [{"name", "ok", "detail"}], "notes": [...]}. The Swift test asserts every check.

Usage: viewer_check.py BASE_URL ASSET ENGINE OUTPUT_DIR CAPTIONS_JSON
  CAPTIONS_JSON maps a caption track id to the SubRip file it was made from; the expected cues are read
  from those source files here, not from Strata's output.
"""
import json
import re
import sys
import time

from playwright.sync_api import sync_playwright

BASE, ASSET, ENGINE, OUT, CAPTIONS = sys.argv[1:6]


def read_subrip(path):
    """Cues of a SubRip file as {start, end, text} with the markup (<i> …) removed, as a browser shows it."""
    stamp = lambda h, m, s, ms: int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000
    cues = []
    for block in open(path, encoding="utf-8-sig").read().replace("\r\n", "\n").strip().split("\n\n"):
        lines = block.split("\n")
        match = re.match(r"(\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+)", lines[1])
        cues.append({"start": stamp(*match.groups()[:4]), "end": stamp(*match.groups()[4:]),
                     "text": re.sub(r"<[^>]+>", "", "\n".join(lines[2:]))})
    return cues


SOURCE_CUES = {track: read_subrip(path) for track, path in json.loads(open(CAPTIONS, encoding="utf-8").read()).items()}
checks, notes, console_errors, requests, failed = [], [], [], [], []


def check(name, ok, detail=""):
    checks.append({"name": f"{ENGINE}: {name}", "ok": bool(ok), "detail": str(detail)})


def wait_for(page, expression, timeout=20.0, arg=None):
    """Polls a page expression until it is truthy; returns its last value (no wall-clock pass/fail:
    the timeout only stops a test that would otherwise hang)."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression, arg)
        if value:
            return value
        page.wait_for_timeout(100)
    return value


def video_state(page):
    return page.evaluate("""() => { const v = document.querySelector('video');
        return {t: v.currentTime, paused: v.paused, ended: v.ended, w: v.videoWidth, h: v.videoHeight,
                muted: v.muted, volume: v.volume, readyState: v.readyState,
                audio: document.querySelector('.strata-player').dataset.audio,
                captions: document.querySelector('.strata-player').dataset.captions,
                engine: document.querySelector('.strata-player').dataset.engine,
                text: document.querySelector('.strata-captions').innerText.trim()}; }""")


def expected_text(track, at):
    cues = [c["text"] for c in SOURCE_CUES.get(track, []) if c["start"] <= at < c["end"]]
    return "\n".join(cues)


def choose(page, menu, value):
    page.click(f".strata-menu[data-menu={menu}] .strata-menu-button")
    page.click(f".strata-menu[data-menu={menu}] [data-value='{value}']")


def seek(page, seconds):
    page.evaluate("(t) => { document.querySelector('video').currentTime = t; }", seconds)
    wait_for(page, "(t) => { const v = document.querySelector('video'); return !v.seeking && Math.abs(v.currentTime - t) < 0.3 && v.readyState >= 3; }", 20, seconds)


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--autoplay-policy=no-user-gesture-required"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console_errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.context.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(f"{BASE}/watch/{ASSET}?engine={ENGINE}")
        configuration = page.evaluate("() => window.strataPlayer && window.strataPlayer.configuration")
        check("the page starts a player", configuration is not None)
        if configuration is None:
            return
        check("the requested engine plays", video_state(page)["engine"] == ENGINE, video_state(page)["engine"])
        duration = configuration["duration"]

        # Poster before play.
        if configuration.get("poster"):
            poster = page.evaluate("""async () => { const v = document.querySelector('video');
                const image = new Image(); image.src = v.poster; await image.decode().catch(() => {});
                return {src: v.poster, width: image.naturalWidth, paused: v.paused, started: v.currentTime}; }""")
            check("the poster shows before play", poster["width"] > 0 and poster["paused"] and poster["src"].endswith("/poster.jpg"), poster)
            page.screenshot(path=f"{OUT}/{ENGINE}-poster.png")
        else:
            check("the package has a poster", False, "no poster.jpg in the package")

        # Play to the end from the start.
        page.click(".strata-big-play")
        wait_for(page, "() => document.querySelector('video').currentTime > 1")
        page.screenshot(path=f"{OUT}/{ENGINE}-playing.png")
        ended = wait_for(page, "() => document.querySelector('video').ended", timeout=duration * 4 + 20)
        state = video_state(page)
        check("plays to the end", ended and state["t"] >= duration - 0.5, state)

        # Audio switch keeps playback going; forced captions follow the audio language.
        seek(page, 0.5)
        page.evaluate("() => document.querySelector('video').play()")
        wait_for(page, "() => document.querySelector('video').currentTime > 1.2")
        others = [a for a in configuration["audio"] if a["id"] != state["audio"]]
        spanish = next((a for a in others if a["language"] == "es"), others[0] if others else None)
        if spanish:
            before = len(requests)
            choose(page, "audio", spanish["id"])
            folder = spanish["media"]["initialization"].rsplit("/", 1)[0]
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not any(folder in url for url in requests[before:]):
                page.wait_for_timeout(100)
            t0 = video_state(page)["t"]
            page.wait_for_timeout(1500)
            after = video_state(page)
            label = page.get_attribute(".strata-menu[data-menu=audio] .strata-menu-button", "aria-label")
            check("the audio menu names the chosen track", label == f"Audio: {spanish['label']}", label)
            check("switching audio keeps playing and fetches the new track",
                  after["audio"] == spanish["id"] and not after["paused"] and after["t"] > t0 + 0.5
                  and any(folder in url for url in requests[before:]), {"state": after, "folder": folder})
            forced = next((c for c in configuration["captions"] if c["kind"] == "forced" and c["language"] == spanish["language"]), None)
            if forced:
                check("forced captions turn on for the audio's language", after["captions"] == forced["id"], after)

        # Captions: chosen track's cues at the source file's times.
        english = next((c for c in configuration["captions"] if c["kind"] != "forced"), None)
        if english:
            choose(page, "captions", english["id"])
            page.evaluate("() => document.querySelector('video').pause()")
            for at in sorted({round(c["start"] + 0.4, 2) for c in SOURCE_CUES[english["id"]]} | {3.5}):
                seek(page, at)
                want = expected_text(english["id"], at)
                got = wait_for(page, "(w) => { const t = document.querySelector('.strata-captions').innerText.trim(); return t === w ? t : (w === '' && t === '' ? ' ' : ''); }", 5, want)
                got = video_state(page)["text"]
                check(f"captions at {at} s show the source cue", got == want, {"want": want, "got": got})
                if want and "\n" in want:
                    page.screenshot(path=f"{OUT}/{ENGINE}-captions.png")

        # Quality: each rung changes the decoded size.
        seek(page, 0)
        page.evaluate("() => document.querySelector('video').play()")
        for rung in sorted(configuration["video"], key=lambda r: r["height"]):
            choose(page, "quality", rung["id"])
            if video_state(page)["ended"] or video_state(page)["t"] > duration - 3:
                seek(page, 0)
                page.evaluate("() => document.querySelector('video').play()")
            got = wait_for(page, "(h) => document.querySelector('video').videoHeight === h", 20, rung["height"])
            state = video_state(page)
            check(f"choosing {rung['height']}p decodes {rung['width']}x{rung['height']}",
                  got and state["w"] == rung["width"], state)
        choose(page, "quality", "auto")

        # Seek to the middle with the seek bar; playback goes on from there.
        box = page.locator(".strata-seek-bar").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.evaluate("() => document.querySelector('video').play()")
        middle = video_state(page)["t"]
        moved = wait_for(page, "(m) => document.querySelector('video').currentTime > m + 0.5", 15, middle)
        check("the seek bar seeks to the middle and plays on", abs(middle - duration / 2) < 0.6 and moved, {"middle": middle, "duration": duration})

        # Storyboard preview on hover.
        if configuration.get("storyboard"):
            page.evaluate("() => document.querySelector('video').pause()")
            page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
            page.mouse.move(box["x"] + box["width"] * 0.35, box["y"] + box["height"] / 2)
            preview = wait_for(page, """async () => { const p = document.querySelector('.strata-preview');
                const i = document.querySelector('.strata-preview-image'); const bg = getComputedStyle(i).backgroundImage;
                if (p.hidden || !bg.startsWith('url(')) return null;
                const url = bg.slice(5, -2); const image = new Image(); image.src = url; await image.decode().catch(() => {});
                return {url, width: image.naturalWidth, box: i.getBoundingClientRect().width}; }""", 10)
            check("the storyboard preview appears on hover", preview and preview["width"] > 0 and preview["box"] > 0, preview)
            page.screenshot(path=f"{OUT}/{ENGINE}-hover.png")
            page.mouse.move(10, 10)
        else:
            check("the package has a storyboard", False, "no storyboard.vtt in the package")

        # Keyboard.
        page.click(".watch-title") if page.locator(".watch-title").count() else None
        before = video_state(page)
        page.keyboard.press("Space")
        page.wait_for_timeout(300)
        toggled = video_state(page)
        page.keyboard.press("Space")
        seek(page, 1)
        page.keyboard.press("ArrowRight")
        forward = wait_for(page, "() => document.querySelector('video').currentTime >= 5.5", 5)
        page.keyboard.press("m")
        muted = video_state(page)["muted"]
        page.keyboard.press("m")
        captions_before = video_state(page)["captions"]
        page.keyboard.press("c")
        captions_after = video_state(page)["captions"]
        page.keyboard.press("f")
        fullscreen = wait_for(page, "() => !!document.fullscreenElement", 3)
        page.keyboard.press("f")
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {label: e.getAttribute('aria-label') || e.textContent, outline: s.outlineStyle, width: s.outlineWidth}; }""")
        check("space toggles play", toggled["paused"] != before["paused"], {"before": before, "after": toggled})
        check("→ seeks 5 s forward", forward, video_state(page))
        check("m toggles mute", muted != before["muted"])
        check("c toggles captions", captions_before != captions_after, {"before": captions_before, "after": captions_after})
        check("f enters full screen", fullscreen)
        check("focus is visible", focus["outline"] != "none", focus)
        unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('.strata-player button, .strata-player input'))
            .filter(e => !e.hidden && e.offsetParent && !(e.getAttribute('aria-label') || e.textContent.trim())).length""")
        check("every control has a label", unlabelled == 0, unlabelled)

        # A phone: 360 px wide, nothing overflows.
        phone = browser.new_page(viewport={"width": 360, "height": 740})
        phone.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        phone.goto(f"{BASE}/watch/{ASSET}?engine={ENGINE}")
        fits = phone.evaluate("""() => { const outside = Array.from(document.querySelectorAll('.strata-bar > *'))
            .filter(e => e.offsetParent && e.getBoundingClientRect().right > 360.5).length;
            return {scroll: document.documentElement.scrollWidth, outside}; }""")
        check("usable 360 px wide", fits["scroll"] <= 360 and fits["outside"] == 0, fits)
        phone.screenshot(path=f"{OUT}/{ENGINE}-phone.png")

        # The embed fills a 360×640 iframe.
        frame_page = browser.new_page(viewport={"width": 500, "height": 800})
        frame_page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        frame_page.set_content(f'<iframe src="{BASE}/embed/{ASSET}?engine={ENGINE}" width="360" height="640" style="border:0"></iframe>')
        frame = frame_page.frame_locator("iframe")
        frame.locator(".strata-player").wait_for()
        inner = frame.locator("body").evaluate("""() => { const r = document.querySelector('.strata-player').getBoundingClientRect();
            const bar = document.querySelector('.strata-bar').getBoundingClientRect();
            return {w: r.width, h: r.height, scrollW: document.documentElement.scrollWidth, scrollH: document.documentElement.scrollHeight,
                    barRight: bar.right, barBottom: bar.bottom, title: !!document.querySelector('.watch-title')}; }""")
        check("the embed fills a 360×640 iframe", inner["w"] == 360 and inner["h"] == 640 and inner["scrollW"] <= 360
              and inner["scrollH"] <= 640 and inner["barRight"] <= 360 and inner["barBottom"] <= 640 and not inner["title"], inner)
        frame_page.screenshot(path=f"{OUT}/{ENGINE}-embed.png")

        check("no console errors", not console_errors, {"errors": console_errors[:5], "failed requests": failed[:5]})
        browser.close()


try:
    main()
except Exception as error:  # a crash is a failed check, not a silent pass
    check("the browser script ran", False, repr(error))
print(json.dumps({"checks": checks, "notes": notes, "console_errors": console_errors}))
