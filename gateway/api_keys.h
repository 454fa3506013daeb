// API keys for integrators, caseworkers, health staff, auditors, administrators and department
// systems. Only a SHA-256 of each key is kept (in MWP_API_KEYS_FILE, one "name role hash
// [department] [expires=YYYY-MM-DD]" per line); `mwpctl keygen api` makes a key and its line, and
// rotates a name's key (the old one then expires after a grace period). Immutable after loading;
// thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "mwp/messages/events.capnp.h"

namespace mwp::gateway {

enum class Role { kAdmin, kIntegrator, kCaseworker, kHealth, kAuditor, kDepartment };

std::optional<Role> roleFromName(const std::string& name);
std::string roleName(Role role);

struct ApiKey {
  std::string name;  // who: shown in the audit log
  Role role;
  msg::Department department = msg::Department::UNSPECIFIED;  // for kDepartment keys
  // The last day (China time, days since the epoch) the key is accepted; unset: a line written
  // before keys expired, accepted until it is rotated.
  std::optional<int32_t> expiresOn = std::nullopt;

  bool expiredOn(int32_t day) const { return expiresOn && day > *expiresOn; }
};

// What a role sees of a worker's record.
struct Visibility {
  bool fullResidentIds;  // otherwise 510***********1234
  bool healthSection;    // 个人健康信息 is sensitive personal information
};
Visibility visibilityOf(Role role);

class ApiKeys {
 public:
  // Throws std::runtime_error naming the line of a malformed entry.
  static ApiKeys parse(const std::string& text);
  static ApiKeys fromFile(const std::string& path);

  std::optional<ApiKey> find(const std::string& presentedKey) const;
  size_t size() const { return byHash_.size(); }

 private:
  std::map<std::string, ApiKey> byHash_;
};

// The keys file's line of `key`: "name role hash [department] [expires=YYYY-MM-DD]".
std::string keyLine(const ApiKey& key, const std::string& hash);

// `keysFile` with `hash` added as `key`'s line, and every other line of the same name made to
// expire at the latest on `oldKeysLastDay` (a rotation: both keys work until then). Comments and
// other names' lines are kept as they are. Throws std::runtime_error as parse() does.
std::string rotateKey(const std::string& keysFile, const ApiKey& key, const std::string& hash,
                      int32_t oldKeysLastDay);

// Hex SHA-256 of a key, as the keys file stores it.
std::string hashApiKey(const std::string& key);
// A fresh random key: 32 bytes from the system's CSPRNG, hex.
std::string newApiKey();

}  // namespace mwp::gateway
