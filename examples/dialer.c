/*
 * dialer: places one call and hangs it up once the far end answers.
 *
 *   dialer [destination] [device]
 *
 * destination defaults to 95550100 (on the demo switch: 9 for an outside
 * line, then a number that answers after two rings); device is the line
 * device to call from (default 0, station 201).
 *
 * The classic TAPI 2.x sequence, with the event-handle notification
 * mechanism and lineGetMessage:
 *
 *   lineInitializeEx            register the application (USEEVENT)
 *   lineNegotiateAPIVersion     agree on the API version for the line
 *   lineOpen                    open the line (no call privilege needed
 *                               to make calls)
 *   lineMakeCall                asynchronous: returns a request id, the
 *                               call handle is valid after LINE_REPLY
 *   ... LINE_CALLSTATE          DIALTONE, DIALING, RINGBACK, CONNECTED
 *   lineDrop                    hang up; the call goes IDLE
 *   lineDeallocateCall          release the call handle
 *   lineClose, lineShutdown
 *
 * Exit status 0 when the call was connected and hung up cleanly, 1 when it
 * was not (busy, no answer, refused), 2 on an API error.
 *
 * Built as C99 against <tapi.h>: cc dialer.c $(pkg-config --cflags --libs tapir)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tapi.h>

/* How long to wait for any message before giving up (wall-clock ms). On the
 * demo switch at normal speed a ring lasts 6 s. */
#define MESSAGE_TIMEOUT_MS 60000

static const char* callStateName(DWORD state) {
  switch (state) {
    case LINECALLSTATE_IDLE:
      return "IDLE";
    case LINECALLSTATE_OFFERING:
      return "OFFERING";
    case LINECALLSTATE_ACCEPTED:
      return "ACCEPTED";
    case LINECALLSTATE_DIALTONE:
      return "DIALTONE";
    case LINECALLSTATE_DIALING:
      return "DIALING";
    case LINECALLSTATE_RINGBACK:
      return "RINGBACK";
    case LINECALLSTATE_BUSY:
      return "BUSY";
    case LINECALLSTATE_SPECIALINFO:
      return "SPECIALINFO";
    case LINECALLSTATE_CONNECTED:
      return "CONNECTED";
    case LINECALLSTATE_PROCEEDING:
      return "PROCEEDING";
    case LINECALLSTATE_ONHOLD:
      return "ONHOLD";
    case LINECALLSTATE_DISCONNECTED:
      return "DISCONNECTED";
    case LINECALLSTATE_UNKNOWN:
      return "UNKNOWN";
    default:
      return "(other)";
  }
}

/* Everything the message loop needs to know about our one call. */
struct Dialer {
  HLINEAPP hLineApp;
  HCALL hCall;          /* written by TAPI when the lineMakeCall reply arrives */
  LONG makeCallRequest; /* request ids of the outstanding asynchronous requests */
  LONG dropRequest;
  DWORD callState; /* the last LINE_CALLSTATE for hCall */
  int failed;      /* an asynchronous request failed */
};

/* Takes one message from the application's queue, waiting up to the
 * timeout, and updates the dialer's view of the call. Returns 0, or the
 * LINEERR_ value lineGetMessage returned (LINEERR_OPERATIONFAILED: timeout). */
static LONG pump(struct Dialer* d) {
  LINEMESSAGE msg;
  LONG rc = lineGetMessage(d->hLineApp, &msg, MESSAGE_TIMEOUT_MS);
  if (rc != 0) return rc;

  switch (msg.dwMessageID) {
    case LINE_REPLY:
      /* dwParam1: the request id lineMakeCall/lineDrop returned;
       * dwParam2: 0 on success, else a LINEERR_ value. */
      if ((LONG)msg.dwParam1 == d->makeCallRequest) {
        d->makeCallRequest = 0;
        if (msg.dwParam2 != 0) {
          fprintf(stderr, "dialer: lineMakeCall failed: 0x%08lx\n", (unsigned long)msg.dwParam2);
          d->failed = 1;
        } else {
          printf("dialer: call handle %lu\n", (unsigned long)d->hCall);
        }
      } else if ((LONG)msg.dwParam1 == d->dropRequest) {
        d->dropRequest = 0;
        if (msg.dwParam2 != 0) {
          fprintf(stderr, "dialer: lineDrop failed: 0x%08lx\n", (unsigned long)msg.dwParam2);
          d->failed = 1;
        }
      }
      break;

    case LINE_CALLSTATE:
      /* hDevice: the call; dwParam1: the new state; dwParam2: the state's
       * mode (for DISCONNECTED, a LINEDISCONNECTMODE_ value). */
      if (msg.hDevice == d->hCall) {
        d->callState = (DWORD)msg.dwParam1;
        printf("dialer: %s", callStateName(d->callState));
        if (d->callState == LINECALLSTATE_DISCONNECTED)
          printf(" (mode 0x%lx)", (unsigned long)msg.dwParam2);
        printf("\n");
      }
      break;

    default:
      /* LINE_CALLINFO, LINE_LINEDEVSTATE and the rest: not needed here. */
      break;
  }
  return 0;
}

int main(int argc, char** argv) {
  const char* destination = argc > 1 ? argv[1] : "95550100";
  const DWORD deviceId = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 0;

  struct Dialer d;
  memset(&d, 0, sizeof d);

  /* 1. Register. The event handle is an eventfd; this program only uses
   *    lineGetMessage, which waits on its own. */
  LINEINITIALIZEEXPARAMS init;
  memset(&init, 0, sizeof init);
  init.dwTotalSize = sizeof init;
  init.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD numDevs = 0;
  DWORD apiVersion = TAPI_CURRENT_VERSION; /* in: the highest we know; out: TAPI's */
  LONG rc = lineInitializeEx(&d.hLineApp, NULL, NULL, "dialer", &numDevs, &apiVersion, &init);
  if (rc != 0) {
    fprintf(stderr, "dialer: lineInitializeEx: 0x%08lx\n", (unsigned long)rc);
    return 2;
  }
  printf("dialer: %lu line devices\n", (unsigned long)numDevs);
  if (deviceId >= numDevs) {
    fprintf(stderr, "dialer: no line device %lu\n", (unsigned long)deviceId);
    lineShutdown(d.hLineApp);
    return 2;
  }

  /* 2. Negotiate: we speak TAPI 1.4 to 2.2. */
  DWORD lineVersion = 0;
  LINEEXTENSIONID extensionId;
  rc = lineNegotiateAPIVersion(d.hLineApp, deviceId, 0x00010004, 0x00020002, &lineVersion,
                               &extensionId);
  if (rc != 0) {
    fprintf(stderr, "dialer: lineNegotiateAPIVersion: 0x%08lx\n", (unsigned long)rc);
    lineShutdown(d.hLineApp);
    return 2;
  }

  /* 3. Open the line. Making calls needs no privilege for incoming calls:
   *    LINECALLPRIVILEGE_NONE. The call we make is ours (owner) anyway. */
  HLINE hLine = 0;
  rc = lineOpen(d.hLineApp, deviceId, &hLine, lineVersion, 0, 0, LINECALLPRIVILEGE_NONE,
                LINEMEDIAMODE_INTERACTIVEVOICE, NULL);
  if (rc != 0) {
    fprintf(stderr, "dialer: lineOpen: 0x%08lx\n", (unsigned long)rc);
    lineShutdown(d.hLineApp);
    return 2;
  }

  /* 4. Make the call. A positive result is a request id; the outcome comes
   *    in LINE_REPLY, and only then is d.hCall filled in. */
  printf("dialer: calling %s from line device %lu\n", destination, (unsigned long)deviceId);
  rc = lineMakeCall(hLine, &d.hCall, destination, 0, NULL);
  if (rc <= 0) {
    fprintf(stderr, "dialer: lineMakeCall: 0x%08lx\n", (unsigned long)rc);
    lineClose(hLine);
    lineShutdown(d.hLineApp);
    return 2;
  }
  d.makeCallRequest = rc;

  /* 5. Wait until the call is connected, or until it cannot be. */
  int connected = 0;
  for (;;) {
    rc = pump(&d);
    if (rc != 0) {
      fprintf(stderr, "dialer: no answer in time (lineGetMessage: 0x%08lx)\n", (unsigned long)rc);
      break;
    }
    if (d.failed) break;
    if (d.callState == LINECALLSTATE_CONNECTED) {
      connected = 1;
      break;
    }
    if (d.callState == LINECALLSTATE_BUSY || d.callState == LINECALLSTATE_SPECIALINFO ||
        d.callState == LINECALLSTATE_DISCONNECTED || d.callState == LINECALLSTATE_IDLE)
      break;
  }

  /* 6. Hang up (also when the call failed: a BUSY or DISCONNECTED call is
   *    dropped to make it IDLE), then wait for IDLE. */
  if (d.hCall != 0 && d.callState != LINECALLSTATE_IDLE) {
    rc = lineDrop(d.hCall, NULL, 0);
    if (rc > 0) {
      d.dropRequest = rc;
      while ((d.dropRequest != 0 || d.callState != LINECALLSTATE_IDLE) && pump(&d) == 0) {
      }
    } else {
      fprintf(stderr, "dialer: lineDrop: 0x%08lx\n", (unsigned long)rc);
      d.failed = 1;
    }
  }

  /* 7. Release the call handle: an owner may deallocate an idle call. */
  if (d.hCall != 0) {
    rc = lineDeallocateCall(d.hCall);
    if (rc != 0) {
      fprintf(stderr, "dialer: lineDeallocateCall: 0x%08lx\n", (unsigned long)rc);
      d.failed = 1;
    }
  }

  /* 8. Close the line and unregister. lineShutdown alone would also close
   *    the line and drop any call we still owned. */
  lineClose(hLine);
  lineShutdown(d.hLineApp);

  if (d.failed) return 2;
  if (!connected) return 1;
  printf("dialer: connected and hung up\n");
  return 0;
}
