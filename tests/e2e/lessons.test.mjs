// Lessons, share links, autosave and embedding, as a learner and a course page use them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { servedApp, screenshot, run, termText } from './harness.mjs';

const app = servedApp();

/** A share link made the way kubeplay makes them: version byte 1, raw deflate, base64url. */
function link(state) {
  const body = deflateRawSync(Buffer.from(JSON.stringify(state)));
  return Buffer.concat([Buffer.from([1]), body]).toString('base64url');
}

async function waitTerm(page, text, timeout = 20000) {
  await page.waitForFunction((t) => document.querySelector('.term-out')?.innerText.includes(t), text, { timeout });
}

async function podsShown(page) {
  return page.locator('.cluster .pod').evaluateAll((els) => els.map((e) => `${e.dataset.name} ${e.className}`).sort());
}

test('a lesson shows its steps, and a check turns green when the cluster is right', async () => {
  const { page, errors } = await app.open({ query: '?lesson=rolling-update&lang=en' });
  await page.waitForSelector('.lesson .lesson-title');
  assert.equal(await page.locator('.lesson .lesson-title').innerText(), 'Rolling updates and rollbacks');
  assert.equal(await page.locator('.lesson .lesson-dot').count(), 3);
  assert.equal(await page.locator('.lesson .check.pass').count(), 0);
  await run(page, 'kubectl apply -f myapp-deploy.yaml');
  await waitTerm(page, 'deployment.apps/myapp-deploy created');
  await page.getByRole('button', { name: '30×' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.lesson .check.pass').length === 3, null, { timeout: 20000 });
  assert.equal(await page.locator('.lesson .lesson-dot.done').count(), 1);
  // Hints one at a time.
  await page.locator('.lesson .hint-btn').click();
  assert.equal(await page.locator('.lesson .hint').count(), 1);
  // The language switch.
  await page.locator('.lang-switch select').selectOption('ko');
  assert.equal(await page.locator('.lesson .lesson-title').innerText(), '롤링 업데이트와 롤백');
  await screenshot(page, 'lesson-panel.png');
  // Beside the lesson the cluster view is narrow: each event's object gets a line of its own,
  // not a column a few letters wide (it was 40 px, one letter per line).
  const objWidths = await page.locator('.events-table td.obj').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().width));
  assert.ok(objWidths.length > 0 && objWidths.every((w) => w > 150), `object cells: ${objWidths}`);
  assert.deepEqual(errors, []);
});

test('a share link opened in a fresh page shows the same terminal and cluster', async () => {
  const { page, errors } = await app.open({ query: '?lesson=rolling-update' });
  await run(page, 'kubectl apply -f myapp-deploy.yaml');
  await waitTerm(page, 'deployment.apps/myapp-deploy created');
  await page.getByRole('button', { name: '30×' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.cluster .pod.running').length === 3, null, { timeout: 20000 });
  await run(page, 'kubectl get pods');
  await page.waitForFunction(() => (document.querySelector('.term-out')?.innerText.match(/ Running /g) || []).length === 3);
  await page.locator('.share-btn').click();
  const url = page.url();
  assert.match(url, /#[A-Za-z0-9_-]{20,}$/);
  const before = { term: await termText(page), pods: await podsShown(page) };

  const fresh = await app.browser.newContext({ viewport: { width: 1366, height: 800 } });
  const p2 = await fresh.newPage();
  const errors2 = [];
  p2.on('pageerror', (e) => errors2.push(String(e)));
  await p2.goto(url);
  await p2.waitForSelector('.term-input');
  await waitTerm(p2, 'deployment.apps/myapp-deploy created');
  assert.equal(await termText(p2), before.term);
  assert.deepEqual(await podsShown(p2), before.pods);
  assert.equal(await p2.locator('.lesson .lesson-dot.done').count(), 1);
  await fresh.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(errors2, []);
});

test('the session autosaves and comes back after a reload', async () => {
  const { page, errors } = await app.open({ query: '?lesson=secrets' });
  await run(page, 'kubectl apply -f app-secret.yaml');
  await waitTerm(page, 'secret/app-secret created');
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector('.term-input');
  await waitTerm(page, 'secret/app-secret created');
  assert.match(await page.locator('.notices').innerText(), /restored/i);
  await run(page, 'kubectl get secrets');
  await waitTerm(page, 'app-secret');
  // Reset asks first; declining keeps everything.
  page.once('dialog', (d) => d.dismiss());
  await page.locator('.reset-btn').click();
  assert.match(await termText(page), /secret\/app-secret created/);
  page.once('dialog', (d) => d.accept());
  await page.locator('.reset-btn').click();
  await page.waitForFunction(() => !document.querySelector('.term-out')?.innerText.includes('app-secret'));
  assert.deepEqual(errors, []);
});

test('bad links show a message and run nothing', async () => {
  const real = link({ s: 1, c: 5000, e: [[0, 'kubectl get pods'], [100, 'kubectl get nope']] });
  const cases = {
    garbage: 'not*base64*at*all',
    truncated: real.slice(0, Math.floor(real.length / 2)),
    oversized: 'A'.repeat(200000),
    future: Buffer.from([7, 1, 2, 3]).toString('base64url'),
  };
  for (const [name, frag] of Object.entries(cases)) {
    const ctx = await app.browser.newContext();
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.url}#${frag}`);
    await page.waitForSelector('.notices.bad', { timeout: 20000 });
    const msg = await page.locator('.notices').innerText();
    assert.match(msg, /could not be opened/, name);
    // A new browser has no session to keep: the page says it starts afresh.
    assert.match(msg, /this starts afresh/, name);
    assert.doesNotMatch(msg, /kept/, name);
    assert.equal((await termText(page)).includes('$ kubectl'), false, name);
    assert.deepEqual(errors, [], name);
    await ctx.close();
  }
  // With a session saved, a bad link leaves it as it was, and says so.
  const { page, context, errors } = await app.open();
  await run(page, 'kubectl create configmap kept --from-literal=a=b');
  await waitTerm(page, 'configmap/kept created');
  await page.waitForTimeout(300);
  await page.goto(`${app.url}#${cases.garbage}`);
  await page.reload();
  await page.waitForSelector('.notices.bad', { timeout: 20000 });
  const msg = await page.locator('.notices').innerText();
  assert.match(msg, /could not be opened[\s\S]*restored[\s\S]*your last state is kept/);
  await waitTerm(page, 'configmap/kept created');
  // A lesson name that is not one: the notice names the lessons there are.
  await page.goto(`${app.url}?lesson=rollouts`);
  await page.waitForSelector('.notices.bad', { timeout: 20000 });
  assert.match(await page.locator('.notices').innerText(),
    /names no built-in lesson: "rollouts" \(lesson=rolling-update \| recreate-vs-rolling \|[^)]*\)[\s\S]*this starts afresh/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('HTML in names from a link stays text and runs no script', async () => {
  const evil = link({
    s: 1, c: 1000,
    e: [[0, 1, '<img src=x onerror="window.pwned=1">.yaml', '<script>window.pwned=2</script>'],
        [10, "kubectl get pod '<img src=x onerror=window.pwned=3>'"]],
  });
  const ctx = await app.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${app.url}#${evil}`);
  await page.waitForSelector('.term-input');
  await waitTerm(page, "<img src=x onerror=window.pwned=3>");
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('.term-out img').count(), 0);
  await ctx.close();
});

test('embedded in course notes: two lessons, driven and heard through postMessage', async () => {
  const ctx = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${app.url}course-notes.html`);
  const hasMsg = (lesson, type) => page.waitForFunction(
    ([l, t]) => (window.kubeplayLog || []).some((m) => m.dir === '←' && m.lesson === l && m.data.type === t),
    [lesson, type], { timeout: 30000 });
  await hasMsg('rolling-update', 'kubeplay:ready');
  await hasMsg('secrets', 'kubeplay:ready');
  await hasMsg('rolling-update', 'kubeplay:checks');
  // Compact layout, only the panels asked for.
  const frame = page.frameLocator('#lesson-rolling');
  await frame.locator('.lesson .lesson-title').waitFor();
  assert.equal(await frame.locator('.editor').count(), 0);
  // Without a cluster view, the last pane asked for takes the rest of the row.
  const iframe = await page.locator('#lesson-secrets').boundingBox();
  const term = await page.frameLocator('#lesson-secrets').locator('.pane.terminal').boundingBox();
  assert.ok(Math.abs(term.x + term.width - (iframe.x + iframe.width)) < 4, `${JSON.stringify(term)} in ${JSON.stringify(iframe)}`);
  // The page runs a command and hears its output.
  await page.locator('#run-rolling').click();
  await hasMsg('rolling-update', 'kubeplay:ran');
  const ran = await page.evaluate(() => window.kubeplayLog.find((m) => m.data.type === 'kubeplay:ran').data);
  assert.equal(ran.id, 'get-deploy');
  assert.equal(ran.status, 0);
  assert.match(ran.output, /No resources found in default namespace\./);
  // Driving the lesson to a passing step is heard as check results.
  await page.evaluate(() => window.kubeplaySend('rolling-update',
    { type: 'kubeplay:run', command: 'kubectl apply -f myapp-deploy.yaml', id: 2 }));
  await page.evaluate(() => window.kubeplaySend('rolling-update',
    { type: 'kubeplay:run', command: 'kubectl rollout status deployment/myapp-deploy', id: 3 }));
  await page.waitForFunction(() => (window.kubeplayLog || []).some((m) =>
    m.lesson === 'rolling-update' && m.data.type === 'kubeplay:checks' && m.data.done[0] === true), null, { timeout: 60000 });
  // A run request while the learner has a heredoc half typed: Ctrl+C first, then the command,
  // and the reply carries the command's own output.
  const secrets = page.frameLocator('#lesson-secrets');
  await secrets.locator('.term-input').fill('cat <<EOF > notes.txt');
  await secrets.locator('.term-input').press('Enter');
  await page.evaluate(() => window.kubeplaySend('secrets',
    { type: 'kubeplay:run', command: 'echo from the page', id: 'echo' }));
  await page.waitForFunction(() => (window.kubeplayLog || []).some((m) =>
    m.lesson === 'secrets' && m.data.type === 'kubeplay:ran' && m.data.id === 'echo'), null, { timeout: 30000 });
  const echoed = await page.evaluate(() => window.kubeplayLog.find((m) => m.data.type === 'kubeplay:ran' && m.data.id === 'echo').data);
  assert.equal(echoed.output, 'from the page\n');
  assert.match(await secrets.locator('.term-out').innerText(), /> \^C\ncontrolplane ~ \(default\) \$ echo from the page\nfrom the page\n/);
  // A malformed request gets an error, not silence.
  await page.evaluate(() => window.kubeplaySend('secrets', { type: 'kubeplay:step', step: 0 }));
  await hasMsg('secrets', 'kubeplay:error');
  await screenshot(page, 'course-notes.png');
  assert.deepEqual(errors, []);
  await ctx.close();
});
