"""ZeroMQ sockets as the tools open them: with unbounded queues (high-water mark 0), so that a tool never drops a
message itself and a measurement sees every loss where it happens."""
import zmq


def subscriber(context, endpoint, prefixes, bind=False):
    """A SUB socket holding `prefixes` (b"" for everything), connected to `endpoint` (bound with bind=True)."""
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.RCVHWM, 0)
    for prefix in prefixes:
        socket.setsockopt(zmq.SUBSCRIBE, prefix)
    (socket.bind if bind else socket.connect)(endpoint)
    return socket


def publisher(context, endpoint, bind=False):
    """A PUB socket connected to `endpoint` (bound with bind=True)."""
    socket = context.socket(zmq.PUB)
    socket.setsockopt(zmq.SNDHWM, 0)
    (socket.bind if bind else socket.connect)(endpoint)
    return socket
