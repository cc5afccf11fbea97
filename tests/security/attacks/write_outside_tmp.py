"""expect: runtime_error
Write into the harness, /etc and the home directory (read-only root file system).
"""


def solve(x):
    for path in (
        "/opt/tensordojo/harness/runner.py",
        "/etc/passwd",
        "/usr/lib/python3/dist-packages/evil.pth",
        "/tensordojo-pwned",
    ):
        try:
            with open(path, "a") as handle:
                handle.write("pwned")
        except OSError:
            continue
        return x * 2  # a write succeeded: pass, so the test notices
    raise PermissionError("every write outside /tmp was refused")
