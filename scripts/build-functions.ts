/**
 * `npm run build`: bundles each cloud function's entry (server/cloud/<entry>.ts) with the
 * shared server code into cloudfunctions/<name>/index.js. wx-server-sdk stays external:
 * DevTools' "upload and install dependencies in the cloud" installs it from the folder's
 * package.json. Prints each bundle's size. Also refreshes the mini program's copy of the wire
 * contract (scripts/lib/contract-copy.ts).
 */
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTRACT_COPY, writeContractCopy } from './lib/contract-copy';

export const FUNCTIONS: Record<string, string> = {
  pay: 'server/cloud/pay.ts',
  payNotify: 'server/cloud/pay-notify.ts',
  reconcile: 'server/cloud/reconcile.ts',
  admin: 'server/cloud/admin.ts',
};

const root = resolve(__dirname, '..');

export async function buildFunctions(quiet = false): Promise<{ name: string; bytes: number; inputs: string[] }[]> {
  const results = [];
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const outfile = join(root, 'cloudfunctions', name, 'index.js');
    const result = await build({
      entryPoints: [join(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      // CloudBase's Node.js runtimes: 16 and later.
      target: 'node16',
      format: 'cjs',
      external: ['wx-server-sdk'],
      metafile: true,
      legalComments: 'none',
      // Minified, with function and class names kept (keepNames), so stack traces in the
      // CloudBase console still name where they are; local names are shortened. With four
      // providers and the settlement engine, names alone were a quarter of each bundle
      // (156 KB → 124 KB for admin), which is what a cold start reads and compiles.
      minifyWhitespace: true,
      minifySyntax: true,
      minifyIdentifiers: true,
      keepNames: true,
      logLevel: 'warning',
      banner: { js: `// Built by npm run build from ${entry}. Do not edit: edit server/ and rebuild.` },
    });
    const bytes = statSync(outfile).size;
    const inputs = Object.keys(result.metafile.inputs);
    results.push({ name, bytes, inputs });
    if (!quiet) console.log(`cloudfunctions/${name}/index.js  ${(bytes / 1024).toFixed(1)} KB  (${inputs.length} modules)`);
  }
  return results;
}

if (require.main === module) {
  if (writeContractCopy(root)) console.log(`${CONTRACT_COPY} updated from the server's wire contract`);
  buildFunctions().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
