// The manifest editor as a learner uses it with the seed notes: a new file from a template,
// the notes' mis-indented envFrom applied and marked at its line with kubectl's message, the
// fix, and files that the terminal writes opening as tabs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, termText, waitTerm } from './harness.mjs';

const app = servedApp();

/** Replace the editor's text as a paste does, without applying. */
async function paste(page, text) {
  await page.locator('section.editor textarea.code').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const tabs = (page) => page.locator('.file-tabs .file-tab').evaluateAll((els) => els.map((e) => e.innerText.trim()));

for (const scheme of ['light', 'dark']) {
  test(`templates, error marks at their line, and the shell's files as tabs (${scheme})`, async () => {
    const { page, errors } = await app.open({ colorScheme: scheme, width: 1440, height: 900 });
    assert.deepEqual(await tabs(page), ['deployment.yaml •']);
    // YAML is highlighted: keys, and the number of replicas.
    assert.equal(await page.locator('.code.hl .k').first().innerText(), 'apiVersion');
    assert.equal(await page.locator('.code.hl .l').first().innerText(), '3');

    // A ConfigMap from its template, applied.
    await page.locator('select.new-file').selectOption({ label: 'ConfigMap' });
    assert.deepEqual(await tabs(page), ['configmap.yaml', 'deployment.yaml']);
    assert.match(await page.locator('section.editor textarea.code').inputValue(), /^apiVersion: v1\nkind: ConfigMap\n/);
    // The new file has the focus, to be edited at once.
    assert.equal(await page.evaluate(() => document.activeElement?.matches('section.editor textarea.code')), true);
    await page.locator('button.apply').click();
    await waitTerm(page, /configmap\/app-config created/);

    // A Pod from its template, edited into the notes' envFrom with `name` one level too far out.
    await page.locator('select.new-file').selectOption({ label: 'Pod' });
    assert.deepEqual(await tabs(page), ['configmap.yaml', 'deployment.yaml', 'pod.yaml']);
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
  - name: webapp
    image: kodekloud/webapp-color
    envFrom:
      - configMapRef:
        name: app-config
`;
    await paste(page, pod);
    assert.deepEqual(await tabs(page), ['configmap.yaml', 'deployment.yaml', 'pod.yaml •']);
    await page.keyboard.press('Control+Enter');
    const message = 'Error from server (BadRequest): error when creating "pod.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].envFrom[0].name"';
    await waitTerm(page, /strict decoding error/);
    assert.ok((await termText(page)).includes(message));
    // Line 11 is marked, in the gutter and under the text, with kubectl's message.
    await page.waitForSelector('.gutter .ln.err');
    assert.equal((await page.locator('.gutter .ln.err').innerText()).trim(), '11');
    assert.equal(await page.locator('.gutter .ln.err').getAttribute('title'), message);
    assert.equal(await page.locator('.code.hl .line.err').count(), 1);
    assert.equal((await page.locator('.code.hl .line.err').innerText()).trim(), 'name: app-config');
    assert.equal(await page.locator('.marks .mark-msg').innerText(), message);
    await screenshot(page, `editor-mark-${scheme}.png`);
    // "line 11" takes the caret there.
    await page.locator('.marks .mark-line').click();
    const caret = await page.locator('section.editor textarea.code').evaluate((t) => t.selectionStart);
    assert.equal(caret, pod.split('\n').slice(0, 10).join('\n').length + 1);

    // Indented under configMapRef, the marks go and the pod is created.
    await page.keyboard.press('Home');
    await page.keyboard.insertText('  ');
    assert.equal(await page.locator('.marks').count(), 0);
    assert.equal(await page.locator('.gutter .ln.err').count(), 0);
    await page.locator('button.apply').click();
    await waitTerm(page, /pod\/webapp created/);
    assert.equal(await page.locator('.marks').count(), 0);

    // A file the terminal writes becomes a tab; it opens as the shell has it.
    await run(page, 'kubectl get pod webapp -o yaml > webapp.yaml');
    await page.waitForFunction(() => [...document.querySelectorAll('.file-tabs .file-tab')].some((e) => e.innerText.trim() === 'webapp.yaml'));
    await page.locator('.file-tabs .file-tab', { hasText: 'webapp.yaml' }).click();
    const text = await page.locator('section.editor textarea.code').inputValue();
    assert.match(text, /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    assert.match(text, /configMapRef:\n {8}name: app-config\n/);
    // Moving to another file saved the default one: the shell sees it.
    await run(page, 'ls');
    await waitTerm(page, /\$ ls\nconfigmap\.yaml\s+deployment\.yaml\s+pod\.yaml\s+webapp\.yaml\n/);
    // A command that changes the open file shows the change.
    await run(page, "sed -i 's/name: webapp$/name: webapp2/' webapp.yaml");
    await page.waitForFunction(() => /\n  name: webapp2\n/.test(document.querySelector('section.editor textarea.code').value));
    await screenshot(page, `editor-tabs-${scheme}.png`);
    // A very large file is shown plain (no highlighting to redraw), and still edits and applies.
    const big = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n' +
      Array.from({ length: 3000 }, (_, i) => `  key${i}: "${'v'.repeat(20)}"\n`).join('');
    await page.locator('select.new-file').selectOption({ label: 'ConfigMap' });
    await paste(page, big);
    assert.equal(await page.locator('section.editor .code.hl').count(), 0);
    assert.equal(await page.locator('section.editor textarea.code.plain').count(), 1);
    assert.equal(await page.locator('section.editor .gutter').evaluate((g) => g.textContent.trim().split('\n').length), 3006);
    await page.locator('button.apply').click();
    await waitTerm(page, /configmap\/big created/);
    assert.deepEqual(errors, []);
  });
}

test('vi FILE at the prompt opens the file in the editor, new or not', async () => {
  const { page, errors } = await app.open();
  await run(page, 'kubectl run web --image=nginx --dry-run=client -o yaml > pod.yaml');
  await run(page, 'vi pod.yaml');
  await page.waitForFunction(() => document.querySelector('textarea.code:not(.edit-pane textarea)')?.value.includes('name: web'));
  assert.equal(await page.evaluate(() => document.activeElement?.matches('textarea.code')), true, 'the keyboard is in the editor');
  assert.match(await page.locator('.file-tabs').innerText(), /pod\.yaml/);
  // A new file opens empty; Ctrl+S writes it for the shell.
  await run(page, 'vim notes.txt');
  await page.waitForFunction(() => document.querySelector('textarea.code')?.value === '');
  await page.keyboard.insertText('hello from the editor\n');
  await page.keyboard.press('Control+s');
  await run(page, 'cat notes.txt');
  await waitTerm(page, /\$ cat notes\.txt\nhello from the editor\n$/);
  assert.deepEqual(errors, []);
});
