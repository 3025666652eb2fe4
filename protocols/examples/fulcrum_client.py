#!/usr/bin/env python3
"""A complete Fulcrum risk-feed consumer in Python, per protocols/README.md: the command line of the `fulcrum-client`
package (clients/python), runnable from the checkout without installing it (it needs pyzmq and protobuf).

    python3 protocols/examples/fulcrum_client.py tcp://127.0.0.1:7601 [--snapshot tcp://127.0.0.1:7602]
        [--encoding protobuf|json] [--dead-after S] [--snapshot-timeout S] [--count N] [--seconds S]
        [--position SYMBOL=NOTIONAL ...] [--curve-server-key Z85 --curve-key-file FILE]

Output: one JSON object per line (events, applied updates, and a closing summary with --count/--seconds or on
SIGTERM/SIGINT); `--help` describes it. The protocol's state machine, the typed messages and portfolio margin are
the package's (fulcrum_client.machine, fulcrum_client.types, fulcrum_client.margin); this file only finds it.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# This file has the package's name: its own folder must not shadow the package. The checkout's copy of the package
# comes first, so that the example and the package of one checkout always agree; an installed one serves otherwise.
sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != HERE]
CHECKOUT_PACKAGE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "clients", "python", "src")
if os.path.isdir(CHECKOUT_PACKAGE):
    sys.path.insert(0, CHECKOUT_PACKAGE)

from fulcrum_client.cli import main  # noqa: E402

if __name__ == "__main__":
    main(prog="fulcrum_client.py")
