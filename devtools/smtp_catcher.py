"""A local SMTP server for `make run`: stores each message in var/mail/ instead of delivering it."""
import asyncio
import signal
import time

from aiosmtpd.controller import Controller

from libs.kit.config import VAR_DIR, env, env_int


class MaildirHandler:
    def __init__(self, directory):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, _server, _session, envelope):
        name = f"{time.time_ns()}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted"


def main():
    controller = Controller(MaildirHandler(VAR_DIR / "mail"), hostname=env("SMTP_HOST", "127.0.0.1"),
                            port=env_int("SMTP_PORT", 1025))
    controller.start()
    stopped = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stopped.set)
    loop.add_signal_handler(signal.SIGINT, stopped.set)
    loop.run_until_complete(stopped.wait())
    controller.stop()


if __name__ == "__main__":
    main()
