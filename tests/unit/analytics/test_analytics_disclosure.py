"""Disclosure control: thresholds, margins, linked totals and consistency across releases."""
from hypothesis import HealthCheck, given, settings, strategies as st

from support.disclosure_attacker import disclosed_cells
from services.analytics.domain.disclosure import Block, Line, ReleasedBlock, check_release, protect

THRESHOLD = 10


@st.composite
def quarter_blocks(draw, period="2026-Q1"):
    """A block shaped like the report's: a total split two ways, and a sub-total with its own breakdown."""
    parts = draw(st.lists(st.integers(0, 22), min_size=2, max_size=4))
    values = {f"a{i}": v for i, v in enumerate(parts)}
    values["total"] = sum(parts)
    lines = [Line("total", tuple(f"a{i}" for i in range(len(parts))))]
    if draw(st.booleans()):  # a second partition of the same total
        cuts = sorted(draw(st.lists(st.integers(0, values["total"]), min_size=1, max_size=2)))
        pieces = [b - a for a, b in zip([0, *cuts], [*cuts, values["total"]])]
        values.update({f"b{i}": v for i, v in enumerate(pieces)})
        lines.append(Line("total", tuple(f"b{i}" for i in range(len(pieces)))))
    if draw(st.booleans()):  # a sub-total of two parts, broken down once more (like signals by role)
        values["sub"] = values["a0"] + values["a1"]
        cut = draw(st.integers(0, values["sub"]))
        values.update({"r0": cut, "r1": values["sub"] - cut})
        lines += [Line("sub", ("a0", "a1")), Line("sub", ("r0", "r1"))]
    return Block("t", period, values, tuple(lines))


def released(cells, block):
    return ReleasedBlock(block.name, block.period, cells, block.lines, THRESHOLD)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quarter_blocks())
def test_no_suppressed_cell_can_be_recovered_from_the_published_totals(block):
    release = protect(block, THRESHOLD)
    for key, value in release.cells.items():
        assert value is None or value == block.values[key]            # published = true value
        assert value is None or value == 0 or value >= THRESHOLD       # 0 or at least the threshold
        if 0 < block.values[key] < THRESHOLD:
            assert value is None                                       # every small count is hidden
    assert check_release([release], THRESHOLD) == []
    cap = 2 * max(block.values.values()) + THRESHOLD
    assert disclosed_cells(release.cells, block, cap) == set()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(quarter_blocks(), min_size=2, max_size=4), st.integers(1, 3))
def test_a_later_release_repeats_earlier_quarters_exactly_so_differencing_gains_nothing(blocks, cut):
    quarters = [f"2026-Q{i + 1}" for i in range(len(blocks))]
    for block, quarter in zip(blocks, quarters):
        block.period = quarter
    cut = min(cut, len(blocks) - 1)
    earlier = [protect(block, THRESHOLD) for block in blocks[:cut]]
    later = [protect(block, THRESHOLD) for block in blocks]
    assert check_release(later, THRESHOLD, previous=earlier) == []
    for old, new in zip(earlier, later):
        assert old.cells == new.cells  # same numbers, same suppression pattern
    # everything the two releases publish together still discloses nothing, quarter by quarter
    for block, release in zip(blocks, later):
        assert disclosed_cells(release.cells, block, 2 * max(block.values.values()) + THRESHOLD) == set()


def test_the_attacker_is_able_to_find_a_disclosure():
    block = Block("t", "2026-Q1", {"total": 40, "a0": 3, "a1": 37}, (Line("total", ("a0", "a1")),))
    assert disclosed_cells({"total": 40, "a0": None, "a1": 37}, block, 100) == {"a0"}


def test_checker_flags_a_small_published_count():
    block = Block("t", "2026-Q1", {"total": 43, "a0": 3, "a1": 40}, (Line("total", ("a0", "a1")),))
    problems = check_release([released({"total": 43, "a0": 3, "a1": 40}, block)], THRESHOLD)
    assert any("below the threshold" in p for p in problems)


def test_checker_flags_a_lone_suppressed_cell_in_a_line_with_a_total():
    block = Block("t", "2026-Q1", {"total": 43, "a0": 3, "a1": 40}, (Line("total", ("a0", "a1")),))
    problems = check_release([released({"total": 43, "a0": None, "a1": 40}, block)], THRESHOLD)
    assert any("single suppressed cell" in p for p in problems)


def test_checker_flags_suppressed_cells_whose_margin_is_too_small():
    block = Block("t", "2026-Q1", {"total": 50, "a0": 3, "a1": 4, "a2": 43}, (Line("total", ("a0", "a1", "a2")),))
    problems = check_release([released({"total": 50, "a0": None, "a1": None, "a2": 43}, block)], THRESHOLD)
    assert any("add up to 7" in p for p in problems)


def test_checker_flags_a_cell_recoverable_only_by_combining_linked_totals():
    # a+b, a+c and b+c are published: every line hides two cells worth >= 10, yet a = (p + q - r) / 2
    lines = (Line("p", ("a", "b")), Line("q", ("a", "c")), Line("r", ("b", "c")))
    values = {"a": 5, "b": 7, "c": 6, "p": 12, "q": 11, "r": 13}
    block = Block("t", "2026-Q1", values, lines)
    cells = {**values, "a": None, "b": None, "c": None}
    problems = check_release([released(cells, block)], THRESHOLD)
    assert sum("recomputed from the published totals" in p for p in problems) == 3
    assert protect(block, THRESHOLD).cells != cells  # protect hides more until nothing is recoverable
    assert check_release([protect(block, THRESHOLD)], THRESHOLD) == []


def test_checker_refuses_cumulative_periods_and_changed_repeats():
    block = Block("t", "2026-Q1..2026-Q2", {"total": 43, "a0": 13, "a1": 30}, (Line("total", ("a0", "a1")),))
    assert any("not one fixed quarter" in p for p in check_release([protect(block)], THRESHOLD))
    old = protect(Block("t", "2026-Q1", {"total": 43, "a0": 13, "a1": 30}, (Line("total", ("a0", "a1")),)))
    new = protect(Block("t", "2026-Q1", {"total": 42, "a0": 12, "a1": 30}, (Line("total", ("a0", "a1")),)))
    assert any("differs from the previous release" in p for p in check_release([new], THRESHOLD, previous=[old]))


def test_threshold_is_configurable():
    block = Block("t", "2026-Q1", {"total": 26, "a0": 6, "a1": 20}, (Line("total", ("a0", "a1")),))
    assert protect(block, 5).cells == {"total": 26, "a0": 6, "a1": 20}
    assert protect(block, 10).cells == {"total": 26, "a0": None, "a1": None}


def test_a_quarter_with_every_count_hidden_is_not_refused_because_of_the_checkers_own_bound():
    """Twelve parts of 1 under a hidden total of 12: nothing is published but zeros, so nothing can be pinned (the
    interval check once capped hidden cells at 10 and 'pinned' all twelve to 1)."""
    values = {f"p{i}": 1 for i in range(12)}
    values["total"] = 12
    values.update({"q0": 12, "q1": 0})
    block = Block("t", "2026-Q1", values, (Line("total", tuple(f"p{i}" for i in range(12))), Line("total", ("q0", "q1"))))
    release = protect(block, THRESHOLD)
    assert {k for k, v in release.cells.items() if v is not None} <= {"q1", "total", "q0"}
    assert check_release([release], THRESHOLD) == []
    assert disclosed_cells(release.cells, block, 2 * 12 + THRESHOLD) == set()
