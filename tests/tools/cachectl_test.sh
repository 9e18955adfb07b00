#!/usr/bin/env bash
# tests/tools/cachectl_test.sh — cachectl end to end, run by `meson test` (test 'cachectl').
#
# Usage: cachectl_test.sh CACHECTL DAMAGE HOLDER SOURCE_ROOT
#   CACHECTL  the built tools/cachectl/cachectl
#   DAMAGE    tests/tools/cachectl_test_damage (breaks a closed cache through lib/src/storage/store.h)
#   HOLDER    tests/tools/cachectl_test_holder (holds a cache open for writing, like a running bot)
#
# On the fixture streams of tests/fixtures: ingest, dump, get, ls, stats, sessions, verify,
# compact; every exit code; read-only opens writing nothing; verify naming the entity of a
# broken index entry, a wrong reference count and a corrupted value; a live cache held by a
# second process, read through a secondary open while ingest and compact refuse.
# Prints one line per check; exits 1 when any failed.
set -uo pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 CACHECTL DAMAGE HOLDER SOURCE_ROOT" >&2
  exit 2
fi
C=$1 DAMAGE=$2 HOLDER=$3 SRC=$4
FIX=$SRC/tests/fixtures
LIFE=$FIX/guild_life.ndjson
DOCS=$FIX/docs-examples.ndjson
[ -f "$DOCS" ] || DOCS=$SRC/../shared/fixtures/streams/docs-examples.ndjson
for f in "$LIFE" "$DOCS"; do
  [ -f "$f" ] || { echo "missing fixture $f" >&2; exit 1; }
done
# guild_life.ndjson: Snowcache Laboratory and its bot (see tests/fixtures/README.md).
G=854291645464707072
BOT=815916279914430464

work=$(mktemp -d "${TMPDIR:-/tmp}/cachectl-test.XXXXXX")
export TMPDIR=$work/tmp # where secondary opens keep their info logs; must be empty at the end
mkdir -p "$TMPDIR"
holder_pid=
cleanup() {
  [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

failed=0 passed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# run WANT NAME CMD...: run CMD (stdout in $work/out, stderr in $work/err) and check its exit code.
run() {
  local want=$1 name=$2 rc=0
  shift 2
  "$@" >"$work/out" 2>"$work/err" || rc=$?
  if [ "$rc" = "$want" ]; then
    pass "$name (exit $rc)"
  else
    bad "$name: exit $rc, want $want"
    sed 's/^/    stdout: /' "$work/out" | head -20
    sed 's/^/    stderr: /' "$work/err" | head -20
  fi
}
# has FILE TEXT NAME: FILE contains TEXT.
has() {
  if grep -qF -- "$2" "$1"; then pass "$3"; else bad "$3: '$2' not in $(basename "$1")"; sed 's/^/    /' "$1" | head -20; fi
}
hasnt() {
  if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $(basename "$1")"; else pass "$3"; fi
}
# one_line NAME: stderr is exactly one line starting with "cachectl: ".
one_line() {
  if [ "$(wc -l <"$work/err")" = 1 ] && grep -q '^cachectl: ' "$work/err"; then
    pass "$1: one-line error: $(cat "$work/err")"
  else
    bad "$1: stderr is not one 'cachectl:' line"; sed 's/^/    /' "$work/err"
  fi
}
# json EXPR NAME: evaluate the Python expression EXPR with j = the JSON on stdout; it must be true.
json() {
  if python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$work/out" 2>"$work/pyerr"; then
    pass "$2"
  else
    bad "$2: not true of the JSON output: $1"; head -c 600 "$work/out" | sed 's/^/    /'; cat "$work/pyerr"
  fi
}
# snapshot DIR: every file with its size and mtime (nanoseconds).
snapshot() { (cd "$1" && find . -printf '%p %s %T@\n' | sort); }
same() {
  if cmp -s "$1" "$2"; then pass "$3"; else bad "$3"; diff "$1" "$2" | head -20 | sed 's/^/    /'; fi
}

db=$work/life
# --- ingest -----------------------------------------------------------------------------------
run 0 "ingest guild_life" "$C" --db "$db" ingest "$LIFE"
has "$work/out" "23 applied, 0 duplicate, 0 ignored, 0 rejected" "ingest summary"
if grep -q $'\r' "$work/err"; then bad "no progress bar when stderr is not a terminal"; else pass "no progress bar off a terminal"; fi
if command -v script >/dev/null; then # util-linux script(1) gives the command a terminal
  script -qfc "'$C' --db '$work/tty' ingest '$LIFE'" "$work/typescript" >/dev/null 2>&1 </dev/null
  if grep -qE '\] +[0-9]+%  ' "$work/typescript"; then pass "progress bar on a terminal with a regular file"
  else bad "no progress bar on a terminal"; cat -v "$work/typescript" | head -5; fi
  has "$work/typescript" "23 applied" "summary after the progress bar"
  script -qfc "cat '$LIFE' | '$C' --db '$work/tty' ingest -" "$work/typescript" >/dev/null 2>&1 </dev/null
  has "$work/typescript" "23 duplicate" "ingest from a pipe on a terminal"
  if grep -qE '\] +[0-9]+%  ' "$work/typescript"; then bad "progress bar on a pipe"; else pass "no progress bar on a pipe"; fi
else
  echo "skipped: progress bar on a terminal (no script(1))"
fi
run 0 "ingest again" "$C" --db "$db" ingest "$LIFE"
has "$work/out" "0 applied, 23 duplicate" "a second ingest is all duplicates"
run 0 "ingest --json from stdin" "$C" --db "$work/stdin" ingest --json - <"$LIFE"
json 'j["applied"] == 23 and j["rejected"] == 0 and j["events_per_second"] >= 0' "ingest --json summary"

bad_stream=$work/bad.ndjson
{
  grep -m1 '"t":"READY"' "$LIFE"                                                        # s=1
  echo '{"op":0,"t":"GUILD_ROLE_DELETE","s":3,"d":{"guild_id":"1","role_id":"abc"}}' # not a snowflake
  echo
  echo '# a comment'
  echo '{not json'
  grep -m1 '"t":"GUILD_CREATE"' "$LIFE"                                                 # s=2
} >"$bad_stream"
run 1 "ingest with rejected frames" "$C" --db "$work/bad" ingest "$bad_stream"
has "$work/err" "line 2: " "rejection reported with its line number"
has "$work/err" "line 5: " "second rejection reported with its line number"
has "$work/out" "2 applied, 0 duplicate, 0 ignored, 2 rejected" "the rest applied"
run 0 "get the guild after rejections" "$C" --db "$work/bad" get guild "$G"

run 0 "ingest with settings" "$C" --db "$work/set" ingest --components GUILDS,MEMBERS --max-messages 7 \
  --max-dm-channel-ids 3 --only-my-member "$LIFE"
run 0 "stats --json (settings)" "$C" --db "$work/set" stats --json
json 'j["settings"] == {"components": 5, "component_names": "GUILDS,MEMBERS", "max_messages": 7,
  "max_dm_channel_ids": 3, "only_my_member": True}' "creation-time settings applied"
# GUILD_CREATE keeps only the bot's member; one more joins later (GUILD_MEMBER_ADD, s=9).
json 'j["kinds"]["member"]["count"] == 2 and j["kinds"]["role"]["count"] == 0' "only my member, no roles"
run 0 "ingest without settings keeps them" "$C" --db "$work/set" ingest "$LIFE"
run 0 "stats --json (kept)" "$C" --db "$work/set" stats --json
json 'j["settings"]["components"] == 5 and j["settings"]["max_messages"] == 7' "stored settings kept"
run 0 "ingest --components ALL" "$C" --db "$work/set" ingest --components all --only-my-member=false "$LIFE"
run 0 "stats --json (changed)" "$C" --db "$work/set" stats --json
json 'j["settings"]["components"] == 8191 and not j["settings"]["only_my_member"]' "settings changed at open"

# --- dump -------------------------------------------------------------------------------------
run 0 "dump" "$C" --db "$db" dump
cp "$work/out" "$work/dump1"
python3 - "$work/dump1" >"$work/dumpcheck" 2>&1 <<'EOF'
import json, sys
order = ["me", "guild", "guild_channel", "thread", "role", "emoji", "sticker", "invite", "member", "user",
         "presence", "voice_state", "message", "dm_channel_id"]
prev = None
for n, line in enumerate(open(sys.argv[1]), 1):
    e = json.loads(line)
    assert list(e) == ["kind", "key", "value"], f"line {n}: fields {list(e)}"
    assert all(isinstance(k, str) for k in e["key"]), f"line {n}: key parts must be strings"
    k = e["kind"]
    ids = tuple(int(p) if p.isdigit() else p for p in e["key"])
    cur = (order.index(k), ids)
    assert prev is None or prev < cur, f"line {n}: out of order"
    prev = cur
print("dump ok", n)
EOF
has "$work/dumpcheck" "dump ok" "dump lines are {kind,key,value}, sorted by kind then key"
run 0 "stats --json" "$C" --db "$db" stats --json
json "sum(v['count'] for v in j['kinds'].values()) == $(wc -l <"$work/dump1")" "dump has one line per counted entity"
json 'j["kinds"]["member"]["count"] == 4 and j["format_version"] >= 1 and j["mode"] == "read-only"' "stats counts"
json 'j["sessions"][0]["sequence"] == 23 and j["bytes"] > 0 and j["disk_bytes"] >= j["bytes"]' "stats sizes, sessions"
run 0 "dump again" "$C" --db "$db" dump
same "$work/dump1" "$work/out" "dump is byte-identical across reopens"
run 0 "dump --kind member --guild" "$C" --db "$db" dump --kind member --guild "$G"
if [ "$(grep -c '"kind": "member"' "$work/out")" = 4 ] && [ "$(wc -l <"$work/out")" = 4 ]; then
  pass "dump --kind member --guild G: the 4 members only"
else bad "dump --kind member --guild G"; fi
run 0 "dump --guild (other guild)" "$C" --db "$db" dump --guild 1
[ -s "$work/out" ] && bad "dump --guild of an unknown guild is not empty" || pass "dump of an unknown guild is empty"
run 2 "dump --kind bogus" "$C" --db "$db" dump --kind bogus
one_line "dump --kind bogus"
run 2 "dump --guild x" "$C" --db "$db" dump --guild x
one_line "dump --guild x"

# --- get --------------------------------------------------------------------------------------
run 0 "get member" "$C" --db "$db" get member "$G" "$BOT"
has "$work/out" '"username": "snowbot"' "get member prints the member with its user"
json "j['guild_id'] == '$G'" "get prints JSON"
run 0 "get guild" "$C" --db "$db" get guild "$G"
run 0 "get me" "$C" --db "$db" get me
run 0 "get me ID" "$C" --db "$db" get me "$BOT"
run 1 "get me (another id)" "$C" --db "$db" get me 1
run 1 "get absent member" "$C" --db "$db" get member "$G" 1
has "$work/err" "not found" "absent: 'not found' on stderr"
[ -s "$work/out" ] && bad "absent: stdout not empty" || pass "absent: nothing on stdout"
run 1 "get absent invite" "$C" --db "$db" get invite nosuchcode
run 2 "get unknown kind" "$C" --db "$db" get bogus 1
one_line "get unknown kind"
run 2 "get malformed key" "$C" --db "$db" get member "$G" 12ab
one_line "get malformed key"
has "$work/err" "12ab" "the malformed key is named"
run 2 "get missing key part" "$C" --db "$db" get member "$G"
one_line "get missing key part"
run 2 "get without kind" "$C" --db "$db" get

# --- ls ---------------------------------------------------------------------------------------
run 0 "ls member --guild" "$C" --db "$db" ls member --guild "$G"
has "$work/out" "username" "ls member has a header"
[ "$(wc -l <"$work/out")" = 5 ] && pass "ls member: header + 4 rows" || bad "ls member: $(wc -l <"$work/out") lines"
has "$work/out" "snowbot" "ls member shows usernames"
cp "$work/out" "$work/ls_member_g"
run 0 "ls member (all guilds)" "$C" --db "$db" ls member
same "$work/ls_member_g" "$work/out" "ls member without --guild: the same (one guild)"
run 0 "ls member --guild --json" "$C" --db "$db" ls member --guild "$G" --json
json "len(j) == 4 and all(m['guild_id'] == '$G' and 'user' in m for m in j)" "ls --json: an array of members"
json "[m['user']['id'] for m in j] == sorted((m['user']['id'] for m in j), key=int)" "members in user id order"
run 0 "ls guild_channel --guild --json" "$C" --db "$db" ls guild_channel --guild "$G" --json
json 'len(j) == 4' "ls guild_channel --guild: 4 channels"
cp "$work/out" "$work/channels.json"
run 0 "ls guild_channel --guild" "$C" --db "$db" ls guild_channel --guild "$G"
python3 -c "
import json, sys
ids = [c['id'] for c in json.load(open(sys.argv[1]))]
rows = [l.split()[1] for l in open(sys.argv[2]).read().splitlines()[1:]]
sys.exit(0 if ids == rows else 1)" "$work/channels.json" "$work/out" &&
  pass "table and --json list channels in the same (view) order" || bad "channel order differs"
for k in me guild guild_channel thread role emoji sticker invite member user presence voice_state message dm_channel_id; do
  run 0 "ls $k" "$C" --db "$db" ls "$k"
  run 0 "ls $k --json" "$C" --db "$db" ls "$k" --json
  json 'isinstance(j, list)' "ls $k --json is an array"
done
run 0 "ls presence --guild" "$C" --db "$db" ls presence --guild "$G"
has "$work/out" "status" "ls presence shows status"
run 0 "ls voice_state --guild" "$C" --db "$db" ls voice_state --guild "$G"
has "$work/out" "channel" "ls voice_state shows the channel"
run 0 "ls thread --guild --channel" "$C" --db "$db" ls thread --guild "$G" --channel 1
run 2 "ls user --guild" "$C" --db "$db" ls user --guild "$G"
one_line "ls user --guild"
run 2 "ls thread --channel without --guild" "$C" --db "$db" ls thread --channel 1
run 2 "ls unknown kind" "$C" --db "$db" ls bogus
one_line "ls unknown kind"
run 2 "ls malformed guild" "$C" --db "$db" ls member --guild G
one_line "ls malformed guild"

# --- stats, sessions, verify ------------------------------------------------------------------
run 0 "stats" "$C" --db "$db" stats
has "$work/out" "read-only" "stats says how the cache was opened"
has "$work/out" "member" "stats lists kinds"
has "$work/out" "9f2c4e7a1b3d5f60" "stats shows the session"
run 0 "sessions" "$C" --db "$db" sessions
has "$work/out" "wss://gateway-us-east1-b.discord.gg" "sessions shows resume_gateway_url"
run 0 "sessions --json" "$C" --db "$db" sessions --json
json 'j == [{"shard": 0, "shard_count": 1, "session_id": "9f2c4e7a1b3d5f60",
  "resume_gateway_url": "wss://gateway-us-east1-b.discord.gg", "sequence": 23, "user_id": "815916279914430464"}]' \
  "sessions --json: what RESUME needs"
run 0 "verify" "$C" --db "$db" verify
has "$work/out" "no problem found" "verify summary"
run 0 "verify --json" "$C" --db "$db" verify --json
json 'j["ok"] and j["problems"] == [] and j["entities"] > 0 and j["index_entries"] > 0' "verify --json clean"

# --- read-only opens write nothing ------------------------------------------------------------
snapshot "$db" >"$work/snap1"
for args in "dump" "get member $G $BOT" "ls member" "ls guild_channel --guild $G" "stats" "sessions" "verify"; do
  # shellcheck disable=SC2086
  "$C" --db "$db" $args >/dev/null 2>&1
done
snapshot "$db" >"$work/snap2"
same "$work/snap1" "$work/snap2" "read-only subcommands leave every file (names, sizes, mtimes) unchanged"

# --- compact ----------------------------------------------------------------------------------
run 0 "compact" "$C" --db "$db" compact
has "$work/out" "before" "compact reports the size before"
has "$work/out" "after" "compact reports the size after"
run 0 "compact --json" "$C" --db "$db" compact --json
json 'j["bytes_before"] > 0 and j["bytes_after"] > 0' "compact --json sizes"
run 0 "dump after compact" "$C" --db "$db" dump
same "$work/dump1" "$work/out" "dump unchanged by compact"
run 0 "verify after compact" "$C" --db "$db" verify
run 2 "compact of no cache" "$C" --db "$work/none" compact
[ -e "$work/none" ] && bad "compact created a directory" || pass "compact of no cache creates nothing"

# --- errors: exit 2, one line, nothing written ------------------------------------------------
run 2 "no --db" "$C" stats
one_line "no --db"
run 2 "no subcommand" "$C" --db "$db"
run 2 "unknown subcommand" "$C" --db "$db" frob
one_line "unknown subcommand"
for sub in dump "get guild 1" "ls guild" stats sessions verify; do
  # shellcheck disable=SC2086
  run 2 "$sub on a missing directory" "$C" --db "$work/missing" $sub
  one_line "$sub on a missing directory"
done
[ -e "$work/missing" ] && bad "a read created the missing directory" || pass "reads of a missing --db create nothing"
mkdir -p "$work/notcache" && echo data >"$work/notcache/file"
snapshot "$work/notcache" >"$work/nc1"
for sub in "stats" "ingest $LIFE" "compact"; do
  # shellcheck disable=SC2086
  run 2 "$sub on a non-cache directory" "$C" --db "$work/notcache" $sub
  one_line "$sub on a non-cache directory"
done
snapshot "$work/notcache" >"$work/nc2"
same "$work/nc1" "$work/nc2" "nothing written into a non-cache directory"
run 2 "ingest of a missing file" "$C" --db "$work/fresh" ingest "$work/no-such-file.ndjson"
one_line "ingest of a missing file"
run 2 "ingest of a directory" "$C" --db "$work/fresh" ingest "$work"
[ -e "$work/fresh" ] && bad "an unreadable input created the cache" || pass "unreadable input: no cache created"
run 2 "ingest --components bogus" "$C" --db "$work/fresh" ingest --components GUILDS,BOGUS "$LIFE"
one_line "ingest --components bogus"
[ -e "$work/fresh" ] && bad "bad settings created the cache" || pass "bad settings: no cache created"
cp -a "$db" "$work/newer"
echo "snowcache-format 99" >"$work/newer/SNOWCACHE"
snapshot "$work/newer" >"$work/nw1"
for sub in "stats" "dump" "verify" "ingest $LIFE" "compact"; do
  # shellcheck disable=SC2086
  run 2 "$sub on a newer format" "$C" --db "$work/newer" $sub
  one_line "$sub on a newer format"
done
has "$work/err" "newer" "the newer format is named"
snapshot "$work/newer" >"$work/nw2"
same "$work/nw1" "$work/nw2" "nothing written into a cache of a newer format"

# --- verify on a deliberately broken cache ----------------------------------------------------
run 0 "ls role --guild --json" "$C" --db "$db" ls role --guild "$G" --json
role=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[-1]['id'])" "$work/out")
run 0 "ls member --guild --json" "$C" --db "$db" ls member --guild "$G" --json
user=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['user']['id'])" "$work/out")
member=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[1]['user']['id'])" "$work/out")
for damage in "drop-role-index $G $role:$role" "user-count $user 7:$user" "corrupt-member $G $member:$member"; do
  what=${damage%%:*} name=${damage##*:}
  rm -rf "$work/broken" && cp -a "$db" "$work/broken"
  # shellcheck disable=SC2086
  run 0 "damage: $what" "$DAMAGE" "$work/broken" $what
  run 1 "verify after $what" "$C" --db "$work/broken" verify
  has "$work/out" "$name" "verify names the entity ($name) after $what"
  has "$work/out" "problem" "verify summary counts problems after $what"
  run 1 "verify --json after $what" "$C" --db "$work/broken" verify --json
  json "not j['ok'] and any('$name' in p for p in j['problems'])" "verify --json lists the problem after $what"
done

# --- a live cache: another process holds it ---------------------------------------------------
live=$work/live
coproc HOLD { exec "$HOLDER" "$live" "$LIFE"; }
holder_pid=$HOLD_PID
if read -r -t 60 line <&"${HOLD[0]}" && [ "$line" = ready ]; then
  pass "holder ready (pid $holder_pid)"
  run 0 "live: stats" "$C" --db "$live" stats
  has "$work/out" "secondary" "live: stats opened a secondary"
  has "$work/out" "process $holder_pid" "live: stats names the writing process"
  run 0 "live: get member" "$C" --db "$live" get member "$G" "$BOT"
  run 0 "live: ls member --guild" "$C" --db "$live" ls member --guild "$G"
  same "$work/ls_member_g" "$work/out" "live: ls member as on the closed cache"
  run 0 "live: dump" "$C" --db "$live" dump
  same "$work/dump1" "$work/out" "live: dump as on the closed cache"
  run 0 "live: verify" "$C" --db "$live" verify
  run 0 "live: sessions --json" "$C" --db "$live" sessions --json
  json 'j[0]["sequence"] == 23' "live: sessions"
  snapshot "$live" >"$work/lv1"
  run 2 "live: ingest refuses" "$C" --db "$live" ingest "$LIFE"
  one_line "live: ingest refuses"
  has "$work/err" "in use by process $holder_pid" "live: ingest names the pid"
  run 2 "live: compact refuses" "$C" --db "$live" compact
  has "$work/err" "compact needs exclusive access" "live: compact says why"
  snapshot "$live" >"$work/lv2"
  same "$work/lv1" "$work/lv2" "live: refused writes wrote nothing"
  # The holder writes more; a new cachectl reads it (from the writer's WAL, not flushed yet).
  python3 - "$LIFE" "$work/more.ndjson" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    f = json.loads(line)
    if f.get("t") == "MESSAGE_CREATE":
        f["s"] = 24
        f["d"]["id"] = "1100000000000000001"
        f["d"]["content"] = "written while cachectl watches"
        open(sys.argv[2], "w").write(json.dumps(f) + "\n")
        break
EOF
  echo "ingest $work/more.ndjson" >&"${HOLD[1]}"
  if read -r -t 60 line <&"${HOLD[0]}" && [ "$line" = ok ]; then
    run 0 "live: get the new message" "$C" --db "$live" get message 1100000000000000001
    has "$work/out" "written while cachectl watches" "live: the secondary caught up with the writer"
    run 0 "live: sessions after more" "$C" --db "$live" sessions --json
    json 'j[0]["sequence"] == 24' "live: the new sequence is seen"
  else
    bad "holder did not ingest more"
  fi
  echo quit >&"${HOLD[1]}"
  wait "$holder_pid" && pass "holder exited" || bad "holder failed"
  holder_pid=
  run 0 "after the holder: ingest works" "$C" --db "$live" ingest "$LIFE"
  run 0 "after the holder: get the new message (read-only)" "$C" --db "$live" get message 1100000000000000001
else
  bad "holder did not start"
fi
leftover=$(find "$TMPDIR" -mindepth 1 | head -5)
[ -z "$leftover" ] && pass "secondary opens leave no temporary directory" || bad "left in TMPDIR: $leftover"

# --- every fixture stream: ingest, verify, dump stable across compact --------------------------
for f in "$FIX"/*.ndjson; do
  name=$(basename "$f" .ndjson) shard=0
  case $name in *_sharded_1) shard=1 ;; esac
  d=$work/fx-$name
  run 0 "$name: ingest" "$C" --db "$d" ingest --shard "$shard" "$f"
  run 0 "$name: verify" "$C" --db "$d" verify
  run 0 "$name: dump" "$C" --db "$d" dump
  cp "$work/out" "$work/fxdump"
  run 0 "$name: compact" "$C" --db "$d" compact
  run 0 "$name: dump after compact" "$C" --db "$d" dump
  same "$work/fxdump" "$work/out" "$name: dump byte-identical after compact and reopen"
done

echo "cachectl: $passed passed, $failed failed"
[ "$failed" = 0 ]
