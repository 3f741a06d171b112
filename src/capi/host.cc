#include "capi/host.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "capi/remote_api.h"
#include "dialing/dialing.h"
#include "pbx/builtin_config.h"
#include "pbx/config.h"
#include "pbx/virtual/outside_parties.h"

namespace tapir::capi {

namespace {

std::mutex gHostMu;
std::shared_ptr<Host> gHost;
int gUsers = 0;

// lineSetAppPriority's lists by media mode (0: assisted telephony), highest
// priority first, as the service keeps them.
std::mutex gPriorityMu;
std::map<std::uint32_t, std::vector<std::string>>& priorities() {
  static auto* lists = new std::map<std::uint32_t, std::vector<std::string>>();  // never destroyed,
  return *lists;  // like the applications: shutdowns may run from static destructors
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// The dialing locations: TAPIR_LOCATIONS, else the user's file, else the
// system default, else the Demo location built into the library.
Result<std::pair<dialing::DialingConfig, std::string>> loadLocations() {
  const auto& countries = dialing::CountryTable::builtin();
  if (std::string path = env("TAPIR_LOCATIONS"); !path.empty()) {
    auto cfg = dialing::loadDialingConfig(path, countries);
    if (cfg) return std::pair{std::move(*cfg), path};
    if (cfg.status().code() != Code::kNotFound) return cfg.status();
    // Not there yet: start from the built-in locations, saved there later.
    auto builtin =
        dialing::parseDialingConfig(kBuiltinLocations, "built-in locations.toml", countries);
    if (!builtin) return builtin.status();
    return std::pair{std::move(*builtin), path};
  }
  const dialing::ConfigPaths paths = dialing::configPathsFromEnvironment();
  auto loaded = dialing::loadConfig(paths, countries);
  if (!loaded) return loaded.status();
  if (!loaded->path.empty()) return std::pair{std::move(loaded->config), paths.user};
  auto builtin =
      dialing::parseDialingConfig(kBuiltinLocations, "built-in locations.toml", countries);
  if (!builtin) return builtin.status();
  return std::pair{std::move(*builtin), paths.user};
}

// The in-process switch's simulated world.
class LocalSim final : public SimControl {
 public:
  LocalSim(ThreadLoop& loop, pbx::sim::VirtualPbx& pbx) : loop_(loop), parties_(pbx.world()) {}

  Status advance(std::chrono::milliseconds d) override {
    if (!loop_.manualTime())
      return Status(Fault::kOperationUnavail, "switch time is not manual (TAPIR_CLOCK)");
    loop_.advance(d);
    return Status();
  }
  Status settle() override {
    loop_.sync();
    return Status();
  }
  Result<std::uint32_t> incomingCall(const PartyId& from, const std::string& to,
                                     const std::string& script) override {
    std::lock_guard lock(loop_.mutex());
    return parties_.call(from, to, script);
  }
  Status farEnd(std::uint32_t id, const std::string& action) override {
    std::lock_guard lock(loop_.mutex());
    return parties_.act(id, action);
  }

 private:
  ThreadLoop& loop_;
  pbx::sim::OutsideParties parties_;  // under the loop's lock
};

}  // namespace

Result<std::unique_ptr<Host>> Host::start() {
  auto locations = loadLocations();
  if (!locations) return locations.status();
  std::unique_ptr<Host> host(new Host());
  const std::string server = env("TAPIR_SERVER");
  Status st = server.empty() ? host->startInProcess() : host->startRemote(server);
  if (!st) return st;
  host->dialing_ = std::make_unique<dialing::Engine>(dialing::CountryTable::builtin());
  if (Status s = host->dialing_->setConfig(std::move(locations->first)); !s) return s;
  host->locationsPath_ = locations->second;
  return host;
}

Status Host::startInProcess() {
  pbx::PbxConfig config;
  if (std::string path = env("TAPIR_CONFIG"); !path.empty()) {
    auto cfg = pbx::loadConfigFile(path);
    if (!cfg) return cfg.status();
    config = std::move(*cfg);
  } else {
    auto cfg = pbx::parseConfig(kBuiltinDemoConfig, "built-in demo.toml");
    if (!cfg) return cfg.status();
    config = std::move(*cfg);
  }
  double speed = 1.0;
  if (env("TAPIR_CLOCK") == "manual") {
    speed = 0;
  } else if (std::string s = env("TAPIR_SPEED"); !s.empty()) {
    char* end = nullptr;
    speed = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0' || !(speed > 0) || speed > 1e6)
      return Status(Code::kInvalidArgument, "TAPIR_SPEED must be a positive number");
  }
  loop_ = std::make_unique<ThreadLoop>(speed);
  std::lock_guard lock(loop_->mutex());
  auto pbx = pbx::sim::VirtualPbx::create(*loop_, std::move(config));
  if (!pbx) return pbx.status();
  pbx_ = std::move(*pbx);
  service_ = std::make_unique<service::Service>(*loop_, pbx_->sw());
  {
    // The priorities set while earlier services ran, lowest first so that
    // each list ends in the same order.
    std::lock_guard plock(gPriorityMu);
    for (const auto& [mediaMode, modules] : priorities()) {
      const std::uint32_t requestMode = mediaMode == 0 ? 1u : 0u;  // LINEREQUESTMODE_MAKECALL
      for (auto it = modules.rbegin(); it != modules.rend(); ++it)
        (void)service_->setAppPriority(*it, mediaMode, requestMode, 1);
    }
  }
  api_ = service_.get();
  sim_ = std::make_unique<LocalSim>(*loop_, *pbx_);
  return Status();
}

// The server keeps the priority lists itself (for all its clients): nothing
// is replayed to it. TAPIR_CONFIG, TAPIR_CLOCK and TAPIR_SPEED are the
// server's business there.
Status Host::startRemote(const std::string& server) {
  loop_ = std::make_unique<ThreadLoop>(1.0);  // runs deliveries only, no timers
  auto remote = RemoteApi::connect(server, env("TAPIR_TOKEN"), *loop_);
  if (!remote) return remote.status();
  remote_ = std::move(*remote);
  api_ = remote_.get();
  sim_ = remote_->simControl();
  return Status();
}

// The loop stops first: nothing it still holds may run against objects
// being destroyed; then the service and switch (or the connection) go, then
// the loop.
Host::~Host() {
  if (!loop_) return;
  loop_->stop();
  sim_.reset();
  api_ = nullptr;
  remote_.reset();  // closes the connection: the server shuts our applications down
  service_.reset();
  pbx_.reset();
  dialing_.reset();
  loop_.reset();
}

std::string programName() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    buf[n] = '\0';
    const char* slash = std::strrchr(buf, '/');
    return slash ? slash + 1 : buf;
  }
  return program_invocation_short_name;
}

Result<std::shared_ptr<Host>> Host::acquire() {
  std::lock_guard lock(gHostMu);
  if (!gHost) {
    auto host = start();
    if (!host) {
      // To stderr, not through the application's default logger (stdout).
      static spdlog::logger log("tapir", std::make_shared<spdlog::sinks::stderr_sink_mt>());
      log.error("cannot start the telephony service: {}", host.status().message());
      return host.status();
    }
    gHost = std::move(*host);
  }
  ++gUsers;
  return gHost;
}

void Host::release() {
  std::shared_ptr<Host> last;
  {
    std::lock_guard lock(gHostMu);
    if (gUsers == 0) return;
    if (--gUsers == 0) last = std::move(gHost);
  }
  // Destroyed outside gHostMu; other holders of the pointer keep it alive.
}

void Host::rememberPriority(const std::string& module, std::uint32_t mediaMode,
                            std::uint32_t priority) {
  std::lock_guard lock(gPriorityMu);
  auto& modules = priorities()[mediaMode];
  std::erase_if(modules,
                [&](const std::string& m) { return strcasecmp(m.c_str(), module.c_str()) == 0; });
  if (priority == 1) modules.insert(modules.begin(), module);
}

std::shared_ptr<Host> Host::current() {
  std::lock_guard lock(gHostMu);
  return gHost;
}

}  // namespace tapir::capi
