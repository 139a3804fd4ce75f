/** Writes server/core/iso4217.json from the ISO 4217 list (scripts/lib/iso4217.ts): `npx tsx scripts/iso4217.ts`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIso4217 } from './lib/iso4217';

const table = readIso4217();
writeFileSync(join(__dirname, '..', 'server', 'core', 'iso4217.json'), `${JSON.stringify(table, null, 0)}\n`);
console.log(`server/core/iso4217.json: ${Object.keys(table.minorUnits).length} currencies, ISO list of ${table.published}`);
