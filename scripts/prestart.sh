#!/usr/bin/env bash
# Run once before the workers start (and after each upgrade): migrate the database and load the seed
# partnerships if they are not there yet. Demo accounts are never loaded here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python -m tracker.cli init "$@"
