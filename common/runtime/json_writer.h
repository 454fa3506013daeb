// Writes a JSON document into a string as it goes: the commas and the quoting are here, once, so
// that no caller builds JSON by concatenating strings. Not thread-safe: one writer per document.
//
//   JsonWriter w;
//   w.beginObject().field("eventId", id).key("stored").null().endObject();
//   w.str();  // {"eventId":"…","stored":null}
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace mwp {

class JsonWriter {
 public:
  JsonWriter& beginObject() { return open('{'); }
  JsonWriter& endObject() { return close('}'); }
  JsonWriter& beginArray() { return open('['); }
  JsonWriter& endArray() { return close(']'); }
  // The name of the next member of the object being written.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);  // quoted and escaped
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool b);
  JsonWriter& value(double number);  // as printf's %g would write it: 0.333333, 10000
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonWriter& value(T number) {
    separate();
    out_ += std::to_string(number);
    return *this;
  }
  JsonWriter& null();
  // A JSON value made elsewhere (a service's section, already JSON), written as it is: the caller
  // vouches that it is one well-formed value.
  JsonWriter& raw(std::string_view json);

  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    return key(name).value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();  // the comma before every value but the first of its object or array
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);

  std::string out_;
  bool needsComma_ = false;
  bool afterKey_ = false;
};

}  // namespace mwp
