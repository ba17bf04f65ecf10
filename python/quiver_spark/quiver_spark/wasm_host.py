"""Running Quiver modules with Wasmtime, as the browser and Node hosts do (modules/sdk/ABI.md).

One Wasmtime engine per Python process, with epoch interruption: a daemon thread advances the
epoch every TICK_MS, and each call into a module gets a deadline of the step's time left, so a
looping module traps. Memory is capped by the store's limits (the module's memory cannot grow
past maxMemoryMiB) and checked after every call. Compiled modules are cached per process by
their SHA-256, so an executor compiles each module once and reuses it for every task.

The failure messages are the JS host's (src/runtime/reactor-host.ts, wasi-sandbox.ts,
supervisor.ts): "timed out after N ms", "memory limit of N MiB exceeded",
"out of memory: qv_alloc(N) failed", or the module's last stderr line followed by
"(qv_push returned 2)".
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field

import wasmtime

#: Epoch tick of the time limit, in milliseconds: a timeout is noticed within about one tick.
TICK_MS = 10
MIB = 1024 * 1024
#: Lines of stderr kept for a failure message (as STDERR_TAIL_LINES in reactor-host.ts).
STDERR_TAIL_LINES = 20
#: WASI imports each permission unlocks (ABI.md §6); any other clock/random import is refused.
PERMISSION_IMPORTS = {
    "clock": ("clock_time_get", "clock_res_get", "poll_oneoff"),
    "random": ("random_get",),
}
#: The exports an ABI 2 module must have besides memory (REACTOR_EXPORTS in manifest.ts).
REACTOR_EXPORTS = (
    "qv_alloc",
    "qv_free",
    "qv_begin",
    "qv_push",
    "qv_finish",
    "qv_output_ptr",
    "qv_output_size",
    "qv_output_clear",
)


class ModuleFailure(Exception):
    """A module call failed; the message is what the JS host shows on the step's node."""


_engine_lock = threading.Lock()
_engine: wasmtime.Engine | None = None
_modules: dict[str, wasmtime.Module] = {}
#: How many times this process compiled a module (the tests read it to check the cache).
compile_count = 0


def engine() -> wasmtime.Engine:
    """The process's engine, created on first use with its epoch ticker thread."""
    global _engine
    with _engine_lock:
        if _engine is None:
            config = wasmtime.Config()
            config.epoch_interruption = True
            _engine = wasmtime.Engine(config)
            ticker = threading.Thread(target=_tick, args=(_engine,), daemon=True)
            ticker.start()
            # Stopped before the interpreter tears Wasmtime down (a tick during that panics).
            atexit.register(lambda: (_stop.set(), ticker.join()))
        return _engine


_stop = threading.Event()


def _tick(eng: wasmtime.Engine) -> None:
    while not _stop.wait(TICK_MS / 1000):
        eng.increment_epoch()


def compiled(wasm: bytes) -> wasmtime.Module:
    """The compiled module of `wasm`, compiled once per process (keyed by SHA-256)."""
    global compile_count
    key = hashlib.sha256(wasm).hexdigest()
    with _engine_lock:
        cached = _modules.get(key)
    if cached is not None:
        return cached
    module = wasmtime.Module(engine(), wasm)
    with _engine_lock:
        compile_count += 1
        return _modules.setdefault(key, module)


def check_imports(module: wasmtime.Module, permissions: dict) -> None:
    """Refuses a module importing a clock or random function it was not granted (ABI.md §6)."""
    for imp in module.imports:
        for permission, names in PERMISSION_IMPORTS.items():
            granted = permissions.get(permission, "none") != "none"
            if imp.name in names and not granted:
                raise ModuleFailure(
                    f'import "{imp.module}"."{imp.name}" needs the {permission} permission'
                )


@dataclass
class Budget:
    """The wall-clock time a step may spend inside its module in one task (limits.timeoutMs)."""

    timeout_ms: int
    used_ms: float = 0.0

    def deadline_ticks(self) -> int:
        left = self.timeout_ms - self.used_ms
        if left <= 0:
            raise ModuleFailure(f"timed out after {self.timeout_ms} ms")
        return max(1, -(-int(left) // TICK_MS))


@dataclass
class Limits:
    """A step's limits (StepLimits in src/modules/manifest.ts)."""

    timeout_ms: int
    max_memory_mib: int

    @staticmethod
    def of(step_limits: dict) -> "Limits":
        return Limits(int(step_limits["timeoutMs"]), int(step_limits["maxMemoryMiB"]))


@dataclass
class _Stderr:
    lines: list[str] = field(default_factory=list)
    partial: bytes = b""

    def write(self, data: bytes) -> None:
        text = self.partial + data
        *complete, self.partial = text.split(b"\n")
        self.lines.extend(line.decode("utf-8", "replace") for line in complete)
        del self.lines[:-STDERR_TAIL_LINES]

    def tail(self) -> list[str]:
        extra = [self.partial.decode("utf-8", "replace")] if self.partial else []
        return [line for line in self.lines + extra if line.strip()]


def _store(limits: Limits, wasi: wasmtime.WasiConfig) -> wasmtime.Store:
    """A store whose memory may grow to twice the cap (at most 4 GiB), as memoryMaximumPages in
    src/runtime/wasm-binary.ts: a module passing the cap is caught by the check after its call,
    and fails with the memory message rather than with its own allocation failure."""
    store = wasmtime.Store(engine())
    store.set_wasi(wasi)
    store.set_limits(memory_size=min(4096, 2 * limits.max_memory_mib) * MIB)
    return store


def _classify(error: Exception, limits: Limits, budget: Budget, memory_bytes: int) -> str:
    """The JS host's message for what a call raised (wasi-sandbox.ts classify)."""
    if memory_bytes > limits.max_memory_mib * MIB:
        return f"memory limit of {limits.max_memory_mib} MiB exceeded"
    if isinstance(error, wasmtime.Trap) and error.trap_code == wasmtime.TrapCode.INTERRUPT:
        return f"timed out after {budget.timeout_ms} ms"
    if isinstance(error, wasmtime.ExitTrap):
        return f"exited with code {error.code}"
    if isinstance(error, wasmtime.Trap):
        return f"trap: {error.message}"
    return str(error)


class Reactor:
    """One live ABI 2 instance (ABI.md §11): begin, push, finish, and its outputs drained.

    Every pointer and size the module returns is checked against its memory. Any failure is a
    ModuleFailure with the JS host's message; the instance is not usable after one.
    """

    def __init__(self, wasm: bytes, limits: Limits, permissions: dict, outputs: int, budget: Budget):
        self.limits = limits
        self.budget = budget
        self.outputs = outputs
        self.stderr = _Stderr()
        module = compiled(wasm)
        check_imports(module, permissions)
        wasi = wasmtime.WasiConfig()
        wasi.argv = ["module"]
        wasi.stderr_custom = self.stderr.write
        wasi.stdout_custom = lambda data: None
        self.store = _store(limits, wasi)
        linker = wasmtime.Linker(engine())
        linker.define_wasi()
        self.store.set_epoch_deadline(budget.deadline_ticks())
        try:
            instance = linker.instantiate(self.store, module)
        except Exception as error:  # noqa: BLE001 - any link failure is the step's
            raise ModuleFailure(f"cannot instantiate module: {error}") from error
        self.exports = instance.exports(self.store)
        missing = [n for n in ("memory", *REACTOR_EXPORTS) if n not in self.exports]
        if missing:
            raise ModuleFailure(f"an ABI 2 module must export {', '.join(missing)}")
        self.memory = self.exports["memory"]
        if "_initialize" in self.exports:
            self._call("_initialize")

    def begin(self, params: bytes) -> list[tuple[int, bytes]]:
        """qv_begin with the params JSON; returns (port, bytes) of the outputs written."""
        ptr = self._place(params)
        self._status("qv_begin", self._call("qv_begin", ptr, len(params)))
        return self.drain()

    def push(self, port: int, data: bytes) -> tuple[bool, list[tuple[int, bytes]]]:
        """qv_push; returns (done, outputs). done: the module needs no more input."""
        ptr = self._place(data)
        done = self._status("qv_push", self._call("qv_push", port, ptr, len(data)))
        return done, self.drain()

    def finish(self) -> list[tuple[int, bytes]]:
        """qv_finish; returns the last outputs."""
        self._status("qv_finish", self._call("qv_finish"))
        return self.drain()

    def drain(self) -> list[tuple[int, bytes]]:
        out = []
        for port in range(self.outputs):
            ptr = self._call("qv_output_ptr", port) & 0xFFFFFFFF
            size = self._call("qv_output_size", port) & 0xFFFFFFFF
            if size == 0:
                continue
            self._check_range(f"qv_output_ptr/qv_output_size({port})", ptr, size)
            out.append((port, bytes(self.memory.read(self.store, ptr, ptr + size))))
            self._call("qv_output_clear", port)
        return out

    def _place(self, data: bytes) -> int:
        ptr = self._call("qv_alloc", len(data)) & 0xFFFFFFFF
        if ptr == 0:
            raise ModuleFailure(f"out of memory: qv_alloc({len(data)}) failed")
        self._check_range("qv_alloc", ptr, len(data))
        self.memory.write(self.store, data, ptr)
        return ptr

    def _call(self, name: str, *args: int) -> int:
        self.store.set_epoch_deadline(self.budget.deadline_ticks())
        start = time.perf_counter()
        try:
            result = self.exports[name](self.store, *args)
        except Exception as error:  # noqa: BLE001 - whatever a call raises fails the step
            message = _classify(error, self.limits, self.budget, self._memory_bytes())
            tail = self.stderr.tail()
            if message.startswith("exited with code") and tail:
                message = f"{tail[-1]} ({message})"
            elif not message.startswith(("timed out", "memory limit")):
                message = f"{name}: {message}"
            raise ModuleFailure(message) from error
        finally:
            self.budget.used_ms += (time.perf_counter() - start) * 1000
        if self._memory_bytes() > self.limits.max_memory_mib * MIB:
            raise ModuleFailure(f"memory limit of {self.limits.max_memory_mib} MiB exceeded")
        if self.budget.used_ms > self.budget.timeout_ms:
            raise ModuleFailure(f"timed out after {self.budget.timeout_ms} ms")
        return 0 if result is None else int(result)

    def _status(self, name: str, code: int) -> bool:
        if code in (0, 1):
            return code == 1
        tail = self.stderr.tail()
        if not tail:
            raise ModuleFailure(f"{name} returned status {code} without an error message")
        raise ModuleFailure(f"{tail[-1]} ({name} returned {code})")

    def _check_range(self, what: str, ptr: int, size: int) -> None:
        memory_size = self._memory_bytes()
        if ptr + size > memory_size:
            raise ModuleFailure(
                f"{what} gave {size} bytes at {ptr}, outside the module's memory of {memory_size} bytes"
            )

    def _memory_bytes(self) -> int:
        return self.memory.data_len(self.store)


def _read_output(root: str, port: str) -> bytes:
    try:
        with open(os.path.join(root, "out", f"{port}.arrow"), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ModuleFailure(f"output '{port}' was never written (/out/{port}.arrow)") from None


def run_command(
    wasm: bytes,
    limits: Limits,
    permissions: dict,
    budget: Budget,
    files: dict[str, bytes],
    outputs: list[str],
) -> dict[str, bytes]:
    """Runs an ABI 1 command once (ABI.md §1–2) in a temporary directory preopened as "/".

    `files` maps guest paths ("/in/in.arrow", "/params.json") to bytes; returns the bytes of
    "/out/<port>.arrow" per output port. Raises ModuleFailure with the JS host's message.
    """
    root = tempfile.mkdtemp(prefix="quiver-v1-")
    try:
        os.makedirs(os.path.join(root, "in"))
        os.makedirs(os.path.join(root, "out"))
        for guest, data in files.items():
            with open(os.path.join(root, guest.lstrip("/")), "wb") as handle:
                handle.write(data)
        module = compiled(wasm)
        check_imports(module, permissions)
        stderr = _Stderr()
        wasi = wasmtime.WasiConfig()
        wasi.argv = ["module"]
        wasi.stderr_custom = stderr.write
        wasi.stdout_custom = lambda data: None
        wasi.preopen_dir(root, "/")
        store = _store(limits, wasi)
        linker = wasmtime.Linker(engine())
        linker.define_wasi()
        instance = linker.instantiate(store, module)
        exports = instance.exports(store)
        store.set_epoch_deadline(budget.deadline_ticks())
        memory = lambda: exports["memory"].data_len(store) if "memory" in exports else 0  # noqa: E731
        start = time.perf_counter()
        try:
            exports["_start"](store)
        except Exception as error:  # noqa: BLE001 - whatever the run raises fails the step
            if not (isinstance(error, wasmtime.ExitTrap) and error.code == 0):
                message = _classify(error, limits, budget, memory())
                tail = stderr.tail()
                if message.startswith("exited with code") and tail:
                    message = f"{tail[-1]} ({message})"
                raise ModuleFailure(message) from error
        finally:
            budget.used_ms += (time.perf_counter() - start) * 1000
        if memory() > limits.max_memory_mib * MIB:
            raise ModuleFailure(f"memory limit of {limits.max_memory_mib} MiB exceeded")
        return {port: _read_output(root, port) for port in outputs}
    finally:
        shutil.rmtree(root, ignore_errors=True)
