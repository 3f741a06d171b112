/*
 * autoanswer: owns a line and answers every call offered to it; when the
 * far end hangs up, it drops the call and releases the handle.
 *
 *   autoanswer [calls] [device]
 *
 * calls: how many calls to answer before exiting (default 1); device: the
 * line device to answer on (default 1, station 202 on the demo switch).
 *
 * TAPI 2.x, as an answering application writes it:
 *
 *   lineInitializeEx (USEEVENT)  the event handle is a file descriptor on
 *                                Linux: this program waits on it with poll()
 *   lineOpen (OWNER, INTERACTIVEVOICE)
 *                                new voice calls on the line are ours
 *   LINE_APPNEWCALL              a new call handle, with our privilege
 *   LINE_CALLSTATE OFFERING      lineAnswer
 *   LINE_CALLSTATE CONNECTED     talking
 *   LINE_CALLSTATE DISCONNECTED  the caller hung up: lineDrop
 *   LINE_CALLSTATE IDLE          lineDeallocateCall
 *
 * Where do the calls come from? The service is in-process for now (the
 * demo switch runs inside this program), so no other program can call us.
 * The demo part below uses tapir's simulation extension (<tapir/sim.h>) to
 * have an outside caller dial our station: it waits until we answer, talks
 * for two seconds of switch time, and hangs up. Everything else is plain
 * TAPI.
 *
 * Exit status 0 after `calls` calls were answered and released.
 */
#define _POSIX_C_SOURCE 200809L /* poll() */

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tapi.h>
#include <tapir/sim.h>

#define MAX_CALLS 16
#define WAIT_MS 60000 /* give up after a minute without any message */

/* The calls this application holds a handle to. */
struct Call {
  HCALL hCall;
  DWORD privilege; /* LINECALLPRIVILEGE_OWNER or _MONITOR */
  int answered;
};

struct AutoAnswer {
  HLINEAPP hLineApp;
  HLINE hLine;
  struct Call calls[MAX_CALLS];
  int answered; /* calls answered and released so far */
  int failed;
};

static struct Call* findCall(struct AutoAnswer* a, HCALL hCall) {
  for (int i = 0; i < MAX_CALLS; ++i)
    if (a->calls[i].hCall == hCall) return &a->calls[i];
  return NULL;
}

static struct Call* addCall(struct AutoAnswer* a, HCALL hCall, DWORD privilege) {
  struct Call* c = findCall(a, hCall);
  if (c == NULL) c = findCall(a, 0); /* a free slot */
  if (c == NULL) return NULL;
  c->hCall = hCall;
  c->privilege = privilege;
  c->answered = 0;
  return c;
}

/* Demo only: an outside caller (5550123) dials the station this line
 * belongs to. Its script: wait until we answer, talk 2 s, hang up. */
static int ringUs(const char* station) {
  DWORD leg = 0;
  LONG rc = tapirSimIncomingCall("5550123", "Demo Caller", station,
                                 "await connected\nwait 2s\nhangup", &leg);
  if (rc != 0) fprintf(stderr, "autoanswer: tapirSimIncomingCall: 0x%08lx\n", (unsigned long)rc);
  return rc == 0;
}

static void onCallState(struct AutoAnswer* a, const LINEMESSAGE* msg) {
  const HCALL hCall = msg->hDevice;
  const DWORD state = (DWORD)msg->dwParam1;
  struct Call* c = findCall(a, hCall);
  /* dwParam3 is non-zero on the first LINE_CALLSTATE of a handle we did not
   * create ourselves: our privilege to it. (A TAPI 1.x application gets no
   * LINE_APPNEWCALL and learns of the call here.) */
  if (c == NULL && msg->dwParam3 != 0) c = addCall(a, hCall, (DWORD)msg->dwParam3);
  if (c == NULL) return;

  switch (state) {
    case LINECALLSTATE_OFFERING:
      if (c->privilege == LINECALLPRIVILEGE_OWNER && !c->answered) {
        /* Asynchronous: a request id now, LINE_REPLY later, then CONNECTED. */
        LONG rc = lineAnswer(hCall, NULL, 0);
        if (rc < 0) {
          fprintf(stderr, "autoanswer: lineAnswer: 0x%08lx\n", (unsigned long)rc);
          a->failed = 1;
        } else {
          c->answered = 1;
          printf("autoanswer: call %lu offered, answering\n", (unsigned long)hCall);
        }
      }
      break;
    case LINECALLSTATE_CONNECTED:
      printf("autoanswer: call %lu connected\n", (unsigned long)hCall);
      break;
    case LINECALLSTATE_DISCONNECTED:
      /* The far end hung up. The call stays DISCONNECTED until we drop it. */
      printf("autoanswer: call %lu disconnected (mode 0x%lx), dropping\n", (unsigned long)hCall,
             (unsigned long)msg->dwParam2);
      if (c->privilege == LINECALLPRIVILEGE_OWNER) {
        LONG rc = lineDrop(hCall, NULL, 0);
        if (rc < 0) {
          fprintf(stderr, "autoanswer: lineDrop: 0x%08lx\n", (unsigned long)rc);
          a->failed = 1;
        }
      }
      break;
    case LINECALLSTATE_IDLE: {
      /* The call is over: release our handle to it. */
      LONG rc = lineDeallocateCall(hCall);
      if (rc != 0) {
        fprintf(stderr, "autoanswer: lineDeallocateCall: 0x%08lx\n", (unsigned long)rc);
        a->failed = 1;
      }
      if (c->answered) ++a->answered;
      printf("autoanswer: call %lu idle, released\n", (unsigned long)hCall);
      memset(c, 0, sizeof *c);
      break;
    }
    default:
      break;
  }
}

/* Handles one message from the queue. */
static void onMessage(struct AutoAnswer* a, const LINEMESSAGE* msg) {
  switch (msg->dwMessageID) {
    case LINE_APPNEWCALL:
      /* hDevice: our line; dwParam1: address id; dwParam2: the new call
       * handle; dwParam3: our privilege to it. */
      if (addCall(a, (HCALL)msg->dwParam2, (DWORD)msg->dwParam3) == NULL) {
        fprintf(stderr, "autoanswer: too many calls\n");
        a->failed = 1;
      }
      break;
    case LINE_CALLSTATE:
      onCallState(a, msg);
      break;
    case LINE_REPLY:
      /* The outcome of lineAnswer or lineDrop. */
      if (msg->dwParam2 != 0) {
        fprintf(stderr, "autoanswer: request %lu failed: 0x%08lx\n", (unsigned long)msg->dwParam1,
                (unsigned long)msg->dwParam2);
        a->failed = 1;
      }
      break;
    case LINE_CLOSE:
      fprintf(stderr, "autoanswer: the line was closed under us\n");
      a->failed = 1;
      break;
    default:
      break;
  }
}

int main(int argc, char** argv) {
  const int wanted = argc > 1 ? atoi(argv[1]) : 1;
  const DWORD deviceId = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 1;

  struct AutoAnswer a;
  memset(&a, 0, sizeof a);

  LINEINITIALIZEEXPARAMS init;
  memset(&init, 0, sizeof init);
  init.dwTotalSize = sizeof init;
  init.dwOptions = LINEINITIALIZEEXOPTION_USEEVENT;
  DWORD numDevs = 0;
  DWORD apiVersion = TAPI_CURRENT_VERSION;
  LONG rc = lineInitializeEx(&a.hLineApp, NULL, NULL, "autoanswer", &numDevs, &apiVersion, &init);
  if (rc != 0) {
    fprintf(stderr, "autoanswer: lineInitializeEx: 0x%08lx\n", (unsigned long)rc);
    return 2;
  }
  /* On Linux the event handle is an eventfd: readable while messages wait. */
  const int fd = (int)(intptr_t)init.Handles.hEvent;

  DWORD lineVersion = 0;
  LINEEXTENSIONID extensionId;
  rc = lineNegotiateAPIVersion(a.hLineApp, deviceId, 0x00010004, 0x00020002, &lineVersion,
                               &extensionId);
  if (rc == 0) {
    /* Owner of new interactive-voice calls on this line. */
    rc = lineOpen(a.hLineApp, deviceId, &a.hLine, lineVersion, 0, 0, LINECALLPRIVILEGE_OWNER,
                  LINEMEDIAMODE_INTERACTIVEVOICE, NULL);
  }
  if (rc != 0) {
    fprintf(stderr, "autoanswer: cannot open line device %lu: 0x%08lx\n", (unsigned long)deviceId,
            (unsigned long)rc);
    lineShutdown(a.hLineApp);
    return 2;
  }

  /* The line's directory number, for the demo caller to dial: the first
   * address in LINEADDRESSCAPS (its dwAddressSize/Offset string). */
  char station[32] = "202";
  {
    union { /* aligned storage for the variably sized structure */
      LINEADDRESSCAPS caps;
      char bytes[4096];
    } buf;
    memset(&buf, 0, sizeof buf);
    buf.caps.dwTotalSize = sizeof buf;
    if (lineGetAddressCaps(a.hLineApp, deviceId, 0, lineVersion, 0, &buf.caps) == 0 &&
        buf.caps.dwAddressSize > 0 && buf.caps.dwAddressSize < sizeof station) {
      memcpy(station, buf.bytes + buf.caps.dwAddressOffset, buf.caps.dwAddressSize);
      station[buf.caps.dwAddressSize - 1] = '\0';
    }
  }
  printf("autoanswer: answering on %s\n", station);

  int calling = 0; /* the demo caller we started has not been answered and released yet */
  while (!a.failed && a.answered < wanted) {
    if (!calling) {
      if (!ringUs(station)) break;
      calling = 1;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    const int n = poll(&p, 1, WAIT_MS);
    if (n <= 0) {
      fprintf(stderr, "autoanswer: no message for %d ms\n", WAIT_MS);
      a.failed = 1;
      break;
    }
    /* Drain the queue without waiting: lineGetMessage with timeout 0 fails
     * (LINEERR_OPERATIONFAILED) once it is empty, and the fd is then no
     * longer readable. */
    const int before = a.answered;
    LINEMESSAGE msg;
    while (lineGetMessage(a.hLineApp, &msg, 0) == 0)
      onMessage(&a, &msg);
    if (a.answered != before) calling = 0;
  }

  lineClose(a.hLine);
  lineShutdown(a.hLineApp);
  if (a.failed || a.answered < wanted) return 1;
  printf("autoanswer: answered %d call(s)\n", a.answered);
  return 0;
}
