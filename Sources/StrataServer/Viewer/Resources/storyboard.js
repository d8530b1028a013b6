// Reads a WebVTT thumbnail track (the convention of JW Player, Video.js plug-ins and Mux): each cue's
// text is an image URL with a media fragment "#xywh=x,y,w,h" naming one tile of a sprite sheet.
'use strict';

window.StrataStoryboard = {
  /** Cues {start, end, url, x, y, w, h}; image URLs resolved against the storyboard's own URL. */
  parse(text, base) {
    const seconds = (stamp) => {
      const parts = stamp.trim().split(':').map(Number);
      return parts.reduce((total, part) => total * 60 + part, 0);
    };
    const cues = [];
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes('-->')) continue;
      const [from, to] = lines[i].split('-->');
      const target = (lines[i + 1] || '').trim();
      const match = /^(.*)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target);
      if (!match) continue;
      cues.push({
        start: seconds(from), end: seconds(to.trim().split(/\s+/)[0]),
        url: new URL(match[1], new URL(base, location.href)).href,
        x: Number(match[2]), y: Number(match[3]), w: Number(match[4]), h: Number(match[5]),
      });
    }
    return cues;
  },
};
