#include "tuning/profile.h"

#include <charconv>
#include <set>

namespace rc::tuning {
namespace {

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// "# why: text" -> "text" when the comment starts with `tag`, nullopt otherwise.
std::optional<std::string_view> tagValue(std::string_view comment, std::string_view tag) {
  std::string_view body = trim(comment.substr(1));
  if (!body.starts_with(tag) || body.size() <= tag.size() || body[tag.size()] != ':') {
    return std::nullopt;
  }
  return trim(body.substr(tag.size() + 1));
}

// Tags gathered from the comment block above the next setting.
struct PendingTags {
  std::string why;
  std::optional<Rule> rule;
};

struct Parser {
  const std::string& source;
  Profile& profile;
  PendingTags pending;
  std::set<std::string> seen;
  int lineNo = 0;

  [[noreturn]] void fail(const std::string& msg) const {
    throw ProfileError(source + ":" + std::to_string(lineNo) + ": " + msg);
  }

  void comment(std::string_view line) {
    if (auto v = tagValue(line, "why")) pending.why = std::string(*v);
    if (auto v = tagValue(line, "description"); v && profile.settings.empty()) {
      profile.description = std::string(*v);
    }
    if (auto v = tagValue(line, "check")) {
      if (*v == "min")
        pending.rule = Rule::Min;
      else if (*v == "exact")
        pending.rule = Rule::Exact;
      else if (*v == "max")
        pending.rule = Rule::Max;
      else
        fail("unknown check rule '" + std::string(*v) + "' (min, exact or max)");
    }
  }

  void setting(std::string_view line) {
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) fail("expected 'key = value'");
    Setting s;
    std::string_view key = trim(line.substr(0, eq));
    if (key.starts_with('-')) {
      s.optional = true;
      key = trim(key.substr(1));
    }
    if (key.empty() || key.find_first_of(" \t") != std::string_view::npos) fail("bad key");
    s.key = std::string(key);
    s.value = normaliseValue(line.substr(eq + 1));
    if (s.value.empty()) fail("'" + s.key + "' has no value");
    if (!seen.insert(s.key).second) fail("'" + s.key + "' is set twice");
    s.rule = pending.rule.value_or(Rule::Exact);
    if (s.rule != Rule::Exact && !parseIntegers(s.value)) {
      fail("'" + s.key + "': check min/max needs integer values");
    }
    s.why = pending.why;
    s.line = lineNo;
    profile.settings.push_back(std::move(s));
    pending = {};
  }

  void line(std::string_view raw) {
    ++lineNo;
    std::string_view l = trim(raw);
    if (l.empty()) {
      pending = {};  // a blank line ends the comment block
    } else if (l[0] == '#' || l[0] == ';') {
      comment(l);
    } else {
      setting(l);
    }
  }
};

}  // namespace

Profile parseProfile(std::string_view text, const std::string& name, const std::string& source) {
  Profile profile;
  profile.name = name;
  profile.source = source;
  profile.text = std::string(text);
  Parser parser{source, profile, {}, {}, 0};
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    parser.line(text.substr(pos, end - pos));
    pos = end + 1;
  }
  if (profile.settings.empty()) throw ProfileError(source + ": no settings");
  return profile;
}

std::optional<std::vector<int64_t>> parseIntegers(std::string_view value) {
  std::vector<int64_t> out;
  std::string norm = normaliseValue(value);
  std::string_view rest = norm;
  while (!rest.empty()) {
    size_t sp = rest.find(' ');
    std::string_view word = rest.substr(0, sp);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
    if (ec != std::errc() || p != word.data() + word.size()) return std::nullopt;
    out.push_back(v);
    rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string normaliseValue(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

const char* ruleName(Rule rule) {
  switch (rule) {
    case Rule::Min:
      return "min";
    case Rule::Max:
      return "max";
    case Rule::Exact:
      break;
  }
  return "exact";
}

const char* ruleSymbol(Rule rule) {
  switch (rule) {
    case Rule::Min:
      return ">=";
    case Rule::Max:
      return "<=";
    case Rule::Exact:
      break;
  }
  return "=";
}

}  // namespace rc::tuning
