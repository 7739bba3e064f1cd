#!/usr/bin/env bash
# Registers gVisor (Debian's runsc) with the local Docker engine, so that
# `runner worker --runtime runsc` and the runsc half of the sandbox tests
# can run. Idempotent: installs runsc if it is missing (scripts/deps.sh),
# writes it into /etc/docker/daemon.json under "runtimes" unless it is there
# already as wanted (every other setting is kept), and makes the running
# daemon reload its runtimes with SIGHUP: no restart, running containers are
# not touched.
#
# runtimeArgs:
# --network=none  this engine gives a NetworkMode "none" container the
#                 host's root network namespace to join, and gVisor's own
#                 network stack then refuses to start ("cannot run with
#                 network enabled in root network namespace"). With it gVisor
#                 creates no network at all, which is what a step wants.
# --oci-seccomp   gVisor applies the container's seccomp profile (the
#                 runner's pinned one) inside the sandbox as runc does;
#                 without it a step's syscalls reach gVisor's kernel
#                 unfiltered. (runsc 20221219 ignores a rule's errno, so the
#                 runner adjusts one rule for gVisor: grader/docker/harden.go.)
# --host-uds=open gVisor refuses connects to host Unix sockets by default;
#                 a step with model access reaches the gateway through the
#                 socket in the gateway volume (mounted read-only). open
#                 allows connecting to an existing socket, never creating one.
#
#   scripts/gvisor.sh            needs root (or prints what to run)
set -euo pipefail
here=$(dirname "$0")
conf=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
args='["--network=none", "--oci-seccomp", "--host-uds=open"]'

"$here/deps.sh" runsc
runsc=$(command -v runsc)

# registered: the engine knows runsc with exactly this path and these args.
registered() {
  docker info --format '{{json .Runtimes}}' | python3 -c '
import json, sys
want = {"path": sys.argv[1], "runtimeArgs": json.loads(sys.argv[2])}
sys.exit(json.load(sys.stdin).get("runsc") != want)' "$runsc" "$args"
}

if registered; then
  echo "gvisor: runsc is registered with the engine"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "gvisor: runsc is not registered with the engine as wanted; run as root: $0" >&2
  exit 1
fi

mkdir -p "$(dirname "$conf")"
[ -s "$conf" ] || echo '{}' >"$conf"
python3 -c '
import json, sys
path, runsc, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with open(path) as f:
    conf = json.load(f)
conf.setdefault("runtimes", {})["runsc"] = {"path": runsc, "runtimeArgs": args}
with open(path + ".tmp", "w") as f:
    json.dump(conf, f, indent=2)
    f.write("\n")' "$conf" "$runsc" "$args"
mv "$conf.tmp" "$conf"

pid=$(pgrep -o -x dockerd) || { echo "gvisor: dockerd is not running" >&2; exit 1; }
kill -HUP "$pid"
for _ in $(seq 50); do
  if registered; then
    echo "gvisor: registered $runsc as runtime runsc"
    exit 0
  fi
  sleep 0.2
done
echo "gvisor: dockerd did not pick up runsc after SIGHUP; see its log" >&2
exit 1
