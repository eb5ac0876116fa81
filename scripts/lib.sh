# shellcheck shell=bash
# Shared helpers for scripts/test, scripts/pg-start and scripts/pg-stop (sourced, not run).
#
# Each throwaway database server is a pair of functions `<name>_start DIR` / `<name>_stop DIR`
# plus `<name>_packages` (the Debian packages it needs) and `<name>_env DIR` (the variable the
# tests read). Adding a server (MariaDB ...) means adding those four and its name to SERVERS
# in scripts/test.

log() { printf '[schemac] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Installs the Debian packages that are not installed yet (apt-get update first, once).
APT_UPDATED=${APT_UPDATED:-}
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null || die "need root (or sudo) to install ${missing[*]}"
        sudo=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$APT_UPDATED" ]; then
        "${sudo[@]}" apt-get update -qq >&2 || die "apt-get update failed"
        APT_UPDATED=1
    fi
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
}

# Runs a command as the OS user that owns the server files (`postgres` when we are root,
# since PostgreSQL refuses to run as root; ourselves otherwise).
as_server_user() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# ----------------------------------------------------------------------------------------
# PostgreSQL 15
# ----------------------------------------------------------------------------------------

PG_VERSION=15
pg_packages() { echo "postgresql-$PG_VERSION postgresql-$PG_VERSION-plpgsql-check"; }
pg_bindir() { echo "${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}"; }

# The server listens on a unix socket in DIR only (no TCP port, so no port clashes with
# other clusters on the machine); DIR/data is the cluster, DIR/server.log its log.
pg_env() { echo "host=$1 port=5432 user=postgres dbname=postgres"; }

pg_start() {
    local dir=$1 bin
    bin=$(pg_bindir)
    [ -x "$bin/initdb" ] || die "PostgreSQL $PG_VERSION binaries not found in $bin (set PG_BIN)"
    mkdir -p "$dir"
    if is_root; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/false postgres
        chown postgres: "$dir"
    fi
    chmod 0755 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
        cat >>"$dir/data/postgresql.conf" <<CONF
# throwaway test cluster (scripts/lib.sh): no TCP, no durability
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 128MB
max_locks_per_transaction = 1024
logging_collector = off
log_min_messages = warning
CONF
    fi
    if ! as_server_user "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
            >/dev/null || { tail -20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
    fi
    log "PostgreSQL $PG_VERSION running, socket in $dir"
}

pg_stop() {
    local dir=$1 bin
    bin=$(pg_bindir)
    [ -f "$dir/data/postmaster.pid" ] || return 0
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}

# ----------------------------------------------------------------------------------------
# MariaDB (Debian's mariadb-server; the tests target MySQL 8 syntax that MariaDB accepts)
# ----------------------------------------------------------------------------------------

my_packages() { echo "mariadb-server mariadb-client"; }

# The server listens on DIR/mysqld.sock only (skip-networking: no port clashes); DIR/data is
# the datadir, DIR/server.log its log. Root connects through the socket (unix_socket auth as
# the OS user running the tests, or the empty root password of a fresh datadir); grants
# stay enforced (no --skip-grant-tables), so GRANT/CREATE USER are tested for real.
my_env() { echo "socket=$1/mysqld.sock;user=root"; }

my_user() { if is_root; then echo mysql; else id -un; fi; }

my_start() {
    local dir=$1 user
    user=$(my_user)
    command -v mariadbd >/dev/null || command -v mysqld >/dev/null \
        || die "MariaDB server binaries not found (install mariadb-server)"
    mkdir -p "$dir"
    if is_root; then
        id mysql >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/false mysql
        chown mysql: "$dir"
    fi
    chmod 0755 "$dir"
    # Temporary tables live with the server, not in /tmp (which other programs clean).
    mkdir -p "$dir/tmp"
    if is_root; then chown mysql: "$dir/tmp"; fi
    cat >"$dir/my.cnf" <<CONF
[mariadbd]
datadir=$dir/data
socket=$dir/mysqld.sock
pid-file=$dir/mysqld.pid
log-error=$dir/server.log
tmpdir=$dir/tmp
skip-networking
innodb_flush_log_at_trx_commit=0
innodb_doublewrite=0
innodb_buffer_pool_size=128M
character-set-server=utf8mb4
collation-server=utf8mb4_bin
lower_case_table_names=0
max_connections=100
sql_mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION
CONF
    if [ ! -d "$dir/data/mysql" ]; then
        mariadb-install-db --defaults-file="$dir/my.cnf" --user="$user" \
            --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 \
            || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
    fi
    if [ ! -S "$dir/mysqld.sock" ]; then
        (mariadbd --defaults-file="$dir/my.cnf" --user="$user" >/dev/null 2>&1 &)
        local i
        for i in $(seq 1 120); do
            [ -S "$dir/mysqld.sock" ] && mariadb-admin --socket="$dir/mysqld.sock" -uroot ping \
                >/dev/null 2>&1 && break
            sleep 0.5
        done
        mariadb-admin --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 \
            || { tail -20 "$dir/server.log" >&2; die "MariaDB did not start"; }
    fi
    log "MariaDB running, socket $dir/mysqld.sock"
}

my_stop() {
    local dir=$1 pid
    [ -f "$dir/mysqld.pid" ] || return 0
    pid=$(cat "$dir/mysqld.pid")
    mariadb-admin --socket="$dir/mysqld.sock" -uroot shutdown >/dev/null 2>&1 \
        || kill "$pid" 2>/dev/null || true
}
