import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * cdk8s validates the whole App once more for every chart it writes (`Chart.toJson`), so a
 * whole-App validation of an App with N charts would run N times per synth. The program cannot
 * change between the validations of one `App.synth()` / `synthYaml()` call; this module lets a
 * validation compute once per call and reuse its result until the call returns. Outside a synth
 * call (`Chart.toJson`, `Testing.synth`) every validation computes.
 */
interface SynthState {
  depth: number;
  readonly results: Map<object, string[]>;
  readonly afterSynth: Map<object, () => void>;
}

const STATE = Symbol.for('cdk8s-devsecops.synth-cache');

/**
 * Makes the App `scope` belongs to track its synth calls (once per App; a no-op outside an App).
 * Call it when the validating construct is created, before synth starts.
 */
export function trackSynth(scope: IConstruct): void {
  const root = scope.node.root;
  if (!(root instanceof App)) return;
  const app = root as any;
  if (app[STATE]) return;
  const state: SynthState = { depth: 0, results: new Map(), afterSynth: new Map() };
  app[STATE] = state;
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = app[method].bind(app);
    app[method] = (...args: unknown[]) => {
      state.depth++;
      let ok = false;
      try {
        const result = original(...args);
        ok = true;
        return result;
      } finally {
        if (--state.depth === 0) {
          state.results.clear();
          // Only after a synth that wrote its manifests: nothing is written when synth fails.
          if (ok && method === 'synth') for (const fn of state.afterSynth.values()) fn();
        }
      }
    };
  }
}

/** The result of `compute` for `owner`, computed once per synth call of the App `scope` belongs to. */
export function oncePerSynth(scope: IConstruct, owner: object, compute: () => string[]): string[] {
  const state: SynthState | undefined = (scope.node.root as any)[STATE];
  if (!state || state.depth === 0) return compute();
  const cached = state.results.get(owner);
  if (cached) return cached;
  const result = compute();
  state.results.set(owner, result);
  return result;
}

/**
 * Runs `fn` (once per `owner`) after each successful `App.synth()` of the App `scope` belongs
 * to, for files written beside the manifests. A no-op outside an App.
 */
export function afterSynth(scope: IConstruct, owner: object, fn: () => void): void {
  trackSynth(scope);
  const state: SynthState | undefined = (scope.node.root as any)[STATE];
  state?.afterSynth.set(owner, fn);
}
