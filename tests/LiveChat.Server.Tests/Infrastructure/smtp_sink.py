"""A real SMTP server for the tests (aiosmtpd): stores every accepted message as an .eml file in --dir and
answers 451 to the first --refuse DATA commands, so the tests see a server that refuses the first attempts."""
import argparse
import asyncio
import os
import signal
import sys
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder, refuse):
        self.folder = folder
        self.refuse = refuse
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        with open(os.path.join(self.folder, "attempts.log"), "a") as log:
            log.write(f"{self.attempts} {' '.join(envelope.rcpt_tos)}\n")
        if self.attempts <= self.refuse:
            return "451 4.3.0 Try again later"
        name = os.path.join(self.folder, f"{uuid.uuid4().hex}.eml")
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)  # whole files only
        return "250 OK"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--refuse", type=int, default=0)
    a = p.parse_args()
    controller = Controller(Sink(a.dir, a.refuse), hostname="127.0.0.1", port=a.port)
    controller.start()
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
