// A pod's detail and `kubectl edit`, as a learner of the course notes meets them: the notes'
// ConfigMap and Secret (kubectl create configmap/secret --from-literal), a pod that takes them
// through envFrom, valueFrom and a volume, the notes' mistake of a ConfigMap key that does not
// exist, and an edit in the page's editor. What the drawer shows is checked against what the
// simulated cluster itself answers in the terminal (printenv, logs, get).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, applyYaml, waitTerm, termText, WEBAPP, WEBAPP_SETUP as SETUP } from './harness.mjs';

const app = servedApp();

// The same pod with the key spelled wrong: the kubelet cannot build its environment.
const BROKEN = `apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers:
  - name: web
    image: nginx:1.25
    env:
    - name: APP_COLOR
      valueFrom:
        configMapKeyRef:
          name: app-config
          key: APP_COLOUR
`;

/** The drawer's environment rows: name -> { value, source }. */
const envRows = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('.drawer .ctr:first-of-type .env-table tr.env')].map((tr) => [
    tr.querySelector('.name').textContent,
    { value: tr.querySelector('.value code').textContent, source: tr.querySelector('.source').textContent },
  ])));

/** Click the name `word` where the terminal's output last shows it (names are links). */
async function clickTermWord(page, word) {
  const links = page.locator('.term-out .obj', { hasText: new RegExp(`^${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
  assert.ok(await links.count() > 0, `${word} is a link in the terminal`);
  await links.last().click();
}

for (const scheme of ['light', 'dark']) {
  test(`a pod's detail shows where its env vars and command came from (${scheme})`, async () => {
    const { page, errors } = await app.open({ colorScheme: scheme, width: 1440, height: 900 });
    await page.getByRole('button', { name: '30×' }).click();
    for (const l of SETUP) await run(page, l);
    await waitTerm(page, /secret\/app-secret created\n$/);
    await applyYaml(page, WEBAPP);
    await waitTerm(page, /pod\/webapp created\n$/);
    await page.waitForSelector('.cluster .pod.running[data-name="webapp"]', { timeout: 20000 });

    // What the cluster itself says, to compare the drawer with.
    await run(page, 'kubectl exec webapp -- printenv APP_COLOR DB_USER GREETING');
    await waitTerm(page, /printenv APP_COLOR DB_USER GREETING\n.*\n.*\n.*\n$/);
    const t = await termText(page);
    const [color, user, greeting] = t.slice(t.lastIndexOf('printenv')).split('\n').slice(1, 4);
    assert.equal(color, 'blue');
    await run(page, 'kubectl logs webapp');
    await waitTerm(page, /\$ kubectl logs webapp\ncolor=.*\n$/);
    const log = (await termText(page)).trimEnd().split('\n').pop();
    await run(page, 'kubectl exec webapp -- ls /etc/app');
    await waitTerm(page, /\$ kubectl exec webapp -- ls \/etc\/app\n(.+\n)+$/);
    const ls = (await termText(page)).split('$ kubectl exec webapp -- ls /etc/app\n').pop().trimEnd().split('\n');
    assert.deepEqual(ls, ['APP_COLOR', 'APP_MODE']);
    await run(page, 'kubectl exec webapp -- ps');
    await waitTerm(page, /\$ kubectl exec webapp -- ps\n.*\n.*\n.*\n$/);
    const ps = (await termText(page)).split('$ kubectl exec webapp -- ps\n').pop().split('\n');
    const pid1 = ps[1].replace(/^ +1 root +\S+ /, '');
    assert.equal(pid1, 'sleep 3600');

    // Open the pod's detail from its card in the cluster view.
    await page.locator('.cluster .pod[data-name="webapp"]').click();
    const drawer = page.locator('.drawer.pod-detail');
    await drawer.waitFor();
    assert.equal(await drawer.locator('.drawer-title').innerText(), 'webapp');
    assert.equal(await drawer.locator('.ctr-state .state').first().innerText(), 'Running');

    const env = await envRows(page);
    assert.equal(env.APP_COLOR.value, color);
    assert.equal(env.APP_COLOR.source, 'envFrom configMapRef app-config → key APP_COLOR');
    assert.equal(env.APP_MODE.source, 'envFrom configMapRef app-config → key APP_MODE');
    assert.equal(env.DB_USER.value, user);
    assert.equal(env.DB_USER.source, 'secretKeyRef app-secret → key DB_USER');
    assert.equal(env.GREETING.value, greeting);
    assert.equal(env.GREETING.source, 'value');
    assert.equal(env.HOSTNAME.value, 'webapp');
    assert.match(env.PATH.source, /^image ENV \(busybox:1\.28\)$/);

    // The command line: command and args from the pod, $(VAR) expanded as the log shows.
    const words = await drawer.locator('.argv .word').evaluateAll((els) => els.map((e) => ({
      value: e.querySelector('code').textContent, origin: e.querySelector('.origin').textContent,
      raw: e.querySelector('.raw')?.textContent ?? null,
    })));
    assert.deepEqual(words.map((w) => w.origin), ['command', 'command', 'args']);
    assert.equal(words[2].raw, 'echo color=$(APP_COLOR) user=$(DB_USER); sleep 3600');
    assert.equal(words[2].value, `echo ${log}; sleep 3600`);
    assert.match(await drawer.locator('.rule').first().innerText(), /command and args replace the image's ENTRYPOINT and CMD/);
    // What runs now, as the container's own ps shows it: sh -c put its last command in its place.
    assert.match(await drawer.locator('.execed').innerText(), new RegExp(`^Process 1 now runs ${pid1}: the shell ran it in its own place`));

    // The mounted ConfigMap: one file per key, the files `ls` lists in the container.
    const mount = drawer.locator('.mount[data-volume="app-config-volume"]');
    assert.match(await mount.innerText(), /^\/etc\/app ← volume app-config-volume: configMap app-config/);
    const files = await mount.locator('.files code').allInnerTexts();
    assert.deepEqual(files, ls.map((f) => `/etc/app/${f}`));
    assert.match(await drawer.locator('.pod-events').innerText(), /Started/);
    await screenshot(page, `pod-detail-env-${scheme}.png`);

    // Escape closes it.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // The ConfigMap and Secret list the pod through env, envFrom and the volume; the
    // ConfigMap's name in the terminal's output points at it.
    const cm = page.locator('.cfg[data-config="ConfigMap/app-config"]');
    await clickTermWord(page, 'configmap/app-config');
    assert.match(await cm.getAttribute('class'), /\bpicked\b/);
    assert.match(await cm.innerText(), /envFrom \(container web\)/);
    assert.match(await cm.innerText(), /volume app-config-volume at \/etc\/app in web/);
    const sec = page.locator('.cfg[data-config="Secret/app-secret"]');
    assert.match(await sec.innerText(), /env DB_USER ← key DB_USER \(container web\)/);

    // The notes' mistake: a key that is not in the ConfigMap.
    await applyYaml(page, BROKEN);
    await waitTerm(page, /pod\/broken created\n$/);
    await page.waitForSelector('.cluster .pod[data-name="broken"][data-status="CreateContainerConfigError"]', { timeout: 20000 });
    await run(page, 'kubectl get pod broken');
    await waitTerm(page, /broken\s+0\/1\s+CreateContainerConfigError\s+0\s+\d+s\n$/);
    // Open it by clicking its name in the terminal's output.
    await clickTermWord(page, 'broken');
    await drawer.waitFor();
    assert.equal(await drawer.locator('.drawer-title').innerText(), 'broken');
    assert.equal(await drawer.locator('.ctr-state .reason').first().innerText(), 'CreateContainerConfigError');
    assert.match(await drawer.locator('.problem').first().innerText(),
      /couldn't find key APP_COLOUR in ConfigMap default\/app-config/);
    assert.match(await drawer.locator('.decls li.bad').first().innerText(),
      /ConfigMap app-config has no key APP_COLOUR \(its keys: APP_COLOR, APP_MODE\)/);
    // nginx with no command or args: the image's ENTRYPOINT and CMD.
    const origins = await drawer.locator('.argv .word .origin').allInnerTexts();
    assert.equal(origins[0], 'image ENTRYPOINT');
    assert.ok(origins.slice(1).every((o) => o === 'image CMD'), origins.join());
    assert.match(await drawer.locator('.pod-events').innerText(), /Error: couldn't find key APP_COLOUR/);
    await screenshot(page, `pod-detail-missing-key-${scheme}.png`);
    await drawer.locator('button.close').click();
    await drawer.waitFor({ state: 'detached' });
    assert.match(await page.locator('.cfg[data-config="ConfigMap/app-config"]').innerText(), /has no key APP_COLOUR/);
    assert.deepEqual(errors, []);
  });
}

test('kubectl edit opens the object in the editor; Save patches it, a bad save reopens it', async () => {
  const { page, errors } = await app.open();
  await run(page, 'kubectl create deployment web --image=nginx:1.14.2');
  await waitTerm(page, /deployment\.apps\/web created\n$/);
  await run(page, 'kubectl edit deploy/web');
  const pane = page.locator('.edit-pane');
  await pane.waitFor();
  const ta = pane.locator('textarea.code');
  const opened = await ta.inputValue();
  assert.ok(opened.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"), opened);
  // The file is the object as `kubectl get -o yaml` prints it.
  assert.match(opened, /\n  name: web\n/);
  assert.match(opened, /image: nginx:1\.14\.2\n/);
  // The manifest editor is hidden meanwhile, and the terminal waits.
  assert.equal(await page.locator('section.editor:not(.edit-pane)').isHidden(), true);
  assert.equal(await page.locator('.term-line .t-prompt').count(), 0);
  await screenshot(page, 'edit-open.png');

  // A change saved: kubectl's answer, and the object changed.
  await ta.fill(opened.replace('image: nginx:1.14.2', 'image: nginx:1.16.1'));
  await pane.locator('button.save-edit').click();
  await waitTerm(page, /\$ kubectl edit deploy\/web\ndeployment\.apps\/web edited\n$/);
  await pane.waitFor({ state: 'detached' });
  await run(page, "kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'");
  await waitTerm(page, /\nnginx:1\.16\.1$/);

  // An invalid value: kubectl says so and reopens the file with the causes at the top.
  await run(page, 'kubectl edit deploy/web');
  await pane.waitFor();
  const again = await ta.inputValue();
  assert.match(again, /image: nginx:1\.16\.1\n/);
  await ta.fill(again.replace('replicas: 1', 'replicas: -1'));
  await pane.locator('button.save-edit').click();
  await waitTerm(page, /error: deployments\.apps "web" is invalid\n$/);
  await page.waitForFunction(() => document.querySelector('.edit-pane textarea')?.value.includes('was not valid'));
  const reopened = await ta.inputValue();
  assert.match(reopened, /^# Please edit[^]*\n#\n# deployments\.apps "web" was not valid:\n# \* spec\.replicas: Invalid value: -1: must be greater than or equal to 0\n#\n/);
  assert.match(reopened, /replicas: -1/);
  await screenshot(page, 'edit-invalid-reopened.png');

  // Cancel: the file is left as it was reopened, so kubectl gives up and keeps a copy.
  await pane.locator('button.cancel-edit').click();
  await waitTerm(page, /A copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\.\n$/);
  await pane.waitFor({ state: 'detached' });
  await run(page, "kubectl get deploy web -o jsonpath='{.spec.replicas}'");
  await waitTerm(page, /\n1$/);

  // Opened and closed without a change.
  await run(page, 'kubectl edit deploy web');
  await pane.waitFor();
  await pane.locator('button.cancel-edit').click();
  await waitTerm(page, /\$ kubectl edit deploy web\nEdit cancelled, no changes made\.\n$/);
  assert.deepEqual(errors, []);
});

test('a pod stuck on a bad image, fixed with kubectl edit, starts with the new image', async () => {
  const { page, errors } = await app.open();
  await page.getByRole('button', { name: '30×' }).click();
  await run(page, 'kubectl run bad --image=nginx:1.161');
  await waitTerm(page, /pod\/bad created\n$/);
  const card = page.locator('.cluster .pod[data-name="bad"]');
  await page.waitForFunction(() => /ImagePullBackOff/.test(document.querySelector('.cluster .pod[data-name="bad"]')?.textContent || ''), null, { timeout: 20000 });
  // The drawer says that kubeplay has no such image, and which it has.
  await run(page, 'kubectl get pod bad');
  await waitTerm(page, /\nbad\s+0\/1\s+\S+\s+0\s+\S+\n$/);
  await clickTermWord(page, 'bad');
  const drawer = page.locator('.drawer.pod-detail');
  await drawer.waitFor();
  const note = await drawer.locator('.ctr-state .not-here').innerText();
  assert.match(note, /^kubeplay has no image nginx:1\.161: /);
  assert.match(note, /The images kubeplay has: .*\bbusybox\b.*\bnginx\b.*\.$/);
  await drawer.locator('button.close').click();
  await drawer.waitFor({ state: 'detached' });
  await run(page, 'kubectl edit pod bad');
  const pane = page.locator('.edit-pane');
  await pane.waitFor();
  const ta = pane.locator('textarea.code');
  await ta.fill((await ta.inputValue()).replace('- image: nginx:1.161', '- image: nginx:1.16.1'));
  await pane.locator('button.save-edit').click();
  await waitTerm(page, /\$ kubectl edit pod bad\npod\/bad edited\n$/);
  // The kubelet follows the new image at once: no back-off, no restart counted.
  await page.waitForFunction(() => /Running/.test(document.querySelector('.cluster .pod[data-name="bad"]')?.textContent || ''), null, { timeout: 20000 });
  await run(page, 'kubectl get pod bad --no-headers');
  await waitTerm(page, /\nbad\s+1\/1\s+Running\s+0\s+\S+\n$/);
  assert.match(await card.innerText(), /Running/);
  assert.deepEqual(errors, []);
});
