# Sourced by kubeplay's scripts: where the tools that .ci/setup installs are found.
# (bash; `root` is the repository's top folder.)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk must not look for a newer version of itself (no network beyond the registries).
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
