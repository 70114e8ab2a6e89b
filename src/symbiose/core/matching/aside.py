"""One computation run aside, in a forked process, while this one goes on.

`symbiose match` on a region spends as long on its pooling groups as on its pairs, and the
two read the same tables without writing them: on a machine with a second core, the
groups are worked out in a child process that shares the tables copy-on-write (nothing is
pickled on the way in) and sends back only its result. Threads would not help: both
halves are Python work under one interpreter lock.

Where a fork is impossible or unsafe (Windows, macOS) or the child fails for any reason
(killed for memory, an exception), the same function runs here instead, so the result
never depends on how it was obtained: only the time does.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Aside(Generic[T]):
    """`compute()` started in a forked child when one can be, its value from `result()`."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._receiver: multiprocessing.connection.Connection | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        if _can_fork():
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_run_and_send, args=(compute, sender),
                                    daemon=True, name="symbiose-aside")
            child.start()
            sender.close()  # so that the child's death reads as the end of the pipe
            self._receiver, self._child = receiver, child

    @property
    def forked(self) -> bool:
        return self._child is not None

    def result(self) -> T:
        """The child's value, or the computation run here when the child gave none."""
        if self._receiver is None or self._child is None:
            return self._compute()
        try:
            outcome, value = self._receiver.recv()
        except (EOFError, OSError):  # the child died before it answered
            outcome, value = "failed", None
        finally:
            self._receiver.close()
            self._child.join()
        if outcome == "ok":
            return value
        # The child's exception is not carried across: running here raises it with its
        # own traceback (or succeeds, if the child was only short of memory).
        return self._compute()

    def cancel(self) -> None:
        """The child stopped and reaped, its answer unread: for a caller that gives up
        (an exception of its own) and must not leave a process waiting on a pipe."""
        if self._child is not None and self._receiver is not None:
            self._receiver.close()
            self._child.terminate()
            self._child.join()
            self._child = self._receiver = None


def _can_fork() -> bool:
    # Linux only: macOS offers fork, but its system libraries are not safe to use in a
    # forked child, which could hang rather than fail.
    return ((os.cpu_count() or 1) > 1 and sys.platform.startswith("linux")
            and "fork" in multiprocessing.get_all_start_methods())


def _run_and_send(compute: Callable[[], object],
                  sender: multiprocessing.connection.Connection) -> None:
    try:
        value = compute()
    except BaseException:  # said to the parent, which runs it again
        sender.send(("failed", None))
    else:
        sender.send(("ok", value))
    finally:
        sender.close()
