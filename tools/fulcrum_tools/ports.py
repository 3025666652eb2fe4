"""Free TCP ports on the loopback interface.

    python3 -m fulcrum_tools.ports [COUNT]     prints COUNT (default 1) distinct free ports, space-separated
"""
import socket
import sys


def free_ports(count: int) -> list[int]:
    """`count` distinct ports the kernel had free a moment ago (all probed at once, so none repeats)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def free_port() -> int:
    return free_ports(1)[0]


if __name__ == "__main__":
    print(" ".join(str(port) for port in free_ports(int(sys.argv[1]) if len(sys.argv) > 1 else 1)))
