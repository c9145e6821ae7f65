/**
 * The environment file schema, assembled from one file per section (./sections). To add a
 * section: write `sections/<name>.ts` exporting `<name>Section = { key: zodSchema }` with
 * defaults, and spread it below (one line). Cross-section rules go in checks.ts.
 */
import { z } from 'zod';
import { appsSection } from './sections/apps.js';
import { clusterSection } from './sections/cluster.js';
import { freezesSection } from './sections/freezes.js';
import { holdsSection } from './sections/holds.js';
import { imagesSection } from './sections/images.js';
import { opsSection } from './sections/operations.js';
import { promotionSection } from './sections/promotion.js';
import { releaseSection } from './sections/release.js';
import { syncSection } from './sections/sync.js';

export const baseEnvironmentSchema = z.strictObject({
  ...promotionSection,
  ...freezesSection,
  ...holdsSection,
  ...releaseSection,
  ...imagesSection,
  ...appsSection,
  ...clusterSection,
  ...syncSection,
  ...opsSection,
});

export type EnvironmentSettings = z.output<typeof baseEnvironmentSchema>;
