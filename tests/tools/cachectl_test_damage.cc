// cachectl_test_damage — breaks a closed cache on purpose, through the store
// (lib/src/storage/store.h), so that the cachectl test can check that `cachectl
// verify` finds and names the damage. Test-only.
//
//   cachectl_test_damage DB drop-role-index GUILD ROLE   delete the index entry r|GUILD|ROLE
//   cachectl_test_damage DB user-count USER N            set USER's stored reference count to N
//   cachectl_test_damage DB corrupt-member GUILD USER    replace the member's value with garbage
#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/keys.h"
#include "snowcache/settings.h"
#include "storage/store.h"

namespace d = snowcache::detail;
namespace keys = snowcache::keys;

namespace {

snowcache::Snowflake id(const char* s) {
  auto v = snowcache::Snowflake::parse(s);
  if (!v) {
    std::fprintf(stderr, "cachectl_test_damage: not a snowflake: %s\n", s);
    std::exit(2);
  }
  return *v;
}

int usage() {
  std::fprintf(stderr,
               "usage: cachectl_test_damage DB drop-role-index GUILD ROLE | user-count USER N | "
               "corrupt-member GUILD USER\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return usage();
  const std::string action = argv[2];
  snowcache::Options o;
  o.create_if_missing = false;
  auto store = d::Store::open(argv[1], o);
  if (!store.ok()) {
    std::fprintf(stderr, "cachectl_test_damage: %s\n", store.status().to_string().c_str());
    return 2;
  }
  auto& st = **store;
  rocksdb::Status s;
  if (action == "drop-role-index") {
    std::string key = keys::index_key(keys::IndexTag::kRoleByGuild, id(argv[3]), keys::id(id(argv[4])));
    auto had = st.get(d::Cf::kIndex, key);
    if (!had.ok() || !*had) {
      std::fprintf(stderr, "cachectl_test_damage: no such index entry\n");
      return 1;
    }
    s = st.db()->Delete(st.write_options(), st.cf(d::Cf::kIndex), key);
  } else if (action == "user-count") {
    s = st.db()->Put(st.write_options(), st.cf(d::Cf::kRefs), keys::user_ref(id(argv[3])),
                     keys::encode_count(std::atoll(argv[4])));
  } else if (action == "corrupt-member") {
    std::string key = keys::pair(id(argv[3]), id(argv[4]));
    auto had = st.get(d::Cf::kMembers, key);
    if (!had.ok() || !*had) {
      std::fprintf(stderr, "cachectl_test_damage: no such member\n");
      return 1;
    }
    s = st.db()->Put(st.write_options(), st.cf(d::Cf::kMembers), key, std::string(24, '\xff'));
  } else {
    return usage();
  }
  if (!s.ok()) {
    std::fprintf(stderr, "cachectl_test_damage: %s\n", s.ToString().c_str());
    return 2;
  }
  return 0;
}
