// Installs what `npm start` and `npm test` need on a fresh clone: npm packages (when
// package-lock.json is newer than the last install) and, for tests, Debian's chromium and
// clang-19 when this user can run apt-get. Only Node built-ins are used: this runs before
// node_modules exists.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const lock = existsSync('package-lock.json') ? readFileSync('package-lock.json') : Buffer.from('');
const digest = createHash('sha256').update(lock).digest('hex');
const stamp = 'node_modules/.quiver-deps-stamp';
const stale = !existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest;
if (stale) {
  // `npm install`, not `npm ci`: with `omit-lockfile-registry-resolved` (set on our machines)
  // npm 11 writes locks without other platforms' optional packages, which `npm ci` refuses.
  console.log('Installing npm packages (npm install)...');
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
  // Installing from the committed lock must leave the clone clean (`git status` empty), yet
  // other npm versions and settings rewrite the lock they installed from (resolved URLs, other
  // platforms' optional packages): the committed one is what the install followed, so keep it.
  if (existsSync('package-lock.json') && !readFileSync('package-lock.json').equals(lock)) {
    writeFileSync('package-lock.json', lock);
    console.log('npm rewrote package-lock.json; the committed one is kept.');
  }
  writeFileSync(stamp, digest);
}

// The kits suite runs Playwright too (e2e/kits-install.spec.ts), so it needs chromium as well.
const forTests = ['pretest', 'pretest:kits', 'pretest:kits:e2e'].includes(
  process.env.npm_lifecycle_event ?? '',
);
const has = (cmd) => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};
const aptPackages = {
  chromium: ['chromium'],
  'clang-19': [
    'clang-19',
    'lld-19',
    'wasi-libc',
    'libclang-rt-19-dev-wasm32',
    'libclang-rt-19-dev',
  ],
};
if (forTests) {
  const missing = Object.entries(aptPackages).filter(([cmd]) => !has(cmd));
  if (missing.length > 0) {
    const names = missing.flatMap(([, pkgs]) => pkgs);
    const isRoot = process.getuid?.() === 0;
    if (isRoot && has('apt-get')) {
      console.log(`Installing Debian packages: ${names.join(' ')}`);
      execSync('apt-get update -qq', { stdio: 'inherit' });
      execSync(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${names.join(' ')}`, {
        stdio: 'inherit',
        shell: '/bin/sh',
      });
    } else {
      console.error(
        `Tests need these Debian packages: ${names.join(' ')}\n` +
          `Install them with: sudo apt-get install ${names.join(' ')}`,
      );
      process.exit(1);
    }
  }
}
