#include "worker_refs.h"

#include <sodium.h>

#include <stdexcept>

#include "config_files.h"
#include "ids.h"

namespace mwp::gateway {
namespace {

constexpr size_t kIdBytes = 18;
constexpr std::string_view kPrefix = "w";

void deriveKey(std::array<unsigned char, 32>& out, const unsigned char* master,
               std::string_view label) {
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), master, 32);
}

}  // namespace

WorkerRefs::WorkerRefs(const std::string& secret) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  if (!secret.empty() && secret.size() < 32) {
    throw ConfigError("MWP_GATEWAY_REF_SECRET_FILE: fewer than 32 bytes");
  }
  unsigned char master[32];
  if (secret.empty()) {
    randombytes_buf(master, sizeof master);
  } else {
    crypto_generichash(master, sizeof master, reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size(), nullptr, 0);
  }
  deriveKey(tagKey_, master, "mwp worker reference: tag");
  deriveKey(streamKey_, master, "mwp worker reference: stream");
  sodium_memzero(master, sizeof master);
}

std::string WorkerRefs::refOf(std::string_view workerId) const {
  unsigned char raw[kTagBytes + kIdBytes] = {};
  crypto_generichash(raw, kTagBytes, reinterpret_cast<const unsigned char*>(workerId.data()),
                     workerId.size(), tagKey_.data(), tagKey_.size());
  unsigned char nonce[crypto_stream_xchacha20_NONCEBYTES] = {};
  std::copy(raw, raw + kTagBytes, nonce);
  crypto_stream_xchacha20_xor(raw + kTagBytes,
                              reinterpret_cast<const unsigned char*>(workerId.data()), kIdBytes,
                              nonce, streamKey_.data());
  char text[sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(kPrefix) + text;
}

std::optional<std::string> WorkerRefs::workerOf(std::string_view ref) const {
  if (ref.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  ref.remove_prefix(kPrefix.size());
  unsigned char raw[kTagBytes + kIdBytes];
  size_t length = 0;
  if (sodium_base642bin(raw, sizeof raw, ref.data(), ref.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      length != sizeof raw) {
    return std::nullopt;
  }
  unsigned char nonce[crypto_stream_xchacha20_NONCEBYTES] = {};
  std::copy(raw, raw + kTagBytes, nonce);
  std::string id(kIdBytes, '\0');
  crypto_stream_xchacha20_xor(reinterpret_cast<unsigned char*>(id.data()), raw + kTagBytes,
                              kIdBytes, nonce, streamKey_.data());
  unsigned char tag[kTagBytes];
  crypto_generichash(tag, kTagBytes, reinterpret_cast<const unsigned char*>(id.data()), id.size(),
                     tagKey_.data(), tagKey_.size());
  if (sodium_memcmp(tag, raw, kTagBytes) != 0 || !isValidResidentId(id)) return std::nullopt;
  return id;
}

std::string WorkerRefs::withRefs(const std::string& json) const {
  static const std::string field = "\"workerId\":\"";
  std::string out;
  size_t copied = 0;
  for (size_t at = json.find(field); at != std::string::npos; at = json.find(field, at + 1)) {
    size_t id = at + field.size();
    if (id + kIdBytes >= json.size() || json[id + kIdBytes] != '"') continue;
    std::string_view workerId(json.data() + id, kIdBytes);
    if (!isValidResidentId(workerId)) continue;
    out.append(json, copied, id + kIdBytes + 1 - copied);
    out += ",\"workerRef\":\"" + refOf(workerId) + "\"";
    copied = id + kIdBytes + 1;
  }
  return out.append(json, copied, std::string::npos);
}

}  // namespace mwp::gateway
