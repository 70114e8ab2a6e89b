"""An email backend for the worker tests (named in SYMBIOSE_EMAIL_BACKEND): each address
it delivers is appended to a file beside the instance's signal file, so a test sees
what left, and how many times. With SYMBIOSE_TEST_STALL_AT=n it stops before the n+1-th
message, says so (its process id in the signal file) and waits to be killed."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


def delivered_file(signal_file: str) -> Path:
    return Path(signal_file + ".delivered")


class Recording(BaseEmailBackend):
    def send_messages(self, messages: list[Any]) -> int:
        log = delivered_file(os.environ["SYMBIOSE_TEST_SIGNAL"])
        for message in messages:
            stall = os.environ.get("SYMBIOSE_TEST_STALL_AT")
            delivered = log.read_text().splitlines() if log.exists() else []
            if stall and len(delivered) == int(stall):
                Path(os.environ["SYMBIOSE_TEST_SIGNAL"]).write_text(str(os.getpid()))
                time.sleep(600)
            with log.open("a") as out:
                out.write(message.to[0] + "\n")
        return len(messages)
