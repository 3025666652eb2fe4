"""Where the Fulcrum checkout is: the tools that read or write repository files work on the checkout they are run
in."""
from pathlib import Path


def _is_checkout(path: Path) -> bool:
    # Benchmarks/ and Fuzz/ have a Package.swift of their own: the protocols folder marks the top.
    return (path / "Package.swift").is_file() and (path / "protocols" / "fulcrum" / "v1").is_dir()


def repository_root() -> Path:
    """The Fulcrum checkout that holds the current directory, else the one this package was installed from in
    editable mode. Exits with a message when there is neither."""
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents, Path(__file__).resolve().parents[2]):
        if _is_checkout(candidate):
            return candidate
    raise SystemExit("not inside a Fulcrum checkout: run this from the repository (or below it)")
