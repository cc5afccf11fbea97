"""WSGI entry point (gunicorn config.wsgi)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# gunicorn runs several threads per worker (scripts/up.sh). A thread whose query has returned
# waits for the GIL until a busy neighbour is made to let go: up to 5 ms by default, on every
# query. bench/gil_switch.py: eight query steps, 4 to 5 ms alone, 52 ms beside a computing
# thread at 5 ms, 15 to 19 ms at 0.5 ms.
sys.setswitchinterval(0.0005)

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
