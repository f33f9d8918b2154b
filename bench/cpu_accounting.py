"""CPU time per process group from /proc (Linux): what one complaint costs, summed over the platform's
processes, PostgreSQL and RabbitMQ. Used by run_all.py around the 25/s latency phase; the figure includes what
the platform does while idle during the phase (timers, relay polls), as a real installation pays it too."""
import os

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _group(pid: str, comm: str, own: dict):
    if pid in own:
        return own[pid]
    if comm == "postgres":
        return "postgresql"
    if comm.startswith("beam"):
        return "rabbitmq"
    return None


def snapshot(own_pids: dict) -> dict:
    """CPU ticks (user + system) per group; `own_pids` maps str(pid) → group name (the platform's processes)."""
    ticks = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue  # the process ended meanwhile
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        group = _group(pid, comm, own_pids)
        if group is None:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        ticks[(pid, group)] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def ms_per_item(before: dict, after: dict, items: int) -> dict:
    """Milliseconds of CPU per item for each group between two snapshots (processes that started in between count
    from zero), largest first, with the total."""
    per_group = {}
    for key, value in after.items():
        per_group[key[1]] = per_group.get(key[1], 0) + value - before.get(key, 0)
    result = {group: round(ticks * 1000 / CLOCK_TICKS / max(items, 1), 2)
              for group, ticks in sorted(per_group.items(), key=lambda item: -item[1])}
    result["total"] = round(sum(result.values()), 2)
    return result
