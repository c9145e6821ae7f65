import type { K8sObject } from '../../model.js';
import { clone, controllerRef, rec, spec } from '../meta.js';
import type { ExpansionRule } from '../types.js';
import { inherit } from './inherited.js';
import { operatorConfig } from './operator-config.js';

/** The scheduled run the rehearsal plays (`immediate: true` creates it at once), as `YYYYMMDDhhmmss`. */
const BACKUP_TIME = '20260101000000';

/**
 * ScheduledBackup → the Backup of one run, `<name>-<YYYYMMDDhhmmss>`, labelled `cnpg.io/cluster`,
 * `cnpg.io/immediateBackup` and `cnpg.io/scheduled-backup`; owned by the ScheduledBackup
 * (`backupOwnerReference: self`) or by the Cluster with its inherited metadata (`cluster`).
 */
export const scheduledBackupRule: ExpansionRule = {
  kind: 'ScheduledBackup',
  group: 'postgresql.cnpg.io',
  controller: 'cloudnative-pg',
  rule: 'cloudnative-pg v1.30.0 internal/controller/scheduledbackup_controller.go createBackup; api/v1/scheduledbackup_funcs.go CreateBackup, BackupName',
  expand(sb, ctx) {
    const s = spec(sb);
    const clusterName = String(rec(s.cluster).name);
    const labels: Record<string, string> = {
      'cnpg.io/cluster': clusterName,
      'cnpg.io/immediateBackup': String(s.immediate === true),
      'cnpg.io/scheduled-backup': sb.metadata.name,
    };
    let metadata: K8sObject['metadata'] = { name: `${sb.metadata.name}-${BACKUP_TIME}`, labels };
    if (sb.metadata.namespace) metadata.namespace = sb.metadata.namespace;
    const cluster = ctx.find('Cluster', sb.metadata.namespace, clusterName);
    if (s.backupOwnerReference === 'cluster' && cluster) {
      const inherited = inherit(cluster, operatorConfig(ctx), { labels });
      metadata = { ...metadata, ...inherited, ownerReferences: [controllerRef(cluster)] };
    } else if (s.backupOwnerReference === 'self') {
      metadata.ownerReferences = [controllerRef(sb)];
    }
    const body: Record<string, unknown> = { cluster: { name: clusterName } };
    for (const k of ['method', 'pluginConfiguration', 'target', 'online', 'onlineConfiguration'])
      if (s[k] !== undefined) body[k] = clone(s[k]);
    return [{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', metadata, spec: body }];
  },
};
