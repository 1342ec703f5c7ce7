"""The differential fuzzer (tests/fuzz/) against PyTorch: random tensor programs run line by line
on micrograd and on torch, every live tensor compared after every line, gradients at the end.

The campaign here is the bounded CI profile (marked slow and fuzz: ``./dev test`` runs it, the
quick loop ``-m "not slow"`` does not); ``./dev fuzz [N]`` runs the long one.  The other tests
check the fuzzer itself: torch against torch finds nothing, and a bug planted in a copy of torch
is found, shrunk to a few lines, and let pass when it is listed as a known difference.
"""

import os
import pathlib
import re
import types

import pytest

CI_PROGRAMS = int(os.environ.get("MICROGRAD_FUZZ_PROGRAMS", "3000"))
CI_SEED = 20240601  # the same programs every run, for a given micrograd


@pytest.mark.slow
@pytest.mark.fuzz
def test_micrograd_agrees_with_torch_on_random_programs(torch):
    """CI_PROGRAMS random programs on two processes (about 3 minutes on this project's 2-core
    machine); a mismatch signature that is not one of the open ones (``fuzz/open.py``) fails
    the test, which prints one shrunk reproduction of each, and so does an open one that no
    longer occurs (remove it from the list) (``./dev fuzz`` runs a longer campaign)."""
    from fuzz import campaign
    from fuzz.open import OPEN

    report = campaign.run(CI_PROGRAMS, workers=2, base_seed=CI_SEED, shrink_runs=150)
    new = sorted(set(report.findings) - OPEN)
    assert not new, f"new mismatches: {new}\n" + report.summary(top=40)
    if CI_PROGRAMS == 3000:  # the open list was made with this campaign
        fixed = sorted(OPEN - set(report.findings))
        assert not fixed, f"fixed, remove them from fuzz/open.py: {fixed}"


@pytest.mark.slow
@pytest.mark.fuzz
def test_torch_agrees_with_itself(torch):
    """With torch on both sides the interpreter reports nothing: its comparisons (nan, -0.0,
    tolerances, str, aliasing, gradients) raise no false alarm."""
    from hypothesis import HealthCheck, given, settings

    from fuzz import compare, programs

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(programs.programs())
    def check(program):
        outcome = compare.run(program, expected=torch, got=torch, known=[])
        assert not outcome.mismatches, outcome.reproduction(outcome.mismatches[0])

    check()


def test_known_differences_quote_the_readme():
    """Every difference the fuzzer lets pass is one the README documents, in its words."""
    from fuzz.known import KNOWN_DIFFERENCES

    readme = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Where micrograd differs from PyTorch", 1)[1].split("\n## ", 1)[0]
    words = lambda text: re.sub(r"\s+", " ", text)
    for difference in KNOWN_DIFFERENCES:
        assert words(difference.readme) in words(section), difference.name


def torch_with_a_bug(torch):
    """A copy of torch whose ``cat`` puts its tensors in reverse order."""
    mutant = types.ModuleType("torch_with_a_bug")
    mutant.__getattr__ = lambda name: getattr(torch, name)
    mutant.cat = lambda tensors, dim=0: torch.cat(list(tensors)[::-1], dim)
    return mutant


@pytest.mark.slow
@pytest.mark.fuzz
def test_a_planted_bug_is_found_reported_and_let_pass_when_known(torch):
    """One program with the planted bug gives one mismatch, with its signature and a
    reproduction; listed as a known difference, it is counted and not reported."""
    from fuzz import compare, known
    from fuzz.programs import Program, Step

    program = Program(
        [
            Step("t0 = T.tensor([1.0, 2.0])", "T.tensor", ("t0",)),
            Step("t1 = T.cat([t0, t0 * 2])", "T.cat", ("t1",)),
            Step("t2 = t1.sum()", "t.sum()", ("t2",), accuracy="sum"),
        ]
    )
    outcome = compare.run(program, expected=torch, got=torch_with_a_bug(torch), known=[])
    assert outcome.signatures == ["T.cat | values: [float32]"]
    assert "t1 = T.cat([t0, t0 * 2])" in outcome.reproduction(outcome.mismatches[0])
    planted = known.KnownDifference("planted", "cat reverses", lambda m: m.op == "T.cat")
    outcome = compare.run(program, expected=torch, got=torch_with_a_bug(torch), known=[planted])
    assert outcome.mismatches == [] and outcome.known == {"planted": 1}  # t2 is not compared


@pytest.mark.slow
def test_a_planted_bug_is_found_by_a_campaign_and_shrunk(torch):
    """A short campaign against the copy of torch with a bug finds ``T.cat``'s signature and
    shrinks its reproduction to a few lines (the planted bug needs about four)."""
    from fuzz import campaign

    report = campaign.run(300, base_seed=1, got=torch_with_a_bug(torch))
    cats = [f for f in report.findings.values() if f.signature.startswith("T.cat |")]
    assert cats, report.summary()
    shortest = min(cats, key=lambda f: len(f.reproduction.splitlines()))
    assert shortest.shrunk and len(shortest.reproduction.splitlines()) <= 9, shortest.reproduction
