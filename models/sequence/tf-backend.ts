/**
 * Chooses the TensorFlow.js backend of the sequence model (ARCHITECTURE, Models: LSTM):
 * `@tensorflow/tfjs-node` when it is installed — an optional dependency, because its install
 * downloads libtensorflow and fails offline — else `@tensorflow/tfjs-backend-wasm`, else the
 * pure-JS cpu backend. Every candidate is loaded with a dynamic import so a missing package
 * only moves the choice down the list.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

/** tfjs's own backend names: tfjs-node registers itself as "tensorflow". */
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The .wasm binary the wasm backend runs. */
export type WasmBinary = 'threaded-simd' | 'simd' | 'plain';

export interface TfBackendChoice {
  name: TfBackendName;
  /** For the wasm backend, which binary it loaded; null for the others. */
  wasmBinary: WasmBinary | null;
  /** Candidates tried before `name`, each with why it was passed over. */
  skipped: { name: TfBackendName; reason: string }[];
}

/** The slice of a pino logger this module uses. */
export interface TfBackendLogger {
  info(fields: object, message: string): void;
}

export interface TfBackendOptions {
  /** In order of preference. Default: tensorflow, wasm, cpu. */
  candidates?: readonly TfBackendName[];
  /** Receives one line naming the backend chosen. Default: a JSON line on stderr. */
  logger?: TfBackendLogger;
  /** Loads a package by name. Default: `import()`; a caller may pass a loader that refuses. */
  importModule?: (specifier: string) => Promise<unknown>;
}

export const DEFAULT_TF_BACKENDS: readonly TfBackendName[] = Object.freeze(['tensorflow', 'wasm', 'cpu']);

const TFJS_NODE = '@tensorflow/tfjs-node';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

const stderrLogger: TfBackendLogger = {
  info: (fields, message) => process.stderr.write(`${JSON.stringify({ msg: message, ...fields })}\n`),
};

/**
 * Activates the first candidate that initialises and returns it. Throws an Error listing
 * every candidate's failure when none does. Safe to call again: tfjs keeps initialised
 * backends, so a second call only switches.
 */
export async function selectTfBackend(options: TfBackendOptions = {}): Promise<TfBackendChoice> {
  const candidates = options.candidates ?? DEFAULT_TF_BACKENDS;
  const importModule = options.importModule ?? ((specifier: string) => import(specifier) as Promise<unknown>);
  const skipped: TfBackendChoice['skipped'] = [];
  for (const name of candidates) {
    try {
      const wasmBinary = await activate(name, importModule);
      const choice: TfBackendChoice = { name, wasmBinary, skipped };
      (options.logger ?? stderrLogger).info({ tfBackend: name, wasmBinary, skipped }, `tensorflow.js backend: ${name}`);
      return choice;
    } catch (err) {
      skipped.push({ name, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`no tensorflow.js backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

let defaultChoice: Promise<TfBackendChoice> | null = null;

/**
 * The process-wide default choice, made once (the first caller's logger is used) and
 * re-activated if something switched tfjs to another backend since: what the LSTM model
 * calls before any tensor work, so its report names the backend it really ran on.
 */
export async function ensureTfBackend(logger?: TfBackendLogger): Promise<TfBackendChoice> {
  if (defaultChoice === null) {
    defaultChoice = selectTfBackend(logger ? { logger } : {});
    defaultChoice.catch(() => { defaultChoice = null; });
  }
  const choice = await defaultChoice;
  if (tf.getBackend() !== choice.name && !(await tf.setBackend(choice.name))) throw new Error(`tf.setBackend('${choice.name}') failed`);
  return choice;
}

async function activate(name: TfBackendName, importModule: (specifier: string) => Promise<unknown>): Promise<WasmBinary | null> {
  if (name === 'tensorflow') {
    // Importing tfjs-node registers the "tensorflow" backend with the tfjs-core it resolves;
    // if that is another copy of tfjs-core than ours, setBackend below fails and we move on.
    await importModule(TFJS_NODE);
  } else if (name === 'wasm') {
    const wasm = (await importModule(TFJS_WASM)) as typeof import('@tensorflow/tfjs-backend-wasm');
    // Load the binaries from the installed package, never from a CDN: machines such as CI
    // have no internet access. In Node the prefix is a directory path read with fs.
    const packageJson = createRequire(import.meta.url).resolve(`${TFJS_WASM}/package.json`);
    wasm.setWasmPaths(join(dirname(packageJson), 'dist') + sep);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  return name === 'wasm' ? wasmBinaryInUse() : null;
}

/**
 * Mirrors tfjs-backend-wasm's own choice of binary: SIMD when the engine validates SIMD
 * code (Node 20 does), threaded only with thread support. tfjs 4.22 reports no thread
 * support on Node (tensorflow/tfjs#3830), and forcing the flag fails there because the
 * threaded build starts its workers from blob: URLs, which Node's Worker rejects — so on
 * Node 20 this is the single-threaded SIMD binary.
 */
async function wasmBinaryInUse(): Promise<WasmBinary> {
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return simd && threads ? 'threaded-simd' : simd ? 'simd' : 'plain';
}
