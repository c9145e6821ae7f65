#!/usr/bin/env bash
# Local Kubernetes for Payday: a kind cluster with Argo CD, whose root Application syncs
# gitops/argocd/ from this repository (or from this checkout, served over git:// with --local).
# Argo CD then installs the platform components and the environments exactly as in a real cluster.
#
#   npm run cluster:up                 # root app at the repository's origin, current branch
#   npm run cluster:up -- --local      # root app at this checkout (commits only, not the work tree)
#   npm run cluster:down               # delete the cluster (and the local git server)
#
# Needs Docker (running), kind and kubectl. e2e-cluster.yml runs the same script.
set -euo pipefail

readonly CLUSTER_NAME="${PAYDAY_CLUSTER_NAME:-payday}"
# Argo CD release matching the CRDs the renderer validates against (../shared/crds/SOURCES.md).
readonly ARGOCD_VERSION="${PAYDAY_ARGOCD_VERSION:-v3.5.1}"
# kindest/node for Kubernetes 1.34, the version the manifests are validated against.
readonly KIND_NODE_IMAGE="${PAYDAY_KIND_NODE_IMAGE:-kindest/node:v1.34.0}"
readonly GIT_DAEMON_PORT=9418

# Builtins only until the tools are checked: the missing-Docker message must work on a bare PATH.
case "${BASH_SOURCE[0]}" in
  */*) script_dir=${BASH_SOURCE[0]%/*} ;;
  *) script_dir=. ;;
esac
repo_root=$(cd "$script_dir/../.." && pwd)
readonly repo_root
readonly state_dir="$repo_root/.cache/cluster"

usage() {
  printf '%s\n' \
    'usage: cluster.sh up [--local] | down' \
    '  up       create the kind cluster, install Argo CD, apply the root Application' \
    '  --local  point the root Application at this checkout (served by git daemon) instead of origin' \
    '  down     delete the cluster and stop the local git server'
}

fail() {
  printf 'cluster: %s\n' "$1" >&2
  exit "${2:-1}"
}

step() { printf '==> %s\n' "$*"; }

# Checked before anything else, with messages that say what to install rather than a shell
# "command not found" halfway through.
require_tools() {
  if ! command -v docker >/dev/null 2>&1; then
    fail "Docker is required: kind runs Kubernetes nodes as Docker containers. Install Docker (https://docs.docker.com/engine/install/) and start it, then run this again."
  fi
  if ! docker info >/dev/null 2>&1; then
    fail "Docker is installed but its daemon is not reachable ('docker info' failed). Start Docker (or check that your user may use it), then run this again."
  fi
  if ! command -v kind >/dev/null 2>&1; then
    fail "kind is required: install it (https://kind.sigs.k8s.io/docs/user/quick-start/#installation), then run this again."
  fi
  if ! command -v kubectl >/dev/null 2>&1; then
    fail "kubectl is required: install it (https://kubernetes.io/docs/tasks/tools/), then run this again."
  fi
}

cluster_exists() {
  kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"
}

# The repository URL Argo CD should read, as https (Argo CD reads public repos without credentials).
origin_url() {
  local url
  url=$(git -C "$repo_root" remote get-url origin 2>/dev/null) || fail "no 'origin' remote: use --local or set PAYDAY_REPO_URL"
  case "$url" in
    git@*:*) url="https://${url#git@}"; url="${url/://}" ;;
  esac
  printf '%s\n' "$url"
}

# Serves this checkout's git objects read-only to the cluster (kind nodes reach the host on the
# docker network gateway). Only committed state is visible: Argo CD syncs commits, not work trees.
start_git_daemon() {
  local gateway
  gateway=$(docker network inspect kind --format '{{(index .IPAM.Config 0).Gateway}}')
  mkdir -p "$state_dir"
  git daemon --reuseaddr --export-all --base-path="$(dirname "$repo_root")" \
    --listen="$gateway" --port="$GIT_DAEMON_PORT" --detach --pid-file="$state_dir/git-daemon.pid" \
    "$repo_root"
  printf 'git://%s:%s/%s\n' "$gateway" "$GIT_DAEMON_PORT" "$(basename "$repo_root")"
}

apply_root_application() {
  local repo_url=$1 revision=$2
  kubectl apply -f - <<EOF
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: root
  namespace: argocd
spec:
  project: default
  source:
    repoURL: $repo_url
    targetRevision: $revision
    path: gitops/argocd
    directory:
      recurse: true
  destination:
    server: https://kubernetes.default.svc
    namespace: argocd
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions:
      - ServerSideApply=true
EOF
}

up() {
  local local_mode=false
  for arg in "$@"; do
    case "$arg" in
      --local) local_mode=true ;;
      *) usage >&2; fail "unknown option: $arg" 2 ;;
    esac
  done
  require_tools

  if cluster_exists; then
    step "kind cluster '$CLUSTER_NAME' exists; reusing it"
  else
    step "creating kind cluster '$CLUSTER_NAME' ($KIND_NODE_IMAGE)"
    kind create cluster --name "$CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --wait 120s
  fi
  kubectl config use-context "kind-$CLUSTER_NAME" >/dev/null

  step "installing Argo CD $ARGOCD_VERSION"
  kubectl create namespace argocd --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  # Server-side apply: the ApplicationSet CRD exceeds the client-side annotation size limit.
  kubectl apply --server-side --force-conflicts -n argocd \
    -f "https://raw.githubusercontent.com/argoproj/argo-cd/$ARGOCD_VERSION/manifests/install.yaml" >/dev/null
  kubectl -n argocd rollout status deployment/argocd-server --timeout=300s
  kubectl -n argocd rollout status deployment/argocd-repo-server --timeout=300s

  local repo_url revision
  if [ "$local_mode" = true ]; then
    step "serving this checkout to the cluster over git://"
    repo_url=$(start_git_daemon)
    revision=$(git -C "$repo_root" rev-parse HEAD)
  else
    repo_url="${PAYDAY_REPO_URL:-$(origin_url)}"
    revision="${PAYDAY_REVISION:-$(git -C "$repo_root" rev-parse --abbrev-ref HEAD)}"
  fi
  step "root Application -> $repo_url @ $revision (gitops/argocd)"
  apply_root_application "$repo_url" "$revision"

  cat <<EOF

Cluster '$CLUSTER_NAME' is up. Argo CD now installs the platform components and the environments
from gitops/argocd/ (watch: kubectl -n argocd get applications -w).

Argo CD UI:
  kubectl -n argocd port-forward svc/argocd-server 8080:443     # then https://localhost:8080
  user 'admin'; read the initial password yourself (it is not printed here):
  kubectl -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d

Argo Rollouts dashboard (once the platform's argo-rollouts Application is healthy):
  kubectl -n argo-rollouts port-forward svc/argo-rollouts-dashboard 3100:3100   # then http://localhost:3100
  or, with the kubectl plugin: kubectl argo rollouts dashboard

Remove everything: npm run cluster:down
EOF
}

down() {
  [ "$#" -eq 0 ] || { usage >&2; fail "unexpected argument: $1" 2; }
  require_tools
  if [ -f "$state_dir/git-daemon.pid" ]; then
    kill "$(cat "$state_dir/git-daemon.pid")" 2>/dev/null || true
    rm -f "$state_dir/git-daemon.pid"
    step "stopped the local git server"
  fi
  if cluster_exists; then
    step "deleting kind cluster '$CLUSTER_NAME'"
    kind delete cluster --name "$CLUSTER_NAME"
  else
    step "no kind cluster '$CLUSTER_NAME'; nothing to delete"
  fi
}

main() {
  local command=${1:-}
  [ "$#" -gt 0 ] && shift
  case "$command" in
    up) up "$@" ;;
    down) down "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
