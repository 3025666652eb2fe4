"""Holds Package.swift to the code: every module a target's Swift files import is a declared dependency of the
target, and every declared dependency is imported (system modules aside).

    python3 -m fulcrum_tools.checks.package_imports     # prints the mismatches, exits 1 if there are any
"""
import json
import re
import subprocess
import sys
from pathlib import Path

from fulcrum_tools.paths import repository_root

# Modules of the toolchain and the platform, never declared in Package.swift.
SYSTEM_MODULES = {
    "Foundation", "FoundationNetworking", "FoundationXML", "FoundationEssentials", "Glibc", "Musl", "Darwin", "ucrt",
    "Synchronization", "Testing", "XCTest", "Dispatch", "_Concurrency",
}
IMPORT = re.compile(r"^(?:@testable |@_exported )?import (?:struct |class |enum |func )?(\w+)", re.M)


def declared(target: dict) -> set[str]:
    names = set()
    for dependency in target["dependencies"]:
        for kind in ("byName", "product", "target"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def imported(root: Path, target: dict) -> set[str]:
    folder = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
    modules = set()
    for source in (root / folder).rglob("*.swift"):
        modules.update(IMPORT.findall(source.read_text()))
    return modules - SYSTEM_MODULES - {target["name"]}


def mismatches(root: Path) -> list[str]:
    manifest = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                         capture_output=True, text=True).stdout)
    problems = []
    for target in manifest["targets"]:
        if target["type"] == "system":
            continue
        uses, declares = imported(root, target), declared(target)
        if uses - declares:
            problems.append(f"{target['name']} imports undeclared {sorted(uses - declares)}")
        if declares - uses:
            problems.append(f"{target['name']} declares unused {sorted(declares - uses)}")
    return problems


def main() -> None:
    problems = mismatches(repository_root())
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
