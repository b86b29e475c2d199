// Measures the release build in headless Chromium and prints the figures (not a test):
//   - navigation to a usable prompt, median of 5 cold loads (target < 500 ms);
//   - gzip -9 bytes of the wasm, js and css the page loads (target < 700 KB);
//   - frame times while a 1,000-replica Deployment rolls out at 30x (target: none > 50 ms).
// Usage: trunk build --release && node tests/e2e/measure.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, launch, dist, NGINX } from './harness.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// Record when the prompt becomes usable, and every frame's length, from the page's own clock.
const probe = () => {
  window.__frames = [];
  window.__recording = false;
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

const server = await serve();
const browser = await launch();
try {
  // 1. Time to a usable prompt.
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(probe);
    await page.goto(server.url);
    await page.waitForFunction(() => window.__promptAt !== undefined, null, { timeout: 30000 });
    loads.push(await page.evaluate(() => window.__promptAt));
    await context.close();
  }
  console.log(`navigation to usable prompt: median ${median(loads).toFixed(0)} ms ` +
    `(runs: ${loads.map((x) => x.toFixed(0)).join(', ')})`);

  // 2. What the page transfers, gzip -9.
  let raw = 0, gz = 0;
  const parts = [];
  for (const f of readdirSync(dist)) {
    if (!/\.(wasm|js|css)$/.test(f)) continue;
    const b = readFileSync(join(dist, f));
    const g = gzipSync(b, { level: 9 }).length;
    raw += b.length;
    gz += g;
    parts.push(`${f.replace(/-[0-9a-f]{16}/, '')} ${b.length} raw / ${g} gzip`);
  }
  console.log(`wasm+js+css: ${raw} bytes raw, ${gz} bytes gzip -9 (${(gz / 1024).toFixed(0)} KiB)`);
  for (const p of parts) console.log(`  ${p}`);

  // 3. A 1,000-replica rollout at 30x.
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(probe);
  await page.goto(server.url);
  await page.waitForSelector('.term-input');
  const big = NGINX.replace('replicas: 3', 'replicas: 1000');
  const apply = async (yaml) => {
    await page.locator('textarea.code').fill(yaml);
    await page.locator('button.apply').click();
  };
  await page.getByRole('button', { name: '30×' }).click();
  await page.evaluate(() => { window.__recording = true; });
  const t0 = Date.now();
  await apply(big);
  await page.waitForFunction(() => /^1000\/1000 ready/.test(
    document.querySelector('.deploy-counts')?.textContent || ''), null, { timeout: 300000 });
  const upMs = Date.now() - t0;
  const up = await page.evaluate(() => { const f = window.__frames; window.__frames = []; return f; });
  const t1 = Date.now();
  await apply(big.replace('nginx:1.25', 'nginx:1.26'));
  await page.waitForFunction(() => {
    const c = document.querySelector('.deploy-counts')?.textContent || '';
    return /^1000\/1000 ready · 1000 up-to-date · 1000 available/.test(c) &&
      !document.querySelector('.deploy .waiting') &&
      document.querySelectorAll('.deploy .rs').length === 2;
  }, null, { timeout: 300000 });
  const rollMs = Date.now() - t1;
  const roll = await page.evaluate(() => window.__frames);
  const report = (name, fs, ms) => console.log(
    `${name}: ${(ms / 1000).toFixed(1)} s real, ${fs.length} frames, ` +
    `median ${median(fs).toFixed(1)} ms, p95 ${pct(fs, 0.95).toFixed(1)} ms, ` +
    `max ${Math.max(...fs).toFixed(1)} ms, frames over 50 ms: ${fs.filter((x) => x > 50).length}`);
  report('scale 0 -> 1000 at 30x', up, upMs);
  report('rolling update of 1000 at 30x', roll, rollMs);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
