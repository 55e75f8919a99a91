#!/usr/bin/env bash
# Import benchmark (issue 3): times `fanbase import` of a generated ActiveCampaign-style export
# against sqlite3's own `.import --csv` of the same file into a plain table, in the same run, and
# prints the figures, the ratios, the import's peak memory and a 50,000-row timing. It also times
# the floor of any import into Fanbase's schema: sqlite3 writing the already-parsed rows, their tags,
# search entries and indexes (floor() below and scripts/import-floor.sql), with no parsing or checks.
# usage: scripts/bench-import.sh [ROWS]    (default 1,000,000; `make bench-import BENCH_ROWS=N`)
set -euo pipefail

ROWS=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GEN=${GEN_FANS:-$ROOT/../shared/tools/gen_fans.py}
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/fanbase-target}
FANBASE=$TARGET/release/fanbase

for tool in sqlite3 python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench-import needs $tool (apt-get install sqlite3 python3 time)" >&2; exit 1; }
done
[ -f "$GEN" ] || { echo "generator not found at $GEN (set GEN_FANS=/path/to/gen_fans.py)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "building the release CLI…" >&2
(cd "$ROOT" && cargo build --release -p fanbase-cli --quiet)
echo "generating $ROWS rows…" >&2
python3 "$GEN" "$ROWS" > "$WORK/fans.csv"
python3 "$GEN" 50000 --seed 11 > "$WORK/fans50k.csv"
# Read both files once so that neither contender pays for a cold page cache.
cat "$WORK/fans.csv" "$WORK/fans50k.csv" > /dev/null

seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
now() { date +%s.%N; }

t0=$(now); sqlite3 :memory: ".import --csv $WORK/fans.csv fans"; t1=$(now)
sqlite3 "$WORK/plain.db" ".import --csv $WORK/fans.csv fans"; t2=$(now)
sqlite_mem=$(seconds "$t0" "$t1")
sqlite_file=$(seconds "$t1" "$t2")

# Seconds for scripts/import-floor.sql to load the table of plain database $1 into a fresh store,
# in one transaction with the secondary indexes dropped and created again from the migrations' SQL,
# and the import's page cache and temp store (crates/fanbase-import/src/run.rs).
floor() {
    "$FANBASE" --db "$WORK/floor.db" stores add --id bench --name Bench > /dev/null
    local indexes="FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('customers', 'customer_tags')
                   AND sql IS NOT NULL"
    {
        echo "PRAGMA cache_size = -40960; PRAGMA temp_store = FILE; BEGIN IMMEDIATE;"
        sqlite3 "$WORK/floor.db" "SELECT 'DROP INDEX \"' || name || '\";' $indexes"
        cat "$ROOT/scripts/import-floor.sql"
        sqlite3 "$WORK/floor.db" "SELECT sql || ';' $indexes"
        echo "COMMIT;"
    } > "$WORK/floor.sql"
    local a b
    a=$(now)
    sqlite3 -bail "$WORK/floor.db" "ATTACH '$1' AS plain" ".read $WORK/floor.sql"
    b=$(now)
    rm -f "$WORK"/floor.db*
    seconds "$a" "$b"
}
floor_s=$(floor "$WORK/plain.db")
sqlite3 "$WORK/plain50k.db" ".import --csv $WORK/fans50k.csv fans"
floor_small_s=$(floor "$WORK/plain50k.db")

"$FANBASE" --db "$WORK/fanbase.db" stores add --id bench --name Bench > /dev/null
t3=$(now)
/usr/bin/time -v -o "$WORK/time.txt" \
    "$FANBASE" --db "$WORK/fanbase.db" import "$WORK/fans.csv" --store bench --json > "$WORK/report.json"
t4=$(now)
fanbase_s=$(seconds "$t3" "$t4")
peak_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")

"$FANBASE" --db "$WORK/small.db" stores add --id bench --name Bench > /dev/null
t5=$(now)
"$FANBASE" --db "$WORK/small.db" import "$WORK/fans50k.csv" --store bench --json > "$WORK/report50k.json"
t6=$(now)
small_s=$(seconds "$t5" "$t6")

python3 - "$ROWS" "$(stat -c %s "$WORK/fans.csv")" "$sqlite_mem" "$sqlite_file" "$floor_s" "$fanbase_s" "$peak_kb" "$small_s" \
    "$floor_small_s" \
    "$WORK/report.json" "$WORK/report50k.json" <<'PY'
import json, sys
rows, size, mem, file_, floor, fb, peak_kb, small, floor_small, rep, rep50 = sys.argv[1:]
mem, file_, floor, fb, small, floor_small = map(float, (mem, file_, floor, fb, small, floor_small))
r, r50 = json.load(open(rep)), json.load(open(rep50))
peak = int(peak_kb) / 1024
ok = lambda cond: "ok" if cond else "MISSED"
print(f"rows                          {int(rows):,} ({int(size) / 1e6:.0f} MB)")
print(f"sqlite3 .import  :memory:     {mem:8.2f} s")
print(f"sqlite3 .import  file         {file_:8.2f} s")
print(f"sqlite3 floor    file         {floor:8.2f} s   {floor / file_:.1f}x sqlite3 file: the rows, tags, search entries"
      f" and indexes of Fanbase's schema, from the parsed table")
print(f"fanbase import   file         {fb:8.2f} s   {fb / file_:.1f}x sqlite3 file, {fb / mem:.1f}x sqlite3 :memory:,"
      f" {fb / floor:.2f}x the floor   (goal <= 2x sqlite3 file: {ok(fb <= 2 * file_)})")
print(f"fanbase import   peak RSS     {peak:8.0f} MB  (goal < 150 MB: {ok(peak < 150)})")
print(f"fanbase import   50,000 rows  {small:8.2f} s   (goal < 1 s: {ok(small < 1)});"
      f" the floor for 50,000 rows: {floor_small:.2f} s")
print(f"report: read {r['rows_read']:,}, inserted {r['inserted']:,}, duplicates {r['duplicates_in_file']:,}, "
      f"rejected {r['rejected']:,}; 50k: inserted {r50['inserted']:,}")
PY
