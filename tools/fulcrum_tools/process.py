"""Running a `fulcrum` process for a measurement: its configuration in a fresh folder, its log beside it, and an
orderly stop."""
import os
import signal
import subprocess
import tempfile


def environment_without_overrides() -> dict[str, str]:
    """This process's environment less the FULCRUM__SECTION__KEY overrides, so that a configuration file written
    for a run is the whole configuration."""
    return {key: value for key, value in os.environ.items() if not key.startswith("FULCRUM__")}


class Fulcrum:
    """`fulcrum run --config FILE` on `config` (YAML text), written to a new temporary folder that also holds the
    log (standard output and error)."""

    def __init__(self, binary, config, prefix, arguments=(), environment=None):
        self.directory = tempfile.mkdtemp(prefix=prefix)
        self.config = os.path.join(self.directory, "fulcrum.yaml")
        with open(self.config, "w") as handle:
            handle.write(config)
        self.log_path = os.path.join(self.directory, "fulcrum.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, "run", "--config", self.config, *arguments], stdout=self.log,
                                        stderr=subprocess.STDOUT, env=environment)

    @property
    def pid(self):
        return self.process.pid

    def stop(self, timeout=30):
        """SIGTERM, then SIGKILL after `timeout` seconds; returns the exit status, or "killed"."""
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            status = "killed"
        self.log.close()
        return status


def rss_kib(pid: int):
    """Resident memory of process `pid` in KiB (VmRSS), or None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None
