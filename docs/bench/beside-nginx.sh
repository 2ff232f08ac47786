# Sourced by lookup-beside-nginx.sh and download-cpu.sh (after nginx-conf.sh and bench-server.sh; load.sh uses only
# stop_beside_nginx, as it sets its nginx up on the artifact directory itself): with WORK, JAR, NGINX, PORT,
# SERVING_PORT and NGINX_PORT set, beside_nginx starts the server as the Dockerfile runs it (start_server) on a fresh
# embedded database, waits for the demo's models, and starts nginx on loopback NGINX_PORT answering
# GET /api/v1/models/best with the server's own answer (a static JSON file) and the model's weights file. Sets
# SERVER_PID and WEIGHTS (the weights path); stop_beside_nginx stops both (the server only if SERVER_PID is set) and
# removes WORK.

# The load client's JVM (`bench load`): a fixed young generation of 1 GB in a fixed 2 GB heap, so that the client
# makes no collection while it times a round's lookups. It allocates about 2.3 KB per request; with the JVM's own
# sizing its young generation was about 75 MB, and each collection paused it for 17-24 ms, once or twice per 30-s
# round, which counted as latency against whichever server it was timing, nginx or ours (docs/bench/serving.md,
# twelfth stop). CLIENT_JAVA overrides it (CLIENT_JAVA="java -Xmx2g" is the client as it ran before).
CLIENT_JAVA=${CLIENT_JAVA:-java -Xms2g -Xmx2g -Xmn1g}

beside_nginx() {
  # SERVER_OPTS: more JVM options for a trial (e.g. -Djava.net.preferIPv4Stack=true); empty as the Dockerfile runs it
  # shellcheck disable=SC2086
  start_server "$WORK" "$PORT" "$SERVING_PORT" 1 java -XX:MaxRAMPercentage=75 -XX:+UseTransparentHugePages \
    ${SERVER_OPTS:-} -jar "$JAR"
  local best="http://127.0.0.1:$SERVING_PORT/api/v1/models/best?space=demo-fmnist&maxParams=1e12"
  until curl -sf "$best" > "$WORK/best.json"; do
    kill -0 "$SERVER_PID" || { echo "server died; see its log" >&2; tail -20 "$WORK/server.log" >&2; return 1; }
    sleep 5
  done
  local sha id
  sha=$(sed -n 's/.*"sha256":"\([0-9a-f]\{64\}\)".*/\1/p' "$WORK/best.json")
  id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$WORK/best.json")
  write_nginx_conf "$WORK" "$NGINX_PORT" <<LOCATIONS
    location = /api/v1/models/best { default_type application/json; alias $WORK/best.json; }
    location = /api/v1/models/$id/weights {
      default_type application/octet-stream; alias $WORK/artifacts/${sha:0:2}/${sha:2:2}/$sha;
    }
LOCATIONS
  "$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
  sleep 1
  WEIGHTS=/api/v1/models/$id/weights
}

stop_beside_nginx() {
  [ -f "$WORK/nginx.pid" ] && "$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -s quit 2>/dev/null || true
  if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
