# Shared shell helpers for tools/run-odoo and .ci/run (sourced, not executed).
# Odoo 19 is installed outside this repository; point at it with environment variables:
#   ODOO_HOME    folder holding the Odoo source and its virtualenv   (default /opt/odoo19)
#   ODOO_BIN     path of odoo-bin                                    (default $ODOO_HOME/src/odoo-bin)
#   ODOO_PYTHON  python of the virtualenv Odoo's requirements are in (default $ODOO_HOME/venv/bin/python)
#   PGHOST/PGPORT/PGUSER as for any PostgreSQL client (default: local socket, current user)

ADDON_NAME=hr_recruitment_passive
ADDON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_HOME=${ODOO_HOME:-/opt/odoo19}
ODOO_BIN=${ODOO_BIN:-$ODOO_HOME/src/odoo-bin}
ODOO_PYTHON=${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}

die() { echo "ERROR: $*" >&2; exit 1; }

find_odoo() {
    if [ ! -f "$ODOO_BIN" ] || [ ! -x "$ODOO_PYTHON" ]; then
        die "Odoo 19 not found (looked for odoo-bin at '$ODOO_BIN' and its python at '$ODOO_PYTHON').
Install Odoo 19.0 Community from source as its documentation describes (source in \$ODOO_HOME/src,
a virtualenv with its requirements.txt in \$ODOO_HOME/venv), or point at an existing install:
    export ODOO_HOME=/path/to/odoo19            # holds src/odoo-bin and venv/bin/python
or  export ODOO_BIN=/path/to/odoo-bin ODOO_PYTHON=/path/to/venv/bin/python"
    fi
    local version
    version=$("$ODOO_PYTHON" -c "import sys; sys.path.insert(0, '$(dirname "$ODOO_BIN")'); from odoo import release; print(release.serie)" 2>/dev/null) \
        || die "'$ODOO_PYTHON' cannot import Odoo from '$(dirname "$ODOO_BIN")': is the virtualenv complete?"
    [ "$version" = "19.0" ] || die "Odoo at '$ODOO_BIN' is version $version; this addon needs 19.0."
    ODOO_SRC=$(dirname "$ODOO_BIN")
}

start_postgres() {
    if command -v pg_isready >/dev/null && pg_isready -q; then
        return 0
    fi
    if command -v pg_lsclusters >/dev/null; then
        local ver name
        read -r ver name _ < <(pg_lsclusters --no-header | head -n 1)
        [ -n "${ver:-}" ] || die "No PostgreSQL cluster exists (pg_lsclusters is empty); create one with pg_createcluster."
        echo "Starting PostgreSQL $ver/$name"
        pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start || true
    fi
    for _ in $(seq 1 30); do
        pg_isready -q && break
        sleep 1
    done
    pg_isready -q || die "PostgreSQL is not reachable; start it or set PGHOST/PGPORT."
    local me
    me=${PGUSER:-$(id -un)}
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
            echo "Creating PostgreSQL superuser role '$me'"
            runuser -u postgres -- psql -q -c "CREATE ROLE \"$me\" SUPERUSER LOGIN" \
                || die "Could not create PostgreSQL role '$me'."
        else
            die "PostgreSQL role '$me' cannot connect; create it: sudo -u postgres createuser -s $me"
        fi
    fi
}

# Odoo finds an addon by its folder name: expose this repository as <tmp>/addons/hr_recruitment_passive
make_addons_path() {
    local root=$1
    mkdir -p "$root/addons"
    ln -sfn "$ADDON_DIR" "$root/addons/$ADDON_NAME"
    ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$root/addons"
}

write_config() {
    local conf=$1 data_dir=$2
    cat > "$conf" <<CONF
[options]
addons_path = $ADDONS_PATH
data_dir = $data_dir
list_db = False
http_interface = 127.0.0.1
CONF
    [ -n "${PGHOST:-}" ] && echo "db_host = $PGHOST" >> "$conf"
    [ -n "${PGPORT:-}" ] && echo "db_port = $PGPORT" >> "$conf"
    [ -n "${PGUSER:-}" ] && echo "db_user = $PGUSER" >> "$conf"
    return 0
}
