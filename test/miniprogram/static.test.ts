/**
 * What the mini program's sources must not hold: literal text in a .wxml (every word comes
 * from services/i18n.ts), provider names outside config.ts and folders named for a provider,
 * and the deprecated wx.getSystemInfoSync.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'miniprogram_npm' || name === 'node_modules') return [];
    return statSync(full).isDirectory() ? files(full, ext) : ext.test(name) ? [full] : [];
  });
}

describe('mini program sources', () => {
  it('no .wxml holds literal text', () => {
    const found: string[] = [];
    for (const file of files(MINIPROGRAM, /\.wxml$/)) {
      const source = readFileSync(file, 'utf8').replace(/"[^"]*"/g, '""');
      for (const m of source.matchAll(/>([^<]*)</g)) {
        const text = (m[1] ?? '').replace(/\{\{[^}]*\}\}/g, '').trim();
        if (text) found.push(`${path.relative(MINIPROGRAM, file)}: ${text}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('names no provider outside config.ts and folders named for one', () => {
    const found = files(MINIPROGRAM, /\.(ts|wxml|json)$/)
      .map((f) => path.relative(MINIPROGRAM, f))
      .filter((f) => f !== 'config.ts' && f !== 'app.json' && !/(latipay|ottpay|newpay)/i.test(path.dirname(f)))
      .filter((f) => /latipay|ottpay|newpay/i.test(readFileSync(path.join(MINIPROGRAM, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('reads the language from wx.getAppBaseInfo, not the deprecated getSystemInfoSync', () => {
    const found = files(MINIPROGRAM, /\.ts$/).filter((f) => readFileSync(f, 'utf8').includes('getSystemInfoSync('));
    expect(found).toEqual([]);
  });
});
