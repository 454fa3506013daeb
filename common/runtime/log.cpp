#include "log.h"

#include <chrono>
#include <cstdio>

namespace mwp {
namespace {
std::mutex& writeMutex() {
  static std::mutex m;
  return m;
}
}  // namespace

Logger::Logger(std::string component) : component_(std::move(component)) {}

void Logger::info(const std::string& message, Fields fields) const {
  write("info", message, fields);
}
void Logger::warn(const std::string& message, Fields fields) const {
  write("warn", message, fields);
}
void Logger::error(const std::string& message, Fields fields) const {
  write("error", message, fields);
}

void Logger::write(const char* level, const std::string& message, Fields fields) const {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  std::string line = "{\"ts\":" + std::to_string(ms / 1000) + "." +
                     std::to_string(1000 + ms % 1000).substr(1) + ",\"level\":\"" + level +
                     "\",\"component\":" + jsonQuote(component_) + ",\"msg\":" + jsonQuote(message);
  for (const auto& [key, value] : fields) line += "," + jsonQuote(key) + ":" + jsonQuote(value);
  line += "}\n";
  std::lock_guard lock(writeMutex());
  fputs(line.c_str(), stderr);
}

std::string jsonQuote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace mwp
