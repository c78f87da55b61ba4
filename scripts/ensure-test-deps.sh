#!/usr/bin/env bash
# Make sure everything scripts/test needs is installed. Idempotent: when all is
# present it only checks and prints nothing but "test deps: ok".
#
#   - Debian packages: postgresql (unless TEST_DATABASE_URL is set), chromium and
#     fonts-liberation (unless HUBMATCH_SKIP_BROWSER=1), python3-aiosmtpd, curl.
#     As root, missing ones are installed (one `apt-get update`, then
#     `apt-get install -y` of just the missing packages, non-interactive).
#     Not root: prints what is missing and the command to install it, exits 1
#     (a missing postgresql is only a warning outside CI: SQLite-only run).
#   - npm dev dependencies (playwright-core, @axe-core/playwright): `npm ci`
#     when node_modules lacks them. No browser is downloaded: the tests drive
#     Debian's /usr/bin/chromium.
#   - cargo and cargo-nextest must be on PATH (.ci/run installs nextest).
set -euo pipefail
cd "$(dirname "$0")/.."

need_browser=1
[ "${HUBMATCH_SKIP_BROWSER:-0}" = 1 ] && need_browser=0
need_pg=1
[ -n "${TEST_DATABASE_URL:-}" ] && need_pg=0

missing_pkgs=()
check_pkgs() {
  missing_pkgs=()
  if [ "$need_pg" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing_pkgs+=(postgresql)
  fi
  if [ "$need_browser" = 1 ]; then
    [ -x /usr/bin/chromium ] || missing_pkgs+=(chromium)
    [ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing_pkgs+=(fonts-liberation)
    command -v node >/dev/null 2>&1 || missing_pkgs+=(nodejs)
  fi
  /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing_pkgs+=(python3-aiosmtpd)
  command -v curl >/dev/null 2>&1 || missing_pkgs+=(curl)
}

check_pkgs
if [ "${#missing_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test deps: installing ${missing_pkgs[*]} (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >&2
    check_pkgs
    if [ "${#missing_pkgs[@]}" -gt 0 ]; then
      echo "test deps: still missing after apt-get install: ${missing_pkgs[*]}" >&2
      exit 1
    fi
  else
    required=()
    for p in "${missing_pkgs[@]}"; do
      # Outside CI, tests fall back to SQLite only when PostgreSQL is absent.
      if [ "$p" = postgresql ] && [ "${CI:-}" != true ]; then
        echo "test deps: warning: postgresql is not installed, so the tests run on SQLite only" >&2
        echo "  to test on PostgreSQL too:  sudo apt-get install -y postgresql" >&2
      else
        required+=("$p")
      fi
    done
    if [ "${#required[@]}" -gt 0 ]; then
      echo "test deps: missing Debian packages: ${required[*]}" >&2
      echo "  install them with:  sudo apt-get install -y ${missing_pkgs[*]}" >&2
      if [ "$need_browser" = 1 ]; then
        echo "  (or skip the browser tests with HUBMATCH_SKIP_BROWSER=1)" >&2
      fi
      exit 1
    fi
  fi
fi

problems=()
if [ "$need_browser" = 1 ]; then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$node_major" -lt 20 ]; then
    problems+=("Node.js >= 20 is needed for playwright-core (found $(node --version 2>/dev/null || echo none)): install Node.js 20 or newer")
  elif ! command -v npm >/dev/null 2>&1; then
    problems+=("npm not found: install npm (it ships with Node.js)")
  elif [ ! -f node_modules/playwright-core/package.json ] || [ ! -f node_modules/@axe-core/playwright/package.json ]; then
    echo "test deps: installing npm dev dependencies (npm ci)" >&2
    npm ci --no-audit --no-fund >&2 || problems+=("npm ci failed: run it by hand in $PWD")
  fi
fi
command -v cargo >/dev/null 2>&1 || problems+=("cargo not found: install Rust (https://rustup.rs)")
if ! cargo nextest --version >/dev/null 2>&1; then
  problems+=("cargo-nextest not found: cargo install cargo-nextest --locked")
fi

if [ "${#problems[@]}" -gt 0 ]; then
  printf 'test deps: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "test deps: ok"
