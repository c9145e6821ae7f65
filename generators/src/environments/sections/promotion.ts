/**
 * Lineage and promotion rules (docs/design/release-model.md §Promotion rules): which environment
 * this one promotes from and how long a release must have soaked there first. Pinned to the
 * environment; never promoted.
 */
import { z } from 'zod';
import { dnsLabel, duration } from '../fields.js';

export const promotionSection = {
  /** The upstream environment whose releases this one may run. Default: none (a source environment). */
  promotesFrom: dnsLabel.optional(),
  promotion: z
    .strictObject({
      /** Minimum time a release must have run upstream before it may be promoted here. Default `0s`. */
      soak: duration.default('0s'),
    })
    .prefault({}),
};
