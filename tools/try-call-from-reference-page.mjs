// What the README tells an integrator to do on the API reference page, done by a headless
// Chromium driven over the DevTools protocol: paste the client id and secret in the
// Authentication panel, press Authorize, open "Show the property.", press "Test Request", fill
// the property's identifier, press Send. Fails unless the page obtained a token from this
// server's /oauth2/token (HTTP Basic) and the call answered 200 with that bearer token.
//
// Usage: node tools/try-call-from-reference-page.mjs BASE_URL
//   with WINK_CLIENT_ID, WINK_CLIENT_SECRET and WINK_MANAGING_ENTITY as printed by `serve --demo`.
// Needs Node with a global WebSocket (22+, or 20/21 with --experimental-websocket) and chromium.
// Written against the vendored Scalar (crates/api/assets/scalar/): a new Scalar may need new
// selectors here, which is the point of running it after an upgrade.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = (process.argv[2] ?? '').replace(/\/$/, '');
const { WINK_CLIENT_ID: clientId, WINK_CLIENT_SECRET: secret, WINK_MANAGING_ENTITY: property } = process.env;
if (!base || !clientId || !secret || !property) {
  console.error('usage: WINK_CLIENT_ID=… WINK_CLIENT_SECRET=… WINK_MANAGING_ENTITY=… node tools/try-call-from-reference-page.mjs BASE_URL');
  process.exit(2);
}
const origin = new URL(base).origin;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (why) => {
  throw new Error(why);
};

/** Polls `probe` (an expression evaluated in the page) until it answers something truthy. */
async function waitFor(page, what, probe, ms = 20000) {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(250)) {
    const value = await page.evaluate(probe);
    if (value) return value;
  }
  fail(`timed out waiting for ${what}`);
}

async function launch(profile) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const browser = spawn(process.env.CHROMIUM ?? 'chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
    `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`, '--window-size=1400,1000',
    `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${new URL(base).hostname}`, 'about:blank',
  ], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++, await sleep(200)) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const page = targets.find((t) => t.type === 'page');
      if (page) return { browser, url: page.webSocketDebuggerUrl };
    } catch {
      // not listening yet
    }
  }
  browser.kill();
  fail('chromium did not start');
}

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const pending = new Map();
    const listeners = [];
    let id = 0;
    ws.onerror = reject;
    ws.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.id && pending.has(data.id)) {
        pending.get(data.id)(data);
        pending.delete(data.id);
      } else listeners.forEach((l) => l(data));
    };
    const send = (method, params = {}) => new Promise((r) => {
      pending.set(++id, r);
      ws.send(JSON.stringify({ id, method, params }));
    });
    const evaluate = async (expression) => {
      const r = await send('Runtime.evaluate', { expression, returnByValue: true });
      if (r.result?.exceptionDetails) fail(`in the page: ${JSON.stringify(r.result.exceptionDetails.exception?.description)}`);
      return r.result?.result?.value;
    };
    ws.onopen = () => resolve({ send, evaluate, on: (l) => listeners.push(l), close: () => ws.close() });
  });
}

const profile = mkdtempSync(join(tmpdir(), 'try-call-'));
const { browser, url } = await launch(profile);
const page = await connect(url);
const requests = new Map();
page.on(({ method, params }) => {
  if (method === 'Network.requestWillBeSent') {
    const r = params.request;
    requests.set(params.requestId, { method: r.method, url: r.url, authorization: Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '' });
  } else if (method === 'Network.responseReceived' && requests.has(params.requestId)) {
    requests.get(params.requestId).status = params.response.status;
  }
});
/** The first request to `url` that got an answer. */
async function answered(url, otherwise) {
  for (let i = 0; i < 80; i++, await sleep(250)) {
    const r = [...requests.values()].find((r) => r.url === url && r.status);
    if (r) return r;
  }
  fail(otherwise);
}
const button = (text, within = 'document') =>
  `[...${within}.querySelectorAll('button')].find((b) => b.textContent.trim().startsWith(${JSON.stringify(text)}))`;

try {
  await page.send('Network.enable');
  await page.send('Runtime.enable');
  await page.send('Page.navigate', { url: `${base}/` });

  // The Authentication panel: the fields are labelled, the id is an editor, the secret an input.
  for (const [label, value] of [['Client ID', clientId], ['Client Secret', secret]]) {
    await waitFor(page, `the ${label} field`, `(() => {
      const label = [...document.querySelectorAll('label')].find((l) => l.textContent.trim() === ${JSON.stringify(label)});
      const field = label && document.querySelector('[aria-labelledby="' + label.id + '"]');
      if (!field) return false;
      field.focus();
      return document.activeElement === field;
    })()`);
    await page.send('Input.insertText', { text: value });
  }
  await page.evaluate(`${button('Authorize')}.click()`);
  const token = await answered(`${origin}/oauth2/token`, 'pressing Authorize sent no token request to this server');
  console.log(`token request: ${token.method} ${token.url} (${token.authorization.split(' ')[0]}) -> ${token.status}`);
  if (token.status !== 200 || !token.authorization.startsWith('Basic ')) fail('the token request did not succeed with HTTP Basic');

  // An operation that needs the token: open it from the sidebar, then its request client.
  await waitFor(page, 'the sidebar entry "Show the property."', `(() => {
    const group = ${button('Open Group - Property')};
    if (group) group.click();
    const entry = [...document.querySelectorAll('a')].find((a) => a.textContent.trim().startsWith('Show the property.'));
    if (!entry) return false;
    entry.click();
    return true;
  })()`);
  await waitFor(page, 'its Test Request button', `(() => {
    const b = [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Test Request(get /api/managing-entity/{managingEntityIdentifier}/extranet/property)'));
    if (!b) return false;
    b.click();
    return true;
  })()`);
  await waitFor(page, 'the managingEntityIdentifier value', `(() => {
    const dialog = document.querySelector('[role=dialog]');
    const key = dialog && [...dialog.querySelectorAll('[contenteditable]')].find((e) => e.textContent.trim() === 'managingEntityIdentifier');
    const value = key && [...key.closest('tr').querySelectorAll('[contenteditable]')].find((e) => e !== key);
    if (!value) return false;
    value.focus();
    return document.activeElement === value;
  })()`);
  await page.send('Input.insertText', { text: property });
  await sleep(300);
  await page.evaluate(`${button('Send', "document.querySelector('[role=dialog]')")}.click()`);
  const target = `${origin}/api/managing-entity/${property}/extranet/property`;
  const call = await answered(target, `pressing Send did not call ${target}`);
  console.log(`test request: ${call.method} ${call.url} (${call.authorization.split(' ')[0]}) -> ${call.status}`);
  if (call.status !== 200 || !call.authorization.startsWith('Bearer ')) fail('the call did not succeed with the bearer token');

  const elsewhere = [...requests.values()].filter((r) => /^https?:/.test(r.url) && new URL(r.url).origin !== origin);
  if (elsewhere.length) fail(`the page asked other hosts: ${elsewhere.map((r) => r.url).join(', ')}`);
  console.log('try-call-from-reference-page: OK: token from the page, then a 200 call with it');
} catch (e) {
  console.error(`try-call-from-reference-page: FAIL: ${e.message}`);
  console.error('requests the page made:');
  for (const r of requests.values()) console.error(`  ${r.method} ${r.url} -> ${r.status ?? 'no answer'}`);
  process.exitCode = 1;
} finally {
  page.close();
  browser.kill();
  await sleep(300);
  rmSync(profile, { recursive: true, force: true });
}
