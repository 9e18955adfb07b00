// snowcache/gateway.h — applying Discord gateway dispatches to a cache.
//
// A bot hands every frame it receives from shard N to Gateway::ingest_frame
// (or the split form, ingest). Each dispatch is applied atomically together
// with the shard's new sequence number: after any restart, clean or kill -9,
// the cache holds exactly the state after the last applied event, and
// session(N) says which event that was, so the bot can RESUME.
//
// Outcomes:
//   kApplied    the event changed the cache (or could have) and its
//               sequence is stored.
//   kDuplicate  its sequence is not above the stored one: already applied
//               (a RESUME replays from the stored point); nothing written.
//   kIgnored    not cache-affecting (TYPING_START, an unknown dispatch, a
//               control frame); a dispatch's sequence still advances.
//   kRejected   malformed: bad JSON, a missing required field, a wrong type,
//               a snowflake that is not a number, an unknown op, an empty or
//               oversized frame. Nothing of it is written and the sequence
//               does not move; `status` names the event type, the sequence
//               and the field at fault. The next event applies normally.
//   A write failure (I/O error) is reported as kRejected with a status of
//   that code; the cache then refuses writes until reopened (see cache.h).
//   READY starts a new session (new session_id and resume URL, the sequence
//   restarts at its `s`) and always applies — except a READY carrying the
//   stored session_id at or below the stored sequence: that is a replay of
//   the READY already applied (a recorded stream fed again from its start)
//   and is a duplicate like any other replayed dispatch.
//
// Event semantics: semantics.md R4-R6 and hikari-reference.md §6.
//
// Thread safety: a Gateway may be used from one thread at a time (it owns
// parser buffers); readers of the cache may run concurrently on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snowcache/cache.h"
#include "snowcache/status.h"

namespace snowcache {

namespace detail {
struct GatewayImpl;  // parsers, buffers; defined in lib/src/gateway/event.h
}  // namespace detail

enum class Outcome : std::uint8_t { kApplied, kDuplicate, kIgnored, kRejected };
// "applied", "duplicate", "ignored", "rejected" (a static string).
const char* outcome_name(Outcome o);

struct IngestResult {
  Outcome outcome = Outcome::kRejected;
  std::string event;                 // the dispatch name ("GUILD_CREATE"), empty for control frames
  std::optional<std::int64_t> sequence;  // the frame's `s`
  Status status;                     // why, when rejected

  bool ok() const { return outcome != Outcome::kRejected; }
};

// A shard's gateway session as stored by READY and every applied dispatch.
struct Session {
  std::uint32_t shard = 0;
  std::uint32_t shard_count = 1;
  std::string session_id;
  std::string resume_gateway_url;
  std::optional<std::int64_t> sequence;  // the last applied dispatch's `s`
  std::uint64_t user_id = 0;             // the bot's user id from READY
};

// The stored sessions, by shard (ascending). Any handle, any thread; a
// secondary sees the writer's sessions as of its last catch_up().
// Errors: Code::kCorruption for a malformed stored session, Code::kIOError.
Result<std::vector<Session>> sessions(const Cache& cache);
// The session of `shard`; nullopt when that shard never received READY or a
// dispatch. A session with an empty session_id (dispatches without READY)
// cannot be resumed: IDENTIFY. Errors: as sessions().
Result<std::optional<Session>> session(const Cache& cache, std::uint32_t shard);

class Gateway {
 public:
  // REQUIRES: `cache` outlives the Gateway. Several Gateways (one per shard
  // thread) may share a cache: their writes are serialised by the cache.
  explicit Gateway(MutableCache& cache);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // A whole frame as received: {"op":0,"t":"...","s":N,"d":{...}}. Control
  // frames (ops 1, 7, 9, 10, 11) are kIgnored without a sequence. The frame
  // is copied; it need not outlive the call. Never throws for bad input:
  // the outcome says what happened (see the top of this file).
  IngestResult ingest_frame(std::uint32_t shard, std::string_view frame);
  // The split form: the dispatch name, its `s` (nullopt for null) and `d`
  // (the JSON text of the payload), for a bot whose websocket library has
  // already parsed the envelope.
  IngestResult ingest(std::uint32_t shard, std::string_view event, std::optional<std::int64_t> sequence,
                      std::string_view payload);

  // Frames larger than this are rejected. Default: 64 MiB.
  void set_max_frame_bytes(std::size_t n);

 private:
  std::unique_ptr<detail::GatewayImpl> impl_;
};

}  // namespace snowcache
