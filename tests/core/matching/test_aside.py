"""A computation run aside in a forked child: its value comes back, and whatever happens
to the child, the caller still gets the value the computation gives here."""

from __future__ import annotations

import os
import time

import pytest

from symbiose.core.matching import aside
from symbiose.core.matching.aside import Aside


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on the 2-core machines the command runs on, whatever this one counts."""
    monkeypatch.setattr(aside.os, "cpu_count", lambda: 2)


def test_the_value_is_computed_in_another_process_and_sent_back() -> None:
    here = os.getpid()
    running = Aside(lambda: (os.getpid(), [("pooling", 0.5)] * 1000))
    pid, value = running.result()
    assert running.forked
    assert pid != here
    assert value == [("pooling", 0.5)] * 1000


def test_a_child_that_dies_before_answering_leaves_the_work_to_the_parent() -> None:
    here = os.getpid()

    def compute() -> str:
        if os.getpid() != here:
            os._exit(9)  # as when the kernel kills it for memory
        return "computed by the parent"

    assert Aside(compute).result() == "computed by the parent"


def test_an_exception_in_the_child_is_raised_here_with_its_own_traceback() -> None:
    def compute() -> None:
        raise ValueError("a resource with no class")

    with pytest.raises(ValueError, match="a resource with no class"):
        Aside(compute).result()


def test_without_fork_the_computation_runs_in_this_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    running = Aside(os.getpid)
    assert not running.forked
    assert running.result() == os.getpid()


def test_one_core_runs_it_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside.os, "cpu_count", lambda: 1)
    assert not Aside(os.getpid).forked


def test_a_cancelled_child_is_stopped_and_reaped() -> None:
    running = Aside(lambda: time.sleep(60))
    assert running.forked
    child = running._child
    assert child is not None and child.is_alive()
    running.cancel()
    assert child.exitcode is not None  # reaped: no process left waiting on its pipe
    assert not running.forked


def test_no_fork_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside.sys, "platform", "darwin")
    assert not Aside(os.getpid).forked
