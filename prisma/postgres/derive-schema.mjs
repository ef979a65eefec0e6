// Derives the PostgreSQL schema from prisma/schema.prisma, the single source of the data model:
// only the datasource provider and the generated client's location differ.
// Usage: node prisma/postgres/derive-schema.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const source = here('../schema.prisma');
const target = here('./schema.prisma');

export function deriveSchema(text) {
  const out = text
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=\s*"\.\.\/generated\/prisma"/, 'output$1= "../../generated/prisma-pg"');
  if (out === text) throw new Error('prisma/schema.prisma: provider or output not found');
  return `// Derived from prisma/schema.prisma by prisma/postgres/derive-schema.mjs; do not edit.\n${out}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const derived = deriveSchema(readFileSync(source, 'utf8'));
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== derived) {
      console.error('prisma/postgres/schema.prisma is out of date: run npm run db:pg-schema');
      process.exit(1);
    }
  } else {
    writeFileSync(target, derived);
  }
}
