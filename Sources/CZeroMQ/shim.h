#ifndef C_ZEROMQ_SHIM_H
#define C_ZEROMQ_SHIM_H

#include <zmq.h>
#include <errno.h>

// Macros and draft constants Swift cannot import directly.

static inline int czmq_errno_eagain(void) { return EAGAIN; }
static inline int czmq_errno_eintr(void) { return EINTR; }
static inline int czmq_errno_eterm(void) { return ETERM; }
static inline int czmq_errno_ehostunreach(void) { return EHOSTUNREACH; }
static inline int czmq_errno_emsgsize(void) { return EMSGSIZE; }

// ZMQ_ZAP_ENFORCE_DOMAIN sits in libzmq 4.3's draft header, so <zmq.h> does not define it, but the library
// accepts it whatever the draft build flag (Debian's 4.3.4 does, with zmq_has("draft") false); its number is stable.
static inline int czmq_option_zap_enforce_domain(void) { return 93; }

#endif
