"""Docker sandboxes: one fresh, locked-down container per run, destroyed on every path.

The job goes in on the container's stdin through an attached socket and the
report comes out on its stdout, so nothing is bind-mounted from the worker:
the same code works against a local engine or a remote one (a worker in
docker compose talking to the host's engine).
"""

from __future__ import annotations

import os
import socket
import struct
import time
import uuid

from docker.errors import APIError, DockerException, ImageNotFound, NotFound
from docker.types import DeviceRequest, LogConfig, Ulimit

import docker
from grader.backends.base import RunOutcome, SandboxUnavailable
from grader.harness.contract import SandboxKind
from grader.limits import Limits
from grader.protocol import ReportEnd, job_marker

DEFAULT_IMAGE = "tensordojo/sandbox:latest"
DEFAULT_STDLIB_IMAGE = "tensordojo/sandbox-stdlib:latest"  # no NumPy: exercises that forbid it run here
DEFAULT_TRITON_IMAGE = "tensordojo/sandbox-triton:latest"  # GPU exercises without a GPU (grader/gpu.py)
SANDBOX_LABEL = "tensordojo.sandbox"
HOST_ROLE = "exercise-host"  # a warm exercise sandbox (grader/exercise_host_docker.py): kept across gradings
HOST_MAX_AGE_S = 1800  # its process replaces one older than this; the sweep spares one younger (plus a margin)
# The container starts as root with three capabilities only; the supervisor (PID 1) drops to uid 10000
# keeping them and starts every runner as a uid of its own (10001, 10002, ...) with none (grader/harness/privileges.py).
SANDBOX_USER = "0:0"
SANDBOX_CAPS = ["SETUID", "SETGID", "KILL"]
TMP_INODES = 8192  # files and directories in /tmp (runc; gVisor ignores nr_inodes: the cleaner's deadline holds)
SHM_INODES = 1024
SHM_MB = 64
MQUEUE_STAND_IN = "ro,noexec,nosuid,nodev,size=4k,nr_inodes=1,mode=0555"  # an empty, read-only directory
STDERR_KEEP = 64 * 1024
REPORT_SLACK = 8 << 20  # results.json and tar framing on top of the result limit


def sandbox_labels(run_id: str) -> dict[str, str]:
    return {
        SANDBOX_LABEL: "1",
        "tensordojo.run": run_id,
        "tensordojo.host": socket.gethostname(),
        "tensordojo.pid": str(os.getpid()),
        "tensordojo.created": str(int(time.time())),
    }


GVISOR_PIDS = 1024
TRITON_CACHE = "/var/cache/triton"  # a GPU sandbox's Triton cache: compiled launchers are loaded from here
TRITON_CACHE_MB = 256


def container_options(
    limits: Limits, image: str, *, gpu: bool, runtime: str | None = None, preload: tuple[str, ...] = ()
) -> tuple[dict, dict]:
    """Every isolation setting of a sandbox container, in one place.

    Returns the arguments of the engine's create call and of its host config.
    """
    host_config = dict(
        network_mode="none",
        read_only=True,
        tmpfs={
            "/tmp": f"rw,noexec,nosuid,nodev,size={limits.tmpfs_mb}m,nr_inodes={TMP_INODES},mode=1777",
            "/dev/shm": f"rw,noexec,nosuid,nodev,size={min(limits.tmpfs_mb, SHM_MB)}m,nr_inodes={SHM_INODES},mode=1777",
            # In place of the engine's mqueue mount, where any uid may create a queue by open(): a name that
            # outlives every runner, which the cleaner of /tmp never sees (attacks/carry/mqueue_names).
            "/dev/mqueue": MQUEUE_STAND_IN,
        },
        cap_drop=["ALL"],
        cap_add=list(SANDBOX_CAPS),
        security_opt=["no-new-privileges"],
        mem_limit=f"{limits.memory_mb}m",
        memswap_limit=f"{limits.memory_mb}m",  # equal to mem_limit: no swap
        pids_limit=limits.pids,
        nano_cpus=int(limits.cpus * 1e9),
        ulimits=[
            Ulimit(name="nofile", soft=limits.nofile, hard=limits.nofile),
            Ulimit(name="fsize", soft=limits.fsize_mb << 20, hard=limits.fsize_mb << 20),
            Ulimit(name="core", soft=0, hard=0),
        ],
        log_config=LogConfig(type="none"),  # output is streamed, never stored by the engine
    )
    if runtime:
        host_config["runtime"] = runtime  # e.g. "runsc": gVisor's kernel between the learner and ours
    if runtime == "runsc":
        # The pids cgroup also counts gVisor's own sentry threads: at 64 or 256 the first fork() took the
        # whole sandbox down (measured). gVisor's processes are bounded by the memory limit instead.
        host_config["pids_limit"] = max(limits.pids, GVISOR_PIDS)
    if gpu:
        host_config["device_requests"] = [DeviceRequest(count=1, capabilities=[["gpu"]])]
        # Triton loads the launcher it compiles for each kernel (a .so): /tmp is noexec, where that fails
        # ("failed to map segment"). Its cache gets a tmpfs of its own that may be mapped as code; nothing
        # there may be executed (the runner's Landlock allow-list, docs/gpu.md).
        host_config["tmpfs"][TRITON_CACHE] = f"rw,exec,nosuid,nodev,size={TRITON_CACHE_MB}m,mode=1777"
    create = dict(
        image=image,
        stdin_open=True,
        detach=False,  # with stdin_open: StdinOnce, so closing our side ends stdin
        tty=False,
        network_disabled=True,
        user=SANDBOX_USER,
        hostname="sandbox",
        working_dir="/tmp",
        environment={
            "HOME": "/tmp",
            "OMP_NUM_THREADS": str(max(1, int(limits.cpus))),
            # What the supervisor's spare runners import while the container waits for its job.
            "TENSORDOJO_PRELOAD": ",".join(preload),
        },
    )
    if gpu:
        create["environment"]["TRITON_CACHE_DIR"] = TRITON_CACHE
    return create, host_config


class DockerBackend:
    name = "docker"
    unsafe = False

    def __init__(
        self,
        image: str | None = None,
        client: docker.DockerClient | None = None,
        *,
        stdlib_image: str | None = None,
        runtime: str | None = None,
        triton_image: str | None = None,
        gpu: bool = False,
    ):
        self.image = image or DEFAULT_IMAGE
        self.images = {SandboxKind.NUMPY: self.image, SandboxKind.STDLIB: stdlib_image or DEFAULT_STDLIB_IMAGE}
        # A GPU worker: gpu=True and triton_image=tensordojo/sandbox-gpu:latest (make gpu-image).
        self.images[SandboxKind.TRITON] = triton_image or DEFAULT_TRITON_IMAGE
        if gpu and runtime and "runsc" in runtime:
            # gVisor has no Landlock: every GPU runner would fail closed (privileges.restrict_exec, docs/gpu.md)
            raise ValueError(f"a GPU backend needs a runtime with Landlock (runc), not {runtime!r}")
        self.has_gpu = gpu
        self.runtime = runtime or None
        self._client = client
        self._image_ids: dict[str, str] = {}

    def image_id(self, kind: SandboxKind = SandboxKind.NUMPY) -> str:
        """The engine's id of the image a kind of sandbox runs (keys the reference cache)."""
        if kind not in self._image_ids:
            name = self.images.get(kind, self.image)
            try:
                self._image_ids[kind] = self.client.images.get(name).id.replace("sha256:", "")[:16]
            except ImageNotFound as exc:
                raise SandboxUnavailable(f"sandbox image {name} is missing: run `make image`") from exc
            except (DockerException, OSError) as exc:
                raise SandboxUnavailable(f"cannot inspect the sandbox image {name}: {exc}") from exc
        return self._image_ids[kind]

    @property
    def client(self) -> docker.DockerClient:
        if self._client is None:
            try:
                self._client = docker.from_env(timeout=30)
            except DockerException as exc:
                raise SandboxUnavailable(f"cannot reach the Docker engine: {exc}") from exc
        return self._client

    def check(self) -> dict:
        """Engine reachable and sandbox image present (for /healthz)."""
        try:
            self.client.ping()
        except (DockerException, SandboxUnavailable, OSError) as exc:
            return {"ok": False, "engine": False, "image": False, "error": str(exc)[:200]}
        try:
            image = self.client.images.get(self.image)
        except ImageNotFound:
            return {"ok": False, "engine": True, "image": False, "error": f"image {self.image} missing"}
        except DockerException as exc:
            return {"ok": False, "engine": True, "image": False, "error": str(exc)[:200]}
        return {"ok": True, "engine": True, "image": True, "image_id": image.id[:19], "runtime": self.runtime or "runc"}

    def create(
        self, limits: Limits, *, gpu: bool = False, kind: SandboxKind = SandboxKind.NUMPY, preload: tuple[str, ...] = ()
    ) -> DockerSandbox:
        run_id = uuid.uuid4().hex
        image = self.images.get(kind, self.image)
        try:
            create, host_config = container_options(
                limits, image, gpu=gpu and self.has_gpu, runtime=self.runtime, preload=preload
            )
            created = self.client.api.create_container(
                labels=sandbox_labels(run_id),
                name=f"tensordojo-sandbox-{run_id[:12]}",
                host_config=self.client.api.create_host_config(**host_config),
                **create,
            )
            # The id is all we need until the run is over: no inspect on the way (one engine call fewer).
            container = self.client.containers.prepare_model({"Id": created["Id"]})
        except ImageNotFound as exc:
            raise SandboxUnavailable(f"sandbox image {image} is missing: run `make image`") from exc
        except (DockerException, OSError) as exc:
            raise SandboxUnavailable(f"could not create a sandbox: {exc}") from exc
        sandbox = DockerSandbox(self.client, container, limits)
        try:
            sandbox.start()
        except BaseException:
            sandbox.destroy()
            raise
        return sandbox

    def remove_stale(self, older_than_s: float = 0.0, only_dead_pids: bool = False) -> list[str]:
        """Remove sandbox containers left behind (a worker killed mid-run)."""
        removed = []
        now = time.time()
        host = socket.gethostname()
        for container in self.client.containers.list(all=True, filters={"label": SANDBOX_LABEL}, ignore_removed=True):
            labels = container.labels
            age = now - float(labels.get("tensordojo.created", "0"))
            limit = older_than_s
            if labels.get("tensordojo.role") == HOST_ROLE and not only_dead_pids:
                limit = max(older_than_s, HOST_MAX_AGE_S + 600)  # warm on purpose while its worker lives
            if age < limit:
                continue
            if only_dead_pids and (
                labels.get("tensordojo.host") != host or _pid_alive(int(labels.get("tensordojo.pid", "0")))
            ):
                continue
            try:
                container.remove(force=True)
                removed.append(container.name)
            except NotFound:
                pass
        return removed


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DockerSandbox:
    """One container: started and waiting for its job on stdin."""

    def __init__(self, client: docker.DockerClient, container, limits: Limits):
        self.client = client
        self.container = container
        self.limits = limits
        self.sock = None
        self.raw = None
        self.started_at = 0.0
        self.fed_at = 0.0
        self.report_end: ReportEnd | None = None

    def start(self) -> None:
        try:
            self.sock = self.client.api.attach_socket(
                self.container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            self.raw = getattr(self.sock, "_sock", self.sock)
            self.container.start()
        except (DockerException, OSError) as exc:
            raise SandboxUnavailable(f"could not start a sandbox: {exc}") from exc
        self.started_at = time.monotonic()

    def feed(self, job: bytes) -> None:
        self.fed_at = time.monotonic()
        try:
            self.report_end = ReportEnd(job_marker(job))
        except Exception:  # not a job of ours (tests feed raw bytes): read until the stream ends
            self.report_end = None
        try:
            self.raw.sendall(job)
            self.raw.shutdown(socket.SHUT_WR)
        except OSError:
            # The container may already have died (e.g. killed by its limits);
            # collect() reports what happened.
            pass

    def collect(self) -> RunOutcome:
        limits = self.limits
        deadline = self.fed_at + limits.wall_s + limits.startup_grace_s
        stdout_cap = limits.result_max_bytes + REPORT_SLACK
        stdout, stderr = bytearray(), bytearray()
        timed_out = overflow = complete = False
        try:
            for stream, payload in _demux(self.raw, deadline):
                if stream == 2:
                    stderr += payload[: max(0, STDERR_KEEP - len(stderr))]
                else:
                    stdout += payload
                    if len(stdout) > stdout_cap:
                        overflow = True
                        break
                    if self.report_end is not None and self.report_end.seen(stdout):
                        complete = True  # the supervisor is exiting: judge now, not after its teardown
                        break
        except TimeoutError:
            timed_out = True
        except OSError:
            pass  # connection closed under us: the container is gone; inspect below
        if timed_out or overflow:
            self._kill()
        exit_code, oom = self._state_now() if complete else self._wait(deadline)
        if exit_code is None:
            timed_out = True
            self._kill()
        return RunOutcome(
            stdout=bytes(stdout),
            stderr=bytes(stderr),
            exit_code=exit_code,
            wall_s=time.monotonic() - self.fed_at,
            timed_out=timed_out,
            oom_killed=oom,
            stdout_overflow=overflow,
            backend="docker",
        )

    def _wait(self, deadline: float) -> tuple[int | None, bool]:
        try:
            remaining = max(1.0, deadline - time.monotonic())
            status = self.container.wait(timeout=remaining)
            self.container.reload()
            return status.get("StatusCode"), bool(self.container.attrs["State"].get("OOMKilled"))
        except (DockerException, OSError, ValueError):
            # requests raises ReadTimeout (an OSError subclass) when the wait times out.
            return None, False

    def _state_now(self) -> tuple[int | None, bool]:
        """After a complete report: exit status 0 (its writer is done) and the OOM flag as it stands."""
        try:
            self.container.reload()
            return 0, bool(self.container.attrs["State"].get("OOMKilled"))
        except (DockerException, OSError, ValueError):
            return 0, False

    def _kill(self) -> None:
        try:
            self.container.kill()
        except (DockerException, OSError):
            pass

    def destroy(self) -> None:
        """Remove the container whatever state it is in; safe to call twice."""
        for closer in (self.raw, self.sock):
            try:
                if closer is not None:
                    closer.close()
            except OSError:
                pass
        for attempt in range(3):
            try:
                self.container.remove(force=True, v=True)
                return
            except NotFound:
                return
            except APIError as exc:
                if "already in progress" in str(exc):
                    return
                time.sleep(0.2 * (attempt + 1))
            except (DockerException, OSError):
                time.sleep(0.2 * (attempt + 1))


def _demux(raw, deadline: float):
    """Docker's multiplexed attach stream: 8-byte headers (stream id, size) and payloads."""
    buffer = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        raw.settimeout(remaining)
        try:
            chunk = raw.recv(1 << 16)
        except TimeoutError as exc:
            raise TimeoutError from exc
        if not chunk:
            return
        buffer += chunk
        yield from docker_frames(buffer)


def docker_frames(buffer: bytearray, known: tuple[int, ...] | None = None):
    """The complete frames at the front of ``buffer`` (Docker's multiplexed attach stream: an 8-byte
    header of stream id and size, then the payload), each removed as it is read. ``known``: the stream
    ids allowed; another raises ValueError as soon as its header is there, before its payload."""
    while len(buffer) >= 8:
        stream, size = buffer[0], struct.unpack(">I", buffer[4:8])[0]
        if known is not None and stream not in known:
            raise ValueError(f"stream id {stream} in Docker's attach stream")
        if len(buffer) < 8 + size:
            return
        payload = bytes(buffer[8 : 8 + size])
        del buffer[: 8 + size]
        yield stream, payload
