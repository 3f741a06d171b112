// Initialization, version negotiation, opening lines, messages, shutdown.
#include <dlfcn.h>
#include <errno.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "capi/common.h"

using namespace tapir;        // NOLINT: implementation file of the C API
using namespace tapir::capi;  // NOLINT

namespace {

// The file name that names an application for handoff and priorities: that
// of the module hInstance points into (on Windows a module handle is the
// module's base address; here any address inside the executable or shared
// object will do), else the program's executable, as when TAPI gets a NULL
// hInstance.
std::string moduleName(HINSTANCE instance) {
  if (instance != nullptr) {
    Dl_info info;
    if (::dladdr(instance, &info) != 0 && info.dli_fname != nullptr && info.dli_fname[0] != '\0') {
      const char* slash = std::strrchr(info.dli_fname, '/');
      return slash ? slash + 1 : info.dli_fname;
    }
  }
  return programName();
}

bool displayable(const std::string& s) {
  if (s.size() > 256) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

LONG initialize(LPHLINEAPP lphLineApp, HINSTANCE instance, LINECALLBACK callback, LPCSTR name,
                LPDWORD lpdwNumDevs, App::Mode mode, HANDLE* eventOut) {
  const std::string friendly = str(name);
  if (name && !displayable(friendly)) return err(LINEERR_INVALAPPNAME);
  auto host = Host::acquire();
  if (!host) return err(LINEERR_OPERATIONFAILED);
  auto app = std::make_shared<App>(mode, callback);
  if (!app->valid()) {
    Host::release();
    return err(LINEERR_NOMEM);
  }
  const std::string module = moduleName(instance);
  auto handle = (*host)->call([&](service::Api& api) {
    return api.initialize(service::AppInfo{friendly.empty() ? module : friendly, module},
                          app.get());
  });
  if (!handle) {
    Host::release();
    return toLineErr(handle.status());
  }
  app->handle = *handle;
  const DWORD numDevs = (*host)->call([](service::Api& api) { return api.lineCount(); });
  if (eventOut) *eventOut = reinterpret_cast<HANDLE>(static_cast<intptr_t>(app->eventFd()));
  Apps::add(app);
  *lphLineApp = *handle;
  *lpdwNumDevs = numDevs;
  return 0;
}

}  // namespace

extern "C" {

LONG WINAPI lineInitialize(LPHLINEAPP lphLineApp, HINSTANCE hInstance, LINECALLBACK lpfnCallback,
                           LPCSTR lpszAppName, LPDWORD lpdwNumDevs) {
  if (lphLineApp == nullptr || lpfnCallback == nullptr || lpdwNumDevs == nullptr)
    return err(LINEERR_INVALPOINTER);
  return initialize(lphLineApp, hInstance, lpfnCallback, lpszAppName, lpdwNumDevs,
                    App::Mode::kCallback, nullptr);
}

LONG WINAPI lineInitializeEx(LPHLINEAPP lphLineApp, HINSTANCE hInstance, LINECALLBACK lpfnCallback,
                             LPCSTR lpszFriendlyAppName, LPDWORD lpdwNumDevs,
                             LPDWORD lpdwAPIVersion,
                             LPLINEINITIALIZEEXPARAMS lpLineInitializeExParams) {
  if (lphLineApp == nullptr || lpdwNumDevs == nullptr || lpdwAPIVersion == nullptr ||
      lpLineInitializeExParams == nullptr)
    return err(LINEERR_INVALPOINTER);
  LINEINITIALIZEEXPARAMS params;
  std::memcpy(&params.dwTotalSize, &lpLineInitializeExParams->dwTotalSize, sizeof(DWORD));
  if (params.dwTotalSize < sizeof(LINEINITIALIZEEXPARAMS)) return err(LINEERR_STRUCTURETOOSMALL);
  std::memcpy(&params, lpLineInitializeExParams, sizeof params);
  const DWORD option = params.dwOptions & ~LINEINITIALIZEEXOPTION_CALLHUBTRACKING;
  App::Mode mode;
  if (option == LINEINITIALIZEEXOPTION_USEHIDDENWINDOW) {
    if (lpfnCallback == nullptr) return err(LINEERR_INVALPOINTER);
    mode = App::Mode::kCallback;
  } else if (option == LINEINITIALIZEEXOPTION_USEEVENT) {
    mode = App::Mode::kEvent;
  } else {
    // USECOMPLETIONPORT: Linux has no completion ports; use USEEVENT, whose
    // handle is a file descriptor for poll/epoll (docs/api-c.md).
    return err(LINEERR_INVALPARAM);
  }
  HANDLE event = nullptr;
  const LONG rc = initialize(lphLineApp, hInstance, lpfnCallback, lpszFriendlyAppName, lpdwNumDevs,
                             mode, mode == App::Mode::kEvent ? &event : nullptr);
  if (rc != 0) return rc;
  params.dwNeededSize = sizeof(LINEINITIALIZEEXPARAMS);
  params.dwUsedSize = sizeof(LINEINITIALIZEEXPARAMS);
  if (mode == App::Mode::kEvent) params.Handles.hEvent = event;
  std::memcpy(lpLineInitializeExParams, &params, sizeof params);
  *lpdwAPIVersion = service::kMaxApiVersion;
  return 0;
}

LONG WINAPI lineShutdown(HLINEAPP hLineApp) {
  // Taking the registration out first makes one caller the one that shuts
  // it down, however many threads try at once (each would release the host).
  auto app = Apps::remove(hLineApp);
  if (!app) return err(Host::current() ? LINEERR_INVALAPPHANDLE : LINEERR_UNINITIALIZED);
  const LONG rc = withService([&](service::Api& api) { return api.shutdown(hLineApp); });
  forgetRequestRecipient(hLineApp);
  app->close();
  Host::release();
  return rc;
}

LONG WINAPI lineNegotiateAPIVersion(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPILowVersion,
                                    DWORD dwAPIHighVersion, LPDWORD lpdwAPIVersion,
                                    LPLINEEXTENSIONID lpExtensionID) {
  if (lpdwAPIVersion == nullptr || lpExtensionID == nullptr) return err(LINEERR_INVALPOINTER);
  return withService([&](service::Api& api) -> LONG {
    auto v = api.negotiateApiVersion(hLineApp, dwDeviceID, dwAPILowVersion, dwAPIHighVersion);
    if (!v) return toLineErr(v.status());
    *lpdwAPIVersion = *v;
    std::memset(lpExtensionID, 0, sizeof(LINEEXTENSIONID));  // no provider extensions
    return 0;
  });
}

LONG WINAPI lineNegotiateExtVersion(HLINEAPP hLineApp, DWORD dwDeviceID, DWORD dwAPIVersion, DWORD,
                                    DWORD, LPDWORD lpdwExtVersion) {
  if (lpdwExtVersion == nullptr) return err(LINEERR_INVALPOINTER);
  return withService([&](service::Api& api) -> LONG {
    auto caps = api.devCaps(hLineApp, dwDeviceID, dwAPIVersion);
    if (!caps) return toLineErr(caps.status());
    return err(LINEERR_OPERATIONUNAVAIL);  // the switch has no device-specific extensions
  });
}

LONG WINAPI lineGetMessage(HLINEAPP hLineApp, LPLINEMESSAGE lpMessage, DWORD dwTimeout) {
  auto app = Apps::find(hLineApp);
  if (!app || app->mode() != App::Mode::kEvent) {
    return err(Host::current() ? LINEERR_INVALAPPHANDLE : LINEERR_UNINITIALIZED);
  }
  if (lpMessage == nullptr) return err(LINEERR_INVALPOINTER);
  LINEMESSAGE m;
  const LONG rc = app->next(&m, dwTimeout);
  if (rc == 0) std::memcpy(lpMessage, &m, sizeof m);
  return rc;
}

LONG WINAPI lineOpen(HLINEAPP hLineApp, DWORD dwDeviceID, LPHLINE lphLine, DWORD dwAPIVersion,
                     DWORD dwExtVersion, DWORD_PTR dwCallbackInstance, DWORD dwPrivileges,
                     DWORD dwMediaModes, LPLINECALLPARAMS lpCallParams) {
  if (lphLine == nullptr) return err(LINEERR_INVALPOINTER);
  if (dwExtVersion != 0) return err(LINEERR_INCOMPATIBLEEXTVERSION);
  if (dwPrivileges & LINEOPENOPTION_PROXY) return err(LINEERR_OPERATIONUNAVAIL);  // no ACD proxies
  const bool single = (dwPrivileges & LINEOPENOPTION_SINGLEADDRESS) != 0;
  ParsedCallParams cp;
  if (dwDeviceID == LINEMAPPER) {
    if (lpCallParams == nullptr) return err(LINEERR_INVALPOINTER);
    if (LONG e = parseCallParams(lpCallParams, cp)) return e;
  }
  if (single) {
    // lineOpen: "If LINEOPENOPTION_SINGLEADDRESS is specified but either
    // lpCallParams is invalid or the included dwAddressID does not exist on
    // the line, the open fails with LINEERR_INVALADDRESSID."
    if (lpCallParams == nullptr || parseCallParams(lpCallParams, cp) != 0 ||
        cp.addressMode != LINEADDRESSMODE_ADDRESSID)
      return err(LINEERR_INVALADDRESSID);
  }
  return withService([&](service::Api& api) -> LONG {
    service::OpenParams p;
    p.deviceId = dwDeviceID;
    p.apiVersion = dwAPIVersion;
    p.callbackInstance = dwCallbackInstance;
    p.privileges = dwPrivileges & ~(LINEOPENOPTION_SINGLEADDRESS | LINEOPENOPTION_PROXY);
    p.mediaModes = dwMediaModes;
    if (single) p.singleAddress = cp.addressId;
    if (dwDeviceID == LINEMAPPER) {
      // The first line that offers the origination address the call params ask for.
      p.deviceId = UINT32_MAX;
      for (DWORD d = 0; d < api.lineCount(); ++d) {
        auto caps = api.devCaps(hLineApp, d, dwAPIVersion);
        if (!caps) return toLineErr(caps.status());
        const bool match =
            cp.addressMode != LINEADDRESSMODE_DIALABLEADDR ||
            std::any_of(caps->addresses.begin(), caps->addresses.end(),
                        [&](const AddressCaps& a) { return a.address == cp.origAddress; });
        if (match) {
          p.deviceId = d;
          break;
        }
      }
      if (p.deviceId == UINT32_MAX) return err(LINEERR_LINEMAPPERFAILED);
    }
    auto line = api.open(hLineApp, p);
    if (!line) return toLineErr(line.status());
    *lphLine = *line;
    return 0;
  });
}

LONG WINAPI lineClose(HLINE hLine) {
  return withService([&](service::Api& api) { return api.close(hLine); });
}

LONG WINAPI lineSetStatusMessages(HLINE hLine, DWORD dwLineStates, DWORD dwAddressStates) {
  return withService([&](service::Api& api) {
    return api.setStatusMessages(hLine, dwLineStates, dwAddressStates);
  });
}

LONG WINAPI lineGetStatusMessages(HLINE hLine, LPDWORD lpdwLineStates, LPDWORD lpdwAddressStates) {
  if (lpdwLineStates == nullptr || lpdwAddressStates == nullptr) return err(LINEERR_INVALPOINTER);
  return withService([&](service::Api& api) -> LONG {
    auto s = api.statusMessages(hLine);
    if (!s) return toLineErr(s.status());
    *lpdwLineStates = s->first;
    *lpdwAddressStates = s->second;
    return 0;
  });
}

}  // extern "C"
