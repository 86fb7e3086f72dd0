"""A worker process sets the garbage collector for batch work once it has loaded what it runs."""

from __future__ import annotations

import subprocess
import sys


def test_settle_heap_freezes_the_start_up_objects_and_collects_young_ones_less_often():
    code = (
        "import gc\n"
        "from workers.runtime import GC_THRESHOLDS, settle_heap\n"
        "assert gc.get_freeze_count() == 0 and gc.get_threshold() != GC_THRESHOLDS\n"
        "settle_heap()\n"
        "assert gc.get_threshold() == GC_THRESHOLDS, gc.get_threshold()\n"
        "assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
