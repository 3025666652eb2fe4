"""A JSON consumer for the benchmark: subscribes to `json.` on Fulcrum's PUB socket and discards what arrives,
so that the publisher renders JSON renditions (it renders them only while some subscriber wants them).

    python3 -m fulcrum_tools.bench.json_sink ENDPOINT   (runs until SIGTERM; prints {"received": N})
"""
import json
import signal
import sys

import zmq

from fulcrum_tools.sockets import subscriber

stop = False


def finish(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, finish)
context = zmq.Context()
socket = subscriber(context, sys.argv[1], [b"json."])
received = 0
while not stop:
    if socket.poll(100):
        while True:
            try:
                socket.recv_multipart(zmq.NOBLOCK)
                received += 1
            except zmq.Again:
                break
print(json.dumps({"received": received}))
