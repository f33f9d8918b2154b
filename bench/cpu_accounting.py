"""CPU time per process group from /proc (Linux): what one complaint costs, summed over the pipeline's processes,
PostgreSQL and RabbitMQ. Used by run_all.py around each measured open-loop phase; the figure includes what the
processes do while idle during the phase (timers, relay polls), as a real installation pays it too. The load
generator (the benchmark process itself) is not counted.

Groups: the pipeline's own processes by pid, and whole process trees by their root (the bench's private
postmaster with every backend, the bench's private beam with its helpers). A child that ended during the phase
is counted through its parent's cutime/cstime (PostgreSQL backends are reaped by the postmaster), so each group
is a sum of ticks and the figure is the difference of two sums.
"""
import os

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _processes():
    """{pid: (ppid, comm, own ticks, reaped children's ticks)} of every process."""
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue  # the process ended meanwhile
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[1] ppid; [11] utime, [12] stime, [13] cutime, [14] cstime
        found[int(pid)] = (int(fields[1]), comm, int(fields[11]) + int(fields[12]),
                           int(fields[13]) + int(fields[14]))
    return found


def snapshot(own_pids: dict, roots: dict = None) -> dict:
    """CPU ticks (user + system) per group. `own_pids` maps str(pid) → group (the pipeline's processes);
    `roots` maps a pid → group for a whole process tree (PostgreSQL, RabbitMQ)."""
    processes = _processes()
    children = {}
    for pid, (ppid, *_rest) in processes.items():
        children.setdefault(ppid, []).append(pid)
    group_of = {int(pid): group for pid, group in own_pids.items()}
    for root, group in (roots or {}).items():
        stack = [root]
        while stack:
            pid = stack.pop()
            group_of.setdefault(pid, group)
            stack.extend(children.get(pid, ()))
    ticks = {}
    for pid, group in group_of.items():
        if pid in processes:
            _ppid, _comm, own, reaped = processes[pid]
            ticks[group] = ticks.get(group, 0) + own + reaped
    return ticks


def ms_per_item(before: dict, after: dict, items: int) -> dict:
    """Milliseconds of CPU per item for each group between two snapshots, largest first, with the total."""
    per_group = {group: after[group] - before.get(group, 0) for group in after}
    result = {group: round(ticks * 1000 / CLOCK_TICKS / max(items, 1), 2)
              for group, ticks in sorted(per_group.items(), key=lambda item: -item[1])}
    result["total"] = round(sum(result.values()), 2)
    return result


def machine() -> dict:
    """Ticks of the whole machine (/proc/stat: busy = user + nice + system + irq + softirq + steal) and of this
    process (the load generator and the partner consumers): to tell how much else ran during a phase."""
    with open("/proc/stat") as stat_file:
        fields = [int(x) for x in stat_file.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    with open("/proc/self/stat") as stat_file:
        own = stat_file.read()
    own_fields = own[own.rindex(")") + 2:].split()
    return {"busy": user + nice + system + irq + softirq + steal, "idle": idle + iowait, "steal": steal,
            "bench": int(own_fields[11]) + int(own_fields[12])}


def machine_share(before: dict, after: dict, measured_ticks: int, seconds: float) -> dict:
    """CPUs in use during a phase: all, the measured processes, the benchmark itself, everything else (other
    people's work on a shared machine inflates the figures: report it next to them)."""
    def cpus(ticks):
        return round(ticks / CLOCK_TICKS / max(seconds, 1e-9), 2)
    busy = after["busy"] - before["busy"]
    bench = after["bench"] - before["bench"]
    return {"busy_cpus": cpus(busy), "measured_cpus": cpus(measured_ticks), "bench_cpus": cpus(bench),
            "other_cpus": cpus(max(0, busy - measured_ticks - bench)),
            "steal_cpus": cpus(after["steal"] - before["steal"])}

