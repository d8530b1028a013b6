"""Plays a Strata package with Video.js 7.5.5 and its VHS engine (from PyPI's js.videojs, put in .tools/web by
scripts/install-deps) in headless Chromium, HLS and DASH, to the end; prints {"checks": [...]} like viewer_check.py.

Usage: videojs_check.py BASE_URL ASSET VIDEOJS_DIR OUTPUT_DIR FRAME_RATE
Sync: VHS's audio and video SourceBuffers must start together (within 0.1 s of zero) and every frame of the
video must be decoded (the failure issue 8 describes dropped the first 2 s of video and ran it ahead of the audio).
"""
import json
import sys
import time

from playwright.sync_api import sync_playwright

BASE, ASSET, VIDEOJS, OUT, FRAME_RATE = sys.argv[1:6]
checks = []


def check(name, ok, detail=""):
    checks.append({"name": f"videojs: {name}", "ok": bool(ok), "detail": str(detail)})


PAGE = '<!doctype html><html><body><video id="v" class="video-js" muted playsinline width="640" height="360"></video></body></html>'

STATE = """() => { const player = videojs('v'); const v = document.querySelector('video');
  const buffers = (window.nativeBuffers || []).map(([mime, b]) => { try { return {mime,
      start: b.buffered.length ? b.buffered.start(0) : null, end: b.buffered.length ? b.buffered.end(b.buffered.length - 1) : null}; }
      catch (e) { return {mime, start: null, end: null}; } });
  const quality = v.getVideoPlaybackQuality();
  return {src: v.currentSrc, t: v.currentTime, ended: v.ended, duration: v.duration, error: player.error() && player.error().message,
          frames: quality.totalVideoFrames, dropped: quality.droppedVideoFrames, buffers}; }"""


def play(browser, kind, url, mime):
    errors = []
    page = browser.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(PAGE)
    # Every SourceBuffer VHS makes, seen from outside the player: its audio and video buffers' start times.
    page.evaluate("""() => { const add = MediaSource.prototype.addSourceBuffer;
        MediaSource.prototype.addSourceBuffer = function (mime) { const buffer = add.call(this, mime);
            (window.nativeBuffers = window.nativeBuffers || []).push([mime, buffer]); return buffer; }; }""")
    page.add_style_tag(path=f"{VIDEOJS}/video-js.min.css")
    page.add_script_tag(path=f"{VIDEOJS}/video.min.js")
    page.evaluate("""([url, mime]) => { const player = videojs('v', {html5: {hls: {overrideNative: true}, vhs: {overrideNative: true},
            nativeAudioTracks: false, nativeVideoTracks: false}});
        player.src({src: url, type: mime}); player.play(); }""", [url, mime])
    deadline = time.monotonic() + 90  # only stops a hung run; no check depends on speed
    state, starts = page.evaluate(STATE), None
    while time.monotonic() < deadline and not state["ended"] and not state["error"]:
        page.wait_for_timeout(250)
        state = page.evaluate(STATE)
        if starts is None and len(state["buffers"]) >= 2 and all(b["start"] is not None for b in state["buffers"]):
            starts = {b["mime"]: b["start"] for b in state["buffers"]}
        if state["t"] > 2 and not (OUT in ("", "-")):
            page.screenshot(path=f"{OUT}/videojs-{kind}.png") if not getattr(play, kind, False) else None
            setattr(play, kind, True)
    expected = float(state["duration"] or 0) * float(FRAME_RATE)
    check(f"{kind} plays through VHS (Media Source Extensions), not the browser's own HLS", state["src"].startswith("blob:"), state["src"])
    check(f"{kind} plays to the end", state["ended"] and not state["error"], state)
    check(f"{kind} audio and video start together at zero",
          starts is not None and max(starts.values()) < 0.1 and max(starts.values()) - min(starts.values()) < 0.1,
          {"starts": starts, "state": state})
    check(f"{kind} decodes every frame", expected > 0 and state["frames"] >= expected * 0.95, {"frames": state["frames"], "expected": expected})
    check(f"{kind} no console errors", not errors, errors[:5])
    page.close()


try:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--autoplay-policy=no-user-gesture-required"])
        play(browser, "hls", f"{BASE}/stream/{ASSET}/master.m3u8", "application/x-mpegURL")
        play(browser, "dash", f"{BASE}/stream/{ASSET}/manifest.mpd", "application/dash+xml")
        browser.close()
except Exception as error:
    check("the browser script ran", False, repr(error))
print(json.dumps({"checks": checks}))
