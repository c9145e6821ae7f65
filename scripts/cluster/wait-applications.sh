#!/usr/bin/env bash
# Waits until every Argo CD Application is Synced and Healthy (at least the root and one child),
# printing what it still waits for; fails after PAYDAY_E2E_APPS_TIMEOUT seconds with the table.
# Argo CD reports both in .status.sync.status and .status.health.status (argo-cd v3.5.1
# pkg/apis/application/v1alpha1/types.go SyncStatus, HealthStatus).
set -euo pipefail

readonly TIMEOUT_SECONDS="${PAYDAY_E2E_APPS_TIMEOUT:-1800}"
readonly INTERVAL_SECONDS="${PAYDAY_E2E_APPS_INTERVAL:-20}"

command -v kubectl >/dev/null 2>&1 || {
  printf 'wait-applications: kubectl is required\n' >&2
  exit 1
}

deadline=$((SECONDS + TIMEOUT_SECONDS))
while :; do
  table=$(kubectl -n argocd get applications.argoproj.io \
    -o jsonpath='{range .items[*]}{.metadata.name} {.status.sync.status} {.status.health.status}{"\n"}{end}')
  count=$(printf '%s\n' "$table" | grep -c . || true)
  pending=$(printf '%s\n' "$table" | awk 'NF && ($2 != "Synced" || $3 != "Healthy") { print $1 }' | paste -sd ' ' -)
  if [ -z "$pending" ] && [ "$count" -gt 1 ]; then
    printf 'all %d Applications synced and healthy\n' "$count"
    exit 0
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    printf 'wait-applications: not synced and healthy after %ss: %s\n%s\n' "$TIMEOUT_SECONDS" "${pending:-(no Applications yet)}" "$table" >&2
    exit 1
  fi
  printf 'waiting for: %s\n' "${pending:-the root Application to create the others}"
  sleep "$INTERVAL_SECONDS"
done
