/**
 * Synthesizes every example (examples/<name>/main.ts) into dist/<name>/, each in its own process
 * so that one example's App cannot leak into another's. A stale output directory is removed first.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const only = process.argv.slice(2);
const examples = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter((d) => fs.existsSync(path.join(ROOT, 'examples', d, 'main.ts')))
  .filter((d) => only.length === 0 || only.includes(d))
  .sort();

for (const name of examples) {
  const outdir = path.join(ROOT, 'dist', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('examples', name, 'main.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CDK8S_OUTDIR: outdir, TS_NODE_PROJECT: 'test/tsconfig.json' },
  });
  const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml'));
  console.log(`synthesized examples/${name} -> dist/${name}/ (${files.length} files)`);
}
