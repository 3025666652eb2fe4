from .cli import main

main(prog="python3 -m fulcrum_client")
