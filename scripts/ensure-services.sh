#!/usr/bin/env bash
# Make sure NATS (with JetStream), Postgres and Redis answer on their local ports.
# Starts the ones this machine has installed but not running; otherwise says what to install.
# Only local defaults are managed: when NATS_URL/DATABASE_URL/REDIS_URL point elsewhere, that
# service is left alone.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local name=$1 port=$2
  for _ in $(seq 1 50); do
    port_open "$port" && return 0
    sleep 0.2
  done
  echo "ensure-services: $name did not come up on port $port" >&2
  return 1
}

missing=()

is_local() { [[ -z "${1:-}" || "$1" == *127.0.0.1* || "$1" == *localhost* ]]; }

if is_local "${DATABASE_URL:-}" && ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "ensure-services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_port PostgreSQL 5432
  else
    missing+=(postgresql)
  fi
fi

if is_local "${REDIS_URL:-}" && ! port_open 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "ensure-services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_port Redis 6379
  else
    missing+=(redis-server)
  fi
fi

if is_local "${NATS_URL:-}" && ! port_open 4222; then
  nats_bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  if [ -x "$nats_bin" ]; then
    echo "ensure-services: starting nats-server with JetStream"
    mkdir -p /var/lib/nats-server 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec "$nats_bin" -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
    wait_port NATS 4222
  else
    missing+=(nats-server)
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-services: not installed: ${missing[*]}" >&2
  echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
  echo "  or point NATS_URL / DATABASE_URL / REDIS_URL at running servers" >&2
  exit 1
fi

# Postgres accepts TCP before it accepts queries during start-up.
if is_local "${DATABASE_URL:-}" && command -v pg_isready >/dev/null 2>&1; then
  for _ in $(seq 1 50); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.2; done
fi
echo "ensure-services: NATS, PostgreSQL and Redis are up"
