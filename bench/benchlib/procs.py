"""Servers in their own session: start (optionally pinned), find every process of the session,
CPU ticks, peak memory, re-pin, stop by process group. Never signals by name."""
import os
import signal
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    """Fields after the command name of /proc/PID/stat (index 0 = state)."""
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    return s[s.rindex(")") + 2:].split()


def session_pids(sid):
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            f = _stat_fields(d)
        except (OSError, ValueError):
            continue
        if f[0] != "Z" and (int(f[3]) == sid or int(f[2]) == sid):
            pids.append(int(d))
    return pids


def session_ticks(sid):
    """utime + stime of the session's live processes, in clock ticks."""
    total = 0
    for pid in session_pids(sid):
        try:
            f = _stat_fields(pid)
            total += int(f[11]) + int(f[12])
        except (OSError, ValueError):
            pass
    return total


def peak_rss_kib(sid):
    """The largest VmHWM (peak resident set) among the session's processes, KiB."""
    peak = 0
    for pid in session_pids(sid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
    return peak


def affinity(sid):
    """The CPU lists of every thread of the session, e.g. '1' or '0-1'."""
    lists = set()
    for pid in session_pids(sid):
        try:
            for t in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{t}/status") as f:
                    for line in f:
                        if line.startswith("Cpus_allowed_list:"):
                            lists.add(line.split()[1])
        except OSError:
            pass
    return "/".join(sorted(lists))


class Server:
    """One server process group. cpus: a taskset CPU list, or None for unpinned."""

    def __init__(self, name, cmd, workdir, cpus=None, env=None):
        self.name, self.cmd, self.workdir, self.cpus = name, cmd, workdir, cpus
        self.env = env
        self.proc = None
        self.started = None
        self.log = os.path.join(workdir, "server.log")

    def start(self):
        cmd = (["taskset", "-c", self.cpus] if self.cpus else []) + self.cmd
        logf = open(self.log, "w")
        self.started = time.monotonic()
        # start_new_session: setsid() in the child, so pid == session id == process group id.
        self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True, env=self.env)
        logf.close()
        return self

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def repin(self):
        """Some servers set their threads' affinity themselves (Knot pins its UDP workers
        round-robin); put every thread of the session back on the setup's CPUs."""
        if not self.cpus:
            return
        for pid in session_pids(self.pid):
            subprocess.run(["taskset", "-a", "-p", "-c", self.cpus, str(pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    def stop(self, grace=10.0):
        if self.proc is None:
            return
        pgid = self.proc.pid
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and (self.proc.poll() is None or session_pids(pgid)):
            time.sleep(0.05)
        if self.proc.poll() is None or session_pids(pgid):
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        self.proc = None

    def tail(self, n=20):
        try:
            with open(self.log) as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""
