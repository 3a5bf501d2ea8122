/**
 * `npx projen diff` in a platform repository: what the last synth changed in the manifest and
 * report folders against the last commit, object by object (kind, namespace/name, changed fields),
 * so a reviewer sees the effect of a program change before committing it.
 *
 * Usage: node platform-diff.js <folder>...   (run from the repository root, after synth)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';

type Files = Map<string, string>;

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

function committedFiles(dir: string): Files {
  const files: Files = new Map();
  let list: string;
  try {
    list = git(['ls-tree', '-r', '--name-only', 'HEAD', '--', dir]);
  } catch {
    return files; // no commit yet: everything is new
  }
  for (const f of list.split('\n').filter(Boolean)) files.set(f, git(['show', `HEAD:${f}`]));
  return files;
}

function currentFiles(dir: string): Files {
  const files: Files = new Map();
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.posix.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(p, fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** Kubernetes objects of a YAML text, keyed by `apiVersion kind namespace/name`. */
function objects(text: string): Map<string, unknown> {
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'platform-diff-')), 'f.yaml');
  fs.writeFileSync(tmp, text);
  const out = new Map<string, unknown>();
  try {
    for (const doc of Yaml.load(tmp) as any[]) {
      if (!doc || typeof doc !== 'object') continue;
      const ns = doc.metadata?.namespace ? `${doc.metadata.namespace}/` : '';
      out.set(`${doc.kind} ${ns}${doc.metadata?.name ?? '?'} (${doc.apiVersion})`, doc);
    }
  } finally {
    fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
  }
  return out;
}

/** Dotted paths of the leaves that differ between two JSON values (at most `limit`). */
function changedPaths(a: unknown, b: unknown, limit: number, prefix = '', out: string[] = []): string[] {
  if (out.length >= limit) return out;
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      changedPaths(a[k], b[k], limit, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(prefix || '(whole value)');
  }
  return out;
}

function main(dirs: string[]): void {
  if (dirs.length === 0) throw new Error('platform-diff: name the folders to compare (the manifests folder, the reports folders)');
  const counts = { files: 0, added: 0, removed: 0, changed: 0 };
  for (const dir of dirs) {
    const before = committedFiles(dir);
    const after = currentFiles(dir);
    for (const file of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const a = before.get(file);
      const b = after.get(file);
      if (a === b) continue;
      counts.files++;
      const state = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
      console.log(`${file}: ${state}`);
      if (!/\.ya?ml$/.test(file)) continue;
      const oa = objects(a ?? '');
      const ob = objects(b ?? '');
      for (const key of [...new Set([...oa.keys(), ...ob.keys()])].sort()) {
        if (!oa.has(key)) { counts.added++; console.log(`  + ${key}`); continue; }
        if (!ob.has(key)) { counts.removed++; console.log(`  - ${key}`); continue; }
        const paths = changedPaths(oa.get(key), ob.get(key), 10);
        if (paths.length === 0) continue;
        counts.changed++;
        console.log(`  ~ ${key}: ${paths.join(', ')}${paths.length === 10 ? ', ...' : ''}`);
      }
    }
  }
  console.log(counts.files === 0
    ? `no change in ${dirs.join(', ')} against the last commit`
    : `${counts.files} file(s) differ from the last commit; objects: ${counts.added} added, ${counts.changed} changed, ${counts.removed} removed`);
}

if (require.main === module) main(process.argv.slice(2));
