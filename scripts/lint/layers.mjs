// An ESLint rule that keeps server/ layered: a file may import only from its own layer or a
// lower one (design.md, "A layout that shows the architecture"). Relative imports are resolved
// against the importing file; anything outside server/ is not this rule's business.
import path from 'node:path';

/** server/ top-level entries, lowest first. A name not listed here is refused, so a new folder must be placed. */
export const LAYERS = [
  ['contract'],
  ['core'],
  ['config'],
  ['domain'],
  ['store'],
  ['wechat'],
  ['providers'],
  ['use-cases'],
  ['functions'],
  ['cloud', 'app.ts'],
];

const RANK = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank])));

/** The layer of a path inside server/ (its first segment), or undefined outside server/. */
function layerOf(file) {
  const parts = path.normalize(file).split(path.sep);
  const at = parts.lastIndexOf('server');
  if (at < 0 || at === parts.length - 1) return undefined;
  return parts[at + 1];
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports in server/ point only to the same or a lower layer' },
    messages: {
      upward: '{{from}} (layer {{fromRank}}) must not import {{to}} (layer {{toRank}}): imports in server/ point down ({{order}}).',
      unplaced: 'server/{{name}} is in no layer: add it to LAYERS in scripts/lint/layers.mjs.',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = layerOf(file);
    if (from === undefined) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = layerOf(path.resolve(path.dirname(file), source));
      if (target === undefined) return;
      for (const name of [from, target]) {
        if (!RANK.has(name) && !RANK.has(`${name}.ts`)) {
          context.report({ node, messageId: 'unplaced', data: { name } });
          return;
        }
      }
      const fromRank = RANK.get(from) ?? RANK.get(`${from}.ts`);
      const toRank = RANK.get(target) ?? RANK.get(`${target}.ts`);
      if (toRank > fromRank) {
        context.report({ node, messageId: 'upward', data: { from, to: target, fromRank, toRank, order: LAYERS.map((l) => l.join('+')).join(' < ') } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { layers: layersRule } };
