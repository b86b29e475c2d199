// A rolling update watched in the cluster view, then a rollback from the terminal: the old and
// new ReplicaSets' counts change over time, the budget is shown, and the revision timeline
// tells what changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, screenshot, run, applyYaml, waitTerm, NGINX } from './harness.mjs';

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

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
  const { page, errors } = await openApp(browser, server.url);
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
