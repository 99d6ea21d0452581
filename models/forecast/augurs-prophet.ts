/**
 * The one place that touches `@bsull/augurs` (Prophet in Rust, compiled to WASM) and
 * `@bsull/augurs-prophet-wasmstan` (Prophet's Stan model, compiled to WASM): it finds the
 * maximum a-posteriori parameters of Prophet's model (Taylor & Letham 2018, eq. 1) for a
 * design matrix the caller built, and hands them back as plain numbers. Everything else —
 * features, prediction, intervals, serialisation — is pure TypeScript, so a stored forecast
 * predicts without loading WASM.
 *
 * The caller's seasonality and holiday columns go in as regressors with standardize "no":
 * Stan sees exactly the columns and prior scales Prophet would build (its seasonalities and
 * holidays are regressors with normal priors too). The Stan data and estimate are read by
 * wrapping the optimizer, the only seam augurs offers. augurs keeps regressors in a Rust
 * HashMap, so Stan's column order changes from run to run: each Stan column is matched back
 * to the caller's column by its values, prior scale and mode.
 */
import { readFileSync } from 'node:fs';
import { ClvError, ErrorCodes } from '../../core/errors.js';

export const AUGURS_PACKAGE = '@bsull/augurs';
export const WASMSTAN_PACKAGE = '@bsull/augurs-prophet-wasmstan';

/** One column of the design matrix X. */
export interface ProphetColumn {
  /** One value per observation. */
  values: ArrayLike<number>;
  /** Standard deviation of the normal prior on its coefficient (Prophet's prior_scale). */
  priorScale: number;
  mode: 'additive' | 'multiplicative';
}

export interface ProphetFitInput {
  /** Observation times, seconds since the epoch, strictly ascending. */
  ds: readonly number[];
  y: readonly number[];
  growth: 'linear' | 'flat';
  nChangepoints: number;
  /** Share of the history in which changepoints may lie (0, 1]. */
  changepointRange: number;
  /** τ, the Laplace prior scale of the rate changes δ (eq. 4 and §3.1.3). */
  changepointPriorScale: number;
  columns: readonly ProphetColumn[];
}

/** The estimate, in Prophet's scaled units: y / yScale, t from 0 (first ds) to 1 (last ds). */
export interface ProphetFitResult {
  k: number;
  m: number;
  delta: number[];
  /** One coefficient per input column, in input order. */
  beta: number[];
  sigmaObs: number;
  /** Changepoint times, scaled. */
  tChange: number[];
  /** max |y| (Prophet's "absmax" scaling). */
  yScale: number;
  /** augurs' own in-sample point forecast, original units: lets the caller check its predictor. */
  fittedInSample: number[];
  /** The Stan optimiser that converged, and whether it needed a restart off Prophet's start. */
  algorithm: 'lbfgs' | 'bfgs';
  restarted: boolean;
}

/** Fits Prophet's MAP estimate. */
export interface ProphetFitter {
  fit(input: ProphetFitInput): ProphetFitResult;
}

type Importer = (specifier: string) => Promise<unknown>;
type AugursModule = typeof import('@bsull/augurs/prophet');
type Optimizer = (typeof import('@bsull/augurs-prophet-wasmstan'))['optimizer'];

let shared: Promise<ProphetFitter> | undefined;

/**
 * Loads both WASM modules (once per process for the default importer, ~0.1 s).
 * @param importModule replaces `import()` (e.g. to simulate a missing package).
 * @throws ClvError DEPENDENCY_FAILED naming the package that failed to load.
 */
export function loadAugursProphet(importModule?: Importer): Promise<ProphetFitter> {
  if (importModule !== undefined) return load(importModule);
  shared ??= load((s) => import(s)).catch((e: unknown) => {
    shared = undefined; // let a later call retry
    throw e;
  });
  return shared;
}

async function load(importModule: Importer): Promise<ProphetFitter> {
  const augurs = (await importPackage(importModule, `${AUGURS_PACKAGE}/prophet`, AUGURS_PACKAGE)) as AugursModule;
  try {
    // augurs' default init fetch()es the .wasm by URL, which Node cannot do for file: URLs.
    augurs.initSync({ module: readFileSync(new URL('prophet_bg.wasm', import.meta.resolve(`${AUGURS_PACKAGE}/prophet`))) });
  } catch (cause) {
    throw loadError(AUGURS_PACKAGE, cause);
  }
  const wasmstan = (await importPackage(importModule, WASMSTAN_PACKAGE, WASMSTAN_PACKAGE)) as { optimizer?: Optimizer };
  if (typeof wasmstan.optimizer?.optimize !== 'function') throw loadError(WASMSTAN_PACKAGE, new TypeError('no optimizer export'));
  const optimizer = wasmstan.optimizer;
  return { fit: (input) => fitWithAugurs(augurs, optimizer, input) };
}

async function importPackage(importModule: Importer, specifier: string, pkg: string): Promise<unknown> {
  try {
    return await importModule(specifier);
  } catch (cause) {
    throw loadError(pkg, cause);
  }
}

function loadError(pkg: string, cause: unknown): ClvError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `cannot load ${pkg} (Prophet WASM) — is it installed? ${why}`, { cause });
}

interface StanData {
  T: number; y: number[]; K: number; X: number[][]; t_change: number[]; sigmas: number[]; s_a: number[]; s_m: number[];
}

/**
 * Stan's L-BFGS from Prophet's start (δ = 0) can stop at once with "line search failed" when
 * τ is small: the Laplace prior on δ has a kink at 0. Python Prophet then falls back to
 * Newton, which traps inside augurs' WASM; starting δ a hair (±1e-6) off the kink works.
 */
const ATTEMPTS = [
  { algorithm: 'lbfgs', deltaJitter: 0 },
  { algorithm: 'lbfgs', deltaJitter: 1e-6 },
  { algorithm: 'bfgs', deltaJitter: 1e-6 },
] as const;

function fitWithAugurs(augurs: AugursModule, optimizer: Optimizer, input: ProphetFitInput): ProphetFitResult {
  let stan: StanData | undefined;
  let estimate: { k: number; m: number; delta: ArrayLike<number>; beta: ArrayLike<number>; sigmaObs: number } | undefined;
  let jitter = 0;
  const capturing = {
    optimize: ((init, data, opts) => {
      const start = jitter === 0 ? init : { ...init, delta: Float64Array.from(init.delta, (_, j) => (j % 2 === 0 ? jitter : -jitter)) };
      stan = JSON.parse(data) as StanData;
      // augurs hands Stan its columns in a different order from one fit to the next (a hash
      // map inside it), and L-BFGS's path depends on the order: the same data fitted twice in
      // one process gave slightly different estimates. Stan sees them in our order instead,
      // and the estimate goes back to augurs in its own.
      const order = canonicalOrder(input, stan);
      const out = optimizer.optimize({ ...start, beta: permute(start.beta, order) }, JSON.stringify(reorderColumns(stan, order)), opts);
      const beta = new Float64Array(order.length);
      order.forEach((stanColumn, i) => (beta[stanColumn] = out.params.beta[i]));
      out.params.beta = beta;
      estimate = out.params;
      return out;
    }) as Optimizer['optimize'],
  };
  const off = { type: 'manual', enabled: false } as const;
  const prophet = new augurs.Prophet({
    optimizer: capturing, growth: input.growth, nChangepoints: input.nChangepoints, changepointRange: input.changepointRange,
    changepointPriorScale: input.changepointPriorScale, yearlySeasonality: off, weeklySeasonality: off, dailySeasonality: off,
    uncertaintySamples: 0, scaling: 'absMax',
  });
  try {
    const x = new Map<string, number[]>();
    input.columns.forEach((c, j) => {
      const name = `x${String(j).padStart(4, '0')}`;
      prophet.addRegressor(name, { mode: c.mode, priorScale: c.priorScale, standardize: 'no' });
      x.set(name, Array.from(c.values));
    });
    const data = { ds: [...input.ds], y: [...input.y], x };
    const failures: string[] = [];
    for (const attempt of ATTEMPTS) {
      jitter = attempt.deltaJitter;
      try {
        prophet.fit(data, { algorithm: attempt.algorithm });
      } catch (e) {
        failures.push(`${attempt.algorithm}${attempt.deltaJitter > 0 ? ' from δ ≠ 0' : ''}: ${firstLine(e)}`);
        continue;
      }
      const fitted = prophet.predict({ ds: [...input.ds], x }).yhat.point;
      if (stan === undefined || estimate === undefined) throw new Error('the optimizer was not called');
      return { ...readEstimate(input, stan, estimate, fitted), algorithm: attempt.algorithm, restarted: failures.length > 0 };
    }
    throw new Error(failures.join('; '));
  } catch (cause) {
    if (cause instanceof ClvError) throw cause;
    throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Prophet fit in ${AUGURS_PACKAGE} failed: ${firstLine(cause)}`, { cause });
  } finally {
    prophet.free();
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 3).join(' ');
}

/** Checks that Stan saw our columns, unscaled, and reads β back into our column order. */
function readEstimate(
  input: ProphetFitInput,
  stan: StanData,
  est: { k: number; m: number; delta: ArrayLike<number>; beta: ArrayLike<number>; sigmaObs: number },
  fitted: number[],
): Omit<ProphetFitResult, 'algorithm' | 'restarted'> {
  const contract = (why: string): never => {
    throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `${AUGURS_PACKAGE} no longer fits the adapter's contract: ${why}`);
  };
  const n = input.y.length;
  if (stan.T !== n) contract(`Stan saw ${stan.T} observations, not ${n}`);
  const K = input.columns.length;
  if (stan.K !== Math.max(1, K)) contract(`Stan saw ${stan.K} columns, not ${K}`);
  const beta = new Array<number>(K);
  const used = new Array<boolean>(K).fill(false);
  for (let c = 0; c < K; c++) {
    const j = input.columns.findIndex((col, jj) => !used[jj] && sameColumn(col, stan, c, n));
    if (j < 0) contract(`Stan column ${c} matches none of the input columns`);
    used[j] = true;
    beta[j] = est.beta[c];
  }
  let yScale = 0;
  for (const v of input.y) yScale = Math.max(yScale, Math.abs(v));
  if (yScale === 0) yScale = 1;
  for (let i = 0; i < n; i++) if (Math.abs(stan.y[i] * yScale - input.y[i]) > 1e-9 * yScale) contract('y is not scaled by max |y|');
  return {
    k: est.k, m: est.m, delta: Array.from(est.delta), beta, sigmaObs: est.sigmaObs,
    tChange: [...stan.t_change], yScale, fittedInSample: [...fitted],
  };
}

/**
 * Stan's column indices in the order of `input.columns` (ties between identical columns keep
 * Stan's order, which cannot matter: identical columns are interchangeable).
 */
function canonicalOrder(input: ProphetFitInput, stan: StanData): number[] {
  const K = input.columns.length;
  if (stan.K !== K) return Array.from({ length: stan.K }, (_, c) => c);
  const n = input.y.length;
  const taken = new Array<boolean>(K).fill(false);
  const order: number[] = [];
  for (const col of input.columns) {
    const c = Array.from({ length: K }, (_, cc) => cc).find((cc) => !taken[cc] && sameColumn(col, stan, cc, n));
    if (c === undefined) return Array.from({ length: K }, (_, cc) => cc); // readEstimate reports the mismatch
    taken[c] = true;
    order.push(c);
  }
  return order;
}

function permute<T extends ArrayLike<number>>(values: T, order: readonly number[]): Float64Array | T {
  if (values === undefined || values.length !== order.length) return values;
  return Float64Array.from(order, (c) => values[c]);
}

/** Stan's data with its columns (X, sigmas, s_a, s_m) in `order`. */
function reorderColumns(stan: StanData, order: readonly number[]): StanData {
  if (stan.K !== order.length) return stan;
  return {
    ...stan,
    X: stan.X.map((row) => order.map((c) => row[c])),
    sigmas: order.map((c) => stan.sigmas[c]),
    s_a: order.map((c) => stan.s_a[c]),
    s_m: order.map((c) => stan.s_m[c]),
  };
}

/** Identical columns with the same prior and mode get equal β, so any match among them is right. */
function sameColumn(col: ProphetColumn, stan: StanData, c: number, n: number): boolean {
  if (Math.abs(stan.sigmas[c] - col.priorScale) > 1e-12 * col.priorScale) return false;
  if ((stan.s_m[c] === 1) !== (col.mode === 'multiplicative')) return false;
  for (let i = 0; i < n; i++) if (Math.abs(stan.X[i][c] - col.values[i]) > 1e-9 * (1 + Math.abs(col.values[i]))) return false;
  return true;
}
