import os

import pytest
from hypothesis import settings

IN_CI = os.environ.get("MICROGRAD_CI") == "1"  # set by .ci/run: ./dev test installed everything
ORACLE = "2.13.0"  # the PyTorch that ./dev test installs

# CI searches harder and prints the blob that replays a failure; a developer's run stays quick.  No
# deadline in either: a loaded 2-core machine makes timings flaky.  (Tests with their own
# @settings(max_examples=...) keep that number in both.)
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=False, print_blob=True)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if IN_CI or os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def torch():
    """PyTorch, the oracle.  Missing, it skips the test on a developer's machine and fails it in CI,
    where ./dev test must have installed it."""
    try:
        import torch
    except ImportError as error:
        missing = (
            f"PyTorch {ORACLE} is needed as the oracle: ./dev test installs it "
            f"(pip install torch=={ORACLE}); {error}"
        )
    else:
        return torch
    if IN_CI:
        pytest.fail(missing, pytrace=False)
    pytest.skip(missing)


def pytest_collection_modifyitems(config, items):
    """A test that takes the torch fixture (as an argument, through usefixtures or through another
    fixture) is an oracle test."""
    for item in items:
        if "torch" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.oracle)
