// Shared by the browser tests: serve dist/ on 127.0.0.1 and drive the system Chromium.
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const dist = join(root, 'dist');
export const shots = join(here, 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Serve dist/ with python's http.server on a free loopback port. */
export async function serve() {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('dist/index.html is missing: run `trunk build --release` first');
  }
  const proc = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '-d', dist], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`http.server did not start: ${buf}`)), 10000);
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/port (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => reject(new Error(`http.server exited (${code}): ${buf}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, close: () => proc.kill() };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * For a test file: dist/ served and Chromium launched before its tests, both closed after.
 * Returns `{ url, browser, open(opts) }`, filled in once the tests start; `open` is
 * `openApp` on that browser and address.
 */
export function servedApp() {
  const app = {
    url: null,
    browser: null,
    open: (opts) => openApp(app.browser, app.url, opts),
  };
  let server;
  before(async () => {
    server = await serve();
    app.url = server.url;
    app.browser = await launch();
  });
  after(async () => {
    await app.browser?.close();
    server?.close();
  });
  return app;
}

/**
 * A page on the served app, at a laptop size, failing the test on any page error.
 * Returns { page, errors } where errors collects uncaught exceptions and console errors.
 */
export async function openApp(browser, url, { width = 1366, height = 800, query = '', colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url + query);
  await page.waitForSelector('.term-input', { timeout: 20000 });
  return { page, context, errors };
}

export async function screenshot(page, name) {
  mkdirSync(shots, { recursive: true });
  const path = join(shots, name);
  await page.screenshot({ path });
  return path;
}

/** Type a command at the prompt and press Enter. */
export async function run(page, line) {
  const input = page.locator('.term-input');
  await input.click();
  await input.fill(line);
  await input.press('Enter');
}

/** The terminal's whole text. */
export async function termText(page) {
  return page.locator('.term-out').innerText();
}

export const NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
`;

/** Replace the editor's text, as a paste does, and press Apply. */
export async function applyYaml(page, yaml) {
  const editor = page.locator('textarea.code');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(yaml);
  await page.locator('button.apply').click();
}

/** Wait until the terminal's text matches `re`. */
export async function waitTerm(page, re, timeout = 20000) {
  await page.waitForFunction((src) => new RegExp(src, 's').test(document.querySelector('.term-out')?.innerText || ''),
    re.source, { timeout });
}

/** The course notes' pod that takes a ConfigMap and a Secret through envFrom, valueFrom and a
 * volume; `WEBAPP_SETUP` creates them. */
export const WEBAPP = `apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
  - name: web
    image: busybox:1.28
    command: ["sh", "-c"]
    args: ["echo color=$(APP_COLOR) user=$(DB_USER); sleep 3600"]
    envFrom:
    - configMapRef:
        name: app-config
    env:
    - name: DB_USER
      valueFrom:
        secretKeyRef:
          name: app-secret
          key: DB_USER
    - name: GREETING
      value: hello
    volumeMounts:
    - name: app-config-volume
      mountPath: /etc/app
  volumes:
  - name: app-config-volume
    configMap:
      name: app-config
`;

export const WEBAPP_SETUP = [
  'kubectl create configmap app-config --from-literal=APP_COLOR=blue --from-literal=APP_MODE=prod',
  'kubectl create secret generic app-secret --from-literal=DB_HOST=mysql --from-literal=DB_USER=root --from-literal=DB_PASSWORD=paswrd',
];
