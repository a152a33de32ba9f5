# Shared by the scripts: paths and tool locations. Sourced, not run.

# One target dir outside the clone, so repeated runs (and CI clones on the same machine) reuse
# what is already compiled; a fresh machine still builds everything.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/so-suc-khoe/target}"
# First the wasm-bindgen wrapper that splits off the later screens (scripts/wasm-split/), then
# wasm-opt from npm binaryen (Trunk finds both on PATH), then cargo-installed tools.
export PATH="$PWD/scripts/wasm-split:$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# The second FHIR engine of the sync tests (PyPI sekmet-fhir), in its own venv; scripts/setup
# installs it, e2e/support/sekmet-server.mjs runs $SEKMET_VENV/bin/sekmet.
export SEKMET_VERSION=0.1.1
export SEKMET_VENV="${SEKMET_VENV:-$HOME/.cache/so-suc-khoe/venv-sekmet}"

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Release build into dist/, then report what it ships (gzip sizes).
build_release() {
  # Stop at a failed Trunk build: post-processing the previous dist/ would hide the failure.
  trunk build --release --offline && node scripts/postbuild.mjs
}
