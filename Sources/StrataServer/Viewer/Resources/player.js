// Strata's player UI: controls, menus, captions, storyboard previews and keyboard, over one engine
// (engines.js). Everything it shows comes from the page's configuration (data-configuration).
'use strict';

(function () {
  const root = document.querySelector('.strata-player');
  const configuration = JSON.parse(root.dataset.configuration);
  const video = root.querySelector('.strata-video');
  const $ = (selector) => root.querySelector(selector);
  const status = $('.strata-status');

  // Which controls the preset shows.
  root.querySelectorAll('[data-control]').forEach((element) => {
    if (!configuration.controls.includes(element.dataset.control)) element.hidden = true;
  });

  // ---- First choices: audio by language, captions by language, forced captions for the audio's language.
  const audioTracks = configuration.audio;
  const initialAudio = audioTracks.find((t) => t.language === configuration.audioLanguage && t.role !== 'description')
    || audioTracks.find((t) => t.isDefault) || audioTracks[0] || null;
  const state = { audio: initialAudio, rung: 'auto', captions: null, userCaptions: null, speed: 1 };

  const Engine = window.StrataEngines.choose(configuration.engine, video);
  if (!Engine) {
    status.textContent = 'This browser cannot play this video (no HLS and no Media Source Extensions).';
    return;
  }
  const engine = new Engine(video, configuration, { audio: state.audio });
  engine.onerror = (error) => { status.textContent = 'Playback problem: ' + error.message; };
  root.dataset.engine = engine.name;
  video.loop = configuration.loop;
  video.muted = configuration.muted;

  // ---- Captions: one hidden <track> per caption file; the active cues are drawn into .strata-captions.
  const captionBox = $('.strata-captions');
  const textTracks = new Map();
  configuration.captions.forEach((caption) => {
    const element = document.createElement('track');
    element.kind = caption.kind === 'sdh' ? 'captions' : 'subtitles';
    element.src = caption.url;
    element.srclang = caption.language;
    element.label = caption.label;
    video.appendChild(element);
    element.track.mode = 'disabled';
    element.track.addEventListener('cuechange', () => drawCues(caption.id));
    textTracks.set(caption.id, element);
  });

  function drawCues(id) {
    if (id !== state.captions) return;
    const track = textTracks.get(id).track;
    captionBox.replaceChildren();
    Array.from(track.activeCues || []).forEach((cue) => {
      const line = document.createElement('span');
      line.className = 'cue';
      line.appendChild(cue.getCueAsHTML()); // WebVTT markup only; no script can come through
      captionBox.appendChild(line);
      captionBox.appendChild(document.createElement('br'));
    });
  }

  /** The caption track to show: the viewer's choice, else forced captions in the audio's language. */
  function effectiveCaptions() {
    if (state.userCaptions && state.userCaptions !== 'off') return state.userCaptions;
    const language = state.audio && state.audio.language;
    const forced = configuration.captions.find((c) => c.kind === 'forced' && c.language === language);
    return forced ? forced.id : null;
  }

  function applyCaptions() {
    state.captions = effectiveCaptions();
    textTracks.forEach((element, id) => { element.track.mode = id === state.captions ? 'hidden' : 'disabled'; });
    root.dataset.captions = state.captions || 'off';
    captionBox.replaceChildren();
    if (state.captions) drawCues(state.captions);
    menus.captions && menus.captions.refresh();
  }

  const startCaptions = configuration.captionsLanguage
    && (configuration.captions.find((c) => c.language === configuration.captionsLanguage && c.kind !== 'forced')
      || configuration.captions.find((c) => c.language === configuration.captionsLanguage));
  state.userCaptions = startCaptions ? startCaptions.id : null;

  // ---- Menus: quality, audio, captions, speed. Each is a button and a list of radio items.
  const menus = {};
  function addMenu(name, label, items, isChecked, choose) {
    if (!configuration.controls.includes(name) || items().length < 2) return;
    const wrapper = document.createElement('div');
    wrapper.className = 'strata-menu';
    wrapper.dataset.menu = name;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'strata-menu-button';
    button.setAttribute('aria-haspopup', 'menu');
    button.setAttribute('aria-expanded', 'false');
    const list = document.createElement('div');
    list.className = 'strata-menu-list';
    list.setAttribute('role', 'menu');
    list.setAttribute('aria-label', label);
    list.hidden = true;
    wrapper.append(button, list);
    $('.strata-menus').appendChild(wrapper);
    const menu = {
      refresh() {
        const all = items();
        const current = all.find((item) => isChecked(item.value));
        const name = document.createElement('span');
        name.className = 'strata-menu-name';
        name.textContent = label + ' ';
        button.replaceChildren(name, current ? current.short : '');
        button.setAttribute('aria-label', label + (current ? ': ' + current.label : ''));
        list.replaceChildren();
        all.forEach((item) => {
          const entry = document.createElement('button');
          entry.type = 'button';
          entry.setAttribute('role', 'menuitemradio');
          entry.setAttribute('aria-checked', String(isChecked(item.value)));
          entry.dataset.value = item.value;
          entry.textContent = item.label;
          entry.addEventListener('click', () => { choose(item.value); menu.refresh(); menu.close(); button.focus(); });
          list.appendChild(entry);
        });
      },
      open() {
        Object.values(menus).forEach((other) => other !== menu && other.close());
        menu.refresh();
        list.hidden = false;
        button.setAttribute('aria-expanded', 'true');
        const checked = list.querySelector('[aria-checked="true"]') || list.firstChild;
        if (checked) checked.focus();
      },
      close() { list.hidden = true; button.setAttribute('aria-expanded', 'false'); },
    };
    button.addEventListener('click', () => (list.hidden ? menu.open() : menu.close()));
    list.addEventListener('keydown', (event) => {
      const entries = Array.from(list.querySelectorAll('button'));
      const at = entries.indexOf(document.activeElement);
      if (event.key === 'Escape') { menu.close(); button.focus(); }
      else if (event.key === 'ArrowDown') entries[(at + 1) % entries.length].focus();
      else if (event.key === 'ArrowUp') entries[(at - 1 + entries.length) % entries.length].focus();
      else return;
      event.preventDefault();
      event.stopPropagation();
    });
    menus[name] = menu;
    menu.refresh();
  }

  addMenu('quality', 'Quality',
    () => [{ value: 'auto', label: 'Auto' + (state.rung === 'auto' && engine.currentRung() ? ' (' + engine.currentRung() + ')' : ''), short: 'Auto' }]
      .concat(configuration.video.map((r) => ({ value: r.id, label: r.height + 'p', short: r.height + 'p' }))),
    (value) => value === state.rung,
    (value) => { state.rung = value; engine.setRung(value); });
  addMenu('audio', 'Audio',
    () => audioTracks.map((t) => ({ value: t.id, label: t.label, short: t.language })),
    (value) => state.audio && value === state.audio.id,
    (value) => {
      state.audio = audioTracks.find((t) => t.id === value);
      root.dataset.audio = value;
      engine.setAudio(state.audio);
      applyCaptions(); // forced captions follow the audio language
    });
  addMenu('captions', 'Captions',
    () => [{ value: 'off', label: 'Off', short: 'Off' }]
      .concat(configuration.captions.map((c) => ({ value: c.id, label: c.label, short: c.language }))),
    (value) => value === (state.userCaptions || 'off'),
    (value) => { state.userCaptions = value; applyCaptions(); });
  addMenu('speed', 'Speed',
    () => configuration.speeds.map((s) => ({ value: String(s), label: s === 1 ? 'Normal' : s + '×', short: s + '×' })),
    (value) => Number(value) === video.playbackRate,
    (value) => { video.playbackRate = Number(value); video.defaultPlaybackRate = Number(value); });
  document.addEventListener('click', (event) => {
    // composedPath: the clicked node may have been replaced by a menu refresh since.
    const inMenu = event.composedPath().some((node) => node.classList && node.classList.contains('strata-menu'));
    if (!inMenu) Object.values(menus).forEach((m) => m.close());
  });

  // ---- Play, time, seek, volume, fullscreen, picture-in-picture.
  const playButton = $('.strata-play');
  const bigPlay = $('.strata-big-play');
  const seekBar = $('.strata-seek-bar');
  const timeText = $('.strata-time');
  const muteButton = $('.strata-mute');
  const volumeBar = $('.strata-volume-bar');
  const clock = (seconds) => {
    const s = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = String(s % 60).padStart(2, '0');
    return h ? h + ':' + String(m).padStart(2, '0') + ':' + r : m + ':' + r;
  };
  const togglePlay = () => (video.paused || video.ended ? video.play().catch(() => {}) : video.pause());
  playButton.addEventListener('click', togglePlay);
  bigPlay.addEventListener('click', togglePlay);
  video.addEventListener('click', togglePlay);
  const showPlaying = () => {
    const playing = !video.paused && !video.ended;
    root.classList.toggle('playing', playing);
    if (playing) root.classList.add('started');
    playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  };
  ['play', 'pause', 'ended', 'playing'].forEach((name) => video.addEventListener(name, showPlaying));
  seekBar.max = String(configuration.duration);
  const showTime = () => {
    timeText.textContent = clock(video.currentTime) + ' / ' + clock(configuration.duration);
    if (document.activeElement !== seekBar || !seekBar.dataset.dragging) seekBar.value = String(video.currentTime);
    seekBar.setAttribute('aria-valuetext', clock(video.currentTime) + ' of ' + clock(configuration.duration));
  };
  video.addEventListener('timeupdate', showTime);
  video.addEventListener('resize', () => menus.quality && menus.quality.refresh());
  seekBar.addEventListener('input', () => { seekBar.dataset.dragging = '1'; video.currentTime = Number(seekBar.value); });
  seekBar.addEventListener('change', () => { delete seekBar.dataset.dragging; });
  const showVolume = () => {
    root.classList.toggle('muted', video.muted || video.volume === 0);
    muteButton.setAttribute('aria-label', video.muted ? 'Unmute' : 'Mute');
    volumeBar.value = String(video.muted ? 0 : video.volume);
  };
  muteButton.addEventListener('click', () => { video.muted = !video.muted; });
  volumeBar.addEventListener('input', () => { video.volume = Number(volumeBar.value); video.muted = video.volume === 0; });
  video.addEventListener('volumechange', showVolume);
  const fullscreenButton = $('.strata-fullscreen');
  const toggleFullscreen = () => (document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen()).catch(() => {});
  fullscreenButton.addEventListener('click', toggleFullscreen);
  document.addEventListener('fullscreenchange', () => {
    fullscreenButton.setAttribute('aria-label', document.fullscreenElement ? 'Exit full screen' : 'Full screen');
  });
  const pipButton = $('.strata-pip');
  if (document.pictureInPictureEnabled && configuration.controls.includes('pip')) {
    pipButton.hidden = false;
    pipButton.addEventListener('click', () => (document.pictureInPictureElement
      ? document.exitPictureInPicture() : video.requestPictureInPicture()).catch(() => {}));
  }

  // ---- Storyboard previews over the seek bar (WebVTT cues "storyboard-N.jpg#xywh=x,y,w,h").
  const preview = $('.strata-preview');
  const previewImage = $('.strata-preview-image');
  let storyboard = [];
  if (configuration.storyboard) {
    fetch(configuration.storyboard).then((r) => (r.ok ? r.text() : '')).then((text) => {
      storyboard = window.StrataStoryboard.parse(text, configuration.storyboard);
    }).catch(() => {});
  }
  seekBar.addEventListener('pointermove', (event) => {
    const box = seekBar.getBoundingClientRect();
    const fraction = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    const time = fraction * configuration.duration;
    const cue = storyboard.find((c) => c.start <= time && time < c.end);
    if (cue) {
      previewImage.style.cssText = 'width:' + cue.w + 'px;height:' + cue.h + 'px;background-image:url("' + cue.url
        + '");background-position:' + -cue.x + 'px ' + -cue.y + 'px';
    }
    $('.strata-preview-time').textContent = clock(time);
    const half = (cue ? cue.w : 40) / 2 + 4;
    preview.style.left = Math.min(Math.max(event.clientX - box.left, half), box.width - half) + 'px';
    preview.hidden = false;
  });
  seekBar.addEventListener('pointerleave', () => { preview.hidden = true; });

  // ---- Keyboard: space/k play, arrows seek and volume, f fullscreen, m mute, c captions.
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const onButton = target.closest && target.closest('button');
    if (onButton && (event.key === ' ' || event.key === 'Enter')) return; // the button acts on its own
    if (target.closest && target.closest('.strata-menu-list')) return;
    const onSlider = target === seekBar || target === volumeBar;
    switch (event.key) {
      case ' ': case 'k': togglePlay(); break;
      case 'ArrowLeft': if (onSlider) return; video.currentTime = Math.max(0, video.currentTime - 5); break;
      case 'ArrowRight': if (onSlider) return; video.currentTime = Math.min(configuration.duration, video.currentTime + 5); break;
      case 'ArrowUp': if (onSlider) return; video.volume = Math.min(1, video.volume + 0.1); video.muted = false; break;
      case 'ArrowDown': if (onSlider) return; video.volume = Math.max(0, video.volume - 0.1); break;
      case 'f': toggleFullscreen(); break;
      case 'm': video.muted = !video.muted; break;
      case 'c': {
        const fallback = configuration.captions.find((c) => c.kind !== 'forced') || configuration.captions[0];
        if (state.userCaptions && state.userCaptions !== 'off') {
          state.lastCaptions = state.userCaptions;
          state.userCaptions = 'off';
        } else {
          state.userCaptions = state.lastCaptions || (fallback ? fallback.id : 'off');
        }
        applyCaptions();
        break;
      }
      default: return;
    }
    event.preventDefault();
  });
  // ---- Start.
  root.dataset.audio = state.audio ? state.audio.id : '';
  applyCaptions();
  showTime();
  showVolume();
  engine.start(configuration.startTime);
  if (configuration.autoplay) {
    video.muted = true;
    video.play().catch(() => {});
  }
  window.strataPlayer = { engine, state, configuration }; // for people debugging in the console, and tests
})();
