/**
 * server/ is layered (design.md): the ESLint rule in scripts/lint/layers.mjs refuses an import
 * that points up, and `npm run lint` (part of `npm test`) runs it over server/. Here the rule
 * itself is checked on snippets, and the real tree is checked for import cycles.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** ESLint in its own process (the flat config is an ES module, which Jest's sandbox can't import), on stdin. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const eslintBin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const run = spawnSync(process.execPath, [eslintBin, '--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: root, input: code, encoding: 'utf8' });
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === 'architecture/layers').map((m) => m.message);
}

describe('the layers rule', () => {
  it('refuses an import from a lower layer to a higher one', async () => {
    expect(await lint('server/domain/example.ts', "import { PaymentService } from '../use-cases/service';\nexport const x = PaymentService;\n")).toEqual([
      expect.stringContaining('domain (layer 3) must not import use-cases (layer 7)'),
    ]);
    expect(await lint('server/store/sqlite/example.ts', "export { Checkout } from '../../use-cases/checkout';\n")).toHaveLength(1);
    expect(await lint('server/core/example.ts', "export async function f() { return import('../providers/registry'); }\n")).toHaveLength(1);
  });

  it('allows imports that point down or stay in their layer, and ignores packages', async () => {
    expect(await lint('server/use-cases/example.ts', "import { refundSums } from '../domain/refund-sums';\nimport { mutate } from './context';\nimport Database from 'better-sqlite3';\nexport const x = [refundSums, mutate, Database];\n")).toEqual([]);
  });

  it('refuses a server folder that has no layer yet', async () => {
    expect(await lint('server/misc/example.ts', "import { mask } from '../core/strings';\nexport const x = mask;\n")).toEqual([expect.stringContaining('server/misc is in no layer')]);
  });
});

/** Every .ts file under server/, with the relative imports it makes (resolved to files). */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) files.push(full);
    }
  };
  walk(join(root, 'server'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of source.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
      const spec = (m[1] ?? m[2]) as string;
      const base = resolve(dirname(file), spec);
      const candidates = [`${base}.ts`, join(base, 'index.ts')];
      const hit = candidates.find((c) => files.includes(c));
      if (hit) targets.push(hit);
    }
    graph.set(file, targets);
  }
  return graph;
}

it('server/ has no import cycle (type-only imports included)', () => {
  const graph = importGraph();
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => relative(root, f)).join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(cycles).toEqual([]);
});
