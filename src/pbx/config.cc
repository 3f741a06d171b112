#include "pbx/config.h"

#include <toml++/toml.h>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace tapir::pbx {

namespace {

constexpr std::size_t kMaxConfigBytes = 16 << 20;
constexpr std::size_t kMaxRange = 1'000'000;

// Builds "file:line:col: message" errors.
class Errors {
 public:
  explicit Errors(std::string_view source) : source_(source) {}
  Status at(const toml::node& n, const std::string& message) const {
    const auto& pos = n.source().begin;
    return Status(Code::kInvalidArgument, source_ + ":" + std::to_string(pos.line) + ":" +
                                              std::to_string(pos.column) + ": " + message);
  }
  Status at(const toml::source_region& r, const std::string& message) const {
    return Status(Code::kInvalidArgument, source_ + ":" + std::to_string(r.begin.line) + ":" +
                                              std::to_string(r.begin.column) + ": " + message);
  }
  Status file(const std::string& message) const {
    return Status(Code::kInvalidArgument, source_ + ": " + message);
  }

 private:
  std::string source_;
};

// Reads typed values out of one TOML table and rejects keys nobody asked for.
class Table {
 public:
  Table(const toml::table& t, const Errors& errors, std::string where)
      : t_(t), errors_(errors), where_(std::move(where)) {}

  // Fails on the first key that was never looked up.
  Status finish() const {
    for (const auto& [key, node] : t_) {
      (void)node;
      if (!seen_.count(std::string(key.str())))
        return errors_.at(key.source(),
                          "unknown key '" + std::string(key.str()) + "' in " + where_);
    }
    return Status();
  }

  const toml::node* get(const std::string& key) {
    seen_.insert(key);
    return t_.get(key);
  }

  Status string(const std::string& key, std::string& out) {
    const toml::node* n = get(key);
    if (n == nullptr) return Status();
    if (!n->is_string()) return errors_.at(*n, "'" + key + "' must be a string");
    out = n->as_string()->get();
    if (out.size() > 256) return errors_.at(*n, "'" + key + "' is longer than 256 characters");
    return Status();
  }

  Status number(const std::string& key, std::uint32_t& out, std::uint32_t min, std::uint32_t max) {
    const toml::node* n = get(key);
    if (n == nullptr) return Status();
    if (!n->is_integer()) return errors_.at(*n, "'" + key + "' must be a whole number");
    const std::int64_t v = n->as_integer()->get();
    if (v < min || v > max)
      return errors_.at(
          *n, "'" + key + "' must be from " + std::to_string(min) + " to " + std::to_string(max));
    out = static_cast<std::uint32_t>(v);
    return Status();
  }

  Status boolean(const std::string& key, bool& out) {
    const toml::node* n = get(key);
    if (n == nullptr) return Status();
    if (!n->is_boolean()) return errors_.at(*n, "'" + key + "' must be true or false");
    out = n->as_boolean()->get();
    return Status();
  }

  // A duration string ("6s"), or "off" when allowed (gives zero).
  Status duration(const std::string& key, Duration& out, bool offAllowed = false) {
    const toml::node* n = get(key);
    if (n == nullptr) return Status();
    if (!n->is_string())
      return errors_.at(*n, "'" + key + "' must be a duration string such as \"6s\"");
    const std::string text = n->as_string()->get();
    if (offAllowed && text == "off") {
      out = Duration::zero();
      return Status();
    }
    auto d = sim::parseDuration(text);
    if (!d) return errors_.at(*n, "'" + key + "': " + d.status().message());
    out = *d;
    return Status();
  }

  // A list of strings; a single string is a list of one.
  Status strings(const std::string& key, std::vector<std::string>& out,
                 const toml::node** where = nullptr) {
    const toml::node* n = get(key);
    if (where) *where = n;
    if (n == nullptr) return Status();
    out.clear();
    if (n->is_string()) {
      out.push_back(n->as_string()->get());
      return Status();
    }
    if (!n->is_array())
      return errors_.at(*n, "'" + key + "' must be a string or a list of strings");
    for (const toml::node& e : *n->as_array()) {
      if (!e.is_string()) return errors_.at(e, "'" + key + "' must hold strings only");
      out.push_back(e.as_string()->get());
    }
    return Status();
  }

  Status script(const std::string& key, sim::Script& out) {
    std::vector<std::string> steps;
    const toml::node* where = nullptr;
    if (Status st = strings(key, steps, &where); !st) return st;
    if (where == nullptr) return Status();
    auto parsed = sim::parseScript(steps);
    if (!parsed) return errors_.at(*where, "'" + key + "': " + parsed.status().message());
    out = std::move(*parsed);
    return Status();
  }

  // An array of tables, each handed to `f`.
  template <class F>
  Status tables(const std::string& key, F&& f) {
    const toml::node* n = get(key);
    if (n == nullptr) return Status();
    if (!n->is_array_of_tables())
      return errors_.at(*n, "'" + key + "' must be written as [[" + key + "]] sections");
    for (const toml::node& e : *n->as_array()) {
      if (Status st = f(*e.as_table()); !st) return st;
    }
    return Status();
  }

  const toml::table* table(const std::string& key, Status& status) {
    const toml::node* n = get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) {
      status = errors_.at(*n, "'" + key + "' must be a [" + key + "] section");
      return nullptr;
    }
    return n->as_table();
  }

 private:
  const toml::table& t_;
  const Errors& errors_;
  std::string where_;
  std::set<std::string> seen_;
};

Result<StationOp> stationOpByName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(StationOp::kForward); ++i) {
    auto op = static_cast<StationOp>(i);
    if (stationOpName(op) == name) return op;
  }
  return Status(Code::kInvalidArgument, "'" + std::string(name) + "' is not a phone operation");
}

#define TRY(expr)                           \
  do {                                      \
    if (Status _s = (expr); !_s) return _s; \
  } while (0)

}  // namespace

Result<std::vector<std::string>> expandNumberRange(std::string_view text) {
  auto isDigits = [](std::string_view s) {
    return !s.empty() && s.size() <= 18 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!isDigits(text))
      return Status(Code::kInvalidArgument, "'" + std::string(text) + "' is not a number");
    return std::vector<std::string>{std::string(text)};
  }
  const std::string_view a = text.substr(0, dash);
  const std::string_view b = text.substr(dash + 1);
  if (!isDigits(a) || !isDigits(b) || a.size() != b.size())
    return Status(Code::kInvalidArgument,
                  "'" + std::string(text) + "' is not a range like 201-208");
  std::uint64_t from = 0, to = 0;
  std::from_chars(a.data(), a.data() + a.size(), from);
  std::from_chars(b.data(), b.data() + b.size(), to);
  if (to < from)
    return Status(Code::kInvalidArgument, "range '" + std::string(text) + "' runs backwards");
  if (to - from >= kMaxRange)
    return Status(Code::kInvalidArgument, "range '" + std::string(text) + "' is too long");
  std::vector<std::string> out;
  for (std::uint64_t n = from; n <= to; ++n) {
    std::string s = std::to_string(n);
    s.insert(0, a.size() - s.size(), '0');
    out.push_back(std::move(s));
  }
  return out;
}

Result<PbxConfig> parseConfig(std::string_view text, std::string_view sourceName) {
  Errors errors(sourceName);
  if (text.size() > kMaxConfigBytes) return errors.file("larger than 16 MiB");
  toml::table root;
  try {
    root = toml::parse(text, sourceName);
  } catch (const toml::parse_error& e) {
    return errors.at(e.source(), std::string(e.description()));
  }

  PbxConfig cfg;
  SwitchConfig& sw = cfg.sw;
  Table top(root, errors, "the top level");
  Status sectionStatus;

  if (const toml::table* t = top.table("switch", sectionStatus)) {
    Table s(*t, errors, "[switch]");
    TRY(s.string("name", sw.name));
    TRY(s.duration("ring_period", sw.ringPeriod));
    TRY(s.number("max_calls_per_address", sw.maxCallsPerAddress, 2, 64));
    TRY(s.number("conference_max", sw.conferenceMax, 3, 64));
    TRY(s.number("no_answer_rings", sw.defaultNoAnswerRings, 1, 15));
    TRY(s.number("max_forward_hops", sw.maxForwardHops, 1, 32));
    TRY(s.number("max_completions", sw.maxCompletionsPerLine, 1, 64));
    TRY(s.duration("callback_expiry", sw.callbackExpiry));
    const toml::node* msgs = nullptr;
    TRY(s.strings("completion_messages", sw.completionMessages, &msgs));
    if (msgs && sw.completionMessages.size() > 32)
      return errors.at(*msgs, "at most 32 completion messages");
    TRY(s.finish());
  }
  TRY(sectionStatus);

  if (const toml::table* t = top.table("park", sectionStatus)) {
    Table p(*t, errors, "[park]");
    std::vector<std::string> ranges;
    const toml::node* where = nullptr;
    TRY(p.strings("orbits", ranges, &where));
    for (const std::string& r : ranges) {
      auto numbers = expandNumberRange(r);
      if (!numbers) return errors.at(*where, "'orbits': " + numbers.status().message());
      sw.parkOrbits.insert(sw.parkOrbits.end(), numbers->begin(), numbers->end());
    }
    TRY(p.duration("recall_after", sw.parkRecall, /*offAllowed=*/true));
    TRY(p.finish());
  }
  TRY(sectionStatus);

  if (const toml::table* t = top.table("outside", sectionStatus)) {
    Table o(*t, errors, "[outside]");
    TRY(o.string("prefix", sw.outsidePrefix));
    TRY(o.number("min_digits", sw.outsideMinDigits, 1, 30));
    TRY(o.number("max_digits", sw.outsideMaxDigits, 1, 30));
    if (sw.outsideMaxDigits < sw.outsideMinDigits)
      return errors.at(*t, "[outside] max_digits is below min_digits");
    TRY(o.script("default", cfg.world.defaultScript));
    TRY(o.tables("number", [&](const toml::table& nt) -> Status {
      Table n(nt, errors, "[[outside.number]]");
      sim::OutsideNumber num;
      TRY(n.string("number", num.number));
      if (num.number.empty()) return errors.at(nt, "[[outside.number]] needs a 'number'");
      TRY(n.string("name", num.name));
      TRY(n.script("script", num.script));
      TRY(n.finish());
      cfg.world.numbers.push_back(std::move(num));
      return Status();
    }));
    TRY(o.finish());
  }
  TRY(sectionStatus);

  std::map<std::string, std::size_t> stationIndex;
  TRY(top.tables("station", [&](const toml::table& st) -> Status {
    Table s(st, errors, "[[station]]");
    std::string numbers;
    TRY(s.string("number", numbers));
    if (numbers.empty())
      return errors.at(st, "[[station]] needs a 'number' (or a range like \"201-208\")");
    auto list = expandNumberRange(numbers);
    if (!list) return errors.at(st, list.status().message());
    StationConfig base;
    TRY(s.string("name", base.name));
    std::vector<std::string> extra;
    const toml::node* extraAt = nullptr;
    TRY(s.strings("addresses", extra, &extraAt));
    if (extraAt && list->size() > 1)
      return errors.at(*extraAt, "'addresses' needs a single station, not a range");
    base.extraAddresses = extra;
    TRY(s.number("busy_trigger", base.busyTrigger, 1, 64));
    sim::StationBehavior behavior;
    TRY(s.script("script", behavior.script));
    TRY(s.duration("delay", behavior.delay));
    std::vector<std::string> fails;
    const toml::node* failAt = nullptr;
    TRY(s.strings("fail", fails, &failAt));
    for (const std::string& f : fails) {
      auto op = stationOpByName(f);
      if (!op) return errors.at(*failAt, "'fail': " + op.status().message());
      behavior.fail.push_back(*op);
    }
    TRY(s.boolean("out_of_order", behavior.outOfOrder));
    TRY(s.finish());
    for (const std::string& n : *list) {
      StationConfig sc = base;
      sc.number = n;
      if (!base.name.empty() && list->size() > 1) sc.name = base.name + " " + n;
      if (!stationIndex.emplace(n, sw.stations.size()).second)
        return errors.at(st, "station " + n + " is configured twice");
      sw.stations.push_back(std::move(sc));
      cfg.behaviors.push_back(behavior);
    }
    return Status();
  }));

  TRY(top.tables("pickup_group", [&](const toml::table& gt) -> Status {
    Table g(gt, errors, "[[pickup_group]]");
    std::uint32_t id = 0;
    TRY(g.number("id", id, 1, 1'000'000));
    if (id == 0) return errors.at(gt, "[[pickup_group]] needs an 'id'");
    std::vector<std::string> ranges;
    const toml::node* where = nullptr;
    TRY(g.strings("members", ranges, &where));
    TRY(g.finish());
    for (const std::string& r : ranges) {
      auto numbers = expandNumberRange(r);
      if (!numbers) return errors.at(*where, "'members': " + numbers.status().message());
      for (const std::string& n : *numbers) {
        auto it = stationIndex.find(n);
        if (it == stationIndex.end())
          return errors.at(*where, "'members': " + n + " is not a station");
        StationConfig& sc = sw.stations[it->second];
        if (sc.pickupGroup != 0 && sc.pickupGroup != id)
          return errors.at(*where, "station " + n + " is already in pickup group " +
                                       std::to_string(sc.pickupGroup));
        sc.pickupGroup = id;
      }
    }
    return Status();
  }));
  // [server] belongs to tapird (its listeners, tokens), which reads it itself.
  (void)top.get("server");
  TRY(top.finish());
  if (sw.stations.empty()) return errors.file("no [[station]] configured");
  return cfg;
}

Result<std::string> readConfigText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kNotFound, path + ": cannot open the file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (buf.str().size() > kMaxConfigBytes)
    return Status(Code::kInvalidArgument, path + ": larger than 16 MiB");
  return buf.str();
}

Result<PbxConfig> loadConfigFile(const std::string& path) {
  auto text = readConfigText(path);
  if (!text) return text.status();
  return parseConfig(*text, path);
}

}  // namespace tapir::pbx
