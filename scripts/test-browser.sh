#!/usr/bin/env bash
# Browser tests of the onboarding UI: headless Chromium driven over WebDriver (chromedriver)
# from Rust (fantoccini), against the in-process simulator and server. Needs Debian's
# `chromium` and `chromium-driver` (apt-get install -y chromium chromium-driver); set
# TOOLWIRE_CHROMIUM / TOOLWIRE_CHROMEDRIVER to use other binaries. Missing browsers fail
# here (TOOLWIRE_REQUIRE_BROWSER=1); plain `cargo test` skips them loudly instead.
#
# A shortcut for running only these tests: scripts/test does not call it (its
# `cargo test --workspace` already runs them, with TOOLWIRE_REQUIRE_BROWSER=1). `--workspace`
# here too, so features resolve as there and nothing is recompiled.
set -euo pipefail
cd "$(dirname "$0")/.."
export TOOLWIRE_REQUIRE_BROWSER="${TOOLWIRE_REQUIRE_BROWSER:-1}"
cargo test --workspace --test ui_browser --test ui_http -- --nocapture
