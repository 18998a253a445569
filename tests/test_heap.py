"""heap.py: the process's heap, as glibc itself reports it (malloc_info)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's arenas")

# Threads that allocate at once, then glibc's own count of its heaps (arenas): one <heap> element each.
ARENAS = """
import ctypes, os, sys, tempfile, threading
import numpy as np
exec(sys.argv[1])

def work():
    for _ in range(300):
        a = np.ones(50_000)
        del a

threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
libc = ctypes.CDLL(None)
libc.fdopen.restype, libc.fdopen.argtypes = ctypes.c_void_p, [ctypes.c_int, ctypes.c_char_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
libc.fclose.argtypes = [ctypes.c_void_p]
with tempfile.TemporaryFile() as out:
    stream = libc.fdopen(os.dup(out.fileno()), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    out.seek(0)
    print(out.read().decode().count("<heap nr="))
"""


def arenas_after(setup: str) -> int:
    """How many heaps glibc has after `setup` runs and four threads allocate at once, in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", ARENAS, setup], capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_limit_arenas_keeps_new_threads_on_one_heap():
    assert arenas_after("") > 1  # glibc's default: an arena per contending thread
    assert arenas_after("from narrate.audio import heap; heap.limit_arenas(1)") == 1

