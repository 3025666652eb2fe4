import shutil

import pytest

from fulcrum_tools.checks.package_imports import mismatches
from fulcrum_tools.paths import repository_root


@pytest.mark.skipif(shutil.which("swift") is None, reason="needs the Swift toolchain")
def test_package_swift_declares_exactly_what_each_target_imports():
    assert mismatches(repository_root()) == []
