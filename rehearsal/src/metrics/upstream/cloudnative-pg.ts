/**
 * CloudNativePG v1.30.0 (chart 0.29.0): the instance exporter's default queries
 * (config/manager/default-monitoring.yaml, installed by the operator as `cnpg-default-monitoring`).
 * Every name is `cnpg_` + query name + `_` + column (pkg/management/postgres/webserver/
 * metricserver/pg_collector.go PrometheusNamespace "cnpg").
 */
import { POD_TARGET_LABELS, type UpstreamComponent } from '../exporter.js';

const DEFAULTS = 'config/manager/default-monitoring.yaml';

export const cloudnativePg: UpstreamComponent = {
  component: 'cloudnative-pg',
  version: 'v1.30.0',
  metrics: [
    ...['lag', 'in_recovery', 'is_wal_receiver_up', 'streaming_replicas'].map((c) => ({
      name: `cnpg_pg_replication_${c}`,
      type: 'gauge' as const,
      labels: [],
      source: `${DEFAULTS} pg_replication.${c}`,
    })),
    ...[
      'archived_count',
      'failed_count',
      'seconds_since_last_archival',
      'seconds_since_last_failure',
      'last_archived_time',
      'last_failed_time',
      'last_archived_wal_start_lsn',
      'last_failed_wal_start_lsn',
      'stats_reset_time',
    ].map((c) => ({
      name: `cnpg_pg_stat_archiver_${c}`,
      type: (c.endsWith('_count') ? 'counter' : 'gauge') as 'counter' | 'gauge',
      labels: [],
      source: `${DEFAULTS} pg_stat_archiver.${c}`,
    })),
  ],
  scrape(objects) {
    // Instance Pods carry `cnpg.io/cluster: <name>` (pkg/utils/labels_annotations.go ClusterLabelName);
    // the metrics port is named `metrics` (pkg/specs/pods.go).
    const clusters = objects.filter(
      (o) => o.kind === 'Cluster' && o.apiVersion.startsWith('postgresql.cnpg.io/'),
    );
    const monitors = objects.filter((o) => {
      if (o.kind !== 'PodMonitor') return false;
      const match =
        (o.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
      return clusters.some(
        (c) => c.metadata.namespace === o.metadata.namespace && match['cnpg.io/cluster'] === c.metadata.name,
      );
    });
    if (monitors.length === 0)
      return { unscraped: 'no PodMonitor selects the pods of a CloudNativePG Cluster' };
    const namespaces = [...new Set(monitors.map((m) => m.metadata.namespace ?? ''))];
    return {
      targetLabels: Object.fromEntries(
        POD_TARGET_LABELS.map((l) => [l, l === 'namespace' ? namespaces : undefined]),
      ),
      honorLabels: false,
    };
  },
};
