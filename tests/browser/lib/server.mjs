// Starts the real LiveChat server (the built LiveChat.Server.dll) on a free loopback port for browser tests,
// and Debian's Chromium through playwright-core. Everything stops by itself when the test process ends.
import { spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { existsSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const serverDir = join(root, 'src', 'LiveChat.Server');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

function serverDll() {
  const candidates = ['Release', 'Debug']
    .map(c => join(serverDir, 'bin', c, 'net10.0', 'LiveChat.Server.dll'))
    .filter(existsSync)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!candidates.length) throw new Error('LiveChat.Server is not built: run dotnet build first');
  return candidates[0];
}

/**
 * Starts a server. `env` adds configuration as environment variables (e.g. { LiveChat__Sites__x__PhoneNumber: '…' }).
 * Returns { url, stop(), log() }.
 */
export async function startServer(env = {}) {
  // A port picked free can be taken before the server binds it (or be picked twice): start again on new ports then.
  for (let attempt = 1; ; attempt++) {
    try { return await startOnce(env); } catch (e) {
      if (attempt >= 3 || !/address already in use/i.test(e.message)) throw e;
    }
  }
}

async function distinctFreePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

async function startOnce(env) {
  const [port, silo, gateway] = await distinctFreePorts(3);
  const url = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn('dotnet', [serverDll(), '--urls', url], {
    cwd: serverDir,
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Production',
      LiveChat__Orleans__SiloPort: String(silo),
      LiveChat__Orleans__GatewayPort: String(gateway),
      LiveChat__Orleans__ClusterId: `browser-${port}`,
      Logging__LogLevel__Default: 'Warning',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', d => output.push(String(d)));
  child.stderr.on('data', d => output.push(String(d)));
  const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
  process.once('exit', stop);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output.join('')}`);
    if (/address already in use/i.test(output.join(''))) { stop(); throw new Error(`server could not bind: address already in use\n${output.join('')}`); }
    try { if ((await fetch(`${url}/health/ready`)).ok) return { url, stop, log: () => output.join('') }; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 250));
  }
  stop();
  throw new Error(`server not ready within 60 s:\n${output.join('')}`);
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchChromium() {
  const { chromium } = await import(join(root, 'widget', 'node_modules', 'playwright-core', 'index.mjs'));
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Signs an agent in through the JSON API and returns the cookie header value. */
export async function signIn(url, agentId = 'demo', password = 'demo') {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId, password }) });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
  return res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ');
}

/** Replaces a site's rules through the admin API. */
export async function putRules(url, rules, site = 'demo') {
  const cookie = await signIn(url);
  const res = await fetch(`${url}/api/sites/${site}/rules`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(rules) });
  if (!res.ok) throw new Error(`rules refused: ${res.status} ${await res.text()}`);
}

export const artifacts = join(root, 'tests', 'browser', 'artifacts');

/**
 * An ASP.NET Core Identity (v3) password hash, what LiveChat__Agents__N__PasswordHash holds: PBKDF2-HMAC-SHA512,
 * 100 000 iterations, 16-byte salt, 32-byte key (the same format as the C# test kit's PasswordHash.Create).
 */
export function identityHash(password) {
  const salt = randomBytes(16);
  const key = pbkdf2Sync(password, salt, 100_000, 32, 'sha512');
  const header = Buffer.alloc(13);
  header.writeUInt8(1, 0);
  header.writeUInt32BE(2, 1); // HMACSHA512
  header.writeUInt32BE(100_000, 5);
  header.writeUInt32BE(16, 9);
  return Buffer.concat([header, salt, key]).toString('base64');
}

/**
 * The LiveChat__Agents__N__* environment for startServer, from [{ id, name, password, sites = ['demo'], roles }].
 * Configured agents replace the seeded demo agent: list demo yourself when a test needs it.
 */
export function agentsEnv(agents) {
  const env = {};
  agents.forEach(({ id, name, password, sites = ['demo'], roles }, i) => {
    const p = `LiveChat__Agents__${i}__`;
    env[`${p}Id`] = id;
    if (name) env[`${p}Name`] = name;
    sites.forEach((s, j) => { env[`${p}Sites__${j}`] = s; });
    (roles ?? []).forEach((r, j) => { env[`${p}Roles__${j}`] = r; });
    env[`${p}PasswordHash`] = identityHash(password);
  });
  return env;
}
