/** Every migration, in version order. */
import { rawEvents } from './001-raw-events.js';
import { streamOutputs } from './002-stream-outputs.js';
import { operations } from './003-operations.js';
import { analystViews } from './004-analyst-views.js';
import { clvIntervals } from './005-clv-intervals.js';
import { recommendations } from './006-recommendations.js';
import { latestScoresView } from './007-latest-scores-view.js';
import { scoreModelKind } from './008-score-model-kind.js';
import { latestScoresModelKind } from './009-latest-scores-model-kind.js';
import { expectedSettlements } from './010-expected-settlements.js';
import { commerceAnomalies } from './011-commerce-anomalies.js';
import { erasures } from './012-erasures.js';
import { cohortRetentionWithoutJoin } from './013-cohort-retention-without-join.js';
import { scoreSequence } from './014-score-sequence.js';
import { latestByVersion } from './015-latest-by-version.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [rawEvents, streamOutputs, operations, analystViews, clvIntervals, recommendations, latestScoresView, scoreModelKind, latestScoresModelKind, expectedSettlements, commerceAnomalies, erasures, cohortRetentionWithoutJoin, scoreSequence, latestByVersion];
