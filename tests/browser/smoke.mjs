// Browser smoke and accessibility tests for hubmatch's pages, public and signed in.
//
//   node tests/browser/smoke.mjs BASE_URL [OUT_DIR]
//
// Drives Debian's /usr/bin/chromium with npm playwright-core (no browser is
// downloaded) and runs axe-core (WCAG 2.0/2.1 A+AA, 2.2 AA) on every page.
// Prints `ok - NAME` / `not ok - NAME: REASON` per test, details as `#` lines,
// and as the very last line `N passed, M failed` (read by the CI harness).
// Exits 1 when any test failed. A full-page screenshot per page goes to
// OUT_DIR (default target/browser-screenshots).
//
// Adding a journey: append an entry to PAGE_TESTS (a page checked like all the
// others) or to FLOW_TESTS (free-form, gets a fresh browser context).
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createHmac } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const TIMEOUT_MS = 30_000;

const [baseArg, outArg] = process.argv.slice(2);
if (!baseArg) {
  console.error('usage: node tests/browser/smoke.mjs BASE_URL [OUT_DIR]');
  process.exit(2);
}
const BASE = new URL(baseArg);
const ORIGIN = BASE.origin;
const OUT_DIR = outArg || 'target/browser-screenshots';
mkdirSync(OUT_DIR, { recursive: true });
const abs = (p) => new URL(p, BASE).href;

// ---------------------------------------------------------------------------
// Page tests. Each entry reaches one page, then the standard checks run on it.
//   name    test name (also the screenshot file name)
//   path    URL path to open, or
//   reach   async (page, h) => goes to the page itself (h.goto, h.clickFirst)
//   status  expected HTTP status of the page (default 200)
// ---------------------------------------------------------------------------
const PAGE_TESTS = [
  { name: 'home', path: '/' },
  { name: 'roles list', path: '/roles' },
  {
    name: 'roles filtered by the first cause',
    reach: async (page, h) => {
      await h.goto('/roles');
      const cause = await firstFilterValue(page, 'cause');
      if (!cause) throw new Error('no cause found in the /roles filter form (field name "cause")');
      await h.goto(`/roles?cause=${encodeURIComponent(cause)}`);
    },
  },
  {
    name: 'role page (first role on /roles)',
    reach: async (page, h) => {
      await h.goto('/roles');
      await h.clickFirst('.hm-role-card a[href^="/roles/"]', 'role link in a .hm-role-card on /roles');
    },
  },
  { name: 'organisations list', path: '/organisations' },
  {
    name: 'organisation page (first on /organisations)',
    reach: async (page, h) => {
      await h.goto('/organisations');
      await h.clickFirst('main a[href^="/organisations/"]', 'organisation link in <main> on /organisations');
    },
  },
  { name: 'hubs list', path: '/hubs' },
  {
    name: 'hub page (first on /hubs)',
    reach: async (page, h) => {
      await h.goto('/hubs');
      await h.clickFirst('main a[href^="/hubs/"]', 'hub link in <main> on /hubs');
    },
  },
  { name: 'page not found', path: '/this-page-does-not-exist', status: 404 },
];

// ---------------------------------------------------------------------------
// Flow tests: run (browser, report) with report.fail(reason) / report.note(text).
// ---------------------------------------------------------------------------
const FLOW_TESTS = [
  { name: 'filter roles by cause with JavaScript off', run: filterWithoutJavaScript },
  { name: 'search roles with a typo, see highlights, tick a facet', run: searchWithTypoJourney },
  { name: 'public pages reflow at 320 CSS pixels (WCAG 1.4.10)', run: reflowAtNarrowWidth },
  { name: 'sign up as an adult volunteer, confirm the address, sign in, see the account', run: signUpJourney },
  { name: 'sign in with a demo account and sign out', run: signInAndOutJourney },
  { name: 'reset a forgotten password and sign in with the new one', run: passwordResetJourney },
  {
    name: 'organisation posts a role, volunteer finds and applies, organisation accepts, volunteer logs hours, organisation confirms',
    run: volunteeringJourney,
  },
  { name: 'pages for signed-in volunteers, organisation staff, alliance admins and hub coordinators', run: signedInPagesJourney },
  { name: 'volunteer turns one kind of email off on the email preferences page', run: emailPreferencesJourney },
  { name: 'volunteer sees roles recommended with reasons; organisation invites a suggested volunteer', run: matchingJourney },
  { name: 'volunteer answers the equality questions; a hub coordinator reads the representativeness report with charts', run: representativenessJourney },
  { name: 'link worker refers a resident, the organisation contacts them and they start, the outcome is recorded', run: frontDeskJourney },
  { name: 'a role sheet prints on exactly one A4 page with a QR code', run: roleSheetPrintsOnOnePage },
  {
    name: 'young volunteer joins a skills pathway, logs hours, the organisation confirms and signs off a skill, the certificate verifies',
    run: pathwaysJourney,
  },
];

// ---------------------------------------------------------------------------
// Account journeys. Emails are read from the server's outbox folder
// ($HUBMATCH_DATA_DIR/outbox/*.eml, written by the in-process worker).
// ---------------------------------------------------------------------------
const DATA_DIR = process.env.HUBMATCH_DATA_DIR;
const DEMO_STAFF = 'org.staff@example.org';
const DEMO_PASSWORD = 'hubmatch-demo';
const JOURNEY_PASSWORD = 'kettle lantern orchard';
const RUN_ID = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

// A fresh context with the usual watching, and `check(name, status)` running the
// standard checks (axe included) on whatever page is showing.
async function journey(browser, report, fn) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    // Statuses the next pages may answer with; `expect(…)` before a step that shows an error page.
    let allowed = [200];
    const expect = (...statuses) => { allowed = statuses; };
    const w = watch(page, () => allowed);
    const h = helpers(page, w);
    const check = async (name, status = 200) => {
      await page.waitForLoadState('load');
      report.note(`${name}: ${page.url()}`);
      await standardChecks(page, w, status, (r) => report.fail(`${name}: ${r}`), report.note);
      await page.screenshot({ path: path.join(OUT_DIR, `${slug(name)}.png`), fullPage: true });
    };
    const submit = async (form) => {
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.locator(form).locator('button[type=submit], button:not([type])').first().click(),
      ]);
    };
    await fn({ page, h, check, submit, expect });
    for (const p of new Set(w.problems)) report.fail(p);
  } finally {
    await context.close();
  }
}

function decodeQuotedPrintable(text) {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

// Every readable body of an .eml file: quoted-printable decoded, base64 parts decoded.
function emailBodies(raw) {
  const bodies = [decodeQuotedPrintable(raw)];
  for (const m of raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi)) {
    bodies.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8'));
  }
  return bodies.join('\n');
}

// The path of the newest link to `pathPrefix` in an email to `to`, waiting up to
// ~15 s for the worker to write it.
async function linkFromEmail(to, pathPrefix) {
  if (!DATA_DIR) throw new Error('HUBMATCH_DATA_DIR is not set: cannot read the emails the server wrote');
  const dir = path.join(DATA_DIR, 'outbox');
  const pattern = new RegExp(`https?://[^\\s"<>]*?(${pathPrefix.replace(/[/.]/g, '\\$&')}[A-Za-z0-9_\\-]+)`);
  for (let i = 0; i < 60; i++) {
    let files = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => path.join(dir, f));
    } catch { /* the folder appears with the first email */ }
    const found = files
      .map((f) => ({ f, t: statSync(f).mtimeMs, raw: readFileSync(f, 'utf8') }))
      .filter(({ raw }) => new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(raw))
      .sort((a, b) => b.t - a.t)
      .map(({ raw }) => emailBodies(raw).match(pattern))
      .find(Boolean);
    if (found) return found[1];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no email to ${to} with a ${pathPrefix} link in ${dir} after 15 s`);
}

async function signUp(page, h, check, submit, email, name) {
  await h.goto('/sign-up');
  await check('sign-up form');
  await page.fill('#full_name', name);
  await page.fill('#email', email);
  await page.fill('#password', JOURNEY_PASSWORD);
  await page.fill('#dob-day', '14');
  await page.fill('#dob-month', '7');
  await page.fill('#dob-year', '1985');
  await page.selectOption('#ward', { index: 1 });
  await page.check('#terms');
  await submit('form[action="/sign-up"]');
  if (new URL(page.url()).pathname !== '/sign-up/check-email') {
    throw new Error(`sign-up did not reach /sign-up/check-email: ${page.url()}`);
  }
  await check('sign-up check your email');
}

async function signIn(page, h, check, submit, email, password, name = 'sign-in form') {
  await h.goto('/sign-in');
  await check(name);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await submit('form[action="/sign-in"]');
}

async function signUpJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check, submit, expect }) => {
    // A failed attempt first: the error summary and messages must pass axe too.
    await h.goto('/sign-up');
    expect(400);
    await submit('form[action="/sign-up"]');
    await check('sign-up with errors', 400);
    expect(200);
    if (await page.locator('.govuk-error-summary a[href="#full_name"]').count() === 0) {
      report.fail('the error summary does not link to #full_name');
    }

    const email = `journey-${RUN_ID}@example.org`;
    await signUp(page, h, check, submit, email, 'Journey Volunteer');
    const link = await linkFromEmail(email, '/verify-email/');
    await h.goto(link);
    await check('email address confirmed');
    if (!(await page.locator('h1').innerText()).includes('confirmed')) report.fail('no "confirmed" heading');

    await signIn(page, h, check, submit, email, JOURNEY_PASSWORD);
    if (new URL(page.url()).pathname !== '/account') report.fail(`after sign-in at ${page.url()}, expected /account`);
    await check('account page');
    if (!(await page.locator('main').innerText()).includes('Journey Volunteer')) report.fail('the account page does not show the name');
  });
}

async function signInAndOutJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check, submit, expect }) => {
    let email = DEMO_STAFF;
    let password = DEMO_PASSWORD;
    expect(200, 400, 403);
    await signIn(page, h, check, submit, email, password);
    expect(200);
    if (new URL(page.url()).pathname === '/sign-in') {
      // The demo data has no such account (yet): sign up a fresh one instead.
      report.note(`${DEMO_STAFF} could not sign in; using a fresh account`);
      email = `signin-${RUN_ID}@example.org`;
      password = JOURNEY_PASSWORD;
      await signUp(page, h, check, submit, email, 'Sign In Tester');
      await h.goto(await linkFromEmail(email, '/verify-email/'));
      await signIn(page, h, check, submit, email, password, 'sign-in form again');
    }
    if (new URL(page.url()).pathname !== '/account') {
      return report.fail(`signing in as ${email} ended at ${page.url()}, expected /account`);
    }
    await check('signed in: account page');
    const signOut = page.locator('form[action="/sign-out"] button');
    if (await signOut.count() === 0) return report.fail('no sign-out button in the header');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), signOut.first().click()]);
    await check('signed out: home page');
    if (await page.locator('a[href="/sign-in"]').count() === 0) report.fail('after signing out there is no "Sign in" link');
    await h.goto('/account');
    if (new URL(page.url()).pathname !== '/sign-in') report.fail(`/account after signing out shows ${page.url()}`);
  });
}

async function passwordResetJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check, submit, expect }) => {
    const email = `reset-${RUN_ID}@example.org`;
    await signUp(page, h, check, submit, email, 'Reset Tester');

    await h.goto('/sign-in');
    await page.locator('a[href="/password-reset"]').first().click();
    await page.waitForURL((u) => u.pathname === '/password-reset');
    await check('password reset request');
    await page.fill('#email', email);
    await submit('form[action="/password-reset"]');
    await check('password reset link sent');

    const link = await linkFromEmail(email, '/password-reset/');
    await h.goto(link);
    await check('choose a new password');
    const newPassword = 'granite meadow bicycle';
    await page.fill('#password', newPassword);
    await page.fill('#confirm_password', 'not the same at all');
    expect(400);
    await submit('form[action^="/password-reset/"]');
    await check('choose a new password with errors', 400);
    expect(200);
    await page.fill('#password', newPassword);
    await page.fill('#confirm_password', newPassword);
    await submit('form[action^="/password-reset/"]');
    if (new URL(page.url()).pathname !== '/sign-in') return report.fail(`after the reset at ${page.url()}, expected /sign-in`);
    await check('signed out after the reset, asked to sign in');

    await page.fill('#email', email);
    await page.fill('#password', newPassword);
    await submit('form[action="/sign-in"]');
    if (new URL(page.url()).pathname !== '/account') report.fail(`signing in with the new password ended at ${page.url()}`);
    await check('account page after the reset');

    expect(400);
    await h.goto(link);
    await check('used reset link', 400);
  });
}

// ---------------------------------------------------------------------------
// Volunteering journeys (issue 5): demo accounts from `hubmatch serve --demo`.
// ---------------------------------------------------------------------------
const DEMO_VOLUNTEER = 'volunteer@example.org';
const DEMO_ORG_ADMIN = 'org.admin@example.org';
const DEMO_ALLIANCE_ADMIN = 'alliance.admin@example.org';
const DEMO_COORDINATOR = 'coordinator.peckham@example.org';

const pathOf = (page) => new URL(page.url()).pathname;

function mustBeAt(page, pattern, what) {
  if (!pattern.test(pathOf(page))) throw new Error(`${what} ended at ${page.url()}, expected ${pattern}`);
}

// The date `days` from today in London (the service's time zone), as form fields.
function londonDate(days = 0) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric',
  }).formatToParts(new Date(Date.now() + days * 86_400_000));
  const get = (type) => parts.find((p) => p.type === type).value;
  return { day: get('day'), month: get('month'), year: get('year') };
}

// RFC 6238 TOTP (SHA-1, 30 s steps, 6 digits) for a base32 key, as authenticator apps compute it.
function totp(base32Key, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32Key.toUpperCase().replace(/[^A-Z2-7]/g, '')) {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}

// WCAG 1.4.10 on the page showing now: no sideways scrolling at 320 CSS pixels.
async function checkReflow(page, report, name) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  try {
    const { scroll, width } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    if (scroll > width) report.fail(`${name}: scrolls sideways at 320 px: content is ${scroll} px wide`);
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

async function signInDemo(page, h, check, submit, email, name) {
  await signIn(page, h, check, submit, email, DEMO_PASSWORD, `sign-in form (${name})`);
  if (pathOf(page) === '/sign-in') throw new Error(`${email} could not sign in with the demo password`);
}

async function signOut(page, check, name) {
  const button = page.locator('form[action="/sign-out"] button').first();
  if (await button.count() === 0) throw new Error(`no sign-out button on ${page.url()}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  if (await page.locator('a[href="/sign-in"]').count() === 0) throw new Error(`${name}: no "Sign in" link after signing out`);
}

// A demo account that must have two-factor sign-in: sets it up on the page it is sent
// to, reading the key from the page and typing the code an authenticator app would show.
async function signInWithTwoFactorSetUp(page, h, check, submit, email, name) {
  await signInDemo(page, h, check, submit, email, name);
  if (pathOf(page) === '/sign-in/two-factor') {
    throw new Error(`${email} already has two-factor sign-in (is the server's data dir fresh?)`);
  }
  if (pathOf(page) !== '/account/two-factor') await h.goto('/account/two-factor');
  await check(`${name}: set up two-factor sign-in`);
  const key = await page.locator('#setup-key').innerText();
  if (!/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/.test(key.trim())) throw new Error(`${name}: the setup key is not in groups of four: ${key}`);
  // A code about to expire could be refused: wait for a fresh 30 s step.
  if ((Date.now() / 1000) % 30 > 25) await page.waitForTimeout(6_000);
  await page.fill('#code', totp(key));
  twoFactorKeys.set(email, { key: key.trim(), usedStep: Math.floor(Date.now() / 30_000) });
  await submit('form[action="/account/two-factor"]');
  if (await page.locator('#code').count() > 0 && await page.locator('.govuk-error-summary').count() > 0) {
    throw new Error(`${name}: the two-factor code was refused`);
  }
  await check(`${name}: two-factor sign-in turned on`);
  return key;
}

// Keys of the demo accounts that turned two-factor sign-in on during this run.
const twoFactorKeys = new Map();

// A demo account that must have two-factor sign-in, whether or not an earlier journey
// already set it up: signs in with a code from its key, or sets it up.
async function signInWithTwoFactor(page, h, check, submit, email, name) {
  const known = twoFactorKeys.get(email);
  if (!known) return signInWithTwoFactorSetUp(page, h, check, submit, email, name);
  await signInDemo(page, h, check, submit, email, name);
  if (pathOf(page) !== '/sign-in/two-factor') throw new Error(`${name}: not asked for a two-factor code`);
  // A code is accepted once: wait for the next 30 s step after the last one used.
  while (Math.floor(Date.now() / 30_000) <= known.usedStep || (Date.now() / 1000) % 30 > 25) {
    await page.waitForTimeout(1_000);
  }
  known.usedStep = Math.floor(Date.now() / 30_000);
  await page.fill('#code', totp(known.key));
  await submit('form[action="/sign-in/two-factor"]');
  if (pathOf(page) === '/sign-in/two-factor') throw new Error(`${name}: the two-factor code was refused`);
}

async function organisationIdOnPage(page) {
  const hrefs = await page.locator('a[href^="/organisations/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const m = hrefs.map((href) => href.match(/^\/organisations\/(\d+)\/(dashboard|staff)$/)).find(Boolean);
  return m ? m[1] : null;
}

// The organisation dashboard's "All time" confirmed hours, in minutes.
async function allTimeMinutes(page) {
  const row = page.locator('main .govuk-summary-list__row', { hasText: 'All time' }).first();
  const text = await row.locator('dd').innerText();
  const m = text.match(/^\s*(?:(\d+) hours?)?\s*(?:(\d+) minutes?)?\s*$/);
  if (!m || (!m[1] && !m[2])) throw new Error(`cannot read the confirmed hours "${text}" on ${page.url()}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

async function volunteeringJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check: checkOnly, submit, expect }) => {
    const check = async (name, status) => {
      await checkOnly(name, status);
      await checkReflow(page, report, name);
    };
    const title = `Riverside litter pick ${RUN_ID}`;
    const sessionDay = londonDate(4);
    const closes = londonDate(60);
    const today = londonDate(0);
    const mainText = () => page.locator('main').innerText();

    // 1. Organisation staff posts a role (a failed save first), adds a session, opens it.
    await signInDemo(page, h, check, submit, DEMO_STAFF, 'staff');
    await check('staff signed in');
    let orgId = await organisationIdOnPage(page);
    if (!orgId) {
      await h.goto('/account');
      orgId = await organisationIdOnPage(page);
    }
    if (!orgId) throw new Error(`${DEMO_STAFF} has no "Your organisation" link, nor an organisation on /account`);
    report.note(`organisation ${orgId}, role "${title}"`);

    await h.goto(`/organisations/${orgId}/dashboard`);
    await check('organisation dashboard before the journey');
    const confirmedBefore = await allTimeMinutes(page);

    await h.goto(`/organisations/${orgId}/roles`);
    await check('organisation roles');
    await h.clickFirst(`main a[href="/organisations/${orgId}/roles/new"]`, '"Post a new role" link');
    await check('new role form');
    const roleForm = 'main form[method="post"]:has(#title)';
    expect(400);
    await submit(roleForm);
    await check('new role form with errors', 400);
    expect(200);
    if (await page.locator('.govuk-error-summary a[href="#title"]').count() === 0) {
      report.fail('the role form error summary does not link to #title');
    }

    await page.fill('#title', title);
    await page.fill('#summary', 'Help clear litter from the riverside path with a friendly team.');
    await page.fill('#description', '## What you will do\n\n* Pick litter with grabbers and bags we provide\n* Sort what can be recycled');
    const cause = await page.locator('input[name="causes"]').first().getAttribute('value');
    await page.locator('input[name="causes"]').first().check();
    await page.check('input[name="location_type"][value="in_person"]');
    await page.selectOption('#ward', { index: 1 });
    await page.fill('#postcode_district', 'SE1');
    await page.fill('#min_age', '18');
    await page.fill('#places', '2');
    await page.check('input[name="commitment"][value="one_off"]');
    await page.fill('#closes_on', closes.day);
    await page.fill('#closes_on_month', closes.month);
    await page.fill('#closes_on_year', closes.year);
    await page.fill('#contact_name', 'Sam Okafor');
    await page.fill('#contact_email', 'volunteering@example.org');
    await submit(roleForm);
    mustBeAt(page, /^\/roles\/\d+\/sessions$/, 'saving the role');
    const roleId = pathOf(page).split('/')[2];
    await check('role saved as a draft: sessions page');

    const sessionForm = `main form[action="/roles/${roleId}/sessions"]`;
    await page.fill('#date', sessionDay.day);
    await page.fill('#date_month', sessionDay.month);
    await page.fill('#date_year', sessionDay.year);
    await page.fill('#starts', '10am');
    await page.fill('#ends', '1pm');
    await submit(sessionForm);
    mustBeAt(page, new RegExp(`^/roles/${roleId}/sessions$`), 'adding a session');
    await check('session added');
    if (await page.locator('main table tbody tr').count() !== 1) report.fail('the sessions table does not show the new session');

    await submit(`main form[action="/roles/${roleId}/open"]`);
    await check('role opened');
    if (await page.locator(`main form[action="/roles/${roleId}/close"]`).count() === 0) {
      report.fail(`the role did not open: ${(await mainText()).slice(0, 300)}`);
    }
    await signOut(page, check, 'staff');

    // 2. The volunteer finds the role by its cause and applies for the session.
    await signInDemo(page, h, check, submit, DEMO_VOLUNTEER, 'volunteer');
    await h.goto('/roles');
    await check('volunteer finds a role');
    const filters = page.locator('form:has([name="cause"])').first();
    await filters.locator(`input[name="cause"][value="${cause}"]`).check();
    await filters.locator('select[name="sort"]').selectOption('newest');
    await submit('form:has([name="cause"])');
    await check('roles filtered by the new role\'s cause, newest first');
    let card = page.locator('.hm-role-card a[href^="/roles/"]', { hasText: title });
    for (let n = 2; await card.count() === 0 && n <= 20; n++) {
      const next = page.locator('.govuk-pagination a[rel="next"]');
      if (await next.count() === 0) break;
      await h.clickFirst('.govuk-pagination a[rel="next"]', 'next page link');
      await check(`filtered roles, page ${n}`);
      card = page.locator('.hm-role-card a[href^="/roles/"]', { hasText: title });
    }
    if (await card.count() === 0) throw new Error(`the new role is not listed on /roles under cause ${cause}`);
    await card.first().click();
    await page.waitForURL((u) => u.pathname === `/roles/${roleId}`);
    await check('the new role\'s public page');

    await h.clickFirst(`main a[href="/roles/${roleId}/apply"]`, '"Apply for this role" button');
    await check('apply form');
    const applyForm = `main form[action="/roles/${roleId}/apply"]`;
    expect(400);
    await submit(applyForm);
    await check('apply form with errors (no session chosen)', 400);
    expect(200);
    await page.locator('input[name="sessions"]').first().check();
    await page.fill('#message', 'I live nearby and would love to help on the day.');
    await submit(applyForm);
    mustBeAt(page, /^\/(applications\/\d+|dashboard)$/, 'applying');
    await check('application sent');
    await h.goto('/dashboard');
    await check('volunteer dashboard with the application');
    const appLink = page.locator('main a[href^="/applications/"]', { hasText: title });
    if (await appLink.count() === 0) throw new Error('the application is not on /dashboard');
    const applicationId = (await appLink.first().getAttribute('href')).split('/')[2];
    await signOut(page, check, 'volunteer');

    // 3. The organisation accepts the application.
    await signInDemo(page, h, check, submit, DEMO_STAFF, 'staff, second time');
    await h.goto(`/organisations/${orgId}/applications`);
    await check('applications to the organisation');
    await h.clickFirst(`main a[href="/applications/${applicationId}"]`, 'link to the new application');
    await check('application, organisation view');
    await page.fill('#message', 'Thank you! Meet us by the Thames Path sign at 10am.');
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator(`main button[formaction="/applications/${applicationId}/accept"]`).click(),
    ]);
    await check('application accepted');
    if (!/Accepted/.test(await page.locator('main .govuk-tag').first().innerText())) {
      report.fail('the application does not show as accepted');
    }
    await signOut(page, check, 'staff');

    // 4. The volunteer logs two hours for today.
    await signInDemo(page, h, check, submit, DEMO_VOLUNTEER, 'volunteer, second time');
    await h.goto('/dashboard');
    await check('volunteer dashboard after acceptance');
    await h.clickFirst(`main a[href="/applications/${applicationId}"]`, 'link to the application on /dashboard');
    await check('application, volunteer view');
    await h.clickFirst(`main a[href="/applications/${applicationId}/hours"]`, '"Log hours" link');
    await check('log hours form');
    const hoursForm = `main form[action="/applications/${applicationId}/hours"]`;
    expect(400);
    await submit(hoursForm);
    await check('log hours form with errors', 400);
    expect(200);
    await page.fill('#worked_on', today.day);
    await page.fill('#worked_on-month', today.month);
    await page.fill('#worked_on-year', today.year);
    await page.fill('#hours', '2');
    await page.fill('#minutes', '0');
    await page.fill('#note', 'Picked litter along the river.');
    await submit(hoursForm);
    await check('hours logged');
    if (!/Waiting for the organisation/.test(await mainText())) report.fail('the logged hours are not shown as waiting');
    await signOut(page, check, 'volunteer');

    // 5. The organisation confirms the hours and sees them on its dashboard.
    await signInDemo(page, h, check, submit, DEMO_STAFF, 'staff, third time');
    await h.goto(`/organisations/${orgId}/hours`);
    await check('hours to confirm');
    const row = page.locator('main table tbody tr', { hasText: title });
    if (await row.count() === 0) throw new Error(`the logged hours for "${title}" are not on /organisations/${orgId}/hours`);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      row.first().locator('button[type=submit]:not([formaction])').click(),
    ]);
    await check('hours confirmed');
    await h.goto(`/organisations/${orgId}/dashboard`);
    await check('organisation dashboard with the confirmed hours');
    const confirmedAfter = await allTimeMinutes(page);
    report.note(`confirmed minutes, all time: ${confirmedBefore} before, ${confirmedAfter} after`);
    if (confirmedAfter - confirmedBefore !== 120) report.fail('the dashboard\'s confirmed hours (all time) did not go up by 2 hours');
    const roleRow = page.locator('main table tbody tr', { hasText: title });
    if (await roleRow.count() === 0) report.fail('the organisation dashboard does not list the new role');
    else if (!/1 of 2/.test(await roleRow.first().innerText())) report.fail(`the new role's row does not show 1 of 2 places filled: ${await roleRow.first().innerText()}`);
    await signOut(page, check, 'staff');
  });
}

// Pages only signed-in people see, each checked like a page test and for reflow at 320 px.
async function signedInPagesJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check: checkOnly, submit }) => {
    const check = async (name, status) => {
      await checkOnly(name, status);
      await checkReflow(page, report, name);
    };
    const visit = async (p, name) => {
      await h.goto(p);
      mustBeAt(page, new RegExp(`^${p.replace(/[/.]/g, '\\$&')}$`), `opening ${p}`);
      await check(name);
    };

    // A volunteer: profile (saved once with a change) and account pages.
    await signInDemo(page, h, check, submit, DEMO_VOLUNTEER, 'volunteer');
    await visit('/profile', 'volunteer profile');
    await page.fill('#bio', `Keen gardener and litter picker, checked by the browser suite (${RUN_ID}).`);
    await submit('main form:has(#bio)');
    mustBeAt(page, /^\/profile$/, 'saving the profile');
    await check('volunteer profile saved');
    if (!(await page.locator('#bio').inputValue()).includes(RUN_ID)) report.fail('the saved profile does not show the new bio');
    await visit('/account', 'volunteer account');
    await visit('/account/api-tokens', 'personal API tokens');
    await visit('/account/two-factor', 'two-factor sign-in, optional');
    await visit('/account/export', 'download your data');
    await visit('/account/delete', 'delete your account (not submitted)');
    await signOut(page, check, 'volunteer');

    // An organisation admin: the organisation's profile, staff and API tokens.
    await signInDemo(page, h, check, submit, DEMO_ORG_ADMIN, 'organisation admin');
    let orgId = await organisationIdOnPage(page);
    if (!orgId) {
      await h.goto('/account');
      orgId = await organisationIdOnPage(page);
    }
    if (!orgId) throw new Error(`${DEMO_ORG_ADMIN} has no organisation link in the header or on /account`);
    await visit(`/organisations/${orgId}/edit`, 'organisation profile form');
    await visit(`/organisations/${orgId}/staff`, 'organisation staff');
    await visit(`/organisations/${orgId}/api-tokens`, 'organisation API tokens');
    await signOut(page, check, 'organisation admin');

    // The alliance admin sets up two-factor sign-in, then sees the admin pages.
    await signInWithTwoFactorSetUp(page, h, check, submit, DEMO_ALLIANCE_ADMIN, 'alliance admin');
    await visit('/admin', 'alliance admin');
    await visit('/admin/hubs', 'alliance admin: hubs');
    await visit('/admin/audit', 'alliance admin: audit log');
    await visit('/admin/outbox', 'alliance admin: emails not delivered');
    await signOut(page, check, 'alliance admin');

    // A hub coordinator, likewise, then the hub dashboard.
    await signInWithTwoFactorSetUp(page, h, check, submit, DEMO_COORDINATOR, 'hub coordinator');
    const hubNav = page.locator('a[href^="/hubs/"][href$="/dashboard"]');
    let hubLink = await hubNav.count() ? await hubNav.first().getAttribute('href') : null;
    if (!hubLink) {
      await h.goto('/hubs');
      const href = await page.locator('main a[href^="/hubs/"]', { hasText: 'Peckham' }).first().getAttribute('href');
      hubLink = `${href}/dashboard`;
    }
    await visit(hubLink, 'hub coordinator dashboard');
    await signOut(page, check, 'hub coordinator');
  });
}

// WCAG 1.4.10: content reflows into a 320 px wide viewport without scrolling
// sideways (a phone, or a desktop zoomed to 400%).
async function reflowAtNarrowWidth(browser, report) {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  try {
    const page = await context.newPage();
    await page.goto(new URL('/roles', ORIGIN).href);
    const role = await page.locator('.hm-role-card a[href^="/roles/"]').first().getAttribute('href');
    for (const p of ['/', '/roles', role, '/organisations', '/hubs']) {
      if (!p) continue;
      await page.goto(new URL(p, ORIGIN).href);
      const { scroll, width } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: window.innerWidth,
      }));
      if (scroll > width) report.fail(`${p} scrolls sideways at 320 px: content is ${scroll} px wide`);
    }
    await page.screenshot({ path: path.join(OUT_DIR, 'reflow-320px-hubs.png'), fullPage: true });
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------

async function firstFilterValue(page, field) {
  const form = page.locator(`form:has([name="${field}"])`).first();
  if (await form.count() === 0) return null;
  const input = form.locator(`input[name="${field}"]:is([type=checkbox],[type=radio])`).first();
  if (await input.count()) return input.getAttribute('value');
  const option = form.locator(`select[name="${field}"] option:not([value=""])`).first();
  if (await option.count()) return option.getAttribute('value');
  return null;
}

// Collects what goes wrong while a page is in use: console errors, uncaught
// exceptions, failed or error responses from our origin, requests elsewhere.
// `expectedStatus` is a number, or a function giving the statuses a page may have now.
function watch(page, expectedStatus) {
  const w = { problems: [], nav: null };
  const expected = () => (typeof expectedStatus === 'function' ? expectedStatus() : [expectedStatus]);
  const errored = new Set();
  page.on('response', (res) => {
    const req = res.request();
    const isDoc = req.isNavigationRequest() && req.frame() === page.mainFrame();
    if (isDoc) w.nav = res;
    const url = new URL(res.url());
    if (url.origin !== ORIGIN || res.status() < 400) return;
    if (isDoc && expected().includes(res.status())) return;
    if (url.pathname === '/favicon.ico') return; // browser's own guess, not our markup
    errored.add(res.url());
    w.problems.push(`HTTP ${res.status()} for ${req.resourceType()} ${url.pathname}${url.search}`);
  });
  page.on('requestfailed', (req) => {
    const url = req.url();
    if (url.startsWith('data:') || url.startsWith('blob:') || errored.has(url)) return;
    if (new URL(url).pathname === '/favicon.ico') return;
    // The browser fetches the icon itself after the page loaded; leaving the page cancels it.
    if (/\/favicon\.(svg|png|ico)$/.test(new URL(url).pathname) && req.failure()?.errorText === 'net::ERR_ABORTED') return;
    w.problems.push(`request failed (${req.failure()?.errorText}) for ${req.resourceType()} ${url}`);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (new URL(url).origin !== ORIGIN) w.problems.push(`request to another origin: ${url}`);
  });
  page.on('pageerror', (err) => w.problems.push(`uncaught exception: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error') {
      // Chromium logs the expected 404 of the page itself as a console error.
      if (text.startsWith('Failed to load resource') && expected().some((st) => st >= 400) &&
          w.nav && msg.location().url === w.nav.url()) return;
      // Failed subresources are already reported with their URL by 'response'.
      if (text.startsWith('Failed to load resource') && new URL(msg.location().url || ORIGIN).origin === ORIGIN) return;
      w.problems.push(`console error: ${text}`);
    } else if (/GOVUKFrontendError|SupportError|GOV\.UK Frontend (initialised without|is not supported)/.test(text)) {
      w.problems.push(`GOV.UK Frontend did not initialise: ${text}`);
    }
  });
  return w;
}

function helpers(page, w) {
  const settle = async () => {
    await page.waitForLoadState('load');
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
  };
  return {
    async goto(p) {
      await page.goto(abs(p), { waitUntil: 'load' });
      await settle();
    },
    async clickFirst(selector, what) {
      const link = page.locator(selector).first();
      if (await link.count() === 0) throw new Error(`no ${what} (${selector}) on ${page.url()}`);
      const href = await link.getAttribute('href');
      const target = new URL(href, page.url());
      await link.click();
      await page.waitForURL((u) => u.pathname === target.pathname, { timeout: TIMEOUT_MS });
      await settle();
    },
  };
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

async function standardChecks(page, w, expectedStatus, fail, note) {
  const status = w.nav?.status();
  if (status !== expectedStatus) fail(`HTTP status ${status ?? 'none'}, expected ${expectedStatus}`);
  const facts = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    title: (document.querySelector('head > title')?.textContent ?? '').trim(),
    lang: document.documentElement.getAttribute('lang'),
    text: document.body?.innerText ?? '',
    crown: document.querySelectorAll('.govuk-header__logotype, .govuk-footer__crown, .govuk-header__link--homepage svg').length,
    bodyClasses: [...(document.body?.classList ?? [])],
  }));
  if (facts.h1 !== 1) fail(`${facts.h1} <h1> elements, expected exactly 1`);
  if (!facts.title) fail('no <title> (or it is empty)');
  if (facts.lang !== 'en') fail(`<html lang="${facts.lang ?? ''}">, expected lang="en"`);
  if (/GOV\.UK/.test(facts.text) || facts.crown) fail('GOV.UK branding on the page (text "GOV.UK" or crown)');
  for (const cls of ['js-enabled', 'govuk-frontend-supported']) {
    if (!facts.bodyClasses.includes(cls)) fail(`<body> lacks class "${cls}" (load /static/js-enabled.js first thing in <body>)`);
  }
  note(`title: ${facts.title}`);

  const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  for (const v of axe.violations) {
    const target = v.nodes[0]?.target?.join(' ') ?? '?';
    note(`axe ${v.id} (${v.impact}, ${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'}): ${v.help} — first: ${target}`);
  }
  if (axe.violations.length) fail(`${axe.violations.length} axe violation(s): ${axe.violations.map((v) => v.id).join(', ')}`);
  if (axe.incomplete.length) note(`axe needs review (not failing): ${axe.incomplete.map((v) => v.id).join(', ')}`);
}

async function runPageTest(browser, t, report) {
  const expected = t.status ?? 200;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const w = watch(page, expected);
    const h = helpers(page, w);
    if (t.reach) await t.reach(page, h);
    else await h.goto(t.path);
    report.note(`url: ${page.url()}`);
    await standardChecks(page, w, expected, report.fail, report.note);
    await page.screenshot({ path: path.join(OUT_DIR, `${slug(t.name)}.png`), fullPage: true });
    for (const p of new Set(w.problems)) report.fail(p);
  } finally {
    await context.close();
  }
}

async function filterWithoutJavaScript(browser, report) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const w = watch(page, 200);
    const h = helpers(page, w);
    await h.goto('/roles');
    const form = page.locator('form:has([name="cause"])').first();
    if (await form.count() === 0) return report.fail('no filter form with a "cause" field on /roles');

    let chosen;
    const box = form.locator('input[name="cause"]:is([type=checkbox],[type=radio])').first();
    if (await box.count()) {
      chosen = await box.getAttribute('value');
      await box.check();
    } else {
      const select = form.locator('select[name="cause"]').first();
      chosen = await select.locator('option:not([value=""])').first().getAttribute('value');
      if (chosen == null) return report.fail('the "cause" select has no options');
      await select.selectOption(chosen);
    }
    const submit = form.locator('button[type=submit], button:not([type]), input[type=submit]').first();
    if (await submit.count() === 0) return report.fail('the filter form has no submit button');
    await submit.click();
    await page.waitForURL((u) => u.searchParams.getAll('cause').includes(chosen), { timeout: TIMEOUT_MS })
      .catch(() => report.fail(`URL after submitting does not carry cause=${chosen}: ${page.url()}`));
    await page.waitForLoadState('load');
    report.note(`url: ${page.url()}`);
    const status = w.nav?.status();
    if (status !== 200) report.fail(`HTTP status ${status ?? 'none'} after submitting, expected 200`);
    const headings = await page.locator('h1, h2, h3').allInnerTexts();
    if (!headings.some((t) => /result|role/i.test(t))) {
      report.fail(`no results heading (h1-h3 mentioning "result" or "role"); headings: ${JSON.stringify(headings)}`);
    }
    const stillChosen = await form.count() && await page
      .locator(`[name="cause"][value="${chosen}"]:checked, select[name="cause"] option[value="${chosen}"]:checked`).count();
    if (!stillChosen) report.fail(`the form does not show cause=${chosen} as chosen after filtering`);
    await page.screenshot({ path: path.join(OUT_DIR, `${slug('roles filtered without javascript')}.png`), fullPage: true });
    for (const p of new Set(w.problems)) report.fail(p);
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// Search (issue 6): search /roles with a typo, see the matches highlighted, tick
// a facet with a count, and stay axe-clean throughout. Plain GET forms, so the
// same works without JavaScript (the cause filter flow above runs with it off).
// ---------------------------------------------------------------------------
async function searchWithTypoJourney(browser, report) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const w = watch(page, 200);
    const h = helpers(page, w);
    await h.goto('/roles');
    // A word of six or more letters from the first role's title, with two
    // neighbouring letters swapped: one typo.
    const titles = await page.locator('.hm-role-card__title a').allInnerTexts();
    const word = titles.flatMap((t) => t.split(/[^A-Za-z]+/)).find((x) => x.length >= 6 && x[2] !== x[3]);
    if (!word) return report.fail(`no title word of 6+ letters on /roles: ${JSON.stringify(titles.slice(0, 3))}`);
    const typo = word.slice(0, 2) + word[3] + word[2] + word.slice(4);
    report.note(`searching "${typo}" for "${word}"`);
    await page.fill('#filter-q', typo);
    await page.locator('main button[type=submit]', { hasText: 'Search' }).first().click();
    await page.waitForURL((u) => u.searchParams.get('q') === typo, { timeout: TIMEOUT_MS });
    await h.goto(page.url());
    await standardChecks(page, w, 200, report.fail, report.note);
    const marks = await page.locator('.hm-role-card mark').allInnerTexts();
    if (!marks.some((m) => m.toLowerCase() === word.toLowerCase())) {
      report.fail(`"${word}" is not highlighted in the results for "${typo}" (marks: ${JSON.stringify(marks.slice(0, 5))})`);
    }
    await page.screenshot({ path: path.join(OUT_DIR, `${slug('search with a typo')}.png`), fullPage: true });

    // Tick the first cause that has roles among these results.
    const labels = page.locator('input[name="cause"] + label');
    let value = null;
    for (let i = 0; i < await labels.count(); i++) {
      const text = await labels.nth(i).innerText();
      if (/\((?:[1-9]\d*)\)/.test(text)) {
        value = await page.locator('input[name="cause"]').nth(i).getAttribute('value');
        await page.locator('input[name="cause"]').nth(i).check();
        break;
      }
    }
    if (!value) return report.fail('no cause checkbox with a count above 0 for the search');
    await page.locator('main button[type=submit]', { hasText: 'Apply filters' }).first().click();
    await page.waitForURL((u) => u.searchParams.getAll('cause').includes(value), { timeout: TIMEOUT_MS });
    await h.goto(page.url());
    await standardChecks(page, w, 200, report.fail, report.note);
    if (await page.locator(`input[name="cause"][value="${value}"]:checked`).count() === 0) {
      report.fail(`cause ${value} is not shown ticked after filtering`);
    }
    if (await page.locator('.hm-role-card mark').count() === 0) report.fail('no highlighted matches after ticking a facet');
    const heading = await page.locator('#results-heading').innerText();
    if (!/match/.test(heading)) report.fail(`results heading "${heading}" does not say how many match`);
    await page.screenshot({ path: path.join(OUT_DIR, `${slug('search with a facet ticked')}.png`), fullPage: true });
    for (const p of new Set(w.problems)) report.fail(p);
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// Email preferences (issue 9): the demo volunteer turns "Roles suggested by a hub"
// off, saves, and sees it stay off; the page and the saved page are axe-clean.
// ---------------------------------------------------------------------------
async function emailPreferencesJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check, submit }) => {
    await signInDemo(page, h, check, submit, DEMO_VOLUNTEER, 'volunteer');
    await h.goto('/account');
    if (await page.locator('a[href="/account/email-preferences"]').count() === 0) {
      report.fail('no link to the email preferences from /account');
    }
    await h.goto('/account/email-preferences');
    mustBeAt(page, /^\/account\/email-preferences$/, 'opening the email preferences');
    await check('email preferences');
    await checkReflow(page, report, 'email preferences');
    const referrals = page.locator('#referrals');
    const digest = page.locator('#weekly_digest');
    if (!(await referrals.isChecked())) await referrals.check();
    await referrals.uncheck();
    const digestBefore = await digest.isChecked();
    await submit('main form[action="/account/email-preferences"]');
    mustBeAt(page, /^\/account\/email-preferences$/, 'saving the email preferences');
    await check('email preferences saved');
    if (!(await page.getByText('Your email preferences have been saved').count())) report.fail('no "saved" banner');
    if (await page.locator('#referrals').isChecked()) report.fail('"Roles suggested by a hub" is still ticked after saving');
    if ((await page.locator('#weekly_digest').isChecked()) !== digestBefore) report.fail('an untouched choice changed');
    // Leave the demo as it was for the next run.
    await page.locator('#referrals').check();
    await submit('main form[action="/account/email-preferences"]');
    await signOut(page, check, 'volunteer');
  });
}

// ---------------------------------------------------------------------------
// Matching (issue 7): the demo volunteer sees "Recommended for you" with reasons on
// the dashboard and at /roles/recommended; the demo organisation admin opens a
// role's suggested volunteers and invites one to apply. Every page axe-clean.
// ---------------------------------------------------------------------------
async function matchingJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check: checkOnly, submit }) => {
    const check = async (name) => {
      await checkOnly(name);
      await checkReflow(page, report, name);
    };
    await signInDemo(page, h, check, submit, DEMO_VOLUNTEER, 'volunteer');
    await h.goto('/dashboard');
    mustBeAt(page, /^\/dashboard$/, 'opening the dashboard');
    await check('dashboard with recommendations');
    if (await page.locator('h2#recommended', { hasText: 'Recommended for you' }).count() === 0) {
      report.fail('no "Recommended for you" section on the dashboard');
    }
    if (await page.locator('.hm-recommendations .hm-match-reasons li').count() === 0) {
      report.fail('the dashboard recommends no role with a reason for the demo volunteer');
    }
    await h.goto('/roles/recommended');
    mustBeAt(page, /^\/roles\/recommended$/, 'opening the recommendations');
    await check('roles recommended for you');
    const reasons = await page.locator('#recommendations .hm-match-reasons li').count();
    if (reasons === 0) report.fail('/roles/recommended shows no role with reasons');
    else report.note(`${reasons} reasons shown on /roles/recommended`);
    await signOut(page, check, 'volunteer');

    await signInDemo(page, h, check, submit, DEMO_ORG_ADMIN, 'organisation admin');
    let orgId = await organisationIdOnPage(page);
    if (!orgId) {
      await h.goto('/account');
      orgId = await organisationIdOnPage(page);
    }
    if (!orgId) throw new Error(`${DEMO_ORG_ADMIN} has no organisation link in the header or on /account`);
    await h.goto(`/organisations/${orgId}/roles`);
    const roleIds = [...new Set((await page.locator('main a[href$="/sessions"]').evaluateAll(
      (as) => as.map((a) => a.getAttribute('href')),
    )).map((href) => (href.match(/^\/roles\/(\d+)\/sessions$/) || [])[1]).filter(Boolean))];
    let invited = false;
    for (const id of roleIds.slice(0, 15)) {
      await h.goto(`/roles/${id}/sessions`);
      if (await page.locator(`a[href="/roles/${id}/suggested"]`).count() === 0) {
        report.fail(`the role's page /roles/${id}/sessions does not link to its suggested volunteers`);
        break;
      }
      await h.goto(`/roles/${id}/suggested`);
      const button = page.locator('main form[action$="/invite"] button');
      if (await button.count() === 0) continue;
      await check('suggested volunteers');
      if (await page.locator('main .hm-match-reasons li').count() === 0) report.fail('suggested volunteers come without reasons');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.first().click()]);
      mustBeAt(page, new RegExp(`^/roles/${id}/suggested$`), 'inviting a suggested volunteer');
      await check('suggested volunteers: invitation sent');
      if (await page.getByText('Invitation sent').count() === 0) report.fail('no "Invitation sent" banner after inviting');
      invited = true;
      break;
    }
    if (!invited) report.fail(`none of the first roles of organisation ${orgId} has a volunteer to invite`);
    await signOut(page, check, 'organisation admin');
  });
}

// ---------------------------------------------------------------------------
// Representativeness (issue 8): the demo volunteer answers the equality monitoring
// questions (consent first refused, then given); the Walworth hub coordinator sets up
// two-factor sign-in and reads the report: SVG charts with a title and description,
// tables as their text alternative, axe-clean and reflowing at 320 px; and opens an
// outreach digest form from an under-represented group if the report flags one.
// ---------------------------------------------------------------------------
const DEMO_WALWORTH_COORDINATOR = 'coordinator.walworth@example.org';

async function representativenessJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check, submit, expect }) => {
    await signInDemo(page, h, check, submit, DEMO_VOLUNTEER, 'volunteer');
    await h.goto('/account');
    if (await page.locator('a[href="/account/equality"]').count() === 0) report.fail('no link to the equality questions from /account');
    await h.goto('/account/equality');
    mustBeAt(page, /^\/account\/equality$/, 'opening the equality questions');
    await check('equality monitoring questions');
    await checkReflow(page, report, 'equality monitoring questions');
    await page.locator('input[name="sex"][value="female"]').check();
    await page.locator('input[name="ethnic_group"][value="black"]').check();
    await page.locator('input[name="ethnicity"][value="black_caribbean"]').check();
    await page.locator('input[name="religion"][value="prefer_not_to_say"]').check();
    await page.locator('#consent').uncheck();
    expect(400);
    await submit('main form[action="/account/equality"]');
    await check('equality questions: consent missing', 400);
    if (await page.locator('.govuk-error-summary a[href="#consent"]').count() === 0) report.fail('no error about consent');
    expect(200);
    await page.locator('#consent').check();
    await submit('main form[action="/account/equality"]');
    mustBeAt(page, /^\/account\/equality$/, 'saving the equality answers');
    await check('equality answers saved');
    if (!(await page.locator('input[name="ethnicity"][value="black_caribbean"]').isChecked())) report.fail('the saved background is not ticked');
    await signOut(page, check, 'volunteer');

    await signInWithTwoFactorSetUp(page, h, check, submit, DEMO_WALWORTH_COORDINATOR, 'Walworth hub coordinator');
    await h.goto('/reports/representativeness');
    mustBeAt(page, /^\/reports\/representativeness$/, 'opening the representativeness report');
    await check('representativeness report');
    await checkReflow(page, report, 'representativeness report');
    const charts = page.locator('main svg[role="img"]');
    if (await charts.count() === 0) report.fail('no charts on the report');
    else {
      const labelled = await charts.first().evaluate((svg) => {
        const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
        return ids.length === 2 && ids.every((id) => svg.querySelector(`#${CSS.escape(id)}`));
      });
      if (!labelled) report.fail('the first chart is not labelled by its <title> and <desc>');
    }
    if (await page.locator('main table caption').count() === 0) report.fail('no tables beside the charts');
    const digest = page.locator('a[href^="/reports/representativeness/outreach"]');
    if (await digest.count()) {
      await h.clickFirst('a[href^="/reports/representativeness/outreach"]', 'outreach link');
      await check('outreach digest form');
      await checkReflow(page, report, 'outreach digest form');
    } else {
      report.note('no under-represented group flagged for this hub: outreach form not opened');
    }
    await signOut(page, check, 'Walworth hub coordinator');
  });
}

// ---------------------------------------------------------------------------
// Hub front desk (issue 11): the demo link worker refers the demo volunteer to the
// demo organisation admin's organisation; the organisation contacts them and they start;
// the link worker records the 4-week outcome. Then a role sheet prints on one A4 page.
// ---------------------------------------------------------------------------
const DEMO_LINK_WORKER = 'link.worker@example.org';
const FRONT_DESK_REASON = `Isolated since a bereavement (${RUN_ID})`;

async function frontDeskJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check, submit, expect }) => {
    // Which organisation the demo organisation admin works for.
    await signInDemo(page, h, check, submit, DEMO_ORG_ADMIN, 'organisation admin');
    let orgId = await organisationIdOnPage(page);
    if (!orgId) {
      await h.goto('/account');
      orgId = await organisationIdOnPage(page);
    }
    if (!orgId) throw new Error('cannot find the demo organisation admin\'s organisation');
    await signOut(page, check, 'organisation admin');

    // 1. The link worker refers: first without consent (refused), then with it.
    await signInDemo(page, h, check, submit, DEMO_LINK_WORKER, 'link worker');
    await h.goto('/front-desk');
    await check('front desk');
    // Roles for a resident signed up at the desk, then back to the prefilled form.
    if (await page.locator('form[action="/front-desk/suggestions"]').count() === 0) {
      report.fail('no "Find roles for a resident" form on the front desk (the demo signs residents up in person)');
    } else {
      await page.check('#suggest-need-step_free');
      await submit('form[action="/front-desk/suggestions"]');
      await check('roles that might suit a resident');
      const refer = page.locator('#suggestions a[href^="/front-desk?"]').first();
      if (await refer.count() === 0) {
        report.note('no role fits the demo resident with step-free access');
      } else {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), refer.click()]);
        await check('front desk with the referral prefilled');
        if (!(await page.locator('#need-step_free, #needs[value="step_free"]').first().isChecked())) {
          report.fail('the referral form is not prefilled with step-free access');
        }
        if (await page.locator('#role_id').inputValue() === '') report.fail('the referral form is not prefilled with the role');
      }
      await h.goto('/front-desk');
    }
    await page.fill('#resident_email', DEMO_VOLUNTEER);
    await page.selectOption('#organisation_id', String(orgId));
    await page.check('#hopes');
    await page.check('#needs');
    await page.fill('#reason', FRONT_DESK_REASON);
    expect(400);
    await submit('form[action="/front-desk/referrals"]');
    await check('referral refused without consent', 400);
    if (await page.locator('.govuk-error-summary', { hasText: 'agreed' }).count() === 0) {
      throw new Error('no error naming the missing consent');
    }
    expect(200);
    await page.check('#consent');
    await submit('form[action="/front-desk/referrals"]');
    await check('referral sent');
    if (!pathOf(page).startsWith('/front-desk')) throw new Error(`after referring, at ${page.url()}`);
    const card = page.locator('.govuk-summary-card', { hasText: FRONT_DESK_REASON }).first();
    if (await card.count() === 0) throw new Error('the new referral is not on the front desk');
    const cardId = await card.getAttribute('id');
    const referralId = cardId.replace('referral-', '');
    await signOut(page, check, 'link worker');

    // 2. The organisation sees it (never the reason), contacts them, they start.
    await signInDemo(page, h, check, submit, DEMO_ORG_ADMIN, 'organisation admin');
    await h.goto(`/organisations/${orgId}/referrals`);
    await check('organisation referrals');
    if ((await page.locator('main').innerText()).includes(FRONT_DESK_REASON)) {
      report.fail('the organisation can read the private reason');
    }
    for (const [step, label] of [['contacted', 'contacted'], ['started', 'started']]) {
      const form = `#referral-${referralId} form:has(input[name="status"][value="${step}"])`;
      if (await page.locator(form).count() === 0) throw new Error(`no "${label}" button for referral ${referralId}`);
      await submit(form);
      await check(`organisation marks the referral ${label}`);
    }
    await signOut(page, check, 'organisation admin');

    // 3. The link worker sees the progress and records the 4-week outcome.
    await signInDemo(page, h, check, submit, DEMO_LINK_WORKER, 'link worker again');
    await h.goto('/front-desk');
    const outcome = `#referral-${referralId} form[action$="/outcomes"]`;
    await page.locator(outcome).locator('select[name="checkpoint_weeks"]').selectOption('4');
    await page.locator(outcome).locator('input[name="hours"]').fill('7');
    await page.locator(outcome).locator('input[name="consent"]').check();
    await submit(outcome);
    await check('outcome recorded');
    const recorded = await page.locator(`#referral-${referralId}`).innerText();
    if (!recorded.includes('Started volunteering') || !recorded.includes('7 hours')) {
      throw new Error(`the referral does not show the start and the outcome: ${recorded}`);
    }
    await checkReflow(page, report, 'front desk');
    await signOut(page, check, 'link worker');
  });
}

// A role's printable sheet: axe-clean on screen, exactly one A4 page as a PDF.
async function roleSheetPrintsOnOnePage(browser, report) {
  await journey(browser, report, async ({ page, h, check }) => {
    await h.goto('/roles');
    const href = await page.locator('.hm-role-card a[href^="/roles/"]').first().getAttribute('href');
    if (!href) throw new Error('no role on /roles');
    for (const sheet of [`${href}/sheet`, "/hubs/1/sheet"]) {
      await h.goto(sheet);
      await check(`printable sheet ${sheet}`);
      if (await page.locator('svg.hm-qr').count() !== 1) report.fail(`${sheet}: expected one QR code`);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      if (pages !== 1) report.fail(`${sheet}: prints on ${pages} A4 pages, expected 1`);
      else report.note(`${sheet}: one A4 page`);
    }
  });
}

// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Skills pathways (issue 10): the demo 16-year-old joins "Youth leadership", logs the
// last 2 of the 6 hours on the first organisation's role tagged for its first stage,
// the organisation's staff confirm them and sign off Teamwork; the stage completes and
// its certificate verifies without an account (and a tampered link does not).
// ---------------------------------------------------------------------------
const DEMO_YOUNG_VOLUNTEER = 'young.volunteer@example.org';

async function pathwaysJourney(browser, report) {
  await journey(browser, report, async ({ page, h, check, submit, expect }) => {
    await signInDemo(page, h, check, submit, DEMO_YOUNG_VOLUNTEER, 'young volunteer');
    const name = (await page.locator('a[href="/account"] .govuk-visually-hidden').first().innerText())
      .trim().replace(/^\(|\)$/g, '');
    await h.goto('/dashboard');
    if (await page.locator('main a[href="/pathways"]').count() === 0) report.fail('no link to skills pathways on the dashboard');
    await h.goto('/pathways');
    await check('skills pathways');
    await checkReflow(page, report, 'skills pathways');
    await submit('main form[action="/pathways/youth-leadership/join"]');
    mustBeAt(page, /^\/pathways\/youth-leadership$/, 'joining Youth leadership');
    await check('pathway progress after joining');
    await checkReflow(page, report, 'pathway progress');
    if (await page.locator('main progress').count() < 2) report.fail('no progress bars on the pathway page');
    if (!/2 hours more/.test(await page.locator('main').innerText())) report.fail('the seeded 4 of 6 hours do not show as 2 hours left');
    const forward = page.locator('main a[href^="/roles/"]');
    if (await forward.count() === 0) throw new Error('no roles that move the volunteer forward');
    const titles = (await forward.allInnerTexts()).map((t) => t.trim());

    // 2 more hours on the accepted application to one of those roles.
    await h.goto('/dashboard');
    let appHref = null;
    for (const t of titles) {
      const link = page.locator('main a[href^="/applications/"]', { hasText: t }).first();
      if (await link.count()) { appHref = await link.getAttribute('href'); break; }
    }
    if (!appHref) throw new Error(`no application on /dashboard to any of: ${titles.join(', ')}`);
    const applicationId = appHref.match(/\/applications\/(\d+)/)[1];
    await h.goto(`/applications/${applicationId}/hours`);
    const today = londonDate(0);
    await page.fill('#worked_on', today.day);
    await page.fill('#worked_on-month', today.month);
    await page.fill('#worked_on-year', today.year);
    await page.fill('#hours', '2');
    await page.fill('#minutes', '0');
    await submit(`main form[action="/applications/${applicationId}/hours"]`);
    await check('young volunteer logged hours');
    await signOut(page, check, 'young volunteer');

    // The organisation's staff confirm the hours and sign off Teamwork with evidence.
    await signInDemo(page, h, check, submit, DEMO_STAFF, 'staff (pathways)');
    let orgId = await organisationIdOnPage(page);
    if (!orgId) { await h.goto('/account'); orgId = await organisationIdOnPage(page); }
    if (!orgId) throw new Error('cannot tell which organisation the demo staff member works for');
    await h.goto(`/organisations/${orgId}/hours`);
    const row = page.locator('main table tbody tr', { hasText: name }).first();
    if (await row.count() === 0) throw new Error(`the young volunteer's hours are not on /organisations/${orgId}/hours`);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      row.locator('button[type=submit]:not([formaction])').click(),
    ]);
    await h.goto(`/organisations/${orgId}/sign-offs`);
    await check('skills sign-off form');
    await checkReflow(page, report, 'skills sign-off form');
    const form = `main form[action="/organisations/${orgId}/sign-offs"]`;
    await page.locator('#volunteer_profile_id').selectOption({ label: name });
    await page.locator('#skill').selectOption('teamwork');
    await page.fill('#level', '16');
    await page.fill('#evidence', 'Ran the Saturday welcome desk and helped two new volunteers settle in.');
    expect(400);
    await submit(form);
    await check('sign-off with a level out of range', 400);
    if (await page.locator('.govuk-error-summary a[href="#level"]').count() === 0) report.fail('no error naming the level');
    expect(200);
    await page.fill('#level', '4');
    await submit(form);
    await check('skill signed off');
    if (!/Signed off/.test(await page.locator('main').innerText())) report.fail('no confirmation of the sign-off');
    await signOut(page, check, 'staff (pathways)');

    // The stage is complete; its certificate prints and verifies.
    await signInDemo(page, h, check, submit, DEMO_YOUNG_VOLUNTEER, 'young volunteer again');
    await h.goto('/pathways/youth-leadership');
    await check('pathway with the first stage completed');
    const certLink = page.locator('main a[href^="/certificates/"]').first();
    if (await certLink.count() === 0) throw new Error('no certificate link after the stage completed');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), certLink.click()]);
    await check('stage certificate');
    const verifyUrl = await page.locator('main .hm-verification-url a').getAttribute('href');
    const text = await page.locator('main').innerText();
    if (!text.includes('Teamwork') || !text.includes('Step 4 of 15')) report.fail('the certificate does not list Teamwork at step 4');
    await page.emulateMedia({ media: 'print' });
    if (await page.locator('header.hm-header').isVisible()) report.fail('the site header is printed on the certificate');
    await page.emulateMedia({ media: 'screen' });
    await signOut(page, check, 'young volunteer again');

    const verifyPath = new URL(verifyUrl, BASE).pathname;
    await h.goto(verifyPath);
    await check('certificate verified without an account');
    if (!/This certificate is valid/.test(await page.locator('main').innerText())) report.fail('the verification page does not say valid');
    const tampered = verifyPath.slice(0, -1) + (verifyPath.endsWith('A') ? 'B' : 'A');
    await h.goto(tampered);
    await check('tampered certificate link');
    if (!/not valid/.test(await page.locator('main').innerText())) report.fail('a tampered link is not shown as not valid');

    // An alliance admin finds the certificate on the pathway's page and withdraws it; the
    // same link then says revoked.
    await signInWithTwoFactor(page, h, check, submit, DEMO_ALLIANCE_ADMIN, 'alliance admin (pathways)');
    await h.goto('/admin/pathways/youth-leadership');
    await check('alliance admin: a pathway with its certificates');
    const serial = decodeURIComponent(verifyPath.split('/').pop()).split('.')[0];
    const listed = page.locator(`#certificates ~ table a[href="/certificates/${serial}"]`);
    if (await listed.count() === 0) throw new Error(`the certificate ${serial} is not listed on the pathway's admin page`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), listed.click()]);
    await check('alliance admin: a certificate with the withdraw form');
    expect(400);
    await submit(`main form[action="/certificates/${serial}/revoke"]`);
    await check('withdrawing without a reason', 400);
    expect(200);
    if (await page.locator('#reason-error').count() === 0) report.fail('withdrawing without a reason is not refused with a message');
    await page.fill('#reason', `Issued in error (${RUN_ID})`);
    await submit(`main form[action="/certificates/${serial}/revoke"]`);
    await check('certificate withdrawn');
    if (!/This certificate was withdrawn/.test(await page.locator('main').innerText())) report.fail('the certificate page does not say it was withdrawn');
    await signOut(page, check, 'alliance admin (pathways)');
    await h.goto(verifyPath);
    await check('withdrawn certificate checked without an account');
    if (!/has been revoked/.test(await page.locator('main').innerText())) report.fail('the verification page does not say revoked after withdrawing');
  });
}

let passed = 0;
let failed = 0;
async function runTest(name, fn) {
  const reasons = [];
  const notes = [];
  const report = { fail: (r) => reasons.push(r), note: (n) => notes.push(n) };
  try {
    await fn(report);
  } catch (err) {
    reasons.push(`${err.name === 'TimeoutError' ? 'timeout: ' : ''}${err.message.split('\n')[0]}`);
  }
  if (reasons.length) {
    failed++;
    console.log(`not ok - ${name}: ${reasons.join('; ')}`);
  } else {
    passed++;
    console.log(`ok - ${name}`);
  }
  for (const n of notes) console.log(`#   ${n}`);
}

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
} catch (err) {
  console.log(`not ok - launch ${CHROMIUM}: ${err.message.split('\n')[0]}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
try {
  for (const t of PAGE_TESTS) await runTest(t.name, (report) => runPageTest(browser, t, report));
  for (const t of FLOW_TESTS) await runTest(t.name, (report) => t.run(browser, report));
} finally {
  await browser.close();
}
console.log(`# screenshots in ${OUT_DIR}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
