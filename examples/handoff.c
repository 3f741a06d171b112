/*
 * handoff: a call router hands an incoming call to an answering machine.
 *
 *   handoff [device]
 *
 * device: the line device both applications open (default 1, station 202
 * on the demo switch).
 *
 * Two TAPI applications share one line, in one process and one thread:
 *
 *   router   lineOpen(OWNER, INTERACTIVEVOICE): new voice calls come to it.
 *            On OFFERING it decides the call is for the machine and hands it
 *            off with lineHandoff, then releases its own handle.
 *   machine  lineOpen(OWNER, AUTOMATEDVOICE): it owns no new call itself; a
 *            handed-off call arrives as LINE_APPNEWCALL and a LINE_CALLSTATE
 *            whose dwParam3 says it is now an owner. It answers, and drops
 *            the call when the caller hangs up.
 *
 * Direct or indirect handoff. lineHandoff names its target either by the
 * target's module (program file) name, or - with a NULL name - by a media
 * mode: the target is then the highest-priority application that opened the
 * line as an owner for that media mode (lineSetAppPriority sets the order).
 * Both applications here live in the same program, so both have the module
 * name "handoff": a direct handoff to "handoff" would name ourselves, which
 * TAPI defines as a success that changes nothing, and lineSetAppPriority
 * cannot tell the two apart either (priorities are kept per module name).
 * So this program hands off indirectly, by LINEMEDIAMODE_AUTOMATEDVOICE,
 * which only the machine opened the line for. Between separate programs,
 * lineHandoff(hCall, "machine", 0) would do the same.
 *
 * The caller comes from tapir's simulation extension (<tapir/sim.h>): the
 * service runs in this process, so an outside party of the simulated switch
 * dials the station, waits until it is answered, talks 2 s and hangs up.
 *
 * Exit status 0 when the machine answered the call as its owner and the call
 * ended cleanly.
 */
#define _POSIX_C_SOURCE 200809L /* poll() */

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tapi.h>
#include <tapir/sim.h>

#define WAIT_MS 60000

/* One registered application and the single call it deals with. */
struct App {
  const char* name;
  HLINEAPP hLineApp;
  int fd; /* its event handle: an eventfd */
  HLINE hLine;
  HCALL hCall;
  DWORD privilege;
};

static int failed = 0;
static int machineAnswered = 0;
static int done = 0;

static void fail(const char* app, const char* what, LONG rc) {
  fprintf(stderr, "handoff: %s: %s: 0x%08lx\n", app, what, (unsigned long)rc);
  failed = 1;
}

/* Registers an application and opens the line as an owner of `mediaModes`. */
static int start(struct App* app, DWORD deviceId, DWORD mediaModes) {
  LINEINITIALIZEEXPARAMS init;
  memset(&init, 0, sizeof init);
  init.dwTotalSize = sizeof init;
  init.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD numDevs = 0;
  DWORD apiVersion = TAPI_CURRENT_VERSION;
  LONG rc = lineInitializeEx(&app->hLineApp, NULL, NULL, app->name, &numDevs, &apiVersion, &init);
  if (rc != 0) {
    fail(app->name, "lineInitializeEx", rc);
    return 0;
  }
  app->fd = (int)(intptr_t)init.Handles.hEvent;
  DWORD version = 0;
  LINEEXTENSIONID ext;
  rc = lineNegotiateAPIVersion(app->hLineApp, deviceId, 0x00020000, 0x00020002, &version, &ext);
  if (rc != 0) {
    fail(app->name, "lineNegotiateAPIVersion", rc);
    return 0;
  }
  rc = lineOpen(app->hLineApp, deviceId, &app->hLine, version, 0, 0, LINECALLPRIVILEGE_OWNER,
                mediaModes, NULL);
  if (rc != 0) {
    fail(app->name, "lineOpen", rc);
    return 0;
  }
  return 1;
}

/* The directory number of the line's first address, from LINEADDRESSCAPS
 * (a variably sized structure: the string follows the fixed part). */
static LONG directoryNumber(HLINEAPP hLineApp, DWORD deviceId, char* out, size_t size) {
  union { /* aligned storage for the structure and its strings */
    LINEADDRESSCAPS caps;
    char bytes[4096];
  } buf;
  memset(&buf, 0, sizeof buf);
  buf.caps.dwTotalSize = sizeof buf;
  LONG rc = lineGetAddressCaps(hLineApp, deviceId, 0, 0x00020002, 0, &buf.caps);
  if (rc != 0) return rc;
  if (buf.caps.dwAddressSize == 0 || buf.caps.dwAddressSize > size)
    return (LONG)LINEERR_STRUCTURETOOSMALL;
  memcpy(out, buf.bytes + buf.caps.dwAddressOffset, buf.caps.dwAddressSize);
  out[buf.caps.dwAddressSize - 1] = '\0';
  return 0;
}

/* The router: every call it is offered goes to the answering machine. */
static void router(struct App* app, const LINEMESSAGE* msg) {
  if (msg->dwMessageID == LINE_APPNEWCALL) {
    app->hCall = (HCALL)msg->dwParam2;
    app->privilege = (DWORD)msg->dwParam3;
    printf("handoff: router: new call %lu, privilege 0x%lx\n", (unsigned long)app->hCall,
           (unsigned long)app->privilege);
    return;
  }
  if (msg->dwMessageID != LINE_CALLSTATE || msg->hDevice != app->hCall) return;
  if (msg->dwParam1 != LINECALLSTATE_OFFERING || app->privilege != LINECALLPRIVILEGE_OWNER) return;

  /* Indirect handoff: to whoever handles automated voice on this line. */
  LONG rc = lineHandoff(app->hCall, NULL, LINEMEDIAMODE_AUTOMATEDVOICE);
  if (rc != 0) {
    fail(app->name, "lineHandoff", rc);
    return;
  }
  printf("handoff: router: handed call %lu to the automated-voice application\n",
         (unsigned long)app->hCall);
  /* Handoff leaves our own privilege as it was: the call now has two
   * owners. We want nothing more to do with it, so release our handle
   * (allowed: we are not its only owner any more). */
  rc = lineDeallocateCall(app->hCall);
  if (rc != 0) fail(app->name, "lineDeallocateCall", rc);
  app->hCall = 0;
}

/* The answering machine: answers what it is handed. */
static void machine(struct App* app, const LINEMESSAGE* msg) {
  LONG rc;
  switch (msg->dwMessageID) {
    case LINE_APPNEWCALL:
      app->hCall = (HCALL)msg->dwParam2;
      app->privilege = (DWORD)msg->dwParam3;
      printf("handoff: machine: new call %lu, privilege 0x%lx\n", (unsigned long)app->hCall,
             (unsigned long)app->privilege);
      break;
    case LINE_CALLSTATE:
      if (msg->hDevice != app->hCall) break;
      /* dwParam3: the privilege handed to us (on the first message only). */
      if (msg->dwParam3 != 0) app->privilege = (DWORD)msg->dwParam3;
      switch (msg->dwParam1) {
        case LINECALLSTATE_OFFERING:
          printf("handoff: machine: OFFERING, privilege 0x%lx\n", (unsigned long)msg->dwParam3);
          if (msg->dwParam3 != LINECALLPRIVILEGE_OWNER) {
            fprintf(stderr,
                    "handoff: machine: expected owner privilege with the handed-off call\n");
            failed = 1;
            break;
          }
          rc = lineAnswer(app->hCall, NULL, 0);
          if (rc < 0) fail(app->name, "lineAnswer", rc);
          break;
        case LINECALLSTATE_CONNECTED:
          printf("handoff: machine: CONNECTED (playing the greeting)\n");
          machineAnswered = 1;
          break;
        case LINECALLSTATE_DISCONNECTED:
          printf("handoff: machine: DISCONNECTED, dropping\n");
          rc = lineDrop(app->hCall, NULL, 0);
          if (rc < 0) fail(app->name, "lineDrop", rc);
          break;
        case LINECALLSTATE_IDLE:
          printf("handoff: machine: IDLE, releasing the call\n");
          rc = lineDeallocateCall(app->hCall);
          if (rc != 0) fail(app->name, "lineDeallocateCall", rc);
          app->hCall = 0;
          done = 1;
          break;
        default:
          break;
      }
      break;
    case LINE_REPLY:
      if (msg->dwParam2 != 0) fail(app->name, "asynchronous request", (LONG)msg->dwParam2);
      break;
    default:
      break;
  }
}

int main(int argc, char** argv) {
  const DWORD deviceId = argc > 1 ? (DWORD)strtoul(argv[1], NULL, 10) : 1;
  struct App apps[2] = {{.name = "router"}, {.name = "machine"}};

  if (start(&apps[0], deviceId, LINEMEDIAMODE_INTERACTIVEVOICE) &&
      start(&apps[1], deviceId, LINEMEDIAMODE_AUTOMATEDVOICE)) {
    /* Demo only: an outside caller dials the line's directory number. */
    char station[32];
    DWORD leg = 0;
    LONG rc = directoryNumber(apps[0].hLineApp, deviceId, station, sizeof station);
    if (rc == 0)
      rc = tapirSimIncomingCall("5550123", "Demo Caller", station,
                                "await connected\nwait 2s\nhangup", &leg);
    if (rc != 0) fail("demo", "tapirSimIncomingCall", rc);

    /* One thread serves both applications: poll both event handles. */
    while (!failed && !done) {
      struct pollfd p[2] = {{.fd = apps[0].fd, .events = POLLIN},
                            {.fd = apps[1].fd, .events = POLLIN}};
      if (poll(p, 2, WAIT_MS) <= 0) {
        fprintf(stderr, "handoff: no message for %d ms\n", WAIT_MS);
        failed = 1;
        break;
      }
      LINEMESSAGE msg;
      if (p[0].revents & POLLIN)
        while (lineGetMessage(apps[0].hLineApp, &msg, 0) == 0)
          router(&apps[0], &msg);
      if (p[1].revents & POLLIN)
        while (lineGetMessage(apps[1].hLineApp, &msg, 0) == 0)
          machine(&apps[1], &msg);
    }
  }

  /* lineShutdown closes each application's line too. */
  for (int i = 0; i < 2; ++i)
    if (apps[i].hLineApp != 0) lineShutdown(apps[i].hLineApp);
  if (failed || !machineAnswered) return 1;
  printf("handoff: the machine answered the handed-off call\n");
  return 0;
}
