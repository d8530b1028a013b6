"""Plays a Strata package's HLS master with hls.js (1.6.15, taken from PyPI's gradio wheel into .tools/web/hlsjs by
scripts/install-deps) in headless Chromium, to the end; prints {"checks": [...]} like viewer_check.py.

Usage: hlsjs_check.py BASE_URL ASSET HLSJS_DIR OUTPUT_DIR FRAME_RATE
Sync: hls.js's audio and video SourceBuffers must start together (within 0.1 s of zero) and every frame must be
decoded. Also: the alternate audio and subtitle renditions are listed, and switching audio keeps playing.
"""
import json
import sys
import time

from playwright.sync_api import sync_playwright

BASE, ASSET, HLSJS, OUT, FRAME_RATE = sys.argv[1:6]
checks = []


def check(name, ok, detail=""):
    checks.append({"name": f"hls.js: {name}", "ok": bool(ok), "detail": str(detail)})


PAGE = '<!doctype html><html><body><video id="v" muted playsinline width="640" height="360"></video></body></html>'

# The module's exports are gradio's (minified names): one of them makes an Hls instance for a video element and a
# URL. Its constructor is the Hls class itself, used here with hls.js's default configuration.
START = """async ([source, url]) => {
  const module = await import(URL.createObjectURL(new Blob([source], {type: 'text/javascript'})));
  const video = document.getElementById('v');
  let Hls = null;
  for (const value of Object.values(module)) {
    if (typeof value !== 'function' || value.length < 2) continue;
    const made = value(document.createElement('video'), 'data:,');
    if (made && typeof made.loadSource === 'function') { Hls = made.constructor; made.destroy(); break; }
  }
  if (!Hls) return null;
  const hls = new Hls();
  window.hls = hls;
  window.hlsErrors = [];
  hls.on(Hls.Events.ERROR, (event, data) => { if (data.fatal) window.hlsErrors.push(data.details); });
  hls.loadSource(url);
  hls.attachMedia(video);
  video.play();
  return Hls.version;
}"""

STATE = """() => { const v = document.getElementById('v'); const hls = window.hls;
  const buffers = (window.nativeBuffers || []).map(([mime, b]) => { try { return {mime,
      start: b.buffered.length ? b.buffered.start(0) : null}; } catch (e) { return {mime, start: null}; } });
  const quality = v.getVideoPlaybackQuality();
  return {t: v.currentTime, ended: v.ended, duration: v.duration, errors: window.hlsErrors || [],
          audio: hls ? hls.audioTracks.map(t => t.lang + (t.name ? ':' + t.name : '')) : [], audioTrack: hls ? hls.audioTrack : -1,
          subtitles: hls ? hls.subtitleTracks.map(t => t.lang) : [], levels: hls ? hls.levels.map(l => l.height) : [],
          frames: quality.totalVideoFrames, buffers}; }"""


try:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--autoplay-policy=no-user-gesture-required"])
        errors = []
        page = browser.new_page()
        # The browser's own favicon request (a 404 from the origin page) is not the player's.
        page.on("console", lambda m: errors.append(f"{m.text} {m.location.get('url', '')}")
                if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{BASE}/healthz")  # an http origin for the module's blob URL and the requests
        page.set_content(PAGE)
        page.evaluate("""() => { const add = MediaSource.prototype.addSourceBuffer;
            MediaSource.prototype.addSourceBuffer = function (mime) { const buffer = add.call(this, mime);
                (window.nativeBuffers = window.nativeBuffers || []).push([mime, buffer]); return buffer; }; }""")
        with open(f"{HLSJS}/hls.mjs", encoding="utf-8") as module:
            version = page.evaluate(START, [module.read(), f"{BASE}/stream/{ASSET}/master.m3u8"])
        check("the module from PyPI is hls.js", version is not None and str(version).startswith("1."), version)
        deadline = time.monotonic() + 120  # only stops a hung run; no check depends on speed
        state, starts, switched, shot = page.evaluate(STATE), None, None, False
        while time.monotonic() < deadline and not state["ended"] and not state["errors"]:
            page.wait_for_timeout(250)
            state = page.evaluate(STATE)
            if starts is None and len(state["buffers"]) >= 2 and all(b["start"] is not None for b in state["buffers"]):
                starts = {b["mime"]: b["start"] for b in state["buffers"]}
            if switched is None and state["t"] > 1 and len(state["audio"]) > 1:
                page.evaluate("() => { window.hls.audioTrack = 1; }")
                switched = state["t"]
            if not shot and state["t"] > 2 and OUT not in ("", "-"):
                page.screenshot(path=f"{OUT}/hlsjs.png")
                shot = True
        expected = float(state["duration"] or 0) * float(FRAME_RATE)
        check("plays to the end", state["ended"] and not state["errors"], state)
        check("audio and video start together at zero",
              starts is not None and max(starts.values()) < 0.1 and max(starts.values()) - min(starts.values()) < 0.1,
              {"starts": starts, "state": state})
        check("decodes every frame", expected > 0 and state["frames"] >= expected * 0.95, {"frames": state["frames"], "expected": expected})
        check("lists the alternate audio and subtitle renditions", len(state["audio"]) >= 2 and len(state["subtitles"]) >= 1, state)
        check("an audio switch mid-play is taken and playback goes on", switched is not None and state["audioTrack"] == 1 and state["ended"],
              {"switchedAt": switched, "state": state})
        check("lists every rung", len(state["levels"]) >= 2, state["levels"])
        check("no console errors", not errors, errors[:5])
        browser.close()
except Exception as error:
    check("the browser script ran", False, repr(error))
print(json.dumps({"checks": checks}))
