"""Statistical disclosure control for every published count.

The unit of protection is a *block*: all counts of one fixed calendar quarter, with the published totals that
tie them together (`Line`: total = sum of parts). Rules, applied by `protect` and audited by `check_release`:

1. Threshold: a published count is 0 or >= threshold (default 10). Counts 1..threshold-1 are suppressed.
2. Margins: in every line whose total is published, suppressed parts come at least in pairs and their hidden
   sum is >= threshold, so neither subtraction nor "the rest is small" gives a suppressed value away. Cells
   are suppressed in addition (secondary suppression) to reach this: the smallest non-zero published parts.
   The rule also covers the lines a reader derives by subtracting a nested line (`reader_lines`).
3. Linked lines: lines share cells (a quarter's total, a sub-total of the issues that is also the total of the
   signals-by-role line). A suppressed cell must not be determined by the whole system of published totals:
   checked exactly with linear algebra (a cell is recoverable iff its unit vector lies in the row space of the
   equations restricted to suppressed cells), and by interval propagation using what every reader knows, that
   a suppressed count is at least 1 (that can pin a cell the rank test calls free). `protect` adds
   suppressions until neither finds anything.
4. Periods: a block is one fixed quarter, never a running or cumulative total, and its suppression depends on
   that quarter's data only. A release for 2026-Q1..2027-Q4 and one for 2026-Q1..2028-Q4 therefore publish the
   identical numbers and pattern for 2026-Q1, and no published number spans quarters, so differencing two
   releases (or a release and its predecessor) recovers nothing. `check_release(..., previous=...)` verifies
   that an overlapping block is published identically (it would differ if facts changed in between, e.g. a
   withdrawal: the difference would disclose the change, so the release is refused and needs a human decision).

Zeros are published as zeros and never used as secondary suppressions (hiding a 0 protects nothing).
"""
import re
from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 10
PERIOD_PATTERN = re.compile(r"^\d{4}-Q[1-4]$")


@dataclass(frozen=True)
class Line:
    """A published total and the cells that add up to it: sum(parts) = total (- minus, for derived lines)."""
    total: str
    parts: tuple[str, ...]
    minus: str | None = None  # only in lines a reader derives by subtracting a nested line (see reader_lines)

    def terms(self):
        """(key, coefficient) with sum(coefficient * value) = 0."""
        terms = [(p, 1) for p in self.parts] + [(self.total, -1)]
        return terms + [(self.minus, 1)] if self.minus else terms

    def total_value(self, cells):
        """The line's total as a reader sees it, None when it is (partly) suppressed."""
        if cells.get(self.total) is None or (self.minus and cells.get(self.minus) is None):
            return None
        return cells[self.total] - (cells[self.minus] if self.minus else 0)


def coarse_live_count(count: int, threshold: int = DEFAULT_THRESHOLD) -> int:
    """A live count as the business metrics may show it: rounded down to a multiple of the threshold, so it is 0
    or >= threshold (rule 1) and moves only once per `threshold` cases. A dashboard that showed every filing as
    it happened would let someone who saw a person at the desk tie that filing to a moment (issue 19)."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    return count // threshold * threshold


def reader_lines(lines) -> list[Line]:
    """The published lines plus what a reader gets by subtracting a nested line from an enclosing one.

    total = a0+a1+a2+a3 and sub = a0+a1 give a2+a3 = total - sub: a line of its own, to which the pair and
    hidden-sum rules apply as well (otherwise a2 = a3 = 1 would follow from total - sub = 2).
    """
    derived = [Line(outer.total, tuple(p for p in outer.parts if p not in inner.parts), inner.total)
               for outer in lines for inner in lines
               if outer is not inner and set(inner.parts) < set(outer.parts) and outer.total != inner.total]
    return list(lines) + derived


@dataclass
class Block:
    """True counts of one family of tables for one quarter (never published as is)."""
    name: str
    period: str
    values: dict[str, int]
    lines: tuple[Line, ...] = ()


@dataclass
class ReleasedBlock:
    """What is published: each cell is a count or None (suppressed)."""
    name: str
    period: str
    cells: dict[str, int | None]
    lines: tuple[Line, ...] = ()
    threshold: int = DEFAULT_THRESHOLD

    def published(self, key: str) -> bool:
        return self.cells[key] is not None


@dataclass
class _Work:
    values: dict[str, int]
    lines: tuple[Line, ...]
    suppressed: set = field(default_factory=set)


def _candidates(work: _Work, keys) -> list[str]:
    """Published non-zero cells, smallest first (least information lost), ties by key for determinism."""
    return sorted((k for k in keys if k not in work.suppressed and work.values[k] > 0),
                  key=lambda k: (work.values[k], k))


def _fix_line(work: _Work, line: Line, threshold: int) -> bool:
    """Rule 2 for one line; returns True when it suppressed something."""
    cells = {k: (None if k in work.suppressed else v) for k, v in work.values.items()}
    if line.total_value(cells) is None:
        return False
    hidden = [k for k in line.parts if k in work.suppressed]
    if not hidden:
        return False
    if len(hidden) >= 2 and sum(work.values[k] for k in hidden) >= threshold:
        return False
    candidates = _candidates(work, line.parts)
    if candidates:
        work.suppressed.add(candidates[0])
    else:  # nothing left to hide behind: hide the (smaller) total too
        totals = [k for k in (line.total, line.minus) if k]
        work.suppressed.add(min(totals, key=lambda k: (work.values[k], k)))
    return True


def _equations(lines, suppressed_keys):
    """Rows of the linear system over the suppressed cells (published cells move to the right-hand side)."""
    import numpy  # only reports need it; see recoverable_cells
    index = {key: i for i, key in enumerate(suppressed_keys)}
    rows = []
    for line in lines:
        row = numpy.zeros(len(index))
        for key, coefficient in line.terms():
            if key in index:
                row[index[key]] += coefficient
        if row.any():
            rows.append(row)
    return numpy.array(rows).reshape(len(rows), len(index))


def recoverable_cells(lines, suppressed_keys) -> list[str]:
    """Suppressed cells whose exact value follows from the published totals by linear algebra."""
    # imported here, when a report is checked, not at start: numpy costs the analytics process about 15 MB of
    # resident memory, and its event handlers never use it (the platform's idle target is 400 MB in total)
    import numpy
    keys = sorted(suppressed_keys)
    if not keys:
        return []
    matrix = _equations(lines, keys)
    if matrix.shape[0] == 0:
        return []
    rank = numpy.linalg.matrix_rank(matrix)
    found = []
    for i, key in enumerate(keys):
        unit = numpy.zeros(len(keys))
        unit[i] = 1.0
        if numpy.linalg.matrix_rank(numpy.vstack([matrix, unit])) == rank:
            found.append(key)
    return found


def _tighten(lines, low, high) -> None:
    """Interval propagation over every line's equation until nothing changes (or a safety cap of rounds)."""
    for _ in range(1000):
        changed = False
        for line in lines:
            terms = line.terms()
            if any(k not in low for k, _c in terms):
                continue
            # c * x ranges over [c*low, c*high] for c = +1 and [-high, -low] for c = -1
            spans = [(k, c, (low[k], high[k]) if c > 0 else (-high[k], -low[k])) for k, c in terms]
            all_min, all_max = sum(span[0] for *_x, span in spans), sum(span[1] for *_x, span in spans)
            for key, c, (span_min, span_max) in spans:
                rest_min, rest_max = all_min - span_min, all_max - span_max
                new_low, new_high = (-rest_max, -rest_min) if c > 0 else (rest_min, rest_max)
                if new_low > low[key]:
                    low[key], changed = new_low, True
                if new_high < high[key]:
                    high[key], changed = new_high, True
        if not changed:
            return


def pinned_cells(lines, cells: dict) -> list[str]:
    """Suppressed cells (None) pinned to one value by the totals plus "a suppressed count is at least 1".

    The rank test misses these: a + b = 12 with b >= 11 forced elsewhere pins a = 1 without a + b being
    determined linearly.
    """
    # an upper bound no reader can rule out. It must exceed every sum the lower bounds (>= 1 per suppressed cell)
    # can force, or the cap itself pins cells: with every count of a quarter hidden, a line of 12 suppressed parts
    # under a cap of 10 would "pin" them all to 1 and refuse a release that discloses nothing
    unbounded = 10 * (1 + sum(v for v in cells.values() if v is not None) + len(cells))
    low = {k: (1 if v is None else v) for k, v in cells.items()}
    high = {k: (unbounded if v is None else v) for k, v in cells.items()}
    _tighten(lines, low, high)
    return sorted(k for k, v in cells.items() if v is None and low[k] >= high[k])


def protect(block: Block, threshold: int = DEFAULT_THRESHOLD) -> ReleasedBlock:
    """Primary and secondary suppression for one block; deterministic for the same block."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    work = _Work(dict(block.values), block.lines)
    work.suppressed = {k for k, v in block.values.items() if 0 < v < threshold}
    lines = reader_lines(block.lines)
    for _ in range(10 * len(block.values) + 10):  # each pass suppresses at least one more cell, or stops
        if any(_fix_line(work, line, threshold) for line in lines):
            continue
        leaks = recoverable_cells(lines, work.suppressed)
        if not leaks:
            current = {k: (None if k in work.suppressed else v) for k, v in block.values.items()}
            leaks = pinned_cells(lines, current)
        if not leaks:
            break
        lines_with_leak = [line for line in block.lines if leaks[0] in (line.total, *line.parts)]
        neighbours = _candidates(work, {k for line in lines_with_leak for k in (line.total, *line.parts)})
        pool = neighbours or _candidates(work, work.values)
        if not pool:
            break  # everything non-zero is hidden already; check_release reports whatever is left
        work.suppressed.add(pool[0])
    cells = {k: (None if k in work.suppressed else v) for k, v in block.values.items()}
    return ReleasedBlock(block.name, block.period, cells, block.lines, threshold)


def _check_block(block: ReleasedBlock, threshold: int) -> list[str]:
    where = f"{block.name} {block.period}"
    problems = []
    if not PERIOD_PATTERN.match(block.period):
        problems.append(f"{where}: period is not one fixed quarter (cumulative or running totals are not allowed)")
    for key, value in block.cells.items():
        if value is not None and 0 < value < threshold:
            problems.append(f"{where}: {key}={value} is below the threshold {threshold}")
        if value is not None and value < 0:
            problems.append(f"{where}: {key} is negative")
    known = [line for line in block.lines if all(k in block.cells for k, _c in line.terms())]
    for line in block.lines:
        if line not in known:
            problems.append(f"{where}: line {line.total} refers to unknown cells")
    lines = reader_lines(known)
    for line in lines:
        total = line.total_value(block.cells)
        if total is None:
            continue
        name = line.total + (f" - {line.minus}" if line.minus else "")
        hidden = [k for k in line.parts if not block.published(k)]
        hidden_sum = total - sum(block.cells[k] for k in line.parts if block.published(k))
        if len(hidden) == 1:
            problems.append(f"{where}: {hidden[0]} = {name} - the other parts (single suppressed cell)")
        elif hidden and hidden_sum < threshold:
            problems.append(f"{where}: suppressed cells {hidden} add up to {hidden_sum} < {threshold} "
                            f"(their margin {name} gives them away)")
        elif not hidden and hidden_sum != 0:
            problems.append(f"{where}: parts of {name} do not add up")
    suppressed = [k for k, v in block.cells.items() if v is None]
    recoverable = recoverable_cells(lines, suppressed)
    for key in recoverable:
        problems.append(f"{where}: {key} can be recomputed from the published totals")
    for key in pinned_cells(lines, block.cells):
        if key not in recoverable:
            problems.append(f"{where}: {key} is pinned to one value by the totals (suppressed counts are >= 1)")
    return problems


def check_release(tables: list[ReleasedBlock], threshold: int = DEFAULT_THRESHOLD,
                  previous: list[ReleasedBlock] | None = None) -> list[str]:
    """Audit a release before it goes out; an empty list means it may be published."""
    problems = []
    seen = {}
    for block in tables:
        if (block.name, block.period) in seen:
            problems.append(f"{block.name} {block.period}: published twice in one release")
        seen[(block.name, block.period)] = block
        problems.extend(_check_block(block, threshold))
    for old in previous or ():
        new = seen.get((old.name, old.period))
        if new is not None and (new.cells != old.cells or new.lines != old.lines):
            changed = sorted(k for k in set(new.cells) | set(old.cells) if new.cells.get(k) != old.cells.get(k))
            problems.append(f"{old.name} {old.period}: differs from the previous release in {changed[:5]} "
                            f"(differencing the two releases would disclose the change)")
    return problems
