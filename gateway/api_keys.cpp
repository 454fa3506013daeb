#include "api_keys.h"

#include <capnp/schema.h>
#include <sodium.h>

#include <sstream>
#include <stdexcept>

#include "config.h"
#include "event_kinds.h"
#include "ids.h"

namespace mwp::gateway {
namespace {

const std::map<std::string, Role>& roles() {
  static const std::map<std::string, Role> r{
      {"admin", Role::kAdmin},           {"integrator", Role::kIntegrator},
      {"caseworker", Role::kCaseworker}, {"health", Role::kHealth},
      {"auditor", Role::kAuditor},       {"department", Role::kDepartment}};
  return r;
}

std::string hex(const unsigned char* bytes, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

std::optional<msg::Department> departmentFromName(const std::string& name) {
  auto schema = capnp::Schema::from<msg::Department>();
  KJ_IF_MAYBE (e, schema.findEnumerantByName(name.c_str())) {
    return static_cast<msg::Department>(e->getOrdinal());
  }
  return std::nullopt;
}

}  // namespace

std::optional<Role> roleFromName(const std::string& name) {
  auto it = roles().find(name);
  if (it == roles().end()) return std::nullopt;
  return it->second;
}

std::string roleName(Role role) {
  for (const auto& [name, r] : roles()) {
    if (r == role) return name;
  }
  return "?";
}

Visibility visibilityOf(Role role) {
  switch (role) {
    case Role::kAdmin:
      return {true, true};
    case Role::kHealth:
      return {true, true};
    case Role::kCaseworker:
      return {true, false};
    default:
      return {false, false};
  }
}

namespace {

constexpr std::string_view kExpires = "expires=";

// One line of the keys file, its hash in `hash`; throws naming the line.
ApiKey parseKeyLine(int number, const std::vector<std::string>& w, std::string& hash) {
  const std::string &name = w[0], &role = w[1];
  hash = w[2];
  std::string department, expires;
  for (size_t i = 3; i < w.size() && !w[i].empty(); ++i) {
    (w[i].rfind(kExpires, 0) == 0 ? expires : department) = w[i];
  }
  auto r = roleFromName(role);
  auto where = "API keys line " + std::to_string(number);
  if (!r || hash.size() != 64) {
    throw std::runtime_error(
        where + ": expected \"name role sha256-hex [department] [expires=YYYY-MM-DD]\"");
  }
  ApiKey key{name, *r};
  if (!expires.empty()) {
    key.expiresOn = parseDate(std::string_view(expires).substr(kExpires.size()));
    if (!key.expiresOn) throw std::runtime_error(where + ": expires= is not a date YYYY-MM-DD");
  }
  if (*r == Role::kDepartment) {
    auto d = departmentFromName(department);
    if (!d || *d == msg::Department::UNSPECIFIED) {
      throw std::runtime_error(where + ": a department key names its department, e.g. hrss");
    }
    key.department = *d;
  }
  return key;
}

}  // namespace

ApiKeys ApiKeys::parse(const std::string& text) {
  ApiKeys keys;
  forEachConfigLine(text, 5, [&](int number, const std::vector<std::string>& w) {
    std::string hash;
    auto key = parseKeyLine(number, w, hash);
    keys.byHash_[hash] = key;
  });
  return keys;
}

std::string keyLine(const ApiKey& key, const std::string& hash) {
  std::string line = key.name + " " + roleName(key.role) + " " + hash;
  if (key.role == Role::kDepartment) line += " " + enumName(key.department);
  if (key.expiresOn) line += " " + std::string(kExpires) + formatDate(*key.expiresOn);
  return line;
}

std::string rotateKey(const std::string& keysFile, const ApiKey& key, const std::string& hash,
                      int32_t oldKeysLastDay) {
  std::string out;
  std::istringstream lines(keysFile);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    std::string kept = line;
    forEachConfigLine(line, 5, [&](int, const std::vector<std::string>& w) {
      std::string oldHash;
      auto old = parseKeyLine(number, w, oldHash);
      if (old.name != key.name) return;
      if (!old.expiresOn || *old.expiresOn > oldKeysLastDay) old.expiresOn = oldKeysLastDay;
      kept = keyLine(old, oldHash);
    });
    out += kept + "\n";
  }
  return out + keyLine(key, hash) + "\n";
}

ApiKeys ApiKeys::fromFile(const std::string& path) {
  return parse(readTextFile(path, "the API keys file"));
}

std::optional<ApiKey> ApiKeys::find(const std::string& presentedKey) const {
  auto it = byHash_.find(hashApiKey(presentedKey));
  if (it == byHash_.end()) return std::nullopt;
  return it->second;
}

std::string hashApiKey(const std::string& key) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return hex(digest, sizeof digest);
}

std::string newApiKey() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return "mwp_" + hex(bytes, sizeof bytes);
}

}  // namespace mwp::gateway
