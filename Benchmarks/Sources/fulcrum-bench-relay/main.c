// The physical-limit baseline of the end-to-end benchmark: a minimal relay written directly on libzmq.
//
//     fulcrum-bench-relay IN_ENDPOINT OUT_ENDPOINT
//
// A SUB socket bound on IN_ENDPOINT (subscribed to everything) and a PUB socket bound on OUT_ENDPOINT; every
// frame received is sent on unchanged, with the same framing, through one reused zmq_msg_t (zmq_msg_send hands
// the received buffer over without copying it). Nothing is decoded. High-water marks are unlimited so that no
// message is dropped. SIGTERM or SIGINT stops it; it then prints `{"relayed": MESSAGES, "frames": FRAMES}`.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

static volatile sig_atomic_t stopping = 0;

static void on_signal(int signal_number) {
    (void)signal_number;
    stopping = 1;
}

static int fail(const char *what) {
    fprintf(stderr, "fulcrum-bench-relay: %s: %s\n", what, zmq_strerror(zmq_errno()));
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: fulcrum-bench-relay IN_ENDPOINT OUT_ENDPOINT\n");
        return 2;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    void *context = zmq_ctx_new();
    void *in = zmq_socket(context, ZMQ_SUB);
    void *out = zmq_socket(context, ZMQ_PUB);
    int unlimited = 0, linger = 0, timeout = 100;
    zmq_setsockopt(in, ZMQ_RCVHWM, &unlimited, sizeof unlimited);
    zmq_setsockopt(in, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(in, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(in, ZMQ_SUBSCRIBE, "", 0);
    zmq_setsockopt(out, ZMQ_SNDHWM, &unlimited, sizeof unlimited);
    zmq_setsockopt(out, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind(in, argv[1]) != 0) return fail(argv[1]);
    if (zmq_bind(out, argv[2]) != 0) return fail(argv[2]);

    zmq_msg_t frame;
    zmq_msg_init(&frame);
    unsigned long long messages = 0, frames = 0;
    while (!stopping) {
        if (zmq_msg_recv(&frame, in, 0) < 0) {
            if (zmq_errno() == EAGAIN || zmq_errno() == EINTR) continue;
            return fail("zmq_msg_recv");
        }
        int more = zmq_msg_more(&frame);
        while (zmq_msg_send(&frame, out, more ? ZMQ_SNDMORE : 0) < 0) {
            if (zmq_errno() != EINTR) return fail("zmq_msg_send");
        }
        frames += 1;
        if (!more) messages += 1;
    }
    zmq_msg_close(&frame);
    zmq_close(in);
    zmq_close(out);
    zmq_ctx_term(context);
    printf("{\"relayed\": %llu, \"frames\": %llu}\n", messages, frames);
    return 0;
}
