# Sourced by load.sh and lookup-beside-nginx.sh: start_server WORK PORT SERVING_PORT DEMO_EPOCHS COMMAND... starts the
# server COMMAND (e.g. java -XX:MaxRAMPercentage=75 -XX:+UseTransparentHugePages -jar prenas.jar) in the background
# on a fresh embedded database and storage under WORK, as the Dockerfile runs it (jemalloc with its recommended
# MALLOC_CONF when installed), log in WORK/server.log, its process id in SERVER_PID.
#
# The server gets a session of its own (setsid), as nginx has (it daemonizes) and as a service or container has in
# production. With the kernel's autogroup scheduling a session shares the CPU as one group: a server left in the
# script's session would share one group with the benchmark client's threads and get a fraction of nginx's CPU share
# under 4-8 download clients (docs/bench/serving.md, "eighth stop").
start_server() {
  local work=$1 port=$2 serving_port=$3 epochs=$4
  shift 4
  local jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
  (
    if [ -f "$jemalloc" ]; then
      export LD_PRELOAD=$jemalloc MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:10
    fi
    # not a process group leader here, so setsid needs no fork: the server keeps this process id
    exec setsid "$@" --server.port="$port" --prenas.serving.port="$serving_port" \
      --prenas.db.embedded.dir="$work/pg" --prenas.storage.dir="$work/artifacts" --prenas.data.dir="$work/data" \
      --prenas.demo.epochs="$epochs"
  ) > "$work/server.log" 2>&1 &
  SERVER_PID=$!
}
