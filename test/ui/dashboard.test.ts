import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runClient } from '../support/clients.js';
import { startAirlock, type RunningAirlock } from '../support/airlock-server.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { fixturePackages } from '../registry/fixtures.js';

const root = resolve(import.meta.dirname, '..', '..');
const artifacts = join(root, 'artifacts');

let upstream: FakeUpstream;
let airlock: RunningAirlock;
let browser: Browser;

beforeAll(async () => {
  // The server serves ui/dist; build it once when a fresh checkout has not.
  if (!existsSync(join(root, 'ui', 'dist', 'index.html'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'ui'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
  mkdirSync(artifacts, { recursive: true });
  upstream = await startFakeUpstream([
    ...fixturePackages,
    // Install scripts from the first version on: each new version is held for review, never rejected.
    {
      name: 'airlock-waivable',
      versions: [
        { version: '1.0.0', ageDays: 20, scripts: { postinstall: 'node -v' } },
        {
          version: '1.1.0',
          ageDays: 10,
          scripts: { postinstall: 'node setup.js' },
          dependencies: { 'airlock-ok': '^1.0.0' },
          files: { 'setup.js': 'console.log(require("os").hostname());\n' },
        },
      ],
    },
  ]);
  airlock = await startAirlock(upstream.url);
  // launch() gives every run a new, empty profile in a temporary directory of its own.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await airlock?.close();
  await upstream?.close();
});

/** Asks for a tarball the way a client would: a held version answers 403 with the review link. */
async function tarball(name: string, version = '1.0.0') {
  const response = await request(`${airlock.url}/npm/${name}/-/${name}-${version}.tgz`, {
    headers: { 'user-agent': 'npm/10.9.0 node/v20.19.0 linux x64' },
  });
  return { status: response.statusCode, text: await response.body.text() };
}

async function signIn(context: BrowserContext, token: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${airlock.url}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
  return page;
}

describe('the dashboard in headless Chromium', () => {
  it('serves the app with a strict CSP and no sniffing', async () => {
    const response = await request(`${airlock.url}/`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const html = await response.body.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    const traversal = await request(`${airlock.url}/assets/..%2F..%2Fpackage.json`);
    expect(traversal.statusCode).toBe(404);
    await traversal.body.dump();
  });

  it('lets a reviewer find a held version, read its evidence and approve it; npm then installs it', async () => {
    const blocked = await tarball('airlock-scripted');
    expect(blocked.status).toBe(403);
    expect(blocked.text).toContain(`${airlock.url}/#/packages/airlock-scripted/1.0.0`);

    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await signIn(context, await airlock.token('reviewer', 'alice'));
    expect(await page.getByText('Signed in as').textContent()).toBe('Signed in as alice (reviewer) Sign out');

    const card = page.locator('.card', { hasText: 'airlock-scripted@1.0.0' });
    await card.waitFor();
    expect(await card.locator('.reasons').textContent()).toContain(
      'runs install scripts (preinstall/install/postinstall) and is not on the allow list',
    );
    await card.getByText(/^Findings \(\d+\)$/).click();
    const finding = card.locator('.finding', { hasText: 'install-scripts/install-script' });
    expect(await finding.textContent()).toContain('postinstall runs `node -e');
    await page.screenshot({ path: join(artifacts, 'review-queue.png'), fullPage: true });
    // The README's screenshot is refreshed on request only, so an ordinary run leaves the tree clean.
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1')
      copyFileSync(join(artifacts, 'review-queue.png'), join(root, 'docs', 'review-queue.png'));

    // The registry's 403 link leads to the package page.
    await page.goto(`${airlock.url}/#/packages/airlock-scripted/1.0.0`);
    await page.getByRole('heading', { name: 'airlock-scripted@1.0.0' }).waitFor();
    expect(await page.locator('.state').textContent()).toBe('review');
    expect(await page.locator('.facts').textContent()).toContain('hasInstallScripts');
    await page.screenshot({ path: join(artifacts, 'package-page.png'), fullPage: true });

    await page.goto(`${airlock.url}/#/`);
    const again = page.locator('.card', { hasText: 'airlock-scripted@1.0.0' });
    await again.waitFor();
    // The reviewer's keyboard path: j focuses the first held version, a opens its approval form.
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    const reason = again.getByLabel('Reason to approve airlock-scripted@1.0.0');
    await reason.waitFor();
    await page.keyboard.type('postinstall only prints');
    expect(await reason.inputValue()).toBe('postinstall only prints');
    await again.getByRole('button', { name: 'Confirm approval of airlock-scripted@1.0.0' }).click();
    await again.waitFor({ state: 'detached' });

    const version = (await (
      await request(`${airlock.url}/api/v1/packages/airlock-scripted/versions/1.0.0`, {
        headers: { authorization: `Bearer ${await airlock.token('reader')}` },
      })
    ).body.json()) as { state: string; decision: { decidedBy: string; reasons: { message: string }[] } };
    expect(version.state).toBe('approved');
    expect(version.decision.decidedBy).toBe('alice');

    const dir = makeProject(`${airlock.url}/npm/`, { 'airlock-scripted': '1.0.0' });
    const installed = await runClient('npm', ['install', 'airlock-scripted@1.0.0', '--ignore-scripts'], dir);
    expect(installed.stderr).not.toMatch(/ERR!/);
    expect(installed.code).toBe(0);
    expect(existsSync(join(dir, 'node_modules', 'airlock-scripted', 'package.json'))).toBe(true);

    await page.goto(`${airlock.url}/#/audit`);
    await page.getByText(/^Chain intact: \d+ events verified\.$/).waitFor();
    expect(await page.locator('tr', { hasText: 'version.approve' }).first().textContent()).toContain(
      'npm:airlock-scripted@1.0.0',
    );
    await page.screenshot({ path: join(artifacts, 'audit-log.png'), fullPage: true });
    await page.getByLabel('Actor').fill('alice');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('tbody tr').first().waitFor();
    // Wait until every row left is alice's.
    await page
      .locator('tbody tr')
      .filter({ hasNot: page.locator('td:nth-child(2)', { hasText: /^alice$/ }) })
      .first()
      .waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr', { hasText: 'version.approve' }).count()).toBe(1);

    await page.goto(`${airlock.url}/#/`);
    const decided = page.locator('.decisions tr', { hasText: 'airlock-scripted@1.0.0' }).first();
    expect(await decided.textContent()).toMatch(/airlock-scripted@1\.0\.0approvedalice$/);

    await page.goto(`${airlock.url}/#/policy`);
    await page.getByRole('heading', { name: 'Policy' }).waitFor();
    expect(await page.locator('main p').first().textContent()).toMatch(/^Mode \w+, from /);
    await page.screenshot({ path: join(artifacts, 'policy.png'), fullPage: true });
    await context.close();
  });

  it('shows a reader the queue without working decision buttons, and the server refuses a forced approve', async () => {
    expect((await tarball('airlock-scripted-too')).status).toBe(403);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const reader = await airlock.token('reader', 'bob');
    const page = await signIn(context, reader);
    const card = page.locator('.card', { hasText: 'airlock-scripted-too@1.0.0' });
    await card.waitFor();
    expect(await page.getByText('Your role (reader) can see the queue; reviewers decide.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Waive…' }).count()).toBe(0);
    await page.locator('.overview .tile').first().waitFor();
    await page.screenshot({ path: join(artifacts, 'review-queue-reader-phone.png'), fullPage: true });

    const forced = await page.evaluate(async (token) => {
      const response = await fetch('/api/v1/packages/airlock-scripted-too/versions/1.0.0/approve', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'forced' }),
      });
      return { status: response.status, body: (await response.json()) as { code: string } };
    }, reader);
    expect(forced).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await tarball('airlock-scripted-too')).status).toBe(403);
    expect(await page.getByRole('link', { name: 'Tokens' }).count()).toBe(0);
    await context.close();
  });

  it('lets an admin create and revoke a token, and bulk-approve selected versions', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await signIn(context, await airlock.token('admin', 'root'));
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByLabel('Name').fill('ci-bot');
    await page.getByLabel('Role').selectOption('reader');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = await page.locator('.new-token').textContent();
    expect(shown).toMatch(/^airlock_/);
    const who = await request(`${airlock.url}/api/v1/whoami`, {
      headers: { authorization: `Bearer ${shown}` },
    });
    expect(await who.body.json()).toEqual({ name: 'ci-bot', role: 'reader' });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    await page
      .locator('tr', { hasText: 'ci-bot' })
      .getByText(/^revoked /)
      .waitFor();
    const after = await request(`${airlock.url}/api/v1/whoami`, {
      headers: { authorization: `Bearer ${shown}` },
    });
    expect(after.statusCode).toBe(401);
    await after.body.dump();
    await page.screenshot({ path: join(artifacts, 'tokens.png'), fullPage: true });

    // Bulk approval: select the held versions, one reason, one confirmation.
    expect((await tarball('airlock-scripted-too')).status).toBe(403);
    await page.getByRole('link', { name: 'Review queue' }).click();
    await page.getByLabel('Select airlock-scripted-too@1.0.0').check();
    await page.getByLabel('Reason to approve the selected 1 version').fill('build tooling we use');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Approve 1 selected' }).click();
    await page.getByText('Nothing is waiting for review.').waitFor();
    expect(asked).toBe('Approve 1 version: airlock-scripted-too@1.0.0?');
    expect((await tarball('airlock-scripted-too')).status).toBe(200);
    await context.close();
  });

  it('shows the overview, live updates, blocked attempts and the diff; a waiver from the queue releases the version', async () => {
    expect((await tarball('airlock-waivable')).status).toBe(403);
    const approved = await request(`${airlock.url}/api/v1/packages/airlock-waivable/versions/1.0.0/approve`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await airlock.token('reviewer', 'carol')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ reason: 'prints the node version' }),
    });
    expect(approved.statusCode).toBe(200);
    await approved.body.dump();

    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await signIn(context, await airlock.token('reviewer', 'dave'));
    const overview = page.locator('.overview');
    await overview.getByRole('img', { name: /Findings by severity/ }).waitFor();
    expect(await overview.locator('.tile', { hasText: 'Upstream registry' }).textContent()).toContain(
      'healthy',
    );
    expect(await overview.locator('.tile', { hasText: 'Scans in the last hour' }).textContent()).toMatch(
      /^[1-9]/,
    );
    await page.locator('.live', { hasText: 'Live' }).waitFor();

    // A new held version appears without a reload: by the event stream, well before the 30 s poll.
    expect((await tarball('airlock-waivable', '1.1.0')).status).toBe(403);
    const card = page.locator('.card', { hasText: 'airlock-waivable@1.1.0' });
    await card.waitFor({ timeout: 3000 });
    await page.screenshot({ path: join(artifacts, 'overview.png'), fullPage: true });

    await card.getByText('Changes since the previous approved version').click();
    const diff = card.locator('.diff-view');
    await diff.getByText('Compared with').waitFor();
    expect(await diff.textContent()).toContain('Compared with 1.0.0');
    expect(await diff.locator('ul.changes li', { hasText: 'postinstall' }).textContent()).toBe(
      'postinstall: node -v → node setup.js',
    );
    expect(await diff.locator('.files.change-added').textContent()).toContain('setup.js');
    expect(await diff.locator('ul.changes li', { hasText: 'airlock-ok' }).textContent()).toContain(
      'new airlock-ok ^1.0.0',
    );
    await card.screenshot({ path: join(artifacts, 'review-diff.png') });

    // The refused install shows up under blocked attempts: who, from where, how often.
    await page.getByRole('link', { name: 'Blocked attempts' }).click();
    const row = page.locator('.blocked tr', { hasText: 'airlock-waivable@1.1.0' });
    await row.waitFor({ timeout: 5000 });
    expect(await row.textContent()).toContain('anonymous');
    expect(await row.textContent()).toContain('npm/10.9.0 node/v20.19.0 linux x64');
    await page.screenshot({ path: join(artifacts, 'blocked-attempts.png'), fullPage: true });
    await row.getByRole('link', { name: 'airlock-waivable@1.1.0' }).click();
    await page.getByRole('heading', { name: 'airlock-waivable@1.1.0' }).waitFor();
    await page.getByRole('button', { name: 'Waive…' }).waitFor();

    // Waive the rule that holds it, for this version only; the gate decides again and lets it through.
    await page.getByRole('link', { name: 'Review queue' }).click();
    await card.getByRole('button', { name: 'Waive…' }).click();
    expect(await card.getByLabel('install-scripts').isChecked()).toBe(true);
    await card.getByLabel('Reason to waive').fill('setup.js only prints the host name');
    await card.getByRole('button', { name: 'Confirm waiver for airlock-waivable@1.1.0' }).click();
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await tarball('airlock-waivable', '1.1.0')).status).toBe(200);
    await page.screenshot({ path: join(artifacts, 'after-waiver.png'), fullPage: true });

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const small = await signIn(phone, await airlock.token('reader', 'erin'));
    await small.locator('.overview .tile').first().waitFor();
    // Nothing wider than the screen: the page does not scroll sideways at 390 px.
    expect(await small.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await small.screenshot({ path: join(artifacts, 'overview-phone.png'), fullPage: true });
    await phone.close();
    await context.close();
  });
});
