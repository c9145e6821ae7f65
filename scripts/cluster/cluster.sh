#!/usr/bin/env bash
# Local Kubernetes for Payday: a kind cluster with Argo CD and the rendered root Application
# (gitops/argocd/application-payday-root.yaml), which syncs gitops/argocd/ from the repository it
# names, or with --local from this checkout (HEAD), served over git:// to the cluster.
# Argo CD then installs the platform components and the environments exactly as in a real cluster.
#
#   npm run cluster:up                 # root app at the rendered repository URL and branch
#   npm run cluster:up -- --local      # root app at this checkout's HEAD (commits, not the work tree)
#   npm run cluster:up -- --images     # --local, plus dev runs images built from this checkout
#   npm run cluster:down               # delete the cluster (and the local git server)
#
# Needs Docker (running), kind and kubectl. e2e-cluster.yml runs the same script.
set -euo pipefail

readonly CLUSTER_NAME="${PAYDAY_CLUSTER_NAME:-payday}"
# Argo CD release matching the CRDs the renderer validates against (generators/schemas/index.json origins).
readonly ARGOCD_VERSION="${PAYDAY_ARGOCD_VERSION:-v3.5.1}"
# kindest/node for Kubernetes 1.34, the version the manifests are validated against.
readonly KIND_NODE_IMAGE="${PAYDAY_KIND_NODE_IMAGE:-kindest/node:v1.34.0}"
readonly GIT_DAEMON_PORT=9418
# The local registry of kind's "local registry" recipe: pushed to as localhost:5001 from the host,
# pulled from as kind-registry:5000 by the nodes (containerd hosts.toml). registry 2.8.3.
readonly REGISTRY_NAME=kind-registry
readonly REGISTRY_PORT=5001
readonly REGISTRY_IMAGE="registry:2@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373"
readonly APPS=(api frontend worker)

# Builtins only until the tools are checked: the missing-Docker message must work on a bare PATH.
case "${BASH_SOURCE[0]}" in
  */*) script_dir=${BASH_SOURCE[0]%/*} ;;
  *) script_dir=. ;;
esac
repo_root=$(cd "$script_dir/../.." && pwd)
script_dir="$repo_root/scripts/cluster"
readonly repo_root script_dir
readonly state_dir="$repo_root/.cache/cluster"

usage() {
  printf '%s\n' \
    'usage: cluster.sh up [--local] [--images] | down' \
    '  up       create the kind cluster, install Argo CD, apply the root Application' \
    '  --local  point the root Application at this checkout (served by git daemon) instead of the rendered URL' \
    '  --images build the app images from this checkout into a local registry and point dev at' \
    '           their digests in the served checkout (implies --local)' \
    '  down     delete the cluster, the local registry and the local git server'
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

# The rendered repository URL and branch (generators/src/platform.ts) that every Argo CD object in
# gitops/argocd/ names: the root Application, the ApplicationSets and the AppProjects' sourceRepos.
rendered_repo_url() {
  sed -n 's/^ *repoURL: *//p' "$repo_root/gitops/argocd/application-payday-root.yaml" | head -n 1
}

# --local: a throwaway clone of this checkout's HEAD whose gitops/argocd/ names the local git server
# (scripts/cluster/local-clone.sh), served read-only over git:// on the kind network gateway (the
# nodes reach the host there). Only committed state is served: Argo CD syncs commits, not work trees.
serve_local_clone() {
  local images=${1:-} gateway
  gateway=$(docker network inspect kind --format '{{(index .IPAM.Config 0).Gateway}}')
  mkdir -p "$state_dir"
  bash "$script_dir/local-clone.sh" "$repo_root" "$state_dir/payday.git" \
    "git://$gateway:$GIT_DAEMON_PORT/payday.git" "$images"
  stop_git_daemon
  git daemon --reuseaddr --export-all --base-path="$state_dir" --listen="$gateway" --port="$GIT_DAEMON_PORT" \
    --detach --pid-file="$state_dir/git-daemon.pid" "$state_dir/payday.git"
}

stop_git_daemon() {
  if [ -f "$state_dir/git-daemon.pid" ]; then
    kill "$(cat "$state_dir/git-daemon.pid")" 2>/dev/null || true
    rm -f "$state_dir/git-daemon.pid"
    step "stopped the local git server"
  fi
}

# --images: the local registry, reachable from every node as localhost:5001.
start_registry() {
  if [ "$(docker inspect --format '{{.State.Running}}' "$REGISTRY_NAME" 2>/dev/null)" != true ]; then
    docker run -d --restart=always -p "127.0.0.1:$REGISTRY_PORT:5000" --network bridge \
      --name "$REGISTRY_NAME" "$REGISTRY_IMAGE" >/dev/null
  fi
  docker network connect kind "$REGISTRY_NAME" 2>/dev/null || true
  local node
  for node in $(kind get nodes --name "$CLUSTER_NAME"); do
    docker exec "$node" mkdir -p "/etc/containerd/certs.d/localhost:$REGISTRY_PORT"
    printf '[host."http://%s:5000"]\n' "$REGISTRY_NAME" |
      docker exec -i "$node" cp /dev/stdin "/etc/containerd/certs.d/localhost:$REGISTRY_PORT/hosts.toml"
  done
}

# Builds and pushes each app image from this checkout; writes "<app> <image@digest>" lines.
push_local_images() {
  local app ref revision
  revision=$(git -C "$repo_root" rev-parse HEAD)
  for app in "${APPS[@]}"; do
    ref="localhost:$REGISTRY_PORT/payday/$app:local"
    step "building $app" >&2
    docker build -q -f "$repo_root/apps/$app/Dockerfile" --build-arg VERSION=0.0.0-local \
      --build-arg "REVISION=$revision" -t "$ref" "$repo_root" >/dev/null
    docker push -q "$ref" >/dev/null
    printf '%s %s\n' "$app" "$(docker inspect --format '{{index .RepoDigests 0}}' "$ref")"
  done
}

# The root Application and the AppProject it belongs to, exactly as rendered (the root then syncs
# everything else in gitops/argocd/, itself included).
apply_root_application() {
  local tree=$1
  kubectl apply --server-side -f "$tree/gitops/argocd/appproject-platform.yaml" \
    -f "$tree/gitops/argocd/application-payday-root.yaml"
}

up() {
  local local_mode=false local_images=false
  for arg in "$@"; do
    case "$arg" in
      --local) local_mode=true ;;
      --images) local_mode=true local_images=true ;;
      *) usage >&2; fail "unknown option: $arg" 2 ;;
    esac
  done
  require_tools

  if cluster_exists; then
    step "kind cluster '$CLUSTER_NAME' exists; reusing it"
  else
    step "creating kind cluster '$CLUSTER_NAME' ($KIND_NODE_IMAGE)"
    # containerd reads per-registry hosts.toml files, so --images can add the local registry later.
    kind create cluster --name "$CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --wait 120s --config - <<'EOF'
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |-
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
EOF
  fi
  kubectl config use-context "kind-$CLUSTER_NAME" >/dev/null

  step "installing Argo CD $ARGOCD_VERSION"
  kubectl create namespace argocd --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  # Server-side apply: the ApplicationSet CRD exceeds the client-side annotation size limit.
  kubectl apply --server-side --force-conflicts -n argocd \
    -f "https://raw.githubusercontent.com/argoproj/argo-cd/$ARGOCD_VERSION/manifests/install.yaml" >/dev/null
  kubectl -n argocd rollout status deployment/argocd-server --timeout=300s
  kubectl -n argocd rollout status deployment/argocd-repo-server --timeout=300s
  # Progressive syncs order each environment's Applications (docs/design/argo.md). The
  # ApplicationSet controller reads the flag from argocd-cmd-params-cm only when it starts
  # (argo-cd manifests/base/applicationset-controller: a configMapKeyRef env), so set it and restart.
  step "enabling ApplicationSet progressive syncs"
  kubectl apply --server-side -f "$repo_root/gitops/argocd/configmap-argocd-cmd-params-cm.yaml" >/dev/null
  kubectl -n argocd rollout restart deployment/argocd-applicationset-controller >/dev/null
  kubectl -n argocd rollout status deployment/argocd-applicationset-controller --timeout=300s

  local tree=$repo_root
  if [ "$local_mode" = true ]; then
    local images=""
    if [ "$local_images" = true ]; then
      step "local registry localhost:$REGISTRY_PORT"
      start_registry
      images=$(push_local_images)
    fi
    step "serving this checkout (HEAD) to the cluster over git://"
    serve_local_clone "$images"
    tree="$state_dir/payday.git"
  else
    step "root Application -> $(rendered_repo_url) (as rendered in gitops/argocd)"
  fi
  apply_root_application "$tree"

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
  stop_git_daemon
  rm -rf "$state_dir/payday.git"
  if docker inspect "$REGISTRY_NAME" >/dev/null 2>&1; then
    docker rm -f "$REGISTRY_NAME" >/dev/null
    step "removed the local registry"
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
