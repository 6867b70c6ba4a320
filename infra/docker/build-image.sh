#!/bin/sh
# The build steps of infra/docker/Dockerfile, in one place: each Dockerfile stage runs one of them, and
# `pnpm compose:rehearse` (packages/compose-rehearsal) runs `all` to lay out the same filesystem in a
# directory, without Docker. Run from the repository root (the build context).
#
#   build-image.sh prune <app package> <out dir>      pruner: the sub-monorepo the app needs
#                                                       (<out>/json manifests, <out>/full sources, <out>/pnpm-lock.yaml)
#   build-image.sh install <dir> [pnpm flags…]         installer: production dependencies of the pruned
#                                                       manifests in <dir>, frozen to the pruned lockfile
#   build-image.sh runtime-dirs <root>                 runner: the directories the services write to,
#                                                       created under <root> and owned by node
#   build-image.sh all <app package> <root> [pnpm flags…]
#                                                       every step: <root>/app is the image's /app, and
#                                                       <root>/var/… its runtime directories
set -eu

# uid:gid of the `node` user of the official Node.js images (USER node in the Dockerfile). Numeric, so
# the same line works where no user is named node (a rehearsal on a developer machine).
NODE_OWNER=1000:1000

# Where the services write (LAKE_DIR, LOGGEN_FILE, SHIPPER_CHECKPOINT_FILE in infra/compose/). A named
# volume mounted on a path the image lacks is created owned by root, and `USER node` cannot write into
# it: each such path exists in the image, owned by node, so Docker copies that owner into the new volume.
RUNTIME_DIRS="/var/lib/streamkit/lake /var/log/streamkit /var/lib/shipper"

usage() {
  sed -n '5,13p' "$0" >&2
  exit 64
}

prune() {
  [ -n "${1:-}" ] && [ -n "${2:-}" ] || usage
  turbo prune "$1" --docker --out-dir "$2"
}

install_production() {
  [ -n "${1:-}" ] || usage
  dir=$1
  shift
  (cd "$dir" && pnpm install --frozen-lockfile --prod "$@")
}

runtime_dirs() {
  [ -n "${1:-}" ] || usage
  for d in $RUNTIME_DIRS; do
    mkdir -p "$1$d"
    # the Dockerfile (and a rehearsal) run this as root; elsewhere the directories stay the caller's
    if [ "$(id -u)" = 0 ]; then chown "$NODE_OWNER" "$1$d"; fi
  done
}

all() {
  [ -n "${1:-}" ] && [ -n "${2:-}" ] || usage
  app=$1
  root=$2
  shift 2
  out=$(mktemp -d "${TMPDIR:-/tmp}/streamkit-prune-XXXXXX")
  trap 'rm -rf "$out"' EXIT
  prune "$app" "$out"
  # as the installer stage: manifests and lockfile first, the install, then the sources over them
  mkdir -p "$root/app"
  cp -R "$out/json/." "$root/app/"
  cp "$out/pnpm-lock.yaml" "$root/app/pnpm-lock.yaml"
  install_production "$root/app" "$@"
  cp -R "$out/full/." "$root/app/"
  runtime_dirs "$root"
}

step=${1:-}
[ $# -gt 0 ] && shift
case "$step" in
  prune) prune "$@" ;;
  install) install_production "$@" ;;
  runtime-dirs) runtime_dirs "$@" ;;
  all) all "$@" ;;
  *) usage ;;
esac
