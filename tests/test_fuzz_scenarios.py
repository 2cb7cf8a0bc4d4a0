"""Fuzz the shipped files (game/tools/fuzz_scenarios.py): every mutant is either rejected with
``path:line:col`` and a reason, or validates and then plays a few turns without an error."""

import numpy as np
import pytest

from game.tools.fuzz_scenarios import check_mutant, make_mutant, mutate


@pytest.mark.parametrize("seed", [pytest.param(s, marks=pytest.mark.slow) if s > 2 else s for s in range(1, 13)])
def test_a_mutant_is_rejected_where_it_is_wrong_or_plays(tmp_path, seed):
    scenario, what = make_mutant(tmp_path / "scenarios", np.random.default_rng(seed))
    outcome = check_mutant(scenario, turns=2)
    assert outcome in ("rejected", "played"), f"{what}: {outcome}"


def test_mutations_change_one_value():
    data = {"a": 1, "b": [1, 2, {"c": "x"}]}
    rng = np.random.default_rng(0)
    changed = 0
    for _ in range(50):
        mutant, what = mutate(data, rng)
        assert data == {"a": 1, "b": [1, 2, {"c": "x"}]}        # the original is left alone
        changed += mutant != data
        assert what.split()[0] in ("replace", "delete", "duplicate", "scale")
    assert changed >= 40
