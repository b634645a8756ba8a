#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (PostgreSQL server binaries, Chromium), restores, builds,
# runs every test project and prints "N passed, N failed, N skipped" from the TRX results as its last line.
set -uo pipefail
cd "$(dirname "$0")"

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} ..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "could not install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
build_log=$(mktemp)
if ! dotnet build ScraperSky.slnx -c Release >"$build_log" 2>&1; then
  grep -E 'error|Error' "$build_log" | sort -u | tail -n 40
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

results=$(mktemp -d)
# One test project at a time: the durability and fetch tests time real servers, and four projects side by side on two
# cores starve them.
dotnet test --solution ScraperSky.slnx -c Release --no-build --max-parallel-test-modules 1 --report-trx \
  --results-directory "$results" "$@" 2>&1 \
  | grep -vE '^\s*$' | tail -n 200
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
# The run's output above is cut to its last lines: name every failed test again here, where a CI log keeps it.
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\)"[^>]*>' "$trx" \
    | sed -n 's/.* testName="\([^"]*\)".*/failed: \1/p'
done
if [ "$files" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # A crashed test host writes no or partial results: count it as a failure rather than trust the numbers.
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
