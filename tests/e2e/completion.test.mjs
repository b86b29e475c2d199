// Tab completion at the prompt: verbs, resource types, object names; a second Tab lists the
// candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, screenshot, applyYaml, waitTerm, NGINX } from './harness.mjs';

const app = servedApp();

test('Tab completes verbs, types and names, and lists the choices', async () => {
  const { page, errors } = await app.open();
  await applyYaml(page, NGINX);
  await waitTerm(page, /deployment\.apps\/nginx created\n$/);
  const input = page.locator('.term-input');
  await input.click();
  await input.pressSequentially('kubectl rol');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl rollout ');
  await input.pressSequentially('sta');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl rollout status ');
  await input.pressSequentially('deploy ');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl rollout status deploy nginx ');
  await input.fill('kubectl get dep');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl get deploy');
  await input.press('Tab');
  await input.press('Tab');
  await waitTerm(page, /\$ kubectl get deploy\ndeploy\s+deployment\s+deployments\n$/);
  assert.equal(await input.inputValue(), 'kubectl get deploy', 'the line stays at the prompt');
  await screenshot(page, 'completion.png');
  assert.deepEqual(errors, []);
});
