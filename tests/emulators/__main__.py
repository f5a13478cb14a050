"""Run both emulators as demo providers: ``python -m tests.emulators``."""

from __future__ import annotations

import argparse
import signal
import threading

from tests.emulators.google import GoogleEmulator
from tests.emulators.microsoft import MicrosoftEmulator
from tests.emulators.server import serve_in_thread
from tests.emulators.settings import provider_settings


def main() -> None:
    """Start the Google and Microsoft emulators on fixed ports until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--google-port", type=int, default=8701)
    parser.add_argument("--microsoft-port", type=int, default=8702)
    parser.add_argument("--page-size", type=int, default=50)
    args = parser.parse_args()

    google = GoogleEmulator(page_size=args.page_size)
    google.add_calendar("primary", "Demo calendar", primary=True)
    microsoft = MicrosoftEmulator(page_size=args.page_size)
    microsoft.add_calendar("calendar", "Calendar", is_default=True)
    google_url, stop_google = serve_in_thread(google.app, args.google_port)
    microsoft_url, stop_microsoft = serve_in_thread(microsoft.app, args.microsoft_port)
    print(f"Google emulator:    {google_url}")
    print(f"Microsoft emulator: {microsoft_url}")
    print("Point meetapp at them with:")
    for name, value in provider_settings(google_url, microsoft_url).items():
        print(f"  export {name}={value}")

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_google()
        stop_microsoft()


if __name__ == "__main__":
    main()
