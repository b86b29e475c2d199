// The page in Korean, the course notes' language: the page's own words (buttons, headings, the
// cluster view's explanations, the pod detail) follow the language, while what kubectl prints
// and Kubernetes' own words (statuses, reasons) stay as a cluster gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, applyYaml, waitTerm, NGINX, WEBAPP, WEBAPP_SETUP } from './harness.mjs';

const app = servedApp();

test('the page speaks Korean with ?lang=ko, kubectl stays kubectl, and the switch goes back', async () => {
  const { page, errors } = await app.open({ query: '?lang=ko', width: 1440, height: 900 });
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  assert.match(await page.title(), /쿠버네티스/);
  assert.equal(await page.locator('button.apply').innerText(), '적용');
  assert.equal(await page.locator('.pane.terminal .title').innerText(), '터미널');
  assert.equal(await page.locator('.pane.cluster .title').innerText(), '클러스터');
  assert.match(await page.locator('.top .ns').innerText(), /^네임스페이스: default$/);
  assert.match(await page.locator('.clock .play').innerText(), /일시정지/);

  // A rolling update, paused midway: the budget explained in Korean.
  await applyYaml(page, NGINX.replace('replicas: 3', 'replicas: 4'));
  await waitTerm(page, /deployment\.apps\/nginx created\n$/);
  await page.getByRole('button', { name: '30×' }).click();
  await page.waitForFunction(() => /^준비 4\/4 · 최신 4 · 가용 4$/.test(document.querySelector('.deploy-counts')?.textContent || ''), null, { timeout: 20000 });
  await page.getByRole('button', { name: '1×' }).click();
  await run(page, 'kubectl set image deployment/nginx nginx=nginx:1.26');
  await waitTerm(page, /deployment\.apps\/nginx image updated\n$/);
  await page.locator('.clock .play').click();
  const waiting = page.locator('.deploy .waiting');
  await waiting.waitFor();
  assert.match(await waiting.innerText(), /기다리는 중|교체하는 중/);
  assert.match(await page.locator('.budget').innerText(), /파드 ≤ 5[\s\S]*가용 ≥ 3/);
  assert.match(await page.locator('.rs-new .rs-counts').innerText(), /^희망 \d+ · 현재 \d+ · 준비 \d+$/);
  assert.match(await page.locator('.timeline').innerText(), /리비전 2/);
  await screenshot(page, 'korean-rollout.png');
  await page.locator('.clock .play').click();

  // The pod detail: headings, the command/args rule and the env sources in Korean.
  for (const l of WEBAPP_SETUP) await run(page, l);
  await waitTerm(page, /secret\/app-secret created\n$/);
  await applyYaml(page, WEBAPP);
  await waitTerm(page, /pod\/webapp created\n$/);
  await page.getByRole('button', { name: '30×' }).click();
  await page.waitForSelector('.cluster .pod.running[data-name="webapp"]', { timeout: 20000 });
  await page.locator('.cluster .pod[data-name="webapp"]').click();
  const drawer = page.locator('.drawer.pod-detail');
  await drawer.waitFor();
  // Kubernetes' own words stay.
  assert.equal(await drawer.locator('.ctr-state .state').first().innerText(), 'Running');
  const headings = await drawer.locator('h4').allInnerTexts();
  assert.deepEqual(headings.slice(0, 2).map((h) => h.trim()), ['명령줄', '환경 변수']);
  assert.equal(await drawer.locator('.rule').innerText(), 'command와 args가 이미지의 ENTRYPOINT와 CMD를 대체합니다');
  const source = await drawer.locator('tr.env', { has: page.locator('.name', { hasText: /^APP_COLOR$/ }) }).locator('.source').innerText();
  assert.equal(source, 'envFrom configMapRef app-config → 키 APP_COLOR');
  await screenshot(page, 'korean-pod-detail.png');
  await page.keyboard.press('Escape');

  // kubectl's output is kubectl's.
  await run(page, 'kubectl get pod webapp');
  await waitTerm(page, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nwebapp\s+1\/1\s+Running/);

  // The switch brings English back at once.
  await page.locator('.lang-switch select').selectOption('en');
  await page.waitForFunction(() => document.querySelector('button.apply')?.textContent === 'Apply');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.title(), 'kubeplay: a Kubernetes playground in your browser');
  assert.match(await page.locator('.deploy-counts').innerText(), /ready · \d+ up-to-date/);
  assert.deepEqual(errors, []);
});
