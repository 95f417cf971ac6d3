"""`make run`: the web server and one background-job worker, stopped together with Ctrl+C."""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    python = sys.executable
    worker = subprocess.Popen(
        [python, "manage.py", "db_worker", "--interval", "0.5", "--no-reload", "--no-startup-delay"], cwd=ROOT
    )
    print("\nHữuNghị: http://{}:{}/".format(host, port))
    print("Tài khoản thử / demo logins (mật khẩu / password: huunghi-demo):")
    print("  admin · dieuphoi · canbo.lhhn · canbo.so · lanhdao\n", flush=True)
    try:
        return subprocess.call([python, "manage.py", "runserver", "--noreload", "{}:{}".format(host, port)], cwd=ROOT)
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    sys.exit(main())
