// The terminal as a terminal: errors on stderr look different, Up/Down history survives a
// reload, Ctrl+L clears, Ctrl+C stops a waiting command, and a pasted script runs line by line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, termText, waitTerm } from './harness.mjs';

const app = servedApp();

test('stderr is styled apart from stdout', async () => {
  const { page, errors } = await app.open();
  await run(page, 'echo hello');
  await run(page, 'nosuchcommand');
  await page.waitForSelector('.term-out .t-err');
  assert.equal(await page.locator('.term-out .t-out').last().innerText(), 'hello\n');
  assert.equal(await page.locator('.term-out .t-err').last().innerText(), 'bash: nosuchcommand: command not found\n');
  const [out, err] = await page.evaluate(() => [
    getComputedStyle(document.querySelector('.t-out')).color,
    getComputedStyle(document.querySelector('.t-err')).color,
  ]);
  assert.notEqual(out, err);
  assert.deepEqual(errors, []);
});

test('Up and Down walk the history, which survives a reload', async () => {
  const { page, errors } = await app.open();
  await run(page, 'echo one');
  await run(page, 'echo two');
  const input = page.locator('.term-input');
  await input.fill('draft');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'echo two');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'echo one');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'echo two');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'draft');

  await page.reload();
  await page.waitForSelector('.term-input');
  await input.click();
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'echo two');
  assert.deepEqual(errors, []);
});

test('Ctrl+C stops a waiting command, Ctrl+L clears the screen', async () => {
  const { page, errors } = await app.open();
  await run(page, 'sleep 600');
  // While the command waits there is no prompt.
  await page.waitForSelector('.term-line.busy');
  assert.equal(await page.locator('.term-line .t-prompt').count(), 0);
  await page.locator('.term-input').press('Control+c');
  await page.waitForSelector('.term-line:not(.busy) .t-prompt');
  assert.match(await termText(page), /\$ sleep 600\n\^C\n$/);
  await page.locator('.term-input').press('Control+l');
  await page.waitForFunction(() => document.querySelector('.term-out').innerText === '');
  assert.deepEqual(errors, []);
});

test('a pasted script runs line by line, each after the previous one finished', async () => {
  const { page, errors } = await app.open();
  const input = page.locator('.term-input');
  await input.click();
  await page.getByRole('button', { name: '30×' }).click();
  // Paste through the clipboard event, as a browser does.
  await input.evaluate((el, text) => {
    const dt = new DataTransfer();
    dt.setData('text', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, 'echo first\nsleep 3\necho second\necho typed-on');
  // The last line has no newline: it waits at the prompt.
  assert.equal(await input.inputValue(), 'echo typed-on');
  await page.waitForFunction(() => document.querySelector('.term-out').innerText.includes('second\n'));
  const t = await termText(page);
  assert.match(t, /\$ echo first\nfirst\n.*\$ sleep 3\n.*\$ echo second\nsecond\n$/s);
  await screenshot(page, 'terminal-paste.png');
  assert.deepEqual(errors, []);
});

test('a flood of output keeps the page answering: the scrollback keeps its end', async () => {
  const { page, errors } = await app.open();
  // 15 MB of output in one piece took the page minutes to lay out; a terminal keeps the end.
  await run(page, 'seq 1 2000000; echo flood-done');
  await waitTerm(page, /\n2000000\nflood-done\n/, 20000);
  const t = await termText(page);
  assert.ok(t.length <= 256 * 1024, `scrollback of ${t.length} characters`);
  assert.ok(!t.includes('\n1\n2\n3\n'), 'the start is gone');
  await run(page, 'echo still-here');
  await waitTerm(page, /\$ echo still-here\nstill-here\n/);
  assert.deepEqual(errors, []);
});

test('kubectl explain fetches its descriptions when first used, also for a replayed save', async () => {
  const { page, errors } = await app.open();
  const fetched = [];
  page.on('request', (r) => { if (r.url().endsWith('/explain.txt')) fetched.push(r.url()); });
  await run(page, 'echo ready');
  await waitTerm(page, /ready\n$/);
  assert.equal(fetched.length, 0, 'the page loads without them');
  await run(page, 'kubectl explain deploy.spec.strategy');
  await waitTerm(page, /FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n/);
  assert.match(await termText(page), /\$ kubectl explain deploy\.spec\.strategy\nGROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n/);
  assert.equal(fetched.length, 1);
  await run(page, 'kubectl explain pod.spec.containers.envFrom');
  await waitTerm(page, /FIELD: envFrom <\[\]EnvFromSource>\n/);
  assert.equal(fetched.length, 1, 'fetched once');

  // The autosave replays on reload: the explain in it waits for the file again.
  await page.reload();
  await page.waitForSelector('.term-input');
  await waitTerm(page, /FIELD: envFrom <\[\]EnvFromSource>\n/);
  assert.equal(fetched.length, 2);
  assert.doesNotMatch(await termText(page), /failed to download openapi/);
  assert.deepEqual(errors, []);
});

test('a full browser storage: the autosave says it failed, once, and the session goes on', async () => {
  const { page, errors } = await app.open();
  await run(page, 'echo before');
  await waitTerm(page, /before\n$/);
  // Fill the origin's storage to the last byte.
  await page.evaluate(() => {
    let n = 0;
    for (let size = 1 << 20; size >= 1; size >>= 1) {
      try {
        for (;;) localStorage.setItem(`filler${n++}`, 'x'.repeat(size));
      } catch (e) { /* full at this size: try smaller */ }
    }
  });
  await run(page, 'echo after');
  await waitTerm(page, /after\n$/);
  const notice = page.locator('.notices.bad .notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /^Autosave failed: .*: \d+ characters; QuotaExceededError: /);
  await screenshot(page, 'autosave-failed.png');
  await run(page, 'echo again');
  await waitTerm(page, /again\n$/);
  assert.equal(await notice.count(), 1, 'said once');
  assert.deepEqual(errors, []);
});

test('clear empties the screen; watch shows only its latest round until Ctrl+C', async () => {
  const { page, errors } = await app.open();
  await run(page, 'echo old output');
  await run(page, 'clear');
  await page.waitForFunction(() => document.querySelector('.term-out').innerText === '');
  await run(page, 'kubectl create deployment web --image=nginx --replicas=2');
  await run(page, 'watch -n 1 kubectl get pods');
  await waitTerm(page, /^Every 1\.0s: kubectl get pods +controlplane: .*\n\nNAME +READY/);
  // Later rounds replace the screen: one title line, whatever the clock did meanwhile.
  await page.locator('button', { hasText: '30×' }).click();
  await waitTerm(page, /1\/1 +Running[^]*1\/1 +Running/);
  const text = await termText(page);
  assert.equal(text.match(/Every 1\.0s/g).length, 1, text);
  assert.doesNotMatch(text, /\x1b|old output|deployment\.apps\/web created/);
  await screenshot(page, 'watch.png');
  await page.locator('.term-input').press('Control+c');
  await page.waitForSelector('.term-line:not(.busy) .t-prompt');
  assert.match(await termText(page), /\^C\n$/);
  assert.deepEqual(errors, []);
});
