#!/usr/bin/env bash
# Vendor the GOV.UK Frontend build from node_modules into static/govuk/, so the
# service runs (and is committed) without npm.
#
# Usage: scripts/vendor-assets.sh [--with-gds-transport]
#   (run `npm ci` first; re-run after upgrading govuk-frontend and commit static/govuk/)
#
# What it does, and why:
#   - copies govuk-frontend.min.css and govuk-frontend.min.js (an ES module: load
#     it with <script type="module">, static/app.js does that);
#   - rewrites the CSS's root-absolute url(/assets/...) to url(assets/...), which
#     the browser resolves relative to the stylesheet, so it works wherever
#     static/ is mounted (/static/govuk/assets/...);
#   - strips the sourceMappingURL comments (the .map files are not vendored);
#   - drops GOV.UK branding: every file in assets/images is the crown, the royal
#     crest or a GOV.UK icon, and manifest.json only lists those icons; the footer
#     crest url() is replaced by `none`.
#   - drops the GDS Transport font by default: its licence reserves it for
#     services on gov.uk ("customised for exclusive use on gov.uk"), which
#     hubmatch is not. The @font-face rules are removed, so text falls back to the
#     rest of GOV.UK's stack (arial, sans-serif) and no font request is made.
#     --with-gds-transport keeps the fonts under static/govuk/assets/fonts/ (only
#     for a deployment on a gov.uk domain).
set -euo pipefail
cd "$(dirname "$0")/.."

with_fonts=0
case "${1:-}" in
  "") ;;
  --with-gds-transport) with_fonts=1 ;;
  *) echo "usage: $0 [--with-gds-transport]" >&2; exit 2 ;;
esac

src=node_modules/govuk-frontend/dist/govuk
dest=static/govuk
[ -f "$src/govuk-frontend.min.css" ] || {
  echo "error: $src not found; run: npm ci --no-audit --no-fund" >&2; exit 1; }
version=$(node -p "require('./node_modules/govuk-frontend/package.json').version")

rm -rf "$dest"
mkdir -p "$dest"

css=$(cat "$src/govuk-frontend.min.css")
css=${css//url(\/assets\//url(assets/}
css=${css//url(assets\/images\/govuk-crest.svg)/none}
if [ "$with_fonts" = 0 ]; then
  # remove the two GDS Transport @font-face blocks
  css=$(printf '%s' "$css" | sed -E 's/@font-face\{font-family:GDS Transport;[^}]*\}//g')
fi
printf '%s\n' "$css" | sed -E 's#/\*\# sourceMappingURL=[^*]*\*/##' >"$dest/govuk-frontend.min.css"
sed -E 's#//\# sourceMappingURL=.*$##' "$src/govuk-frontend.min.js" >"$dest/govuk-frontend.min.js"

if [ "$with_fonts" = 1 ]; then
  mkdir -p "$dest/assets/fonts"
  cp "$src"/assets/fonts/* "$dest/assets/fonts/"
fi

cat >"$dest/VERSION" <<EOF
govuk-frontend $version (npm), vendored by scripts/vendor-assets.sh$( [ "$with_fonts" = 1 ] && echo ' --with-gds-transport')
Licence: MIT (code), OGL v3 (other content). Crown, crest, GOV.UK icons and
manifest.json removed$( [ "$with_fonts" = 0 ] && echo '; GDS Transport font and its @font-face rules removed (gov.uk only)').
EOF

# Every url() left in the CSS must point at a vendored file.
missing=0
while IFS= read -r ref; do
  case "$ref" in data:*|none) continue ;; esac
  path=${ref%%[?#]*}
  if [ ! -f "$dest/$path" ]; then echo "error: CSS references missing $dest/$path" >&2; missing=1; fi
done < <(grep -o 'url([^)]*)' "$dest/govuk-frontend.min.css" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u)
[ "$missing" = 0 ] || exit 1
if grep -q 'url(/' "$dest/govuk-frontend.min.css"; then
  echo "error: root-absolute url() left in $dest/govuk-frontend.min.css" >&2; exit 1
fi

echo "vendored govuk-frontend $version into $dest/:"
(cd "$dest" && find . -type f | sort | sed 's#^\./#  #')
