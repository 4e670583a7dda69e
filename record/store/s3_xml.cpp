#include "record/store/s3_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <charconv>
#include <ctime>
#include <memory>

namespace rc::record::s3xml {
namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

Doc readDoc(std::string_view xml) {
  if (xml.size() > (64u << 20)) return nullptr;
  // XML_PARSE_NONET: never fetch external entities; no entity substitution (XXE-safe).
  return Doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "s3.xml", nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

bool named(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

std::string text(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}

const xmlNode* child(const xmlNode* parent, const char* name) {
  for (const xmlNode* c = parent ? parent->children : nullptr; c; c = c->next) {
    if (named(c, name)) return c;
  }
  return nullptr;
}

std::string childText(const xmlNode* parent, const char* name) {
  const xmlNode* c = child(parent, name);
  return c ? text(c) : std::string();
}

uint64_t toU64(const std::string& s) {
  uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

int64_t parseIsoTimeMs(std::string_view t) {
  struct tm tm {};
  int ms = 0;
  std::string s(t.substr(0, 40));
  int n = sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms);
  if (n < 6) return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + (n == 7 ? ms : 0);
}

ListPage parseListObjectsV2(std::string_view xml) {
  ListPage page;
  Doc doc = readDoc(xml);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root || !named(root, "ListBucketResult")) return page;
  page.ok = true;
  for (const xmlNode* c = root->children; c; c = c->next) {
    if (!named(c, "Contents")) continue;
    ListedObject o{childText(c, "Key"), toU64(childText(c, "Size")),
                   parseIsoTimeMs(childText(c, "LastModified"))};
    if (!o.key.empty()) page.objects.push_back(std::move(o));
  }
  page.truncated = childText(root, "IsTruncated") == "true";
  page.nextToken = childText(root, "NextContinuationToken");
  return page;
}

std::optional<std::string> parseUploadId(std::string_view xml) {
  Doc doc = readDoc(xml);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root || !named(root, "InitiateMultipartUploadResult")) return std::nullopt;
  std::string id = childText(root, "UploadId");
  if (id.empty()) return std::nullopt;
  return id;
}

std::string parseErrorCode(std::string_view xml) {
  Doc doc = readDoc(xml);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root || !named(root, "Error")) return {};
  return childText(root, "Code");
}

std::string completeBody(const std::vector<std::string>& etags) {
  std::string body = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>";
    for (char c : etags[i]) {  // ETags are quoted hex; escape anyway
      if (c == '<')
        body += "&lt;";
      else if (c == '&')
        body += "&amp;";
      else
        body += c;
    }
    body += "</ETag></Part>";
  }
  return body + "</CompleteMultipartUpload>";
}

}  // namespace rc::record::s3xml
