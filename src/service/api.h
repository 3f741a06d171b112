// The service's interface as its clients see it: what the C API, the C++ API
// and the network server call. The in-process Service implements it (called
// under the host's lock); a remote client implements it over the protocol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/messages.h"
#include "tapir/provider.h"

namespace tapir::service {

using AppHandle = std::uint32_t;
using LineHandle = std::uint32_t;
using CallHandle = std::uint32_t;

inline constexpr std::uint32_t kMinApiVersion = 0x00010003;  // TAPI 1.3
inline constexpr std::uint32_t kMaxApiVersion = 0x00020002;  // TAPI 2.2

namespace privilege {  // LINECALLPRIVILEGE_
inline constexpr std::uint32_t kNone = 0x00000001;
inline constexpr std::uint32_t kMonitor = 0x00000002;
inline constexpr std::uint32_t kOwner = 0x00000004;
}  // namespace privilege

namespace call_select {  // LINECALLSELECT_
inline constexpr std::uint32_t kLine = 0x00000001;
inline constexpr std::uint32_t kAddress = 0x00000002;
inline constexpr std::uint32_t kCall = 0x00000004;
}  // namespace call_select

namespace info_extra {  // LINECALLINFOSTATE_ values only the service produces
inline constexpr std::uint32_t kAppSpecific = 0x00000020;
inline constexpr std::uint32_t kNumOwnerIncr = 0x00000800;
inline constexpr std::uint32_t kNumOwnerDecr = 0x00001000;
inline constexpr std::uint32_t kNumMonitors = 0x00002000;
}  // namespace info_extra

namespace line_state_extra {  // LINEDEVSTATE_ values only the service produces
inline constexpr std::uint32_t kOpen = 0x00000200;
inline constexpr std::uint32_t kClose = 0x00000400;
}  // namespace line_state_extra

struct AppInfo {
  std::string friendlyName;
  std::string moduleName;  // the program's file name, for handoff and priorities
};

struct OpenParams {
  std::uint32_t deviceId = 0;
  std::uint32_t apiVersion = 0;
  std::uintptr_t callbackInstance = 0;
  std::uint32_t privileges = privilege::kNone;
  std::uint32_t mediaModes = 0;
  std::optional<std::uint32_t> singleAddress;  // LINEOPENOPTION_SINGLEADDRESS
};

// Call information as one application sees it.
struct CallInfoView {
  CallInfo info;
  LineHandle line = 0;
  std::uint32_t apiVersion = 0;  // negotiated for the call's line
  std::uint32_t deviceId = 0;
  std::uint32_t numOwners = 0;
  std::uint32_t numMonitors = 0;
  std::uint32_t appSpecific = 0;
  std::uint32_t callStates = 0;  // states the call can take
  std::uint32_t monitorDigitModes = 0;
  std::string appName;  // the application that originated or answered it
};

struct CallStatusView {
  CallStatus status;
  std::uint32_t privilege = 0;
  std::uint32_t apiVersion = 0;
};

struct LineDevStatusView {
  LineStatus status;
  std::uint32_t apiVersion = 0;
  std::uint32_t numOpens = 0;
  std::uint32_t openMediaModes = 0;
};

class Api {
 public:
  virtual ~Api() = default;

  // ---- applications, lines --------------------------------------------------
  virtual Result<AppHandle> initialize(AppInfo info, MessageSink* sink) = 0;
  virtual Status shutdown(AppHandle app) = 0;
  virtual std::uint32_t lineCount() const = 0;
  virtual Result<std::uint32_t> negotiateApiVersion(AppHandle app, std::uint32_t deviceId,
                                                    std::uint32_t low,
                                                    std::uint32_t high) const = 0;
  virtual Result<LineHandle> open(AppHandle app, const OpenParams& params) = 0;
  virtual Status close(LineHandle line) = 0;
  virtual Result<LineCaps> devCaps(AppHandle app, std::uint32_t deviceId,
                                   std::uint32_t apiVersion) const = 0;
  virtual Result<AddressCaps> addressCaps(AppHandle app, std::uint32_t deviceId,
                                          std::uint32_t addressId,
                                          std::uint32_t apiVersion) const = 0;
  virtual Result<std::uint32_t> addressId(LineHandle line, std::string_view address) const = 0;
  virtual Result<AddressStatus> addressStatus(LineHandle line, std::uint32_t addressId) const = 0;
  virtual Result<LineDevStatusView> lineDevStatus(LineHandle line) const = 0;
  virtual Status setStatusMessages(LineHandle line, std::uint32_t lineStates,
                                   std::uint32_t addressStates) = 0;
  virtual Result<std::pair<std::uint32_t, std::uint32_t>> statusMessages(LineHandle line) const = 0;
  virtual Result<std::uint32_t> deviceIdOfLine(LineHandle line) const = 0;
  // LINE_LINEDEVSTATE(`state`) to every open line that asked for it (e.g.
  // LINEDEVSTATE_TRANSLATECHANGE after the dialing location changed).
  virtual void broadcastLineState(std::uint32_t state) = 0;
  // The application a line or call handle belongs to; 0 if none.
  virtual AppHandle appOf(std::uint32_t handle) const = 0;
  // The API version negotiated for a line (or a call's line); 0 if unknown.
  virtual std::uint32_t apiVersionOf(std::uint32_t handle) const = 0;
  virtual Result<std::uint32_t> deviceIdOfCall(CallHandle call) const = 0;
  virtual Status setAppPriority(const std::string& module, std::uint32_t mediaMode,
                                std::uint32_t requestMode, std::uint32_t priority) = 0;
  virtual Result<std::uint32_t> appPriority(const std::string& module, std::uint32_t mediaMode,
                                            std::uint32_t requestMode) const = 0;

  // ---- call handles ---------------------------------------------------------
  virtual Result<CallInfoView> callInfo(CallHandle call) const = 0;
  virtual Result<CallStatusView> callStatus(CallHandle call) const = 0;
  virtual Status setCallPrivilege(CallHandle call, std::uint32_t priv) = 0;
  virtual Result<std::vector<CallHandle>> newCalls(LineHandle line, std::uint32_t addressId,
                                                   std::uint32_t select) = 0;
  // How many handles newCalls would create now (it creates none), so that a
  // caller whose list has no room for them can ask again without losing any.
  virtual Result<std::uint32_t> newCallCount(LineHandle line, std::uint32_t addressId,
                                             std::uint32_t select) const = 0;
  virtual Result<std::vector<CallHandle>> confRelatedCalls(CallHandle call) = 0;
  // module empty: indirect handoff by media mode.
  virtual Status handoff(CallHandle call, const std::string& module, std::uint32_t mediaMode) = 0;
  virtual Status deallocateCall(CallHandle call) = 0;
  virtual Status setAppSpecific(CallHandle call, std::uint32_t value) = 0;
  virtual Status monitorDigits(CallHandle call, std::uint32_t digitModes) = 0;

  // ---- session operations: a request id (> 0), then LINE_REPLY --------------
  virtual Result<std::int32_t> makeCall(LineHandle line, std::uint32_t addressId,
                                        std::string_view dest, const CallParams& params) = 0;
  virtual Result<std::int32_t> dial(CallHandle call, std::string_view dest) = 0;
  virtual Result<std::int32_t> accept(CallHandle call) = 0;
  virtual Result<std::int32_t> answer(CallHandle call) = 0;
  virtual Result<std::int32_t> drop(CallHandle call) = 0;
  virtual Result<std::int32_t> hold(CallHandle call) = 0;
  virtual Result<std::int32_t> unhold(CallHandle call) = 0;
  virtual Result<std::int32_t> swapHold(CallHandle active, CallHandle held) = 0;
  virtual Result<std::int32_t> secureCall(CallHandle call) = 0;
  virtual Result<std::int32_t> redirect(CallHandle call, std::string_view dest) = 0;
  virtual Result<std::int32_t> blindTransfer(CallHandle call, std::string_view dest) = 0;
  virtual Result<std::int32_t> setupTransfer(CallHandle call, const CallParams& params) = 0;
  virtual Result<std::int32_t> completeTransfer(CallHandle call, CallHandle consult,
                                                TransferMode mode) = 0;
  // call == 0: the conference starts on `line` at `addressId`.
  virtual Result<std::int32_t> setupConference(CallHandle call, LineHandle line,
                                               std::uint32_t addressId, std::uint32_t numParties,
                                               const CallParams& params) = 0;
  virtual Result<std::int32_t> prepareAddToConference(CallHandle conf,
                                                      const CallParams& params) = 0;
  virtual Result<std::int32_t> addToConference(CallHandle conf, CallHandle consult) = 0;
  virtual Result<std::int32_t> removeFromConference(CallHandle call) = 0;
  // maxOrbitLength: the longest nondirected orbit the caller can take back.
  virtual Result<std::int32_t> park(CallHandle call, ParkMode mode, std::string_view orbit,
                                    std::size_t maxOrbitLength = kAnyOrbitLength) = 0;
  virtual Result<std::int32_t> unpark(LineHandle line, std::uint32_t addressId,
                                      std::string_view orbit) = 0;
  virtual Result<std::int32_t> pickup(LineHandle line, std::uint32_t addressId,
                                      std::string_view dest, std::string_view group) = 0;
  virtual Result<std::int32_t> completeCall(CallHandle call, CompletionMode mode,
                                            std::uint32_t messageId) = 0;
  virtual Result<std::int32_t> uncompleteCall(LineHandle line, std::uint32_t completionId) = 0;
  virtual Result<std::int32_t> forward(LineHandle line, bool allAddresses, std::uint32_t addressId,
                                       std::span<const ForwardEntry> entries,
                                       std::uint32_t numRings) = 0;
};

}  // namespace tapir::service
