#!/usr/bin/env bash
# The full quality report: fetches Debian's documentation (English and
# Simplified Chinese) as clean text, then injects defects and scores them.
#   bash benches/quality/run.sh [ROUNDS]    (60 rounds unless told: fewer give noisy recall)
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=target/quality-corpus
[ -d "$corpus/en" ] && [ -d "$corpus/zh" ] || python3 benches/quality/fetch_corpus.py "$corpus"
cargo bench --bench quality -- "$corpus" "${1:-60}"
