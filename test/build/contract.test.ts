/** The mini program's copy of the wire contract is the server's, byte for byte (after its header). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTRACT_COPY, contractCopyText } from '../../scripts/lib/contract-copy';

const root = resolve(__dirname, '../..');

describe('wire contract', () => {
  it('miniprogram/contract/wire.ts is current (run npm run build after editing server/contract/wire.ts)', () => {
    expect(readFileSync(join(root, CONTRACT_COPY), 'utf8')).toBe(contractCopyText(root));
  });

  it('the copy has no imports, so it compiles on its own inside miniprogram/', () => {
    expect(readFileSync(join(root, CONTRACT_COPY), 'utf8')).not.toMatch(/^\s*import\s/m);
  });
});
