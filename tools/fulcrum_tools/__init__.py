"""Fulcrum's Python tools: reference-vector generators, benchmark and soak harnesses, deployment checks, backtest
helpers and the fuzz corpus writer, with the code they share (wire formats, ports, metrics, processes).

Every tool runs as a module from anywhere inside a Fulcrum checkout: ``python3 -m fulcrum_tools.<group>.<tool>``.
"""
