/**
 * CDNOW_sample summarised as in Fader, Hardie & Lee (2005): weeks, calibration end
 * 1997-09-30. Memoised so the model test files parse the data once each.
 */

import { rfmColumns, spendColumns, type RfmColumns, type SpendColumns } from '../../models/rfm-columns.js';
import { cdnowAvailable, cdnowCustomers, type CdnowCustomer } from './cdnow.js';

export const CDNOW_SAMPLE = 'CDNOW_sample.txt';
export const CALIBRATION_END = '1997-09-30';

let cached: { customers: CdnowCustomer[]; rfm: RfmColumns; spend: SpendColumns } | null = null;

/** The paper's calibration data, or null when the file is absent. */
export function cdnowSampleCalibration(): { customers: CdnowCustomer[]; rfm: RfmColumns; spend: SpendColumns } | null {
  if (!cdnowAvailable(CDNOW_SAMPLE)) return null;
  if (cached === null) {
    const customers = cdnowCustomers(CDNOW_SAMPLE, CALIBRATION_END, 7);
    const inputs = customers.map((c) => c.input);
    cached = { customers, rfm: rfmColumns(inputs), spend: spendColumns(inputs) };
  }
  return cached;
}
