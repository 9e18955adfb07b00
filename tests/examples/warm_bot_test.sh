#!/usr/bin/env bash
# tests/examples/warm_bot_test.sh WARM_BOT STREAM WARM_BOT_STATE — examples/warm_bot resumes across restarts and
# kills, and applies no event twice.
#
#   1. one uninterrupted run on a fresh directory: IDENTIFY, every dispatch applied once (the reference);
#   2. a restart: a run that exits after s=K, then a run that must print RESUME with the stored
#      session_id, url and seq=K and apply exactly the dispatches after K; then a third run that applies
#      nothing. Applied counts over the runs add up to the stream's dispatch count;
#   3. a kill: a run paused after s=M (--stop-after) is killed with SIGKILL, the next run must RESUME from
#      seq=M and apply exactly the rest;
# and after 2 and 3 the cache's whole state (sessions, snowcache::dump, snowcache::verify — printed by
# WARM_BOT_STATE) must equal the reference's.
set -euo pipefail
exec </dev/null

[ $# = 3 ] || { echo "usage: warm_bot_test.sh WARM_BOT STREAM WARM_BOT_STATE" >&2; exit 2; }
bot=$1 stream=$2 state=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/snowcache-warm-bot.XXXXXX")
paused_pid=
cleanup() {
  [ -z "$paused_pid" ] || kill -9 "$paused_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "warm_bot_test: FAILED: $*" >&2; exit 1; }
say() { echo "warm_bot_test: $*"; }

# The stream's dispatches (op 0) and their sequence numbers 1..N.
dispatches=$(grep -c '"op":0,' "$stream")
last_seq=$(grep -o '"s":[0-9]*' "$stream" | tail -n 1 | cut -d: -f2)
[ "$dispatches" = "$last_seq" ] || fail "$stream: $dispatches dispatches but the last s is $last_seq"
session_id=$(grep -o '"session_id":"[^"]*"' "$stream" | head -n 1 | cut -d'"' -f4)
url=$(grep -o '"resume_gateway_url":"[^"]*"' "$stream" | head -n 1 | cut -d'"' -f4)
say "$stream: $dispatches dispatches, session $session_id"

# bot OUT ARGS…: run warm_bot, its stdout in OUT; it must exit 0.
bot() {
  local out=$1
  shift
  "$bot" "$@" >"$out" 2>"$out.err" || { cat "$out" "$out.err" >&2; fail "warm_bot $* exited $?"; }
  [ ! -s "$out.err" ] || { cat "$out.err" >&2; fail "warm_bot $* wrote to stderr"; }
}
# count OUT FIELD: a number from the "frames: applied=… ignored=…" line of OUT.
count() {
  sed -n "s/^frames: .*\\b$2=\\([0-9]*\\).*/\\1/p" "$1"
}
# fresh OUT: the dispatches OUT's run applied (changed the cache or not), i.e. not duplicates.
fresh() { echo $(($(count "$1" applied) + $(count "$1" ignored))); }
# expect_first OUT LINE: the first line of OUT (what the bot sends after HELLO).
expect_first() {
  local first
  first=$(head -n 1 "$1")
  [ "$first" = "$2" ] || { cat "$1" >&2; fail "first line: expected '$2', got '$first'"; }
}
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected $3, got $2"; }
# same_state DIR: DIR's state equals the reference's.
same_state() {
  "$state" "$1" >"$tmp/state-$2" || { cat "$tmp/state-$2" >&2; fail "warm_bot_state $1"; }
  diff -u "$tmp/state-ref" "$tmp/state-$2" >&2 || fail "$2: the state differs from the uninterrupted run's (diff above)"
  say "$2: state equals the uninterrupted run's ($(wc -l <"$tmp/state-ref") lines: sessions, dump, verify)"
}

# --- 1. the reference: one run through ----------------------------------------------------------------
bot "$tmp/ref.out" "$tmp/ref" "$stream"
expect_first "$tmp/ref.out" "IDENTIFY"
expect_eq "uninterrupted run: applied + ignored" "$(fresh "$tmp/ref.out")" "$dispatches"
expect_eq "uninterrupted run: duplicate" "$(count "$tmp/ref.out" duplicate)" 0
expect_eq "uninterrupted run: rejected" "$(count "$tmp/ref.out" rejected)" 0
"$state" "$tmp/ref" >"$tmp/state-ref" || { cat "$tmp/state-ref" >&2; fail "warm_bot_state (reference)"; }
grep -q "^session shard=0/1 id=$session_id url=$url seq=$dispatches " "$tmp/state-ref" ||
  { cat "$tmp/state-ref" >&2; fail "reference: stored session is not at seq=$dispatches"; }
grep -q "^verify: .* 0 problems$" "$tmp/state-ref" || { cat "$tmp/state-ref" >&2; fail "reference: verify"; }
say "uninterrupted: IDENTIFY, $dispatches dispatches applied once"

# --- 2. a clean restart -------------------------------------------------------------------------------
k=$((dispatches / 3))
bot "$tmp/r1.out" "$tmp/restart" "$stream" --exit-after "$k"
expect_first "$tmp/r1.out" "IDENTIFY"
expect_eq "run 1 (exit after s=$k): applied + ignored" "$(fresh "$tmp/r1.out")" "$k"
bot "$tmp/r2.out" "$tmp/restart" "$stream"
expect_first "$tmp/r2.out" "RESUME session_id=$session_id seq=$k url=$url"
expect_eq "run 2: applied + ignored" "$(fresh "$tmp/r2.out")" $((dispatches - k))
expect_eq "run 2: duplicate (the replayed s=2..$k; no READY after RESUME)" "$(count "$tmp/r2.out" duplicate)" $((k - 1))
bot "$tmp/r3.out" "$tmp/restart" "$stream"
expect_first "$tmp/r3.out" "RESUME session_id=$session_id seq=$dispatches url=$url"
expect_eq "run 3: applied + ignored" "$(fresh "$tmp/r3.out")" 0
total=$(($(fresh "$tmp/r1.out") + $(fresh "$tmp/r2.out") + $(fresh "$tmp/r3.out")))
expect_eq "applied + ignored over the 3 runs" "$total" "$dispatches"
say "restart after s=$k: RESUME seq=$k, then seq=$dispatches; $total applications in all, none twice"
same_state "$tmp/restart" restart

# --- 3. kill -9 in the middle -------------------------------------------------------------------------
m=$((dispatches * 2 / 3))
"$bot" "$tmp/kill" "$stream" --stop-after "$m" >"$tmp/k1.out" 2>"$tmp/k1.err" &
paused_pid=$!
for _ in $(seq 1200); do # up to 120 s (sanitizer builds are slow)
  grep -q "^PAUSED at s=$m$" "$tmp/k1.out" && break
  kill -0 "$paused_pid" 2>/dev/null || { cat "$tmp/k1.out" "$tmp/k1.err" >&2; fail "warm_bot --stop-after $m exited before pausing"; }
  sleep 0.1
done
grep -q "^PAUSED at s=$m$" "$tmp/k1.out" || { cat "$tmp/k1.out" >&2; fail "warm_bot never paused at s=$m"; }
kill -9 "$paused_pid"
if wait "$paused_pid" 2>/dev/null; then fail "warm_bot exited 0 instead of dying of SIGKILL"; fi
paused_pid=
expect_first "$tmp/k1.out" "IDENTIFY"
bot "$tmp/k2.out" "$tmp/kill" "$stream"
expect_first "$tmp/k2.out" "RESUME session_id=$session_id seq=$m url=$url"
expect_eq "run after the kill: applied + ignored" "$(fresh "$tmp/k2.out")" $((dispatches - m))
expect_eq "run after the kill: duplicate" "$(count "$tmp/k2.out" duplicate)" $((m - 1))
say "killed with SIGKILL at s=$m: RESUME seq=$m, the other $((dispatches - m)) dispatches applied once"
same_state "$tmp/kill" kill
say "passed"
