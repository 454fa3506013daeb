// One JSON object per line on stderr: {"ts":…,"level":…,"component":…,"msg":…, fields…}.
// Never pass a resident ID: mask it (ids.h) or leave it out. Thread-safe.
#pragma once

#include <initializer_list>
#include <mutex>
#include <string>
#include <utility>

namespace mwp {

class Logger {
 public:
  explicit Logger(std::string component);
  using Fields = std::initializer_list<std::pair<const char*, std::string>>;
  void info(const std::string& message, Fields fields = {}) const;
  void warn(const std::string& message, Fields fields = {}) const;
  void error(const std::string& message, Fields fields = {}) const;

 private:
  void write(const char* level, const std::string& message, Fields fields) const;
  std::string component_;
};

// JSON string escaping for log lines and small hand-built documents.
std::string jsonQuote(const std::string& text);

}  // namespace mwp
