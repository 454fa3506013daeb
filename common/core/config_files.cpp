#include "config_files.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace mwp {

std::string readTextFile(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read " + what + " " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void forEachConfigLine(const std::string& text, size_t wordsWanted,
                       const std::function<void(int, const std::vector<std::string>&)>& each) {
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    // A comment starts at a '#' that begins a word: Z85 keys may hold '#' inside.
    size_t hash = 0;
    while ((hash = line.find('#', hash)) != std::string::npos && hash > 0 &&
           !std::isspace(static_cast<unsigned char>(line[hash - 1]))) {
      ++hash;
    }
    std::istringstream in(line.substr(0, hash));
    std::vector<std::string> words(wordsWanted);
    for (auto& w : words) in >> w;
    if (!words.empty() && !words[0].empty()) each(number, words);
  }
}

}  // namespace mwp
