# shellcheck shell=bash
# Shared shell helpers for scripts/run-odoo and .ci/run (sourced, not executed).
# Odoo 19 lives outside this repository. When it is missing at ODOO_HOME, find_odoo installs it there
# (install_odoo: source, virtualenv with Odoo's requirements, Debian build packages when root).
#   ODOO_HOME    folder holding the Odoo source and its virtualenv   (default /opt/odoo19)
#   ODOO_BIN     path of odoo-bin                                    (default $ODOO_HOME/src/odoo-bin)
#   ODOO_PYTHON  python of the virtualenv Odoo's requirements are in (default $ODOO_HOME/venv/bin/python)
#   ODOO_SOURCE  where install_odoo takes Odoo 19.0 Community from: a git URL (shallow clone), a local git
#                repository or mirror (bare or not; its files are exported with git archive), or a local
#                folder holding an Odoo source tree with odoo-bin (copied)
#                (default https://github.com/odoo/odoo.git)
#   ODOO_BRANCH  branch to clone from a git URL (default 19.0); for a local repository, default its HEAD
#   ODOO_SOURCE_EXCLUDE  space-separated folders of the source that are not Odoo Community and are left out
#                (default "odoo/enterprise custom-addons")
#   ODOO_BASE_PYTHON  python that creates the virtualenv (default python3; Odoo 19 needs 3.10 or later)
#   PGHOST/PGPORT/PGUSER as for any PostgreSQL client (default: local socket, current user)

ADDON_NAME=hr_recruitment_passive
ADDON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_HOME=${ODOO_HOME:-/opt/odoo19}
ODOO_BIN=${ODOO_BIN:-$ODOO_HOME/src/odoo-bin}
ODOO_PYTHON=${ODOO_PYTHON:-$ODOO_HOME/venv/bin/python}
ODOO_SOURCE=${ODOO_SOURCE:-https://github.com/odoo/odoo.git}
ODOO_SOURCE_EXCLUDE=${ODOO_SOURCE_EXCLUDE-odoo/enterprise custom-addons}
ODOO_BASE_PYTHON=${ODOO_BASE_PYTHON:-python3}
# Debian packages needed to build Odoo's requirements (psycopg2, python-ldap) and a virtualenv
ODOO_BUILD_PACKAGES="libpq-dev libldap2-dev libsasl2-dev python3-venv python3-dev build-essential"

die() { echo "ERROR: $*" >&2; exit 1; }

find_odoo() {
    if [ ! -f "$ODOO_BIN" ] || [ ! -x "$ODOO_PYTHON" ] || [ -e "$ODOO_HOME/.install-incomplete" ]; then
        if [ "$ODOO_BIN" = "$ODOO_HOME/src/odoo-bin" ] && [ "$ODOO_PYTHON" = "$ODOO_HOME/venv/bin/python" ]; then
            install_odoo
        else
            die "Odoo 19 not found (looked for odoo-bin at '$ODOO_BIN' and its python at '$ODOO_PYTHON').
ODOO_BIN / ODOO_PYTHON are set by hand, so nothing is installed automatically. Point them at an
existing Odoo 19 install, or unset them to have Odoo 19 installed in \$ODOO_HOME ('$ODOO_HOME'):
    unset ODOO_BIN ODOO_PYTHON"
        fi
    fi
    local version
    version=$("$ODOO_PYTHON" -c "import sys; sys.path.insert(0, '$(dirname "$ODOO_BIN")'); from odoo import release; print(release.serie)" 2>/dev/null) \
        || die "'$ODOO_PYTHON' cannot import Odoo from '$(dirname "$ODOO_BIN")': is the virtualenv complete?"
    [ "$version" = "19.0" ] || die "Odoo at '$ODOO_BIN' is version $version; this addon needs 19.0."
    ODOO_SRC=$(dirname "$ODOO_BIN")
    "$ODOO_PYTHON" -c "import psycopg2, lxml, werkzeug, babel, PIL, reportlab, passlib" 2>/dev/null \
        || die "Odoo's Python requirements are missing from '$ODOO_PYTHON'. To have them installed by the next
run (when Odoo lives in \$ODOO_HOME):    touch $ODOO_HOME/.install-incomplete
or by hand:    $ODOO_PYTHON -m pip install -r $ODOO_SRC/requirements.txt"
}

# Install Odoo 19.0 Community in $ODOO_HOME: source in src/, virtualenv with its requirements in venv/.
# Idempotent and resumable: $ODOO_HOME/.install-incomplete is created first and removed last, so a run
# that was interrupted is finished by the next one; steps already done (src/, the venv) are kept.
install_odoo() {
    local src=$ODOO_HOME/src venv=$ODOO_HOME/venv marker=$ODOO_HOME/.install-incomplete lock started=$SECONDS
    { mkdir -p "$ODOO_HOME" && [ -w "$ODOO_HOME" ]; } 2>/dev/null \
        || die "Odoo 19 is not installed and '$ODOO_HOME' cannot be created or written to. Run as root, or install it
in a folder of yours:    export ODOO_HOME=\$HOME/odoo19"
    # two runs at once (e.g. scripts/run-odoo and .ci/run): the second waits for the first
    exec {lock}>"$ODOO_HOME/.install.lock"
    if command -v flock >/dev/null; then
        flock -n "$lock" || { echo "Waiting for another Odoo install in $ODOO_HOME to finish"; flock "$lock"; }
    fi
    if [ -f "$src/odoo-bin" ] && [ -x "$venv/bin/python" ] && [ ! -e "$marker" ]; then
        exec {lock}>&-
        return 0
    fi
    echo "Installing Odoo 19.0 Community in $ODOO_HOME (first run only: several minutes) from $ODOO_SOURCE"
    : >"$marker"
    install_build_packages
    if [ ! -f "$src/odoo-bin" ]; then
        if [ -e "$src" ] && [ -n "$(ls -A "$src" 2>/dev/null)" ]; then
            die "'$src' exists but holds no odoo-bin; move it away (or remove it) and run again."
        fi
        rmdir "$src" 2>/dev/null || true
        fetch_odoo_source "$src"
    fi
    install_odoo_venv "$src" "$venv"
    rm -f "$marker"
    exec {lock}>&-
    echo "Odoo 19.0 installed in $ODOO_HOME in $((SECONDS - started)) s"
}

# Debian packages that building Odoo's requirements needs; installed when run as root, else the command is shown
install_build_packages() {
    command -v dpkg-query >/dev/null || return 0 # not Debian/Ubuntu: pip says what is missing
    local p missing=()
    for p in $ODOO_BUILD_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "Debian packages needed to build Odoo's requirements are missing. Install them, then run again:
    sudo apt-get install -y ${missing[*]}"
    echo "Installing Debian packages: ${missing[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } \
        || die "apt-get could not install the build packages; run it by hand, then run again:
    apt-get update && apt-get install -y ${missing[*]}"
}

# Put the Odoo Community source tree from $ODOO_SOURCE into $1, leaving out $ODOO_SOURCE_EXCLUDE.
# The tree is built in a temporary folder beside $1 and renamed at the end: $1 exists only when complete.
fetch_odoo_source() {
    local dest=$1 tmp p ref excludes=() started=$SECONDS
    rm -rf "$ODOO_HOME"/.src-partial.* # left by an interrupted run
    tmp=$(mktemp -d "$ODOO_HOME/.src-partial.XXXXXX")
    chmod 755 "$tmp"
    if [ -d "$ODOO_SOURCE" ] && is_git_repository "$ODOO_SOURCE"; then
        # a local repository or mirror: export the committed files (git archive reads only the objects of
        # the paths it exports, so an excluded folder with missing objects does no harm)
        ref=${ODOO_BRANCH:-HEAD}
        for p in $ODOO_SOURCE_EXCLUDE; do excludes+=(":(exclude)$p"); done
        echo "Exporting $ref of the git repository $ODOO_SOURCE${ODOO_SOURCE_EXCLUDE:+ without $ODOO_SOURCE_EXCLUDE}"
        local errors=$ODOO_HOME/.git-archive.err
        if ! git -C "$ODOO_SOURCE" archive --format=tar "$ref" -- . "${excludes[@]}" 2>"$errors" | tar -x -C "$tmp"; then
            cat "$errors" >&2
            rm -rf "$tmp" "$errors"
            die "Could not export Odoo from '$ODOO_SOURCE'. The command was:
    git -C $ODOO_SOURCE archive --format=tar $ref -- .$([ ${#excludes[@]} -eq 0 ] || printf " '%s'" "${excludes[@]}") | tar -x -C $dest
Set ODOO_BRANCH to a branch of that repository, or ODOO_SOURCE_EXCLUDE to the folders that cannot be read."
        fi
        # git still looks at the objects of excluded folders and reports those it lacks, without failing:
        # only lines about other paths are worth showing
        for p in $ODOO_SOURCE_EXCLUDE; do
            grep -v -F "for '${p%/}/" "$errors" >"$errors.kept" || true
            mv "$errors.kept" "$errors"
        done
        cat "$errors" >&2
        rm -f "$errors"
    elif [ -d "$ODOO_SOURCE" ]; then
        [ -f "$ODOO_SOURCE/odoo-bin" ] || {
            rm -rf "$tmp"
            die "ODOO_SOURCE '$ODOO_SOURCE' is a folder but neither a git repository nor an Odoo source tree (no odoo-bin)."
        }
        for p in $ODOO_SOURCE_EXCLUDE; do excludes+=("--exclude=./$p"); done
        echo "Copying the Odoo source tree $ODOO_SOURCE${ODOO_SOURCE_EXCLUDE:+ without $ODOO_SOURCE_EXCLUDE}"
        if ! tar -C "$ODOO_SOURCE" --exclude=__pycache__ "${excludes[@]}" -cf - . | tar -x -C "$tmp"; then
            rm -rf "$tmp"
            die "Could not copy the Odoo source tree from '$ODOO_SOURCE' to '$dest'."
        fi
    else
        # a git URL: shallow clone of one branch; a sparse checkout leaves the excluded folders out (and,
        # where the server filters, their files are not even downloaded)
        ref=${ODOO_BRANCH:-19.0}
        echo "Cloning $ODOO_SOURCE branch $ref (shallow)${ODOO_SOURCE_EXCLUDE:+ without $ODOO_SOURCE_EXCLUDE}"
        local sparse=('/*')
        for p in $ODOO_SOURCE_EXCLUDE; do sparse+=("!/${p%/}/"); done
        if ! { git clone --quiet --depth 1 --single-branch --branch "$ref" --filter=blob:none --no-checkout \
            "$ODOO_SOURCE" "$tmp" &&
            git -C "$tmp" sparse-checkout set --no-cone "${sparse[@]}" &&
            git -C "$tmp" checkout --quiet; }; then
            rm -rf "$tmp"
            die "Could not clone Odoo 19 from '$ODOO_SOURCE' (branch $ref). The command was:
    git clone --depth 1 --branch $ref $ODOO_SOURCE $dest
Check the network, or set ODOO_SOURCE to a local copy (a git repository or an Odoo source folder)."
        fi
    fi
    if [ ! -f "$tmp/odoo-bin" ] || [ ! -f "$tmp/requirements.txt" ] || [ ! -f "$tmp/odoo/release.py" ]; then
        rm -rf "$tmp"
        die "'$ODOO_SOURCE' does not hold an Odoo source tree (no odoo-bin, requirements.txt or odoo/release.py at its root)."
    fi
    local version
    version=$("$ODOO_BASE_PYTHON" -c "import runpy, sys; print(runpy.run_path(sys.argv[1])['serie'])" "$tmp/odoo/release.py" 2>/dev/null || true)
    [ "$version" = "19.0" ] || {
        rm -rf "$tmp"
        die "'$ODOO_SOURCE' holds Odoo ${version:-of unknown version}, not 19.0 (set ODOO_BRANCH or ODOO_SOURCE)."
    }
    mv "$tmp" "$dest"
    echo "Odoo source ready in $dest ($((SECONDS - started)) s)"
}

is_git_repository() {
    local dir top
    dir=$(cd "$1" && pwd -P)
    [ "$(git -C "$dir" rev-parse --is-bare-repository 2>/dev/null)" = true ] && return 0
    top=$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null) || return 1
    [ "$(cd "$top" && pwd -P)" = "$dir" ]
}

# Virtualenv $2 with the requirements of the Odoo source $1 (a copy of requirements.txt is adjusted, never the source)
install_odoo_venv() {
    local src=$1 venv=$2 req log=$ODOO_HOME/pip-install.log started=$SECONDS
    if [ ! -x "$venv/bin/python" ]; then
        "$ODOO_BASE_PYTHON" -c "import sys; sys.exit(sys.version_info < (3, 10))" 2>/dev/null \
            || die "Odoo 19 needs Python 3.10 or later; '$ODOO_BASE_PYTHON' is $("$ODOO_BASE_PYTHON" --version 2>&1).
Set ODOO_BASE_PYTHON to a newer python."
        echo "Creating the virtualenv $venv ($("$ODOO_BASE_PYTHON" --version 2>&1))"
        "$ODOO_BASE_PYTHON" -m venv "$venv" || {
            rm -rf "$venv"
            die "Could not create a virtualenv; on Debian/Ubuntu install python3-venv, then run again:
    apt-get install -y python3-venv && $ODOO_BASE_PYTHON -m venv $venv"
        }
    fi
    req=$(mktemp /tmp/odoo-requirements.XXXXXX)
    # Odoo pins cbor2 5.4.2 below Python 3.12: it has no wheel for 3.11; 5.6.2 (its pin for 3.12+) has one
    sed -E 's/^cbor2==5\.4\.2([^0-9]|$)/cbor2==5.6.2\1/' "$src/requirements.txt" >"$req"
    echo "Installing Odoo's Python requirements into $venv (log: $log)"
    if ! "$venv/bin/python" -m pip install --no-input -r "$req" >"$log" 2>&1; then
        echo "----- last lines of $log -----" >&2
        tail -n 30 "$log" >&2
        rm -f "$req"
        die "pip could not install Odoo's requirements (see above). Fix the cause and run again; by hand it is:
    sed 's/^cbor2==5.4.2/cbor2==5.6.2/' $src/requirements.txt >/tmp/odoo-requirements.txt
    $venv/bin/python -m pip install -r /tmp/odoo-requirements.txt"
    fi
    rm -f "$req"
    echo "Odoo's Python requirements installed ($((SECONDS - started)) s)"
}

start_postgres() {
    if command -v pg_isready >/dev/null && pg_isready -q; then
        return 0
    fi
    if ! command -v pg_isready >/dev/null && [ -z "${PGHOST:-}" ]; then
        # no PostgreSQL at all on this machine: Debian's package creates and starts a cluster
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "Installing PostgreSQL (Debian package postgresql)"
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
                || die "apt-get could not install PostgreSQL; run it by hand, then run again:
    apt-get update && apt-get install -y postgresql"
        else
            die "PostgreSQL is not installed. Install it (sudo apt-get install -y postgresql), or point at a
server with PGHOST/PGPORT/PGUSER."
        fi
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

# Benchmarks (scripts/bench-drip, scripts/bench-scale): a fresh database $1 with the addon installed and a
# temporary folder (BENCH_WORK, holding odoo.conf), both removed when the script exits.
# bench_shell SCRIPT [VAR=value...] then runs scripts/SCRIPT inside `odoo-bin shell` on it.
bench_database() {
    BENCH_DB=$1
    find_odoo
    start_postgres
    BENCH_WORK=$(mktemp -d /tmp/passive-bench.XXXXXX)
    trap 'dropdb --if-exists "$BENCH_DB" >/dev/null 2>&1 || true; rm -rf "$BENCH_WORK"' EXIT
    make_addons_path "$BENCH_WORK"
    write_config "$BENCH_WORK/odoo.conf" "$BENCH_WORK/data"
    echo "== installing $ADDON_NAME into fresh database $BENCH_DB"
    "$ODOO_PYTHON" "$ODOO_BIN" -c "$BENCH_WORK/odoo.conf" -d "$BENCH_DB" -i "$ADDON_NAME" \
        --stop-after-init --no-http >"$BENCH_WORK/install.log" 2>&1 \
        || { tail -n 40 "$BENCH_WORK/install.log"; die "install failed"; }
}

bench_shell() {
    local script=$1
    shift
    env "$@" BENCH_TOOLS="$ADDON_DIR/scripts" "$ODOO_PYTHON" "$ODOO_BIN" shell -c "$BENCH_WORK/odoo.conf" \
        -d "$BENCH_DB" --no-http --log-level=warn <"$ADDON_DIR/scripts/$script"
}
