/**
 * One Node version, stated the same way in .nvmrc, package.json `engines` and the README,
 * and accepted by every installed package's own `engines` (so `npm install` on it prints no
 * EBADENGINE warning): the version a newcomer installs is one the whole tree supports.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { satisfies } from 'semver';

const root = resolve(__dirname, '../..');
const nvmrc = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

describe('one Node version', () => {
  it('.nvmrc names it, engines starts at it, the README says it', () => {
    expect(nvmrc).toMatch(/^\d+\.\d+$/);
    expect(pkg.engines.node.split('||')[0]!.trim()).toBe(`^${nvmrc}.0`);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`Node.js ${nvmrc}`);
    expect(lock.packages['']!.engines).toEqual(pkg.engines);
  });

  it('every package in the lock file accepts it (and the newest of its line on this machine)', () => {
    const versions = [`${nvmrc}.0`];
    if (process.versions.node.split('.')[0] === nvmrc.split('.')[0]) versions.push(process.versions.node);
    const refusing = Object.entries(lock.packages).flatMap(([name, p]) => {
      const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
      return range ? versions.filter((v) => !satisfies(v, range)).map((v) => `${name || 'package.json'} wants ${range}, not ${v}`) : [];
    });
    expect(refusing).toEqual([]);
  });
});
