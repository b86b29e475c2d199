// Measures the release build in headless Chromium and prints the figures (not a test):
//   - navigation to a usable prompt, median of 5 cold loads (target < 500 ms);
//   - gzip -9 bytes of the wasm, js and css the page loads (target < 700 KB), and apart, the
//     files it fetches only when needed (explain.txt);
//   - frame times while a 1,000-replica Deployment rolls out at 30x (target: none > 50 ms):
//     every frame from the click on Apply until the rollout is complete, with how much
//     virtual time the clock covered meanwhile (the page lets the clock lag rather than freeze
//     when a frame cannot finish the cluster's work) and, for each frame over 50 ms, where its
//     time went (the page's own `kubeplay:sim` and `kubeplay:render` measures, the browser's
//     long-animation-frame entries for the rest); and the page's one warm-up task after load.
// Usage: trunk build --release && node tests/e2e/measure.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, launch, dist, NGINX } from './harness.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// Record when the prompt becomes usable, and every frame's length, from the page's own clock;
// while recording, also the page's measures and the browser's long animation frames.
const probe = () => {
  window.__frames = [];
  window.__recording = false;
  window.__entries = [];
  const keep = (l) => {
    if (window.__recording) for (const e of l.getEntries()) window.__entries.push(e.toJSON());
  };
  new PerformanceObserver(keep).observe({ type: 'measure' });
  new PerformanceObserver(keep).observe({ type: 'long-animation-frame' });
  const seen = () => {
    const el = document.querySelector('.term-line .t-prompt');
    if (el && window.__promptAt === undefined) window.__promptAt = performance.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  let last;
  const frame = (t) => {
    if (window.__recording && last !== undefined) window.__frames.push(t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
};

// A debug build would measure the wrong thing: refuse one (it keeps DWARF sections).
const wasmFile = readdirSync(dist).find((f) => f.endsWith('.wasm'));
if (!wasmFile) throw new Error('dist/ has no .wasm: run `trunk build --release` first');
if (readFileSync(join(dist, wasmFile)).includes('.debug_info')) {
  throw new Error('dist/ holds a debug build: run `trunk build --release` first');
}

const server = await serve();
const browser = await launch();
try {
  // 1. Time to a usable prompt.
  const loads = [];
  // The files the page asked for while loading (also what it fetches later, such as
  // explain.txt, is not among them: it is listed apart below).
  const loaded = new Set();
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(probe);
    page.on('response', (r) => {
      const path = decodeURIComponent(new URL(r.url()).pathname.slice(1));
      loaded.add(path === '' ? 'index.html' : path);
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__promptAt !== undefined, null, { timeout: 30000 });
    loads.push(await page.evaluate(() => window.__promptAt));
    await context.close();
  }
  console.log(`navigation to usable prompt: median ${median(loads).toFixed(0)} ms ` +
    `(runs: ${loads.map((x) => x.toFixed(0)).join(', ')})`);

  // 2. What the page transfers, gzip -9: the wasm, js and css it loads.
  let raw = 0, gz = 0;
  const parts = [], later = [];
  for (const f of readdirSync(dist)) {
    const b = readFileSync(join(dist, f));
    const g = gzipSync(b, { level: 9 }).length;
    const line = `${f.replace(/-[0-9a-f]{16}/, '')} ${b.length} raw / ${g} gzip`;
    if (!loaded.has(f)) {
      later.push(line);
      continue;
    }
    if (!/\.(wasm|js|css)$/.test(f)) continue;
    raw += b.length;
    gz += g;
    parts.push(line);
  }
  console.log(`wasm+js+css: ${raw} bytes raw, ${gz} bytes gzip -9 (${(gz / 1024).toFixed(0)} KiB)`);
  for (const p of parts) console.log(`  ${p}`);
  console.log('not loaded with the page (fetched when needed):');
  for (const p of later) console.log(`  ${p}`);

  // 3. A 1,000-replica rollout at 30x.
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(probe);
  await page.goto(server.url);
  await page.waitForSelector('.term-input');
  // A third of a second after load the page runs a throwaway rollout once, so that the browser
  // compiles that WebAssembly before the learner's first Apply rather than during it (see
  // sim::warm_up). Its time is reported here: it is a long task too, only not the rollout's.
  await page.waitForSelector('html[data-warmed]', { state: 'attached', timeout: 30000 });
  const warm = await page.evaluate(() => document.documentElement.dataset.warmed);
  console.log(`warm-up after load (one task, before any input): ${warm} ms`);
  const big = NGINX.replace('replicas: 3', 'replicas: 1000');
  // h:mm:ss.t on the page's clock, in ms.
  const vtime = async () => {
    const t = await page.locator('.vtime').textContent();
    const [h, m, sec] = t.split(':').map(Number);
    return Math.round(((h * 60 + m) * 60 + sec) * 1000);
  };
  const record = async (name, yaml, done) => {
    // The manifest is typed into the editor first, unrecorded: the frames measured are the
    // rollout's, from the click on Apply, not those of the test driver's typing (filling the
    // editor through the DevTools protocol stalls the page for a frame or two on its own).
    await page.locator('textarea.code').fill(yaml);
    await page.waitForTimeout(200);
    await page.evaluate(() => { window.__frames = []; window.__entries = []; window.__recording = true; });
    const v0 = await vtime();
    const t0 = Date.now();
    await page.locator('button.apply').click();
    await page.waitForFunction(done, null, { timeout: 300000 });
    const ms = Date.now() - t0;
    const v1 = await vtime();
    const { frames, entries } = await page.evaluate(() => {
      window.__recording = false;
      return { frames: window.__frames, entries: window.__entries };
    });
    const virt = (v1 - v0) / 1000;
    console.log(`${name}: ${(ms / 1000).toFixed(1)} s real, ${virt.toFixed(1)} s virtual ` +
      `(${(virt / (ms / 1000)).toFixed(1)}x), ${frames.length} frames, ` +
      `median ${median(frames).toFixed(1)} ms, p95 ${pct(frames, 0.95).toFixed(1)} ms, ` +
      `max ${Math.max(...frames).toFixed(1)} ms, frames over 50 ms: ${frames.filter((x) => x > 50).length}`);
    const measures = entries.filter((e) => e.entryType === 'measure');
    // The page's own work over the whole rollout: steadier between runs than frame lengths,
    // which the display's 16.7 ms ticks round up.
    const work = (n) => {
      const d = measures.filter((m) => m.name === n).map((m) => m.duration);
      return `${n.slice(9)} ${d.reduce((a, x) => a + x, 0).toFixed(0)} ms (longest ${Math.max(0, ...d).toFixed(0)})`;
    };
    console.log(`  in all: ${work('kubeplay:sim')}, ${work('kubeplay:render')}`);
    // Where the time of each long frame went.
    const within = (e, m) => m.startTime >= e.startTime && m.startTime < e.startTime + e.duration;
    const sum = (e, n) => measures.filter((m) => m.name === n && within(e, m)).reduce((a, m) => a + m.duration, 0);
    for (const e of entries.filter((x) => x.entryType === 'long-animation-frame')) {
      const end = e.startTime + e.duration;
      const layout = e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0;
      const scripts = e.scripts.map((x) => `${x.invoker} ${x.duration.toFixed(0)}`).join(', ');
      console.log(`  long frame ${e.duration.toFixed(0)} ms: sim ${sum(e, 'kubeplay:sim').toFixed(0)}, ` +
        `render ${sum(e, 'kubeplay:render').toFixed(0)} (model ${sum(e, 'kubeplay:model').toFixed(0)}, ` +
        `cells ${sum(e, 'kubeplay:paint').toFixed(0)}), style+layout+paint ${layout.toFixed(0)}; scripts: ${scripts}`);
    }
  };
  await page.getByRole('button', { name: '30×' }).click();
  // Done when the counts say so and the pods drawn are the 1,000 running ones of the new
  // revision only (the old ones have finished terminating).
  // (Compact cells are painted on canvases whose labels count them: "1000 pods: 1000 running".)
  await record('scale 0 -> 1000 at 30x', big, () => /^1000\/1000 ready/.test(
    document.querySelector('.deploy-counts')?.textContent || '') &&
    [...document.querySelectorAll('.pane.cluster canvas.pods.compact')].map((c) => c.getAttribute('aria-label'))
      .join('; ') === '1000 pods: 1000 running');
  await record('rolling update of 1000 at 30x', big.replace('nginx:1.25', 'nginx:1.26'), () => {
    const c = document.querySelector('.deploy-counts')?.textContent || '';
    return /^1000\/1000 ready · 1000 up-to-date · 1000 available/.test(c) &&
      !document.querySelector('.deploy .waiting') &&
      document.querySelectorAll('.deploy .rs').length === 2 &&
      [...document.querySelectorAll('.pane.cluster canvas.pods.compact')].map((c) => c.getAttribute('aria-label'))
        .join('; ') === '1000 pods: 1000 running' &&
      [...document.querySelectorAll('.deploy .rs')].every((rs) =>
        rs.querySelector('.image')?.textContent === 'nginx:1.26' || !rs.querySelector('canvas'));
  });
  await context.close();
} finally {
  await browser.close();
  server.close();
}
