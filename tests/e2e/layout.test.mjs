// Layout: side by side on a laptop, resizable by mouse and keyboard; stacked on a narrow
// screen; light and dark themes follow the system.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, applyYaml, waitTerm, NGINX } from './harness.mjs';

const app = servedApp();

const box = (page, sel) => page.locator(sel).boundingBox();

test('panes sit side by side and resize by drag and by keyboard', async () => {
  const { page, errors } = await app.open();
  const [e, t, c] = [await box(page, '.pane.editor'), await box(page, '.pane.terminal'), await box(page, '.pane.cluster')];
  assert.ok(e.x < t.x && t.x < c.x && Math.abs(e.y - t.y) < 2 && Math.abs(t.y - c.y) < 2);
  const split = page.locator('.splitter').first();
  const s = await split.boundingBox();
  await page.mouse.move(s.x + s.width / 2, s.y + 200);
  await page.mouse.down();
  await page.mouse.move(s.x + 200, s.y + 200, { steps: 5 });
  await page.mouse.up();
  const e2 = await box(page, '.pane.editor');
  assert.ok(e2.width > e.width + 150, `${e.width} -> ${e2.width}`);
  await split.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const e3 = await box(page, '.pane.editor');
  assert.ok(e3.width < e2.width - 20, `${e2.width} -> ${e3.width}`);
  assert.deepEqual(errors, []);
});

test('with a lesson panel open, a splitter moves by what it is dragged and the cluster view keeps its share', async () => {
  const { page, errors } = await app.open({ query: '?lesson=rolling-update', width: 1440, height: 900 });
  const widths = async () => Object.fromEntries(await Promise.all(
    ['lesson', 'editor', 'terminal', 'cluster'].map(async (p) => [p, (await box(page, `.pane.${p}`)).width])));
  const drag = async (i, dx) => {
    const s = await page.locator('.splitter').nth(i).boundingBox();
    await page.mouse.move(s.x + s.width / 2, s.y + 200);
    await page.mouse.down();
    await page.mouse.move(s.x + s.width / 2 + dx, s.y + 200, { steps: 4 });
    await page.mouse.up();
  };
  const w0 = await widths();
  // Four panes side by side, none squeezed: the editor and terminal give the lesson room.
  assert.ok(w0.cluster > 0.18 * 1440, JSON.stringify(w0));
  await drag(0, -40);
  const w1 = await widths();
  assert.ok(Math.abs(w1.editor - (w0.editor - 40)) < 6, `${JSON.stringify(w0)} -> ${JSON.stringify(w1)}`);
  assert.ok(Math.abs(w1.lesson - w0.lesson) < 2 && Math.abs(w1.terminal - w0.terminal) < 2);
  await drag(1, 2000);
  const w2 = await widths();
  assert.ok(w2.cluster >= 0.11 * 1440, `the cluster view collapsed: ${JSON.stringify(w2)}`);
  assert.deepEqual(errors, []);
});

test('the keyboard walks every pane: Escape then Tab leaves the editor and the terminal', async () => {
  const { page, errors } = await app.open();
  await page.getByRole('button', { name: '30×' }).click();
  await applyYaml(page, NGINX);
  await page.waitForFunction(() => document.querySelectorAll('.cluster .pod.running').length === 3, null, { timeout: 20000 });
  await page.locator('button.play').focus();
  const where = () => page.evaluate(() => {
    const a = document.activeElement;
    return a.closest('.pane')?.classList[1] || a.closest('header') && 'header' || a.tagName;
  });
  const visited = [];
  for (let i = 0; i < 40 && !visited.includes('cluster'); i++) {
    if (await page.evaluate(() => document.activeElement.matches('textarea, .term-input'))) {
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Tab');
    const w = await where();
    if (visited[visited.length - 1] !== w) visited.push(w);
  }
  assert.deepEqual(visited.filter((w) => ['editor', 'terminal', 'cluster'].includes(w)), ['editor', 'terminal', 'cluster'], visited.join(' > '));
  assert.deepEqual(errors, []);
});

test('a narrow screen stacks the panes; the dark theme follows the system', async () => {
  const { page, errors } = await app.open({ width: 420, height: 900, colorScheme: 'dark' });
  const [e, t, c] = [await box(page, '.pane.editor'), await box(page, '.pane.terminal'), await box(page, '.pane.cluster')];
  assert.ok(e.y < t.y && t.y < c.y, 'stacked');
  assert.ok(e.width > 400 && t.width > 400);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 120, `dark background, got ${bg}`);
  await page.getByRole('button', { name: '30×' }).click();
  await applyYaml(page, NGINX);
  await page.waitForFunction(() => document.querySelectorAll('.cluster .pod.running').length === 3, null, { timeout: 20000 });
  await run(page, 'kubectl get deploy');
  await waitTerm(page, /nginx\s+3\/3\s+3\s+3\s+\d+s\n$/);
  await page.screenshot({ path: 'screenshots/narrow-dark.png', fullPage: true });
  assert.deepEqual(errors, []);
});

test('the wide dark theme', async () => {
  const { page, errors } = await app.open({ colorScheme: 'dark' });
  await page.getByRole('button', { name: '30×' }).click();
  await applyYaml(page, NGINX);
  await page.waitForFunction(() => document.querySelectorAll('.cluster .pod.running').length === 3, null, { timeout: 20000 });
  await run(page, 'kubectl get nosuch');
  await screenshot(page, 'wide-dark.png');
  assert.deepEqual(errors, []);
});
