/**
 * `npm run preview` draws into a git-ignored folder unless asked to update the committed
 * pictures (`npm run preview -- --update`), so looking at the pages never leaves git dirty.
 */
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { previewOut } from '../../scripts/preview/main';

const root = resolve(__dirname, '../..');
const ignored = (path: string) => spawnSync('git', ['check-ignore', '-q', relative(root, path) + '/x.png'], { cwd: root }).status === 0;

describe('npm run preview output', () => {
  it('goes to a git-ignored folder by default', () => {
    const out = previewOut([], {});
    expect(relative(root, out).split(/[\\/]/).join('/')).toBe('test-artifacts/preview');
    expect(ignored(out)).toBe(true);
  });

  it('rewrites the committed docs/screenshots only with --update', () => {
    const out = previewOut(['--update'], {});
    expect(relative(root, out).split(/[\\/]/).join('/')).toBe('docs/screenshots');
    expect(ignored(out)).toBe(false);
  });

  it('PREVIEW_OUT names any other folder', () => {
    expect(previewOut(['--update'], { PREVIEW_OUT: '/tmp/pictures' })).toBe('/tmp/pictures');
  });
});
