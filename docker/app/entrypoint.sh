#!/bin/sh
# One image, several roles: web | worker QUEUES | beat | manage ARGS...
set -e
mkdir -p "$TENSORDOJO_VAR_DIR/cache" "${TENSORDOJO_MEDIA_DIR:-$TENSORDOJO_VAR_DIR/media}"
role="${1:-web}"
shift || true
case "$role" in
  web)
    python manage.py migrate --no-input -v0
    python manage.py exercises sync
    exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers "${WEB_WORKERS:-3}" --threads 4 \
         --access-logfile - --error-logfile -
    ;;
  worker)
    exec celery -A config worker -Q "${1:-cpu,trial,regrade,maintenance}" --concurrency "${WORKER_CONCURRENCY:-2}" \
         --hostname "${WORKER_NAME:-worker}@%h" --loglevel INFO
    ;;
  beat)
    exec celery -A config beat --schedule "$TENSORDOJO_VAR_DIR/celerybeat-schedule" --loglevel INFO
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
