// A rolling update watched in the cluster view, then a rollback from the terminal: the old and
// new ReplicaSets' counts change over time, the budget is shown, and the revision timeline
// tells what changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, applyYaml, waitTerm, NGINX } from './harness.mjs';

const app = servedApp();

const SIX = NGINX.replace('replicas: 3', 'replicas: 6').replace('  selector:', `  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 1
  selector:`);

/** Desired/current of each ReplicaSet, by revision. */
const counts = (page) => page.evaluate(() =>
  [...document.querySelectorAll('.cluster .rs')].map((rs) => ({
    rev: rs.querySelector('.rev')?.textContent,
    counts: rs.querySelector('.rs-counts')?.textContent,
    pods: rs.querySelectorAll('.pod').length,
  })));

test('a rolling update and a rollback, watched in the cluster view', async () => {
  const { page, errors } = await app.open();
  await page.getByRole('button', { name: '30×' }).click();
  await applyYaml(page, SIX);
  await page.waitForFunction(() => document.querySelectorAll('.cluster .pod.running').length === 6, null, { timeout: 20000 });
  const budget = await page.locator('.deploy .budget').innerText();
  assert.match(budget, /RollingUpdate/);
  assert.match(budget, /maxSurge 1/);
  assert.match(budget, /maxUnavailable 1/);
  assert.match(budget, /≤ 7 pods/);
  assert.match(budget, /≥ 5 available/);

  // Slow the clock so the rollout can be watched, then change the image.
  await page.getByRole('button', { name: '1×' }).click();
  await applyYaml(page, SIX.replace('nginx:1.25', 'nginx:1.26'));
  await waitTerm(page, /deployment\.apps\/nginx configured\n$/);
  const seen = [];
  let shot = false;
  for (let i = 0; i < 300; i++) {
    const c = await counts(page);
    seen.push(c);
    const both = c.length === 2 && c.every((r) => r.pods > 0);
    if (both && !shot) {
      // Mid-rollout: both revisions have pods, and the page says why it waits.
      assert.equal(c[0].rev, 'rev 2');
      assert.equal(c[1].rev, 'rev 1');
      await screenshot(page, 'rollout-midway.png');
      shot = true;
      await page.getByRole('button', { name: '5×' }).click();
    }
    if (c.length === 2 && c[0].pods === 6 && c[1].pods === 0 &&
      /^6\/6 ready · 6 up-to-date · 6 available/.test(await page.locator('.deploy-counts').innerText())) break;
    await page.waitForTimeout(100);
  }
  assert.ok(shot, 'old and new ReplicaSets were never seen with pods at once');
  const last = seen[seen.length - 1];
  assert.deepEqual(last.map((r) => [r.rev, r.counts]), [
    ['rev 2', '6 desired · 6 current · 6 ready'],
    ['rev 1', '0 desired · 0 current · 0 ready'],
  ]);
  // The new ReplicaSet's pod count only grew, the old one's only shrank.
  const news = seen.filter((c) => c.length === 2).map((c) => c[0].pods);
  const olds = seen.filter((c) => c.length === 2).map((c) => c[1].pods);
  assert.ok(news.every((n, i) => i === 0 || n >= news[i - 1] - 1), `new: ${news}`);
  assert.ok(new Set(news).size > 2 && new Set(olds).size > 2, `too few steps seen: ${news} / ${olds}`);

  // The timeline: rev 1 -> rev 2, whose diff is the image.
  const rev2 = page.locator('.timeline .revision[data-revision="2"]');
  await rev2.locator('summary').click();
  const diff = await rev2.locator('.diff').innerText();
  assert.match(diff, /^- .*image: nginx:1\.25$/m);
  assert.match(diff, /^\+ .*image: nginx:1\.26$/m);
  await page.waitForFunction(() => document.querySelector('.events-table')?.innerText.includes('ScalingReplicaSet'));
  await screenshot(page, 'rollout-done.png');

  // Roll back from the terminal: revision 1's template comes back as revision 3.
  await run(page, 'kubectl rollout undo deployment/nginx');
  await waitTerm(page, /deployment\.apps\/nginx rolled back\n$/);
  await page.waitForSelector('.timeline .revision[data-revision="3"] .rollback');
  assert.equal(await page.locator('.timeline .revision[data-revision="3"] .rollback').innerText(), '↩ rev 1');
  await page.waitForFunction(() => /^6\/6 ready · 6 up-to-date · 6 available/.test(
    document.querySelector('.deploy-counts')?.textContent || '') && !document.querySelector('.deploy .waiting'),
  null, { timeout: 30000 });
  assert.equal(await page.locator('.cluster .rs.rs-new .image').innerText(), 'nginx:1.25');
  await run(page, 'kubectl rollout history deployment/nginx');
  await waitTerm(page, /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n/);
  await screenshot(page, 'rollback.png');
  assert.deepEqual(errors, []);
});

/** The compact canvases' labels ("150 pods: 150 running"), by ReplicaSet from the newest. */
const cellLabels = (page) => page.evaluate(() =>
  [...document.querySelectorAll('.cluster .rs')].map((rs) => rs.querySelector('canvas.pods.compact')?.getAttribute('aria-label') ?? null));

for (const scheme of ['light', 'dark']) {
  test(`past 100 pods, cells on a canvas: pointed at, clicked and walked by keyboard (${scheme})`, async () => {
    const { page, errors } = await app.open({ colorScheme: scheme });
    await page.getByRole('button', { name: '30×' }).click();
    const big = NGINX.replace('replicas: 3', 'replicas: 150');
    await applyYaml(page, big);
    await page.waitForFunction(() => document.querySelector('.cluster canvas.pods.compact')?.getAttribute('aria-label') === '150 pods: 150 running', null, { timeout: 30000 });
    assert.equal(await page.locator('.cluster .pod').count(), 0, 'no cards past 100 pods');
    // Mid-rollout both revisions have cells; at the end only the new one has.
    await page.getByRole('button', { name: '5×' }).click();
    await applyYaml(page, big.replace('nginx:1.25', 'nginx:1.26'));
    await page.waitForFunction(() => [...document.querySelectorAll('.cluster .rs canvas.pods.compact')].length === 2, null, { timeout: 30000 });
    await screenshot(page, `cells-midway-${scheme}.png`);
    await page.getByRole('button', { name: '30×' }).click();
    await page.waitForFunction(() => /^150\/150 ready · 150 up-to-date · 150 available/.test(
      document.querySelector('.deploy-counts')?.textContent || '') && document.querySelectorAll('.cluster canvas.pods.compact').length === 1,
    null, { timeout: 60000 });
    assert.deepEqual(await cellLabels(page), ['150 pods: 150 running', null]);

    // The pods in name order, as kubectl lists them.
    await run(page, "kubectl get pods -o name | sort | head -3");
    await waitTerm(page, /(pod\/nginx-\S+\n){3}/);
    const names = (await page.locator('.term-out').innerText()).match(/pod\/(nginx-\S+)/g).slice(-3).map((n) => n.slice(4));
    const canvas = page.locator('.cluster .rs-new canvas.pods.compact');
    const box = await canvas.boundingBox();
    // Cells are 9 px with a gap of 2, from (1, 1): the third cell's centre.
    await page.mouse.move(box.x + 2 * 11 + 5.5, box.y + 5.5);
    assert.equal(await canvas.getAttribute('data-name'), names[2]);
    assert.match(await canvas.getAttribute('title'), new RegExp(`^${names[2]}  1/1  Running  node01|^${names[2]}  1/1  Running  controlplane`));
    await page.mouse.click(box.x + 2 * 11 + 5.5, box.y + 5.5);
    const drawer = page.locator('.drawer.pod-detail');
    await drawer.waitFor();
    assert.equal(await drawer.locator('.drawer-title').innerText(), names[2]);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // By keyboard: focus the cells, move right once from the first, Enter opens that pod.
    await page.mouse.move(0, 0);
    await canvas.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    assert.equal(await canvas.getAttribute('data-name'), names[1]);
    await screenshot(page, `cells-cursor-${scheme}.png`);
    await page.keyboard.press('Enter');
    await drawer.waitFor();
    assert.equal(await drawer.locator('.drawer-title').innerText(), names[1]);
    assert.deepEqual(errors, []);
  });
}


test('the events feed and the chart keep time while nothing changes', async () => {
  const { page, errors } = await app.open();
  await run(page, 'kubectl create deployment web --image=nginx --replicas=2');
  await page.waitForFunction(() => document.querySelectorAll('.cluster .pod.running').length === 2, null, { timeout: 20000 });
  const read = () => page.evaluate(() => ({
    age: document.querySelector('.events-table tbody td')?.textContent,
    span: document.querySelector('.chart .span')?.textContent,
  }));
  const before = await read();
  // The pods are up: from here the cluster does not change, the clock does.
  await page.waitForFunction((age) =>
    document.querySelector('.events-table tbody td')?.textContent !== age, before.age, { timeout: 10000 });
  const after = await read();
  assert.notEqual(after.age, before.age);
  assert.notEqual(after.span, before.span);
  assert.deepEqual(errors, []);
});
