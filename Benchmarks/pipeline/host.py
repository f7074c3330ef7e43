"""What the machine was while scripts/bench-pipeline measured: the CPUs, the kernel, how an idle CPU
waits for work, and the libzmq the baselines link. Latency ratios to raw libzmq depend on these
(a HedgeBus cycle hands work between more threads than a raw round trip does, and every hand-off
to a CPU that has gone idle costs what the idle state costs to leave), so two runs are comparable
only on hosts that read alike here.

    python3 host.py [JSON_FILE]     prints one summary line; writes the details to JSON_FILE

Everything is read from /proc and /sys; a field this kernel does not expose is left out.
"""
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

CPU = Path("/sys/devices/system/cpu")


def read(path):
    try:
        return Path(path).read_text().strip()
    except OSError:
        return None


def cpuinfo():
    """The first CPU's model name and whether the kernel runs under a hypervisor."""
    model, hypervisor = None, False
    for line in (read("/proc/cpuinfo") or "").splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and model is None:
            model = value.strip()
        elif key == "flags":
            hypervisor = hypervisor or "hypervisor" in value.split()
    return model, hypervisor


def idle_states():
    """The first CPU's idle states with the exit latency each declares, in µs."""
    states = []
    for state in sorted((CPU / "cpu0" / "cpuidle").glob("state*")):
        name = read(state / "name")
        if name:
            latency = read(state / "latency")
            states.append({"name": name, "exit_latency_us": int(latency) if latency and latency.isdigit() else None})
    return states


def libzmq_version():
    """The system libzmq, which HedgeBus and the C baselines link (pkg-config's reading of it)."""
    try:
        done = subprocess.run(["pkg-config", "--modversion", "libzmq"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def pyzmq_libzmq_version():
    """The libzmq the Python pipeline runs on: pyzmq's wheels carry their own."""
    try:
        import zmq
        return zmq.zmq_version()
    except ImportError:
        return None


def host():
    model, hypervisor = cpuinfo()
    memory_kb = next((int(line.split()[1]) for line in (read("/proc/meminfo") or "").splitlines()
                      if line.startswith("MemTotal:")), None)
    details = {
        "cpus": os.cpu_count(),
        "cpus_online": read(CPU / "online"),
        "cpu_model": model,
        "hypervisor": hypervisor,
        "kernel": platform.release(),
        "memory_gib": round(memory_kb / 2**20, 1) if memory_kb else None,
        "cpufreq_governor": read(CPU / "cpu0" / "cpufreq" / "scaling_governor"),
        "cpuidle_driver": read(CPU / "cpuidle" / "current_driver"),
        "cpuidle_governor": read(CPU / "cpuidle" / "current_governor_ro") or read(CPU / "cpuidle" / "current_governor"),
        "idle_states": idle_states(),
        "libzmq": libzmq_version(),
        "pyzmq_libzmq": pyzmq_libzmq_version(),
    }
    if details["cpuidle_driver"] == "haltpoll":
        poll_ns = read("/sys/module/haltpoll/parameters/guest_halt_poll_ns")
        details["guest_halt_poll_ns"] = int(poll_ns) if poll_ns and poll_ns.isdigit() else None
    return {key: value for key, value in details.items() if value is not None}


def summary(details):
    """One line a reader compares between two runs' outputs."""
    parts = [f"{details.get('cpus', '?')} CPUs", details.get("cpu_model", "unknown CPU")]
    if details.get("hypervisor"):
        parts.append("virtual machine")
    parts.append(f"Linux {details.get('kernel', '?')}")
    idle = details.get("cpuidle_driver")
    if idle == "haltpoll":
        poll_ns = details.get("guest_halt_poll_ns")
        idle = f"haltpoll, guest_halt_poll_ns {poll_ns}" + (" (an idle CPU halts at once)" if poll_ns == 0 else "")
    if idle:
        parts.append(f"idle: {idle}")
    if details.get("cpufreq_governor"):
        parts.append(f"governor: {details['cpufreq_governor']}")
    if details.get("libzmq"):
        parts.append(f"libzmq {details['libzmq']}")
    if details.get("pyzmq_libzmq"):
        parts.append(f"pyzmq's libzmq {details['pyzmq_libzmq']}")
    return "; ".join(parts)


def main():
    details = host()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(json.dumps(details, indent=2) + "\n")
    print(summary(details))


if __name__ == "__main__":
    main()
