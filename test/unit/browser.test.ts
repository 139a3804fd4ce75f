import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BrowserNotFoundError, findBrowser, systemCandidates, woffToSfnt } from '../../scripts/lib/browser';

describe('findBrowser', () => {
  const saved = process.env.CHROME_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROME_PATH;
    else process.env.CHROME_PATH = saved;
  });

  it('CHROME_PATH wins over everything else', async () => {
    process.env.CHROME_PATH = process.execPath; // any existing file
    await expect(findBrowser()).resolves.toMatchObject({ executablePath: process.execPath, source: 'CHROME_PATH', args: expect.arrayContaining(['--headless', '--no-sandbox']) });
  });

  it('a CHROME_PATH that does not exist is an error naming it, not a silent fallback', async () => {
    process.env.CHROME_PATH = '/nowhere/chrome';
    await expect(findBrowser()).rejects.toThrow(BrowserNotFoundError);
    await expect(findBrowser()).rejects.toThrow('/nowhere/chrome');
  });

  it('looks where Chrome, Chromium and Edge install on Linux, macOS and Windows', () => {
    expect(systemCandidates('linux', {})).toEqual(expect.arrayContaining(['/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/microsoft-edge']));
    expect(systemCandidates('darwin', { HOME: '/Users/dev' })).toEqual(
      expect.arrayContaining(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge']),
    );
    const win = systemCandidates('win32', { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' });
    expect(win).toEqual(
      expect.arrayContaining([
        'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
        'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
        'C:\\Users\\dev\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      ]),
    );
  });
});

describe('woffToSfnt', () => {
  it('unwraps a WOFF font into a TrueType file with the same tables', () => {
    const dir = join(dirname(require.resolve('@fontsource/noto-sans-sc/LICENSE')), 'files');
    const name = readdirSync(dir).find((f) => f.endsWith('-400-normal.woff'))!;
    const woff = readFileSync(join(dir, name));
    const ttf = woffToSfnt(woff);
    expect(ttf.readUInt32BE(0)).toBe(woff.readUInt32BE(4)); // flavor
    const numTables = woff.readUInt16BE(12);
    expect(ttf.readUInt16BE(4)).toBe(numTables);
    expect(ttf.length).toBe(woff.readUInt32BE(16)); // WOFF's totalSfntSize
    const tags = Array.from({ length: numTables }, (_, i) => ttf.subarray(12 + i * 16, 16 + i * 16).toString('latin1'));
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head']));
  });

  it('refuses what is not WOFF', () => {
    expect(() => woffToSfnt(Buffer.alloc(64))).toThrow('not a WOFF 1.0 file');
  });
});
