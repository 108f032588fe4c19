"""The extension module of the package: the generated C, linked to Lode's static library.

Everything else is declared in pyproject.toml; setuptools reads the extension from here because
it is built from a prebuilt library found at build time: LODE_LIB_DIR, or the workspace's
target/release (where `cargo build --release -p lode-ffi` puts liblode.a).
"""

import os
from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).resolve().parent
LIB_DIR = Path(os.environ.get("LODE_LIB_DIR", HERE.parent / "target" / "release"))
LIBRARY = LIB_DIR / "liblode.a"
if not LIBRARY.is_file():
    raise SystemExit(
        f"{LIBRARY} is missing: build it with `cargo build --release -p lode-ffi`"
        " (or point LODE_LIB_DIR at a directory holding liblode.a)"
    )

extension = Extension(
    "lode._lode",
    sources=["src/lode/_lode.c"],
    include_dirs=["src/lode/include"],
    # The Limited API of CPython 3.9: one build serves every later CPython (abi3).
    define_macros=[("Py_LIMITED_API", "0x03090000")],
    py_limited_api=True,
    extra_compile_args=["-std=c99", "-Wall", "-Wextra"]
    + os.environ.get("LODE_EXTRA_CFLAGS", "").split(),
    extra_objects=[str(LIBRARY)],
    # What Rust's standard library needs from the C library.
    libraries=["pthread", "dl", "m"],
    # Only the module's init function is exported; the Rust symbols stay inside.
    extra_link_args=["-Wl,--exclude-libs,ALL"],
)

setup(ext_modules=[extension], options={"bdist_wheel": {"py_limited_api": "cp39"}})
