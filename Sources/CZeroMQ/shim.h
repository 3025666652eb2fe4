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

// ZMQ_ZAP_ENFORCE_DOMAIN is a draft option in libzmq 4.3; its number is stable.
static inline int czmq_option_zap_enforce_domain(void) { return 93; }

#endif
