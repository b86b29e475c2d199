// A learner who clicks and types anything: seeded random clicks on whatever the page shows
// (buttons, revisions, pod cards and cells, names in the terminal, selects, the canvas),
// keys in the terminal and the editor (Tab, arrows, Ctrl+C, Ctrl+L, Enter, Escape), the
// course notes' commands and manifests (some broken on purpose), window sizes and themes.
// Nothing may throw in the page, and afterwards the prompt must still answer.
// MONKEY_SEEDS=a,b,c and MONKEY_STEPS=n run other or longer walks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, run, termText, WEBAPP, WEBAPP_SETUP, NGINX } from './harness.mjs';

const app = servedApp();

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LINES = [
  ...WEBAPP_SETUP,
  'kubectl create deployment web --image=nginx:1.24 --replicas=12',
  'kubectl set image deployment web nginx=nginx:1.25',
  'kubectl set image deployment/web nginx=nginx:1.161',
  'kubectl rollout status deployment/web --timeout=20s',
  'kubectl rollout history deployment/web',
  'kubectl rollout undo deployment/web',
  'kubectl rollout undo deployment/web --to-revision=1',
  'kubectl rollout pause deployment/web',
  'kubectl rollout resume deployment/web',
  'kubectl scale deployment web --replicas=150',
  'kubectl scale deployment web --replicas=2',
  'kubectl get pods -w',
  'kubectl get all',
  'kubectl describe deployment web',
  'kubectl delete deployment web',
  'kubectl get secret app-secret -o yaml',
  'kubectl logs webapp',
  'kubectl exec webapp -- env',
  'echo -n mysql | base64',
  'echo bXlzcWw= | base64 --decode',
  'kubectl get pods -o wide | grep Running | wc -l',
  'cat <<EOF > x.yaml',
  'kubectl apply -f x.yaml',
  'EOF',
  'kubectl delete pod --all',
  'kubectl get events',
  'vi x.yaml',
  'kubectl set image pod/webapp web=busybox:1.36',
  'seq 1 2000000 | tail -1',
  'kubectl explain pod.spec.containers.envFrom',
  "kubectl run sleeper --image=ubuntu --command -- sleep2.0 10",
  'sleep 5',
  'kubectl create namespace dev',
  'kubectl config set-context --current --namespace=dev',
  'kubectl config set-context --current --namespace=default',
  '',
  'kubectl get pod webapp -o jsonpath={.spec.containers[0].env}',
  'kubectl --bogus',
  'kubectl get pods -w &',
  'jobs',
  'kill %1',
  'fg',
];

// The editor's texts: the course notes' pod and Deployment, and broken versions of them.
const TEXTS = [
  WEBAPP,
  NGINX,
  NGINX.replace('replicas: 3', 'replicas: 40').replace('nginx:1.25', 'nginx:1.24'),
  WEBAPP.replace('    envFrom:', '  envFrom:'),
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secret\ndata:\n  DB_Host: bXlzcWw\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: r\nspec:\n  strategy:\n    type: Recreate\n  replicas: 5\n',
  '{{{ not yaml',
  '',
];

const KEYS = ['Tab', 'ArrowUp', 'ArrowDown', 'Control+c', 'Control+l', 'Enter', 'Escape', 'Shift+Tab', 'Backspace', 'Home', 'End'];
const SIZES = [[1366, 800], [390, 844], [1920, 1080], [800, 600]];

async function walk(page, seed, steps) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const log = [];
  for (let i = 0; i < steps; i++) {
    const roll = r();
    try {
      if (roll < 0.3) {
        const line = pick(LINES);
        log.push(`line ${line}`);
        const input = page.locator('.term-input');
        await input.fill(line, { timeout: 2000 });
        await input.press('Enter', { timeout: 2000 });
      } else if (roll < 0.45) {
        const key = pick(KEYS);
        const target = r() < 0.6 ? '.term-input' : 'textarea.code';
        log.push(`key ${key} in ${target}`);
        await page.locator(target).press(key, { timeout: 2000 });
      } else if (roll < 0.55) {
        const text = pick(TEXTS);
        log.push(`editor text ${JSON.stringify(text.slice(0, 30))} and Apply`);
        const editor = page.locator('textarea.code');
        await editor.fill(text, { timeout: 2000 });
        if (r() < 0.7) await page.locator('button.apply').click({ timeout: 2000 });
      } else if (roll < 0.9) {
        // Anything clickable that is on screen now.
        const all = page.locator(
          'button:visible, summary:visible, .obj:visible, .pod:visible, canvas:visible, [role=tab]:visible, .revision:visible',
        );
        const n = await all.count();
        if (n === 0) continue;
        const k = Math.floor(r() * n);
        const el = all.nth(k);
        const label = ((await el.textContent({ timeout: 1000 })) || '').trim().slice(0, 40);
        log.push(`click #${k}/${n} ${label}`);
        await el.click({ timeout: 2000, position: (await el.evaluate((e) => e.tagName)) === 'CANVAS' ? { x: 3 + Math.floor(r() * 40), y: 3 + Math.floor(r() * 20) } : undefined });
      } else if (roll < 0.95) {
        const sel = page.locator('select:visible');
        const n = await sel.count();
        if (n === 0) continue;
        const s = sel.nth(Math.floor(r() * n));
        const options = await s.locator('option').evaluateAll((os) => os.map((o) => o.value));
        const v = pick(options);
        log.push(`select ${v}`);
        await s.selectOption(v, { timeout: 2000 });
      } else {
        const [w, h] = pick(SIZES);
        const scheme = r() < 0.5 ? 'dark' : 'light';
        log.push(`viewport ${w}x${h} ${scheme}`);
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
      }
    } catch (e) {
      // An element that went away between finding and clicking it is a race of this test,
      // not of the page; the page's own errors are collected separately.
      if (!/Timeout|detached|not visible|outside of the viewport|intercepts pointer/.test(String(e))) throw e;
      log.push(`  (skipped: ${String(e).split('\n')[0].slice(0, 80)})`);
    }
    await page.waitForTimeout(Math.floor(r() * 120));
  }
  return log;
}

const seeds = (process.env.MONKEY_SEEDS || '1,2').split(',').map(Number);
const steps = Number(process.env.MONKEY_STEPS || 60);

for (const seed of seeds) {
  test(`random clicks and keys (seed ${seed}, ${steps} steps) throw nothing and leave a working prompt`, async () => {
    const { page, errors } = await app.open();
    await page.getByRole('button', { name: '30×' }).click();
    const log = await walk(page, seed, steps);
    // Whatever it was doing, Ctrl+C brings the prompt back, and it answers.
    if (page.url().includes('course-notes')) await page.goBack();
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.locator('.term-input').press('Control+c');
    await page.locator('.term-input').press('Control+l');
    await run(page, 'echo still-here');
    await page.waitForFunction(() => document.querySelector('.term-out')?.innerText.includes('still-here\n'));
    if (process.env.MONKEY_LOG) console.log(log.join('\n'));
    await screenshot(page, `monkey-${seed}.png`);
    assert.deepEqual(errors, [], `page errors after:\n${log.join('\n')}`);
    assert.match(await termText(page), /still-here/);
  });
}
