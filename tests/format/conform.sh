#!/bin/sh
# Schema evolution check (docs/RELIABILITY.md, format stability): every schema
# frozen in tests/format/schemas-v1/ must still be readable by, and its data
# readable from, the current schemas/.
#
#   conform.sh FLATC FROZEN_DIR CURRENT_DIR
#
# 1. `flatc --conform FROZEN CURRENT` for each frozen schema (includes resolve
#    in each schema's own directory via -I): catches reordered fields, changed
#    types or defaults, fields inserted in the middle, renamed tables.
# 2. flatc 2.0.8 does not notice a field removed from the END of a table, so
#    every table.field of a frozen schema must still be declared in the current
#    one (retire a field with `(deprecated)`, never delete it).
# Exit 0 when every schema conforms; 1 with the reasons otherwise.
set -u
flatc=$1
frozen=$(cd "$2" && pwd) || exit 1
current=$(cd "$3" && pwd) || exit 1
case $flatc in */*) flatc=$(cd "$(dirname "$flatc")" && pwd)/$(basename "$flatc") ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# table.field per line for a schema file (comments stripped).
fields() {
  sed 's://.*$::' "$1" | awk '
    /^[ \t]*(table|struct)[ \t]+[A-Za-z_0-9]+/ { t = $2; sub(/\{.*/, "", t); next }
    /^[ \t]*}/ { t = "" ; next }
    t != "" && /^[ \t]*[A-Za-z_0-9]+[ \t]*:/ { f = $0; sub(/^[ \t]*/, "", f); sub(/[ \t]*:.*/, "", f); print t "." f }
  ' | sort
}

status=0
checked=0
for old in "$frozen"/*.fbs; do
  name=$(basename "$old")
  new="$current/$name"
  checked=$((checked + 1))
  if [ ! -f "$new" ]; then
    echo "FAIL $name: removed from $current (frozen in $frozen)"
    status=1
    continue
  fi
  if ! "$flatc" --conform "$old" -I "$frozen" -I "$current" "$new" > flatc.out 2>&1; then
    echo "FAIL $name: flatc --conform: $(grep -v '^flatc:' flatc.out | tr -s '\n' ' ')"
    status=1
  fi
  fields "$old" > old.fields
  fields "$new" > new.fields
  if [ ! -s old.fields ]; then
    echo "FAIL $name: no table fields found in the frozen schema (parser out of step?)"
    status=1
  fi
  missing=$(comm -23 old.fields new.fields)
  if [ -n "$missing" ]; then
    echo "FAIL $name: fields removed (deprecate them instead): $(echo $missing)"
    status=1
  fi
done
if [ "$checked" -eq 0 ]; then
  echo "FAIL: no frozen schemas in $frozen"
  exit 1
fi
[ "$status" -eq 0 ] && echo "ok: $checked frozen schemas conform"
exit $status
