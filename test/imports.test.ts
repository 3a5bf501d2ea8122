/**
 * The package carries generated classes only for the upstream kinds the library emits: every
 * ApiObject class in src/imports/ must be imported by a layer. A kind nothing uses is dead weight
 * in every user's node_modules (the generated code of one CRD can be megabytes).
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** module file name (without .ts) -> names imported from it by the library's own sources. */
function importedNames(): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'[./]*\/imports\/([^']+)'/g)) {
      const names = used.get(m[2]) ?? new Set<string>();
      for (const n of m[1].split(',')) names.add(n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
      used.set(m[2], names);
    }
  }
  return used;
}

describe('generated imports', () => {
  const used = importedNames();
  const modules = fs.readdirSync(path.join(SRC, 'imports')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));

  test.each(modules)('every kind generated in %s is emitted by a layer', (mod) => {
    const text = fs.readFileSync(path.join(SRC, 'imports', `${mod}.ts`), 'utf8');
    const kinds = [...text.matchAll(/^export class (\w+) extends ApiObject/gm)].map((m) => m[1]);
    expect(kinds.length).toBeGreaterThan(0);
    const unused = kinds.filter((k) => !used.get(mod)?.has(k));
    // To fix: remove the kind from scripts/import-crds.ts and run `npx projen import`.
    expect(unused).toEqual([]);
  });

  test('the check sees the imports the layers make', () => {
    // Guards the regular expression above: a known import must be found.
    expect(used.get('gatekeeper-templates.gatekeeper.sh')?.has('ConstraintTemplate')).toBe(true);
  });
});
