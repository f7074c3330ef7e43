"""Hosts for scripts/multihost: Linux network namespaces joined by veth pairs to a bridge in a
namespace of its own (the switch), each host also known by a name (`<host>.hedgebus.test`, in a
hosts file `ip netns exec` puts in place of /etc/hosts). Names are unique per run; `remove`
deletes every namespace it made (the veths and the bridge go with them) and their hosts files."""
import os
import shutil
import subprocess
import uuid

SUBNET = "10.77.0"


def unavailable():
    """Why namespaces cannot be made here, or None."""
    if os.geteuid() != 0:
        return "not root: making network namespaces and veth pairs needs root"
    if not shutil.which("ip"):
        return "the ip command (iproute2) is not installed"
    probe = f"hbprobe-{uuid.uuid4().hex[:8]}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"ip netns add fails here: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


class Network:
    """One bridged /24 with a namespace per host: host i (from 1) has address 10.77.0.i."""

    def __init__(self, hosts):
        tag = uuid.uuid4().hex[:8]
        self.switch = f"hb{tag}-switch"
        self.namespaces = {host: f"hb{tag}-{host}" for host in hosts}
        self.addresses = {host: f"{SUBNET}.{index}" for index, host in enumerate(hosts, start=1)}
        self.made = []

    @staticmethod
    def name(host):
        """The name every host resolves `host` by."""
        return f"{host}.hedgebus.test"

    def ip(self, *arguments, namespace=None):
        command = ["ip"] + (["-n", namespace] if namespace else []) + list(arguments)
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip()}")

    def create(self):
        hosts_file = "127.0.0.1 localhost\n" + "".join(f"{self.addresses[h]} {self.name(h)}\n" for h in self.namespaces)
        for namespace in self.namespaces.values():
            os.makedirs(f"/etc/netns/{namespace}", exist_ok=True)
            with open(f"/etc/netns/{namespace}/hosts", "w") as f:
                f.write(hosts_file)
        self.ip("netns", "add", self.switch)
        self.made.append(self.switch)
        self.ip("link", "add", "br0", "type", "bridge", namespace=self.switch)
        self.ip("link", "set", "br0", "up", namespace=self.switch)
        for host, namespace in self.namespaces.items():
            self.ip("netns", "add", namespace)
            self.made.append(namespace)
            port = self.port(host)
            self.ip("link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", namespace, namespace=self.switch)
            self.ip("link", "set", port, "master", "br0", namespace=self.switch)
            self.ip("link", "set", port, "up", namespace=self.switch)
            self.ip("addr", "add", f"{self.addresses[host]}/24", "dev", "eth0", namespace=namespace)
            self.ip("link", "set", "eth0", "up", namespace=namespace)
            self.ip("link", "set", "lo", "up", namespace=namespace)

    @staticmethod
    def port(host):
        """The switch's end of a host's veth pair (at most 15 characters)."""
        return f"p-{host}"[:15]

    def cut(self, host):
        """Unplugs the host: its switch port goes down, so nothing reaches it or leaves it."""
        self.ip("link", "set", self.port(host), "down", namespace=self.switch)

    def restore(self, host):
        self.ip("link", "set", self.port(host), "up", namespace=self.switch)

    def run_in(self, host, command):
        """`command` as run on `host`."""
        return ["ip", "netns", "exec", self.namespaces[host]] + list(command)

    def remove(self):
        """Deletes every namespace made; run once every process started in them has ended."""
        for namespace in reversed(self.made):
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True, timeout=20)
        self.made = []
        for namespace in self.namespaces.values():
            shutil.rmtree(f"/etc/netns/{namespace}", ignore_errors=True)
