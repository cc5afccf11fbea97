"""In Triton's CPU interpreter, also compile every kernel's front end for a CUDA GPU.

Without a GPU, the Triton sandbox runs kernels in Triton's interpreter (``TRITON_INTERPRET=1``),
which executes them with NumPy and accepts code that Triton's compiler refuses: a 16-bit
accumulator that a loop turns into float32 ("Loop-carried variable acc has initial type bf16 but
is re-assigned to fp32"), a ``tl.dot`` on blocks smaller than 16, ... A learner would see it pass
here and fail on the GPU. So, before each launch, this module lowers the kernel to TTIR and TTGIR
for a CUDA target (an H100, ``sm_90``) — the compiler's front end needs no GPU — and raises the
compiler's ``CompilationError`` in the learner's call, where the runner reports it as theirs.

Only a ``CompilationError`` (the compiler refusing the learner's source) is the learner's. Any other
failure of this check (a Triton version whose internals differ, a pass that needs a GPU) is ours and
is ignored: the interpreter's verdict stands.

The interpreter patches ``triton.language`` for good on its first launch (its builtins then build
NumPy values), and under ``TRITON_INTERPRET=1`` every ``@triton.jit`` function, Triton's own library
included, is an ``InterpretedFunction``. The compiler needs the opposite, so each compilation runs
inside ``_compiler_view()``: ``triton.language`` as it was before the interpreter touched it, and
``JITFunction`` in place of each ``InterpretedFunction``; everything is put back afterwards.

Installed by the runner (grader/harness/runner.py) before the learner's code is loaded; standard
library and Triton only.
"""

from __future__ import annotations

import contextlib
import inspect
import linecache
import os
import re
import sys

TARGET = ("cuda", 90, 32)  # backend, compute capability, warp size: the GPU workers' H100s
OPTION_NAMES = ("num_warps", "num_stages", "num_ctas", "maxnreg", "enable_fp_fusion")
LAUNCH_ONLY = ("grid", "warmup")

# What the compiler says when a loop re-types what it carries; a 16-bit accumulator made float32 by
# `acc += tl.dot(a, b)` is the usual case (exercises' diagnoses recognise it with this).
RETYPED_ACCUMULATOR = re.compile(
    r"Loop-carried variable \w+ has initial type <[^>]*\b(?:bf16|fp16)> but is re-assigned to <[^>]*\bfp32>"
)

_installed = False


def retyped_accumulator(message: str) -> bool:
    """Whether a compiler message says a 16-bit loop-carried variable was re-assigned a float32 value."""
    return RETYPED_ACCUMULATOR.search(message) is not None


def install(source: str | None = None, filename: str | None = None) -> bool:
    """Check every kernel launched in the interpreter against the GPU compiler; False when not applicable.

    ``source`` and ``filename``: the learner's file, compiled from a string under a name that is no file on
    disk. The compiler reads a kernel's source through ``inspect``, so while it compiles (only then: the
    interpreter is left exactly as it was) that text is what ``linecache`` holds under that name."""
    global _installed
    if _installed:
        return True
    if os.environ.get("TRITON_INTERPRET", "0") != "1":
        return False  # on a GPU, Triton compiles for real
    try:
        import triton.language as tl
        from triton.runtime import interpreter
        from triton.runtime.jit import JITFunction
    except ImportError:
        return False
    _Checker(tl, interpreter, JITFunction, source, filename).hook()
    _installed = True
    return True


class _Checker:
    def __init__(self, tl, interpreter, jit_function, source: str | None = None, filename: str | None = None):
        self.tl = tl
        self.source = source
        self.filename = filename
        self.interpreter = interpreter
        self.JITFunction = jit_function
        self.pristine = _snapshot(tl)  # before any launch: nothing is patched yet
        self.jitted: dict[int, object] = {}  # id(InterpretedFunction) -> its JITFunction
        self.done: dict[tuple, BaseException | None] = {}

    def hook(self) -> None:
        """Wrap the two ways the interpreter launches a kernel: kernel[grid](...) and kernel.run(...)."""
        interpreted = self.interpreter.InterpretedFunction
        checker = self
        original_getitem = interpreted.__getitem__
        original_init = interpreted.__init__

        def __getitem__(self, grid):
            launch = original_getitem(self, grid)

            def checked(*args, **kwargs):
                checker.check(self, args, kwargs)
                return launch(*args, **kwargs)

            return checked

        def __init__(self, fn, **kwargs):
            original_init(self, fn, **kwargs)
            run = self.run

            def checked_run(*args, **kwargs):
                checker.check(self, args, kwargs)
                return run(*args, **kwargs)

            self.run = checked_run

        interpreted.__getitem__ = __getitem__
        interpreted.__init__ = __init__

    def check(self, kernel, args: tuple, kwargs: dict) -> None:
        """Raise the compiler's CompilationError for this launch, if it has one."""
        try:
            key, job = self._prepare(kernel, args, kwargs)
        except Exception:  # noqa: BLE001 - arguments we cannot type: the interpreter will say what is wrong
            return
        if key not in self.done:
            self.done[key] = self._compile(kernel, *job)
        error = self.done[key]
        if error is not None:
            raise error

    def _prepare(self, kernel, args: tuple, kwargs: dict):
        from triton.runtime.jit import KernelParam, mangle_type

        fn = kernel.fn
        options = {k: v for k, v in kwargs.items() if k in OPTION_NAMES}
        params = {k: v for k, v in kwargs.items() if k not in OPTION_NAMES and k not in LAUNCH_ONLY}
        bound = inspect.signature(fn).bind(*args, **params)
        bound.apply_defaults()
        parameters = inspect.signature(fn).parameters.values()
        constexpr = {p.name for i, p in enumerate(parameters) if KernelParam(i, p, False, False).is_constexpr}
        signature, constants = {}, {}
        for name, value in bound.arguments.items():
            if name in constexpr or isinstance(value, self.tl.constexpr):
                constants[name] = value.value if isinstance(value, self.tl.constexpr) else value
            elif value is None:
                signature[name], constants[name] = "*i8", None
            else:
                signature[name] = mangle_type(value)
        key = (
            id(fn),
            tuple(signature.items()),
            tuple(sorted((k, repr(v)) for k, v in constants.items())),
            tuple(sorted(options.items())),
        )
        return key, (signature, constants, options)

    def _compile(self, kernel, signature: dict, constants: dict, options: dict) -> BaseException | None:
        from triton._C.libtriton import ir
        from triton.backends.compiler import GPUTarget
        from triton.compiler.compiler import ASTSource, make_backend
        from triton.compiler.errors import CompilationError

        try:
            with self._compiler_view(kernel.fn.__globals__):
                target = GPUTarget(*TARGET)
                backend = make_backend(target)
                jitted = self._jit(kernel)
                source = ASTSource(jitted, signature, constants)
                parsed = backend.parse_options(dict(options))
                context = ir.context()
                ir.load_dialects(context)
                backend.load_dialects(context)
                module = source.make_ir(parsed, backend.get_codegen_implementation(), backend.get_module_map(), context)
                stages: dict = {}
                backend.add_stages(stages, parsed)
                metadata: dict = {}
                for stage in ("ttir", "ttgir"):
                    module = stages[stage](module, metadata)
                context.disable_multithreading()
        except CompilationError as error:
            return _for_the_learner(error, kernel.fn.__name__)
        except Exception:  # noqa: BLE001 - ours, not the learner's: the interpreter's verdict stands
            return None
        return None

    def _jit(self, interpreted):
        found = self.jitted.get(id(interpreted))
        if found is None:
            found = self.JITFunction(interpreted.fn)
            self.jitted[id(interpreted)] = found
        return found

    @contextlib.contextmanager
    def _compiler_view(self, learner_globals: dict):
        """triton.language as the compiler needs it, for the duration of one compilation."""
        interpreted = self.interpreter.InterpretedFunction
        patched = _snapshot(self.tl)
        _restore(self.pristine)
        lent = self.filename is not None and self.source is not None and self.filename not in linecache.cache
        if lent:
            lines = self.source.splitlines(keepends=True)
            linecache.cache[self.filename] = (len(self.source), None, lines, self.filename)
        namespaces = [vars(m) for name, m in list(sys.modules.items()) if name.startswith("triton.language")]
        namespaces.append(learner_globals)
        swapped = []
        try:
            for namespace in namespaces:
                for name, value in list(namespace.items()):
                    if isinstance(value, interpreted):
                        swapped.append((namespace, name, value))
                        namespace[name] = self._jit(value)
            yield
        finally:
            for namespace, name, value in swapped:
                namespace[name] = value
            if lent:
                linecache.cache.pop(self.filename, None)
            _restore(patched)


def _snapshot(tl) -> list[tuple[object, dict]]:
    """The attributes of triton.language's modules and of the classes the interpreter patches."""
    owners = [m for name, m in list(sys.modules.items()) if name.startswith("triton.language") and m is not None]
    owners += [tl.core.tensor, tl.core.dtype]
    return [(owner, dict(vars(owner))) for owner in owners]


def _restore(snapshot: list[tuple[object, dict]]) -> None:
    for owner, attributes in snapshot:
        current = vars(owner)
        for name in [n for n in current if n not in attributes]:
            with contextlib.suppress(AttributeError, TypeError):
                delattr(owner, name)
        for name, value in attributes.items():
            if current.get(name, _MISSING) is not value:
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(owner, name, value)


_MISSING = object()


def _for_the_learner(error: BaseException, kernel: str) -> BaseException:
    """The compiler's error, said to be the GPU compiler's (the interpreter accepted the code)."""
    text = (
        f"Triton's compiler refuses kernel {kernel}() for a CUDA GPU (the CPU interpreter runs it, a GPU would "
        f"not):\n{error}"
    )
    error.message = text  # CompilationError's str()
    error.args = (text,)
    error.__cause__ = error.__context__ = None
    error.__traceback__ = None
    return error
