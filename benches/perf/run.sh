#!/usr/bin/env bash
# Whole-process throughput and memory of copydesk on the generated corpus.
#   bash benches/perf/run.sh            10 MB and 100 MB, single file and 100 files
#   bash benches/perf/run.sh --full     also 1 GB (10 files of 100 MB)
#   bash benches/perf/run.sh --quick    2 MB, one run: CI's check that this still works
# Prints a Markdown table: median wall time of RUNS runs, MB/s, peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-}
runs=5; sizes="10 100"
[ "$mode" = --quick ] && { runs=1; sizes="2"; }
[ "$mode" = --full ] && sizes="10 100 1000"

cargo build --release --quiet --bin copydesk --example gen_corpus
bin=target/release/copydesk
work=target/perf-corpus
mkdir -p "$work"

# median wall seconds and max RSS (KB) of $runs runs of "$@". The wall time
# is the shell's clock in nanoseconds: /usr/bin/time's counts hundredths, and
# a run on 1 MB took 0.00 s by it.
measure() {
  local times=() rss=0 start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    read -r m < <(tail -n 1 "$work/time.txt")
    times+=("$(awk -v d=$((end - start)) 'BEGIN { printf "%.4f", d / 1e9 }')")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $rss"
}

row() { # label bytes median rss threads
  awk -v l="$1" -v b="$2" -v t="$3" -v r="$4" -v j="$5" 'BEGIN {
    mbs = (t > 0) ? b / 1e6 / t : 0
    printf "| %s | %.0f | %s | %.3f | %.1f | %.1f | %.0f |\n", l, b / 1e6, j, t, mbs, mbs / j, r / 1024 }'
}

echo "| run | MB | threads | median s | MB/s | MB/s per core | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for mb in $sizes; do
  one="$work/one-$mb.md"; many="$work/many-$mb"
  [ -f "$one" ] || ./target/release/examples/gen_corpus "$mb" > "$one"
  files=$(( mb >= 100 ? 100 : 10 ))
  [ -d "$many" ] || ./target/release/examples/gen_corpus "$mb" "$files" "$many"
  bytes=$(stat -c %s "$one")
  for j in 1 2; do
    read -r t r < <(measure "$bin" check "$one" --format json --isolated -j "$j")
    row "one file, default rules" "$bytes" "$t" "$r" "$j"
  done
  mbytes=$(du -sb "$many" | cut -f1)
  for j in 1 2; do
    read -r t r < <(measure "$bin" check "$many" --format json --isolated -j "$j")
    row "$files files, default rules" "$mbytes" "$t" "$r" "$j"
  done
  printf '[rules.duplicate-paragraph]\nscope = "tree"\n' > "$work/tree.toml"
  read -r t r < <(measure "$bin" check "$many" --format json --config "$work/tree.toml" -j 2)
  row "$files files, tree scope" "$mbytes" "$t" "$r" 2
done

# A peer on the same input, where one installs: jscpd (copy detection) from
# npm, on 1 MB (it takes seconds per megabyte). It honours .gitignore, so the
# input is copied out of target/, and it skips files over 100 kB unless told.
if [ "$mode" != --quick ] && command -v npm > /dev/null; then
  peer="$PWD/$work/jscpd"
  [ -x "$peer/node_modules/.bin/jscpd" ] || npm install --silent --no-audit --no-fund --prefix "$peer" jscpd@4 > /dev/null 2>&1 || true
  if [ -x "$peer/node_modules/.bin/jscpd" ]; then
    outside=$(mktemp -d)
    head -c 1000000 "$work/one-10.md" > "$outside/one-1.md"
    bytes=$(stat -c %s "$outside/one-1.md")
    runs=3
    read -r tp r < <(measure "$peer/node_modules/.bin/jscpd" --silent --max-size 100mb --max-lines 100000000 \
      --format markdown --reporters json --output "$outside/report" "$outside/one-1.md")
    row "jscpd 4 (peer), one file, copies only" "$bytes" "$tp" "$r" 1
    read -r td r < <(measure "$bin" check "$outside/one-1.md" --format json --isolated -j 1 --select duplicate-paragraph)
    row "copydesk, duplicate-paragraph only, same file" "$bytes" "$td" "$r" 1
    read -r ta r < <(measure "$bin" check "$outside/one-1.md" --format json --isolated -j 1)
    row "copydesk, all default rules, same file" "$bytes" "$ta" "$r" 1
    awk -v p="$tp" -v d="$td" -v a="$ta" 'BEGIN {
      printf "\njscpd over copydesk, same 1 MB, one thread: %.0fx (duplicate-paragraph only), %.0fx (all default rules)\n", p / d, p / a }'
    rm -rf "$outside"
  fi
fi

# This machine's own speed, printed beside copydesk's. The machine a run
# lands on changes from one session to the next, and one later machine ran
# the same build 2.2 times slower than an earlier one while md5sum ran as
# fast on both: read a table against these rows, not against another day's.
# md5sum over the 10 MB file is the research notes' yardstick; the floor
# benchmark's fused pass (benches/perf/floor.rs, one thread) is the leanest
# scalar pass of what duplicate-paragraph and repeated-phrase do per
# character, and tracks copydesk's own kind of work; its fused design is
# that pass with the rest of a run as copydesk does it (read, parse, the
# other rules, JSON): the most a design sharing one pass could give.
if [ "$mode" != --quick ]; then
  echo
  echo "| yardstick (this machine, one thread) | MB/s |"
  echo "| --- | ---: |"
  runs=5
  read -r tm _ < <(measure md5sum "$work/one-10.md")
  awk -v b="$(stat -c %s "$work/one-10.md")" -v t="$tm" 'BEGIN { printf "| md5sum, one 10 MB file (median of 5) | %.0f |\n", b / 1e6 / t }'
  # Criterion prints "thrpt: [low MiB/s median MiB/s high MiB/s]" under
  # the fused pass (and a line of percentages against the last run, left
  # out); the floor's own line gives the alternating rounds' medians, "(N
  # MB/s)" each. awk reads to the end: stopping early, it would leave
  # criterion writing into a closed pipe. A floor that does not build or
  # run leaves its rows out rather than the table unfinished.
  cargo bench --quiet --bench floor -- --noplot 2>/dev/null | awk '
    /^floor\/rounds:/ { split($0, p, "[()]"); design = p[2] + 0; own = p[4] + 0; ratio = $NF; rounds = $2 }
    /thrpt:/ && $5 == "MiB/s" && !pass { pass = $4 * 1.048576 }
    END {
      if (pass) printf "| floor: the fused pass, 2 MB (criterion median) | %.0f |\n", pass
      if (design) {
        printf "| floor: the fused design (read, parse, the pass, the other rules, JSON), 2 MB (median of %s alternating rounds) | %.0f |\n", rounds, design
        printf "| copydesk in the same rounds, 2 MB | %.0f |\n", own
        printf "\ncopydesk over the fused design, time per round: %s (median)\n", ratio
      }
    }' || true
fi
