/**
 * Synthesizes every example (examples/<name>/main.ts): manifests into dist/<name>/, reports into
 * dist/<name>-reports/ (never among the manifests: kubectl apply -f, Flux and gator read every
 * file of a folder as objects). Each example runs in its own process so that one example's App
 * cannot leak into another's. Stale output folders are removed first.
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
  const reports = `${outdir}-reports`;
  for (const dir of [outdir, reports]) fs.rmSync(dir, { recursive: true, force: true });
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('examples', name, 'main.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CDK8S_OUTDIR: outdir, TS_NODE_PROJECT: 'test/tsconfig.json' },
  });
  const files = fs.readdirSync(outdir);
  const stray = files.filter((f) => !f.endsWith('.k8s.yaml'));
  if (stray.length > 0) throw new Error(`dist/${name}/ holds files that are not manifests: ${stray.join(', ')}`);
  const written = fs.existsSync(reports) ? fs.readdirSync(reports).sort() : [];
  console.log(`synthesized examples/${name} -> dist/${name}/ (${files.sort().join(', ')}), reports in dist/${name}-reports/ (${written.join(', ') || 'none'})`);
}
