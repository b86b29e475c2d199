// The walking skeleton, as a learner does it: paste a Deployment into the editor, Apply, run
// `kubectl get pods`, and see the pods Running in the cluster view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, termText, NGINX } from './harness.mjs';

const app = servedApp();

test('a pasted Deployment applied from the editor comes up as three Running pods', async () => {
  const { page, errors } = await app.open();
  // The prompt shows the namespace.
  assert.equal((await page.locator('.term-line .t-prompt').innerText()).trimEnd(), 'controlplane ~ (default) $');

  const editor = page.locator('textarea.code');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(NGINX.replace('replicas: 3', 'replicas: 3 '));
  await page.locator('button.apply').click();

  await page.waitForFunction(() =>
    document.querySelector('.term-out')?.innerText.includes('deployment.apps/nginx created'));
  const t = await termText(page);
  assert.match(t, /controlplane ~ \(default\) \$ kubectl apply -f deployment\.yaml\ndeployment\.apps\/nginx created\n/);
  // The name kubectl printed is a link to the object.
  assert.deepEqual(await page.locator('.term-out .obj').allInnerTexts(), ['deployment.apps/nginx']);

  // Run the clock fast, and wait for the cluster view to show three Running pods.
  await page.getByRole('button', { name: '30×' }).click();
  await page.waitForFunction(() =>
    document.querySelectorAll('.cluster .pod.running').length === 3, null, { timeout: 20000 });

  await run(page, 'kubectl get pods');
  await page.waitForFunction(() =>
    (document.querySelector('.term-out')?.innerText.match(/ Running /g) || []).length === 3);
  const out = await termText(page);
  const table = out.slice(out.lastIndexOf('$ kubectl get pods'));
  assert.match(table, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
  const rows = table.split('\n').filter((l) => /^nginx-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\d+s$/.test(l));
  assert.equal(rows.length, 3, table);

  // The cluster view names the same pods, under one ReplicaSet at revision 1.
  const names = await page.locator('.cluster .pod').evaluateAll((els) => els.map((e) => e.dataset.name).sort());
  assert.deepEqual(names, rows.map((r) => r.split(/\s+/)[0]).sort());
  assert.equal(await page.locator('.cluster .rs .rev').first().innerText(), 'rev 1');
  assert.match(await page.locator('.cluster .deploy-counts').innerText(), /^3\/3 ready/);

  await screenshot(page, 'apply.png');
  assert.deepEqual(errors, []);
});

test('Apply while a watch runs stops the watch with ^C, as the learner would, and applies', async () => {
  const { page, errors } = await app.open();
  await run(page, 'kubectl get pods -w');
  await page.waitForSelector('.term-line.busy');
  const editor = page.locator('textarea.code');
  await editor.fill(NGINX);
  await page.locator('button.apply').click();
  await page.waitForFunction(() =>
    document.querySelector('.term-out')?.innerText.includes('deployment.apps/nginx created'));
  assert.match(await termText(page),
    /\$ kubectl get pods -w\n(No resources found in default namespace\.\n)?\^C\ncontrolplane ~ \(default\) \$ kubectl apply -f deployment\.yaml\ndeployment\.apps\/nginx created\n/);
  await page.waitForSelector('.term-line:not(.busy) .t-prompt');
  assert.deepEqual(errors, []);
});
