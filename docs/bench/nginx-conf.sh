# Sourced by load.sh, lookup-beside-nginx.sh and download-cpu.sh. find_nginx sets NGINX to the nginx binary, or stops
# the script when there is none. write_nginx_conf WORK PORT writes WORK/nginx.conf for an nginx on loopback PORT with
# its pid, logs and temp files under WORK; the server block's contents (root, locations) come on standard input.
# NGINX_KEEPALIVE_REQUESTS (default 1000, nginx's own default) sets its keepalive_requests for a trial.
find_nginx() {
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  [ -x "$NGINX" ] || { echo "nginx not found: apt-get install nginx-light" >&2; exit 1; }
}

write_nginx_conf() {
  local work=$1 port=$2
  mkdir -p "$work/nginx-tmp"
  {
    cat <<CONF
# Workers as this user: the artifact files are private to the server's user (mode 600).
user $(id -un) $(id -gn);
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests ${NGINX_KEEPALIVE_REQUESTS:-1000};  # as the server's two ports (max-keep-alive-requests) and nginx's default
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$port;
CONF
    cat
    printf '  }\n}\n'
  } > "$work/nginx.conf"
}
