import { serve, launch, openApp, run, waitTerm, applyYaml, termText, NGINX } from './harness.mjs';
const server = await serve();
const browser = await launch();
const { page, errors } = await openApp(browser, server.url);
await run(page, 'kubectl explain deployment.spec.strategy.rollingUpdate');
await waitTerm(page, /maxUnavailable/);
await page.screenshot({ path: '/tmp/explore/explain.png' });
console.log(errors);
await browser.close(); server.close();
