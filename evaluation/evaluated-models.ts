/** The names `clv evaluate --model` takes: a light module, so the CLI can check a flag before the models load. */
export const SINGLE_MODELS = ['bgnbd', 'seasonal', 'prophet', 'lstm'] as const;
export type SingleModel = (typeof SINGLE_MODELS)[number];

export const EVALUATED_MODELS = [...SINGLE_MODELS, 'ensemble'] as const;
export type EvaluatedModel = (typeof EVALUATED_MODELS)[number];

/** A model, `all` (every model, the backtest and the champion it selects) or `champion` (only the model selected). */
export type ModelChoice = EvaluatedModel | 'all' | 'champion';
export const MODEL_CHOICES: readonly ModelChoice[] = [...EVALUATED_MODELS, 'all', 'champion'];

/**
 * The scoring-model kind (models/kinds) each evaluated model is deployed as when training
 * selects it; null: evaluated only (Prophet forecasts revenue, not customers; the LSTM is not
 * deployable, docs/models.md says why). `clv train` and the demo register these kinds.
 */
export const DEPLOYED_KIND: Readonly<Record<EvaluatedModel, string | null>> = {
  bgnbd: 'bgnbd-gamma-gamma',
  seasonal: 'seasonal-bgnbd-gamma-gamma',
  ensemble: 'ensemble',
  prophet: null,
  lstm: null,
};
