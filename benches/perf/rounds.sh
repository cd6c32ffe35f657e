#!/usr/bin/env bash
# Two builds of copydesk timed in alternating rounds on one input, so that
# the machine's drift (10-40% within an hour here) falls on both alike.
#   bash benches/perf/rounds.sh OLD_BINARY NEW_BINARY ROUNDS INPUT
# Each round runs `check INPUT --format json --isolated` with -j 1 of each
# build, then -j 2 of each; every other round runs the new build first, so
# that neither always follows the other (a run of one 1 GB file on two
# threads measured a few percent slower when it always came second).
# Prints the median wall times, the median of the per-round ratios old/new
# ("faster"), and the median of each build's per-round ratio of -j 1 over
# -j 2.
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: bash benches/perf/rounds.sh OLD_BINARY NEW_BINARY ROUNDS INPUT" >&2
  exit 2
fi
old=$1 new=$2 rounds=$3 input=$4

# Wall milliseconds of one run; a run that fails stops the script, as its
# time would mean nothing.
ms() {
  local start end status=0
  start=$(date +%s%N)
  "$1" check "$input" --format json --isolated -j "$2" > /dev/null 2>&1 || status=$?
  end=$(date +%s%N)
  # 1: findings were reported, which is what a corpus with defects gives.
  if [ "$status" -gt 1 ]; then
    echo "$1 failed on $input (exit $status)" >&2
    exit 1
  fi
  echo $(((end - start) / 1000000))
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

old1=() new1=() old2=() new2=() faster1=() faster2=() scale_old=() scale_new=()
for round in $(seq "$rounds"); do
  # One assignment a line: `set -e` stops at a failed run only so.
  if [ $((round % 2)) -eq 1 ]; then
    a=$(ms "$old" 1)
    b=$(ms "$new" 1)
    c=$(ms "$old" 2)
    d=$(ms "$new" 2)
  else
    b=$(ms "$new" 1)
    a=$(ms "$old" 1)
    d=$(ms "$new" 2)
    c=$(ms "$old" 2)
  fi
  old1+=("$a") new1+=("$b") old2+=("$c") new2+=("$d")
  faster1+=("$(ratio "$a" "$b")") faster2+=("$(ratio "$c" "$d")")
  scale_old+=("$(ratio "$a" "$c")") scale_new+=("$(ratio "$b" "$d")")
done
echo "$input, $rounds rounds"
echo "old -j1 / -j2: $(median "${old1[@]}") / $(median "${old2[@]}") ms"
echo "new -j1 / -j2: $(median "${new1[@]}") / $(median "${new2[@]}") ms"
echo "faster (old / new) -j1 / -j2: $(median "${faster1[@]}")x / $(median "${faster2[@]}")x"
echo "2 threads over 1, old / new: $(median "${scale_old[@]}")x / $(median "${scale_new[@]}")x"
