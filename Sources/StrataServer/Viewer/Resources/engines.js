// Strata's two playback engines behind one interface:
//   start(time), setAudio(track), setRung(id|'auto'), currentRung() and destroy().
// NativeEngine gives the browser's own HLS a playlist with the chosen audio and rung(s);
// MSEEngine feeds Strata's CMAF segments (listed with their times in the page's configuration)
// into Media Source Extensions buffers itself.
'use strict';

window.StrataEngines = (function () {
  /** The browser's own HLS: switching audio or rung reloads the playlist where playback was. */
  class NativeEngine {
    constructor(video, configuration, choices) {
      this.name = 'native';
      this.video = video;
      this.configuration = configuration;
      this.audio = choices.audio;
      this.rung = 'auto';
    }

    static available(video) {
      return video.canPlayType('application/vnd.apple.mpegurl') !== '';
    }

    source() {
      const query = new URLSearchParams({ video: this.rung });
      if (this.audio) query.set('audio', this.audio.id);
      return this.configuration.nativeSource + '?' + query.toString();
    }

    start(time) {
      this.load(time, false);
    }

    load(time, resume) {
      const video = this.video;
      const rate = video.playbackRate;
      video.src = this.source();
      video.addEventListener('loadedmetadata', () => {
        // A seek made while the new source loads (HTML: the default playback start position) wins over
        // the time the reload started from.
        if (time > 0 && video.currentTime === 0) video.currentTime = time;
        video.playbackRate = rate;
        if (resume) video.play().catch(() => {});
      }, { once: true });
    }

    reload() {
      this.load(this.video.currentTime, !this.video.paused);
    }

    setAudio(track) {
      this.audio = track;
      this.reload();
    }

    setRung(id) {
      this.rung = id;
      this.reload();
    }

    currentRung() {
      return this.video.videoHeight ? this.video.videoHeight + 'p' : '';
    }

    destroy() {}
  }

  const bufferAhead = 20; // seconds fetched ahead of the playhead
  const keepBehind = 30; // seconds kept behind it before old media is removed

  /** The end of the buffered range holding `time`, or `time` when it is not buffered. */
  function bufferedEnd(ranges, time) {
    for (let i = 0; i < ranges.length; i++) {
      if (ranges.start(i) <= time + 0.1 && time < ranges.end(i)) return ranges.end(i);
    }
    return time;
  }

  /** One SourceBuffer and the track feeding it; the track can change between segments. */
  class TrackFeeder {
    constructor(engine, track) {
      this.engine = engine;
      this.track = track;
      this.buffer = engine.mediaSource.addSourceBuffer(track.media.mime);
      this.initialized = null; // the track whose init segment the buffer has
      this.lastIndex = -1;
      this.lastTrack = null;
      this.flushFrom = null;
      this.busy = false;
      this.done = false;
    }

    /** Switch tracks; media from `flushFrom` seconds on is dropped and fetched again from the new track. */
    switchTo(track, flushFrom) {
      this.track = track;
      this.flushFrom = flushFrom;
      this.done = false;
    }

    wait(action) {
      return new Promise((resolve, reject) => {
        const buffer = this.buffer;
        const finished = () => { buffer.removeEventListener('error', failed); resolve(); };
        const failed = () => { buffer.removeEventListener('updateend', finished); reject(new Error('SourceBuffer error')); };
        buffer.addEventListener('updateend', finished, { once: true });
        buffer.addEventListener('error', failed, { once: true });
        action(buffer);
      });
    }

    async feed() {
      if (this.busy || this.buffer.updating || this.engine.mediaSource.readyState === 'closed') return;
      this.busy = true;
      try {
        await this.step();
      } catch (error) {
        this.engine.fail(error);
      } finally {
        this.busy = false;
      }
    }

    async step() {
      const video = this.engine.video;
      const now = video.currentTime;
      if (this.flushFrom !== null) {
        const from = this.flushFrom;
        this.flushFrom = null;
        if (from < this.engine.mediaSource.duration) await this.wait((b) => b.remove(from, Infinity));
        this.lastIndex = -1;
      }
      const ranges = this.buffer.buffered;
      if (ranges.length && ranges.start(0) < now - keepBehind - 10) {
        await this.wait((b) => b.remove(0, now - keepBehind));
        return;
      }
      const end = bufferedEnd(ranges, now);
      if (end - now > bufferAhead) return;
      const track = this.track;
      const segments = track.media.segments;
      let index = segments.findIndex((segment) => end + 0.1 < segment.end);
      const contiguous = end > now;
      if (contiguous && track === this.lastTrack && index <= this.lastIndex) index = this.lastIndex + 1;
      if (index < 0 || index >= segments.length) {
        this.done = true;
        return;
      }
      this.done = false;
      if (this.initialized !== track) {
        const init = await this.engine.fetch(track.media.initialization);
        if (this.buffer.timestampOffset !== -track.media.timeOffset) this.buffer.timestampOffset = -track.media.timeOffset;
        await this.wait((b) => b.appendBuffer(init));
        this.initialized = track;
      }
      const media = await this.engine.fetch(segments[index].url);
      await this.wait((b) => b.appendBuffer(media));
      this.lastIndex = index;
      this.lastTrack = track;
    }
  }

  /** Media Source Extensions over Strata's CMAF segments: one buffer for video, one for audio. */
  class MSEEngine {
    constructor(video, configuration, choices) {
      this.name = 'mse';
      this.video = video;
      this.configuration = configuration;
      this.audio = choices.audio;
      this.rung = 'auto';
      this.throughput = 0; // bits per second, smoothed
      this.onerror = () => {};
    }

    static available() {
      return 'MediaSource' in window;
    }

    start(time) {
      this.mediaSource = new MediaSource();
      this.video.src = URL.createObjectURL(this.mediaSource);
      this.mediaSource.addEventListener('sourceopen', () => {
        this.mediaSource.duration = this.configuration.duration;
        this.videoFeeder = new TrackFeeder(this, this.pickVideo());
        this.audioFeeder = this.audio ? new TrackFeeder(this, this.audio) : null;
        if (time > 0) this.video.currentTime = time;
        this.timer = setInterval(() => this.pump(), 250);
        this.video.addEventListener('seeking', () => this.pump());
        this.pump();
      }, { once: true });
    }

    feeders() {
      return [this.videoFeeder, this.audioFeeder].filter(Boolean);
    }

    pump() {
      if (!this.videoFeeder) return;
      if (this.rung === 'auto') {
        const best = this.pickVideo();
        if (best !== this.videoFeeder.track) this.videoFeeder.switchTo(best, null);
      }
      const feeders = this.feeders();
      const source = this.mediaSource;
      // Checked before feeding: feed() marks a feeder busy until its next turn.
      if (source.readyState === 'open' && feeders.every((f) => f.done && !f.busy && !f.buffer.updating)) {
        source.endOfStream();
        return;
      }
      feeders.forEach((feeder) => feeder.feed());
    }

    /** Auto: the highest rung whose peak bit rate fits 80% of the measured throughput; the lowest to start. */
    pickVideo() {
      const rungs = this.configuration.video; // highest first
      if (this.rung !== 'auto') return rungs.find((r) => r.id === this.rung) || rungs[0];
      return rungs.find((r) => r.bandwidth < this.throughput * 0.8) || rungs[rungs.length - 1];
    }

    async fetch(url) {
      const started = performance.now();
      const response = await fetch(url);
      if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
      const data = await response.arrayBuffer();
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      const rate = (data.byteLength * 8) / seconds;
      this.throughput = this.throughput ? this.throughput * 0.7 + rate * 0.3 : rate;
      return data;
    }

    /** Audio switches at once: everything from just ahead of the playhead is replaced. */
    setAudio(track) {
      this.audio = track;
      if (this.audioFeeder) this.audioFeeder.switchTo(track, this.video.currentTime + 0.25);
      this.pump();
    }

    /** A chosen rung takes over at the next segment boundary, so the picture never freezes. */
    setRung(id) {
      this.rung = id;
      if (!this.videoFeeder) return;
      const now = this.video.currentTime;
      const current = this.videoFeeder.track.media.segments.find((s) => s.start <= now && now < s.end);
      this.videoFeeder.switchTo(this.pickVideo(), current ? current.end : now);
      this.pump();
    }

    currentRung() {
      return this.video.videoHeight ? this.video.videoHeight + 'p' : '';
    }

    fail(error) {
      this.onerror(error);
    }

    destroy() {
      clearInterval(this.timer);
    }
  }

  /** The engine for `requested` ('auto', 'native' or 'mse'): native HLS where the browser has it. */
  function choose(requested, video) {
    if (requested === 'native' && NativeEngine.available(video)) return NativeEngine;
    if (requested === 'mse' && MSEEngine.available()) return MSEEngine;
    if (NativeEngine.available(video)) return NativeEngine;
    return MSEEngine.available() ? MSEEngine : null;
  }

  return { NativeEngine, MSEEngine, choose };
})();
