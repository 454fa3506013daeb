// Opaque references to workers, for the roles that see resident IDs masked (integrators): a
// masked ID with the area and hukou shown beside it leaves a few hundred candidates, and a lookup
// by full ID answering 404 or 200 would tell the right one. So those roles never look a worker up
// by resident ID; each listing row and record they get carries a workerRef instead, which they
// pass to GET /v1/workers/{workerRef}.
//
// A reference is the ID encrypted deterministically under the gateway's secret (SIV: the nonce is
// a keyed BLAKE2b of the ID, the cipher XChaCha20, the nonce doubling as the tag): the same worker
// always has the same reference, nobody without the secret can read an ID from it or make one for
// an ID, and the gateway reads it back without a table. Gateways that share a secret share
// references. Immutable after construction; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace mwp::gateway {

class WorkerRefs {
 public:
  // `secret`: at least 32 bytes (MWP_GATEWAY_REF_SECRET_FILE); empty: a random one, so references
  // last as long as the process. Throws ConfigError for a shorter one.
  explicit WorkerRefs(const std::string& secret);

  std::string refOf(std::string_view workerId) const;
  // The resident ID `ref` stands for; nullopt for anything this secret did not make.
  std::optional<std::string> workerOf(std::string_view ref) const;

  // `json` with each "workerId":"<resident ID>" followed by "workerRef":"<its reference>".
  std::string withRefs(const std::string& json) const;

 private:
  static constexpr size_t kTagBytes = 16;
  std::array<unsigned char, 32> tagKey_{};
  std::array<unsigned char, 32> streamKey_{};
};

}  // namespace mwp::gateway
