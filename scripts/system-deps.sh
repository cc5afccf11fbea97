#!/usr/bin/env bash
# Install the Debian packages the platform and its tests need, only those missing.
source "$(dirname "$0")/lib.sh"

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v chromium >/dev/null || need+=(chromium)
[ -d /usr/share/javascript/katex ] || need+=(libjs-katex)
[ -d /usr/share/javascript/codemirror ] || need+=(libjs-codemirror)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
command -v wrk >/dev/null || need+=(wrk)  # the loopback load generator of `make bench` (bench/web.py)
command -v docker >/dev/null || need+=(docker.io)
if [ ${#need[@]} -gt 0 ]; then
    say "installing Debian packages: ${need[*]}"
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
