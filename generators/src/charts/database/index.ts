/**
 * The database chart (`gitops/<env>/database/`): the CloudNativePG Cluster, its backups, monitor,
 * NetworkPolicy and secrets (database/database.ts and the shared builders).
 */
import { type EnvironmentChartFactory, moduleSource } from '../factory.js';
import { folderObjects } from '../objects.js';
import { addObject } from '../provenance.js';

export const databaseChart: EnvironmentChartFactory = {
  id: 'database',
  scope: 'environment',
  source: moduleSource(import.meta.url),
  build(ctx) {
    const objects = folderObjects(ctx, 'database');
    if (objects.length === 0) return;
    const folder = ctx.folder('database');
    for (const o of objects) addObject(folder, o.object, o.builder);
  },
};
