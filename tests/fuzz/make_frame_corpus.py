#!/usr/bin/env python3
"""make_frame_corpus.py — writes the seed corpus of fuzz_frame from tests/fixtures/*.ndjson.

    tests/fuzz/make_frame_corpus.py [OUT_DIR]     (default: tests/fuzz/corpus/frame, emptied first)

Seeds (see tests/fuzz/README.md):
  - one file per frame: per dispatch type (and per control op) the smallest line of all fixtures, and for
    GUILD_CREATE, MESSAGE_CREATE and GUILD_MEMBERS_CHUNK also the largest one up to MAX_BYTES;
    named <fixture>-<line>-<event>;
  - split-<event>: the split form (the dispatch name on the first line, its `d` on the second) for a few
    dispatches;
  - multi-<fixture>: the first frames of a fixture as one input, one frame a line, so that mutations of
    the later frames meet a cached guild.
Deterministic: the same fixtures give the same files.
"""
import glob
import json
import os
import sys

MAX_BYTES = 4096
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LARGEST_TOO = {"GUILD_CREATE", "MESSAGE_CREATE", "GUILD_MEMBERS_CHUNK"}
SPLIT = ["MESSAGE_CREATE", "GUILD_MEMBER_ADD", "PRESENCE_UPDATE", "GUILD_ROLE_CREATE"]
MULTI = {"guild_life.ndjson": 12, "dm_messages.ndjson": 6}  # fixture: frames taken


def frames(path):
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            yield number, line


def main():
    default = os.path.normpath(os.path.join(ROOT, "tests", "fuzz", "corpus", "frame"))
    out = sys.argv[1] if len(sys.argv) > 1 else default
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        os.remove(os.path.join(out, name))
    by_event = {}  # event -> [(size, fixture, line number, text)]
    fixtures = sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "*.ndjson")))
    for path in fixtures:
        fixture = os.path.basename(path)
        for number, line in frames(path):
            if len(line.encode()) > MAX_BYTES:
                continue
            frame = json.loads(line)
            event = frame.get("t") or "op%d" % frame.get("op", -1)
            by_event.setdefault(event, []).append((len(line.encode()), fixture, number, line))
    written = {}
    for event, found in sorted(by_event.items()):
        found.sort()
        picks = [found[0]] + ([found[-1]] if event in LARGEST_TOO and len(found) > 1 else [])
        for _, fixture, number, line in picks:
            written["%s-%d-%s" % (fixture[: -len(".ndjson")], number, event)] = line + "\n"
        if event in SPLIT:
            d = json.loads(found[0][3])["d"]
            written["split-" + event] = event + "\n" + json.dumps(d, separators=(",", ":")) + "\n"
    for fixture, count in MULTI.items():
        lines = [line for _, line in frames(os.path.join(ROOT, "tests", "fixtures", fixture))][:count]
        written["multi-" + fixture[: -len(".ndjson")]] = "\n".join(lines) + "\n"
    for name, text in written.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
    print("%d seeds written to %s" % (len(written), out))


if __name__ == "__main__":
    main()
