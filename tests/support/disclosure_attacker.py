"""An independent attacker for the disclosure tests: bounds propagation plus exhaustive search, no linear
algebra and no code shared with services.analytics.domain.disclosure.

It knows what a release publishes, that every line adds up, and that a suppressed cell is at least 1 (zeros
are published). A suppressed cell is disclosed when no completion of the release gives it another value.
"""


def _tighten(lines, low, high):
    """Interval propagation over `total = sum(parts)`; False when some interval becomes empty."""
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            # the sum over the other parts = the sum over all parts minus this one (linear, not quadratic, per line)
            all_low, all_high = sum(low[p] for p in parts), sum(high[p] for p in parts)
            bounds = {
                total: (all_low, all_high),
                **{p: (low[total] - (all_high - high[p]), high[total] - (all_low - low[p])) for p in parts},
            }
            for key, (new_low, new_high) in bounds.items():
                if new_low > low[key]:
                    low[key], changed = new_low, True
                if new_high < high[key]:
                    high[key], changed = new_high, True
                if low[key] > high[key]:
                    return False
    return True


def _feasible(lines, low, high) -> bool:
    low, high = dict(low), dict(high)
    if not _tighten(lines, low, high):
        return False
    open_keys = [k for k in low if low[k] < high[k]]
    if not open_keys:
        return True
    key = min(open_keys, key=lambda k: high[k] - low[k])
    return any(_feasible(lines, {**low, key: v}, {**high, key: v}) for v in range(low[key], high[key] + 1))


def disclosed_cells(cells: dict, block, cap: int) -> set:
    """Suppressed cells whose true value (block.values) is the only one consistent with the release."""
    lines = [(line.total, list(line.parts)) for line in block.lines]
    low = {k: (1 if v is None else v) for k, v in cells.items()}
    high = {k: (cap if v is None else v) for k, v in cells.items()}
    disclosed = set()
    for key in (k for k, v in cells.items() if v is None):
        true = block.values[key]
        alternatives = sorted((v for v in range(1, cap + 1) if v != true), key=lambda v: abs(v - true))
        if not any(_feasible(lines, {**low, key: v}, {**high, key: v}) for v in alternatives):
            disclosed.add(key)
    return disclosed
