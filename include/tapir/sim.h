/* tapir extensions for scripting the built-in switch's simulated world from
 * C (tests, demos, tools). Not part of TAPI; link with the same library.
 *
 * They act on the in-process service that lineInitialize(Ex) started, so at
 * least one application must be initialized. Results are 0 or a LINEERR_
 * value, like the line functions.
 */
#ifndef TAPIR_SIM_H
#define TAPIR_SIM_H

#include <tapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Moves switch time forward when the clock is manual (TAPIR_CLOCK=manual),
 * running everything that falls due (rings, forwarding on no answer, park
 * recalls, scripts) before returning. LINEERR_OPERATIONUNAVAIL on a real
 * clock. */
LONG WINAPI tapirSimAdvance(DWORD dwMilliseconds);

/* Waits until everything the switch has queued so far has run, so that the
 * messages it causes are in the applications' queues. */
LONG WINAPI tapirSimSettle(void);

/* An outside party lpszFrom (name lpszFromName, may be NULL) dials lpszTo
 * from the outside world. lpszScript: its steps, one per line ("wait 10s\n
 * hangup"; NULL: it waits). *lpdwLeg receives an id for tapirSimFarEnd. */
LONG WINAPI tapirSimIncomingCall(LPCSTR lpszFrom, LPCSTR lpszFromName, LPCSTR lpszTo,
                                 LPCSTR lpszScript, LPDWORD lpdwLeg);

/* The outside party of a call acts: "hangup", "hold", "unhold",
 * "dtmf <digits>", "transfer <number>". dwLeg: from tapirSimIncomingCall, or
 * 0 for the newest outside party on the switch. */
LONG WINAPI tapirSimFarEnd(DWORD dwLeg, LPCSTR lpszAction);

#ifdef __cplusplus
}
#endif

#endif /* TAPIR_SIM_H */
