#include "record/store/journal.h"

#include <charconv>
#include <map>

#include "record/store/sigv4.h"

namespace rc::record {
namespace {

std::string enc(const std::string& v) {
  return sigv4::uriEncode(v, false);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string dec(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size()) {
      int hi = hexValue(v[i + 1]), lo = hexValue(v[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(v[i]);
  }
  return out;
}

uint64_t num(const std::map<std::string, std::string>& f, const char* name, bool& ok) {
  auto it = f.find(name);
  uint64_t v = 0;
  if (it == f.end()) {
    ok = false;
    return 0;
  }
  const std::string& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) ok = false;
  return v;
}

// "verb a=1 b=2" -> verb, {a:1, b:2} (values decoded).
std::string splitLine(std::string_view line, std::map<std::string, std::string>& fields) {
  size_t sp = line.find(' ');
  std::string verb(line.substr(0, sp));
  while (sp != std::string_view::npos) {
    size_t start = sp + 1;
    sp = line.find(' ', start);
    std::string_view tok = line.substr(start, sp == std::string_view::npos ? sp : sp - start);
    size_t eq = tok.find('=');
    if (eq != std::string_view::npos)
      fields[std::string(tok.substr(0, eq))] = dec(tok.substr(eq + 1));
  }
  return verb;
}

void applyHeader(const std::map<std::string, std::string>& f, JournalState& s) {
  auto get = [&](const char* k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  s.valid = !get("key").empty();
  s.local = get("mode") == "local";
  s.key = get("key");
  s.contentType = get("ctype");
  s.bucket = get("bucket");
  s.region = get("region");
  s.endpoint = get("endpoint");
  s.pathStyle = get("path_style") == "1";
}

void applyLine(std::string_view line, JournalState& s) {
  std::map<std::string, std::string> f;
  std::string verb = splitLine(line, f);
  bool ok = true;
  if (verb == "rcj1") {
    applyHeader(f, s);
  } else if (verb == "upload" && f.count("id") && !f["id"].empty()) {
    s.uploadId = f["id"];
    s.parts.clear();
  } else if (verb == "part") {
    JournalPart p{static_cast<int>(num(f, "n", ok)), num(f, "offset", ok), num(f, "length", ok),
                  f["etag"]};
    // Parts are numbered 1..n in order (AWS: part numbers 1..10000).
    if (ok && p.number == static_cast<int>(s.parts.size()) + 1 && p.number <= 10000) {
      s.parts.push_back(std::move(p));
    }
  } else if (verb == "cut") {
    uint64_t o = num(f, "offset", ok);
    if (ok && o > s.cutOffset) {
      s.cutOffset = o;
      if (s.cuts.size() < 1'000'000) s.cuts.push_back(o);
    }
  } else if (verb == "finish") {
    uint64_t o = num(f, "offset", ok);
    if (ok) s.finishOffset = o;
  }
}

}  // namespace

JournalState parseJournal(std::string_view text) {
  JournalState s;
  size_t pos = 0;
  bool first = true;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;  // torn tail
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (first && line.rfind("rcj1 ", 0) != 0) return s;  // not a journal
    first = false;
    applyLine(line, s);
  }
  return s;
}

std::string journalHeader(const JournalState& s) {
  return "rcj1 mode=" + std::string(s.local ? "local" : "s3") + " key=" + enc(s.key) +
         " ctype=" + enc(s.contentType) + " bucket=" + enc(s.bucket) + " region=" + enc(s.region) +
         " endpoint=" + enc(s.endpoint) + " path_style=" + (s.pathStyle ? "1" : "0") + "\n";
}

std::string journalUpload(const std::string& id) {
  return "upload id=" + enc(id) + "\n";
}

std::string journalPart(const JournalPart& p) {
  return "part n=" + std::to_string(p.number) + " offset=" + std::to_string(p.offset) +
         " length=" + std::to_string(p.length) + " etag=" + enc(p.etag) + "\n";
}

std::string journalCut(uint64_t o) {
  return "cut offset=" + std::to_string(o) + "\n";
}
std::string journalFinish(uint64_t o) {
  return "finish offset=" + std::to_string(o) + "\n";
}

std::vector<JournalPart> keptParts(const JournalState& s, uint64_t end) {
  std::vector<JournalPart> kept;
  uint64_t next = 0;
  for (const auto& p : s.parts) {
    if (p.offset != next || p.offset + p.length > end) break;
    kept.push_back(p);
    next = p.offset + p.length;
  }
  return kept;
}

}  // namespace rc::record
