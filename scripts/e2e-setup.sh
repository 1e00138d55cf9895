#!/usr/bin/env bash
# Installs what the editor tests need, pinned and idempotent (a stamp file makes a second run a no-op):
#   Debian: chromium, libkrb5-dev (code-server's kerberos module), ripgrep (seeds @vscode/ripgrep's cache), neovim,
#           emacs-nox and elpa-eglot (npm run test:emacs; pinned to bookworm's versions, without recommends)
#   npm (into .e2e-tools/, git-ignored): code-server 4.100.3 (VS Code 1.100.3, runs on Node 20), playwright-core
# Nothing is downloaded from outside the npm registry and Debian. npm 11 runs dependency install scripts only
# when approved; code-server needs its own (postinstall sets up VS Code), so they are allowed for this folder only.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.e2e-tools"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.64.1
STAMP="$TOOLS/.stamp-$CODE_SERVER_VERSION-$PLAYWRIGHT_VERSION"
if [ -f "$STAMP" ] && command -v nvim >/dev/null && command -v chromium >/dev/null && command -v emacs >/dev/null && dpkg -s elpa-eglot >/dev/null 2>&1; then
  echo "e2e tools already installed ($STAMP)"; exit 0
fi
if [ "$(id -u)" = 0 ]; then
  need=()
  for p in chromium libkrb5-dev ripgrep neovim; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  # Emacs and Eglot as bookworm has them; should a security update replace this Emacs build in the archive, its
  # current 28.2 build is taken instead (said on stderr) rather than failing.
  emacs_pins=("emacs-nox=1:28.2+1-15+deb12u4" "elpa-eglot=1.9-2")
  emacs_need=()
  for pin in "${emacs_pins[@]}"; do dpkg -s "${pin%%=*}" >/dev/null 2>&1 || emacs_need+=("$pin"); done
  [ ${#need[@]} -eq 0 ] && [ ${#emacs_need[@]} -eq 0 ] || apt-get update -qq
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ ${#emacs_need[@]} -gt 0 ]; then
    install=()
    for pin in "${emacs_need[@]}"; do
      if apt-cache madison "${pin%%=*}" 2>/dev/null | grep -F " ${pin#*=} " >/dev/null; then install+=("$pin"); else
        echo "e2e-setup: ${pin} is no longer in the archive; installing bookworm's current ${pin%%=*}" >&2
        install+=("${pin%%=*}")
      fi
    done
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${install[@]}" >/dev/null
  fi
fi
mkdir -p "$TOOLS"
# @vscode/ripgrep's postinstall wants to download rg from GitHub; give it Debian's binary in its cache instead.
TMP="${TMPDIR:-/tmp}"
CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
mkdir -p "$CACHE"
if [ ! -s "$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ]; then
  work=$(mktemp -d)
  cp "$(command -v rg)" "$work/rg"
  tar -czf "$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$work" rg
  rm -rf "$work"
fi
[ -f "$TOOLS/package.json" ] || echo '{ "name": "upgrade-lint-e2e-tools", "private": true }' > "$TOOLS/package.json"
(
  cd "$TOOLS"
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_dangerously_allow_all_scripts=true npm install --no-audit --no-fund --no-save \
    "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
)
touch "$STAMP"
echo "e2e tools installed in $TOOLS"
