"""A real SMTP server that takes a fixed time per message, like a distant relay.

    .venv/bin/python bench/slow_smtp.py --port 2525 --delay 0.1 --log accepted.tsv

Every accepted message appends "<unix time>\t<recipient>" to the log. Connections are
served concurrently (asyncio), so N client connections see N messages in flight.
"""

import argparse
import asyncio
import signal
import threading
import time

from aiosmtpd.controller import Controller


class SlowHandler:
    """Accept each message after `delay` seconds and log when and for whom."""

    def __init__(self, delay, log_path):
        self.delay = delay
        self.log = open(log_path, "a", buffering=1, encoding="utf-8")

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        for recipient in envelope.rcpt_tos:
            self.log.write(f"{time.time():.6f}\t{recipient}\n")
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds per message")
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    controller = Controller(SlowHandler(args.delay, args.log), hostname="127.0.0.1",
                            port=args.port)
    controller.start()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
