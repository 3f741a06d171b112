// Telephony (ITTAPI) and Address (ITAddress, ITAddressCapabilities,
// ITAddressTranslation).
#include "capi/host.h"
#include "cxx/core.h"
#include "cxx/mapping.h"
#include "dialing/dialing.h"

namespace tapir {

using detail::AddressRef;
using detail::Core;
using service::Api;

namespace {

Status stale() {
  return Status(Fault::kUninitialized, "the Telephony object was shut down");
}
Status noAddress() {
  return Status(Fault::kBadAddressId, "an empty Address object");
}

Result<std::shared_ptr<Core>> coreOf(const std::shared_ptr<const AddressRef>& ref) {
  if (!ref) return noAddress();
  auto core = ref->core.lock();
  if (!core || !core->alive()) return stale();
  return core;
}

}  // namespace

// ---- Address ------------------------------------------------------------------------------

bool operator==(const Address& a, const Address& b) noexcept {
  return a.ref_ == b.ref_;
}

std::uint32_t Address::deviceId() const {
  return ref_ ? ref_->deviceId : 0;
}
std::uint32_t Address::addressId() const {
  return ref_ ? ref_->addressId : 0;
}
std::string Address::name() const {
  return ref_ ? ref_->name : std::string();
}
std::string Address::dialableAddress() const {
  return ref_ ? ref_->dialable : std::string();
}

Result<AddressStatus> Address::status() const {
  auto core = coreOf(ref_);
  if (!core) return core.status();
  return (*core)->withApi([&](Api& api) -> Result<AddressStatus> {
    auto line = (*core)->lineFor(api, *ref_);
    if (!line) return line.status();
    return api.addressStatus(*line, ref_->addressId);
  });
}

Address::State Address::state() const {
  auto core = coreOf(ref_);
  if (!core) return State::kOutOfService;
  auto flags = (*core)->withApi([&](Api& api) -> Result<std::uint32_t> {
    auto line = (*core)->lineFor(api, *ref_);
    if (!line) return line.status();
    auto st = api.lineDevStatus(*line);
    if (!st) return st.status();
    return st->status.devStatusFlags;
  });
  return flags && (*flags & line_status_flag::kInService) ? State::kInService
                                                          : State::kOutOfService;
}

Result<AddressCapabilities> Address::capabilities() const {
  auto core = coreOf(ref_);
  if (!core) return core.status();
  return (*core)->withApi([&](Api& api) -> Result<AddressCapabilities> {
    auto line = api.devCaps((*core)->app(), ref_->deviceId, ref_->apiVersion);
    if (!line) return line.status();
    auto address =
        api.addressCaps((*core)->app(), ref_->deviceId, ref_->addressId, ref_->apiVersion);
    if (!address) return address.status();
    AddressCapabilities out;
    out.line = std::move(*line);
    out.line.addresses.clear();
    out.address = std::move(*address);
    out.mediaTypes = detail::fromMediaModes(out.line.mediaModes);
    return out;
  });
}

Result<Call> Address::createCall(std::string_view destination, std::uint32_t mediaTypes) const {
  auto core = coreOf(ref_);
  if (!core) return core.status();
  if (mediaTypes == 0 || (mediaTypes & ~detail::kKnownMediaTypes))
    return Status(Fault::kBadMediaMode, "unknown media types");
  if (detail::callMediaMode(mediaTypes, ref_->lineMediaModes) == 0)
    return Status(Fault::kBadMediaMode, "the address handles none of those media types");
  auto impl = std::make_shared<detail::CallImpl>(ref_->core, ref_);
  impl->destination = std::string(destination);
  impl->mediaTypes = mediaTypes;
  return Core::makeCall(std::move(impl));
}

std::vector<Call> Address::calls() const {
  if (!ref_) return {};
  auto core = ref_->core.lock();
  return core ? core->calls(ref_.get()) : std::vector<Call>();
}

Status Address::forward(const ForwardInfo& info) const {
  auto core = coreOf(ref_);
  if (!core) return core.status();
  auto op = std::make_shared<detail::Op>();
  op->kind = OperationEvent::Operation::kForward;
  return (*core)->run(op, [&](Api& api) -> Result<std::int32_t> {
    auto line = (*core)->lineFor(api, *ref_);
    if (!line) return line.status();
    return api.forward(*line, false, ref_->addressId, info.entries, info.numRingsNoAnswer);
  });
}

Result<ForwardInfo> Address::currentForwardInfo() const {
  auto st = status();
  if (!st) return st.status();
  ForwardInfo out;
  out.numRingsNoAnswer = st->numRingsNoAnswer;
  out.entries = std::move(st->forward);
  return out;
}

namespace {

// f(engine) with the dialing-rules engine, under the host's lock.
template <class F>
auto withDialing(const std::shared_ptr<const AddressRef>& ref, F f)
    -> decltype(f(std::declval<const dialing::Engine&>())) {
  auto core = coreOf(ref);
  if (!core) return core.status();
  std::optional<decltype(f(std::declval<const dialing::Engine&>()))> out;
  Status st = (*core)->withHost([&](capi::Host& host) {
    out = host.locked([&](capi::Host::Parts& p) { return f(p.dialing); });
    return Status();
  });
  if (!st) return st;
  return std::move(*out);
}

Result<dialing::TranslateCaps> translateCaps(const std::shared_ptr<const AddressRef>& ref) {
  return withDialing(ref, [](const dialing::Engine& e) { return e.translateCaps(); });
}

}  // namespace

Result<TranslationInfo> Address::translateAddress(std::string_view address, std::uint32_t card,
                                                  std::uint32_t flags) const {
  auto out = withDialing(
      ref_, [&](const dialing::Engine& e) { return e.translate(address, card, flags); });
  if (!out) return out.status();
  return TranslationInfo{out->dialable, out->displayable, out->currentCountry, out->destCountry,
                         out->results};
}

Result<CallerIdNumber> Address::normalizeCallerId(std::string_view callerId) const {
  auto out = withDialing(
      ref_, [&](const dialing::Engine& e) { return e.normalizeIncoming(callerId); });
  if (!out) return out.status();
  return CallerIdNumber{out->e164, out->canonical, out->countryCode};
}

Result<std::vector<LocationInfo>> Address::locations() const {
  auto caps = translateCaps(ref_);
  if (!caps) return caps.status();
  std::vector<LocationInfo> out;
  for (const auto& l : caps->locations) {
    out.push_back(LocationInfo{l.permanentLocationId, l.locationName, l.countryCode, l.countryId,
                               l.cityCode, l.preferredCardId, l.localAccessCode,
                               l.longDistanceAccessCode, l.tollPrefixList, l.cancelCallWaiting,
                               l.options, l.permanentLocationId == caps->currentLocationId});
  }
  return out;
}

Result<std::vector<CallingCardInfo>> Address::callingCards() const {
  auto caps = translateCaps(ref_);
  if (!caps) return caps.status();
  std::vector<CallingCardInfo> out;
  for (const auto& c : caps->cards) {
    out.push_back(CallingCardInfo{c.permanentCardId, c.cardName, c.cardNumberDigits, c.sameAreaRule,
                                  c.longDistanceRule, c.internationalRule, c.options});
  }
  return out;
}

// ---- Telephony -------------------------------------------------------------------------------

Result<Telephony> Telephony::initialize(TelephonyOptions options) {
  auto core = Core::create(std::move(options));
  if (!core) return core.status();
  return Telephony(std::move(*core));
}

Telephony::Telephony(Telephony&&) noexcept = default;

Telephony& Telephony::operator=(Telephony&& other) noexcept {
  if (this != &other) {
    if (core_) (void)core_->shutdown();
    core_ = std::move(other.core_);
  }
  return *this;
}

Telephony::~Telephony() {
  if (core_) (void)core_->shutdown();
}

Status Telephony::shutdown() {
  return core_ ? core_->shutdown() : Status();
}

std::vector<Address> Telephony::addresses() const {
  std::vector<Address> out;
  if (!core_ || !core_->alive()) return out;
  for (const auto& ref : core_->addresses())
    out.push_back(Core::makeAddress(ref));
  return out;
}

Result<Address> Telephony::address(std::string_view dialable) const {
  if (!core_ || !core_->alive()) return stale();
  for (const auto& ref : core_->addresses()) {
    if (ref->dialable == dialable) return Core::makeAddress(ref);
  }
  return Status(Fault::kBadAddress, "no address " + std::string(dialable));
}

Result<std::uint32_t> Telephony::registerCallNotifications(const Address& address, bool owner,
                                                           bool monitor, std::uint32_t mediaTypes) {
  const auto& ref = Core::refOf(address);
  if (!ref) return noAddress();
  if (!core_ || !core_->alive()) return stale();
  if (ref->core.lock() != core_)
    return Status(Fault::kBadParam, "the address belongs to another Telephony");
  return core_->registerAddress(*ref, owner, monitor, mediaTypes);
}

Status Telephony::unregisterNotifications(std::uint32_t registration) {
  if (!core_) return stale();
  return core_->unregister(registration);
}

Status Telephony::setApplicationPriority(std::string_view applicationName, std::uint32_t mediaType,
                                         bool priority) {
  if (!core_) return stale();
  const std::uint32_t modes = detail::toMediaModes(mediaType, ~0u);
  if (mediaType == 0 || (mediaType & ~detail::kKnownMediaTypes) || modes == 0)
    return Status(Fault::kBadMediaMode, "unknown media type");
  const std::string name =
      applicationName.empty() ? core_->options().moduleName : std::string(applicationName);
  return core_->withApi([&](Api& api) -> Status {
    for (std::uint32_t bits = modes; bits; bits &= bits - 1) {
      const std::uint32_t mode = bits & -bits;
      if (Status st = api.setAppPriority(name, mode, 0, priority ? 1 : 0); !st) return st;
      capi::Host::rememberPriority(name, mode, priority ? 1 : 0);  // as lineSetAppPriority does
    }
    return Status();
  });
}

Result<bool> Telephony::applicationPriority(std::string_view applicationName,
                                            std::uint32_t mediaType) const {
  if (!core_) return stale();
  const std::uint32_t modes = detail::toMediaModes(mediaType, ~0u);
  if (mediaType == 0 || (mediaType & ~detail::kKnownMediaTypes) || modes == 0)
    return Status(Fault::kBadMediaMode, "unknown media type");
  const std::string name =
      applicationName.empty() ? core_->options().moduleName : std::string(applicationName);
  return core_->withApi([&](Api& api) -> Result<bool> {
    auto p = api.appPriority(name, modes & -modes, 0);
    if (!p) return p.status();
    return *p != 0;
  });
}

std::vector<Call> Telephony::calls() const {
  return core_ ? core_->calls(nullptr) : std::vector<Call>();
}
std::vector<CallHub> Telephony::callHubs() const {
  return core_ ? core_->hubs() : std::vector<CallHub>();
}

std::uint32_t Telephony::eventFilter() const {
  return core_ ? core_->eventFilter() : 0;
}
void Telephony::setEventFilter(std::uint32_t kinds) {
  if (core_) core_->setEventFilter(kinds);
}

std::optional<Event> Telephony::nextEvent(std::chrono::milliseconds timeout) {
  return core_ ? core_->nextEvent(timeout) : std::nullopt;
}

int Telephony::eventFd() const {
  return core_ ? core_->eventFd() : -1;
}

}  // namespace tapir
