#!/usr/bin/env bash
# install-nginx-versions.sh [VERSION...] — real nginx binaries of newer versions beside Debian
# bookworm's /usr/sbin/nginx (1.22.1, nginx-extras), for the per-version oracle tests
# (test/oracle/nginxVersions.ts finds them). Default: 1.26.3 (Debian trixie) and 1.30.6 (Debian sid).
# Debian packages only, idempotent (a prefix whose sbin/nginx reports its version is kept: ~2 s).
#
#   /opt/nginx-<v>/sbin/nginx   built with gcc from the upstream tarball of that version's Debian source
#       package, with Debian's configure flags but prefix-relative paths (so `-p DIR` moves every path).
#       When the archive does not serve the tarball (1.30.6 in sid, December 2026): Debian's own binary,
#       with that suite's glibc/OpenSSL/PCRE2 in /opt/nginx-<v>/lib (patchelf'd interpreter + rpath),
#       because sid's libraries need a newer glibc than bookworm's.
#   /opt/nginx-<v>/modules/*.so the same suite's Debian dynamic modules (nginx-extras' set without perl,
#       plus set-misc, brotli, rtmp, njs: the set ../shared/corpus/ORACLE.tsv was made with); a module
#       that does not load goes to modules-unloadable/ with the reason in REASONS.
#   /opt/nginx-<v>/share/lua/5.1 lua-resty-core for the lua module (LUA_PATH).
#
# Needs root (apt-get, patchelf, unshare); without root it says so and exits 0 (the tests skip).
# Knobs: FORCE=1 reinstall, OPT=/opt, BUILD=/tmp/nginx-lint-build (work files and a private apt state
# that sees trixie and sid; the system's apt sources are not touched).
set -euo pipefail
VERSIONS=${*:-1.26.3 1.30.6}
OPT=${OPT:-/opt}
B=${BUILD:-/tmp/nginx-lint-build}
SUITES="trixie sid"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
MODS="libnginx-mod-stream libnginx-mod-mail libnginx-mod-http-ndk libnginx-mod-http-auth-pam
 libnginx-mod-http-cache-purge libnginx-mod-http-dav-ext libnginx-mod-http-echo libnginx-mod-http-fancyindex
 libnginx-mod-http-geoip libnginx-mod-http-geoip2 libnginx-mod-http-headers-more-filter
 libnginx-mod-http-image-filter libnginx-mod-http-lua libnginx-mod-http-subs-filter
 libnginx-mod-http-uploadprogress libnginx-mod-http-upstream-fair libnginx-mod-http-xslt-filter
 libnginx-mod-nchan libnginx-mod-stream-geoip libnginx-mod-stream-geoip2
 libnginx-mod-http-set-misc libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static
 libnginx-mod-rtmp libnginx-mod-http-js libnginx-mod-stream-js"
RUNTIME="libc6 libcrypt1 libssl3t64 libzstd1 zlib1g libpcre2-8-0 libxml2-16 libxslt1.1 libgcrypt20
 libgpg-error0 libluajit-5.1-2 libmaxminddb0 libqjs0"
log() { printf 'install-nginx-versions: %s\n' "$*" >&2; }

installed() { [ -x "$OPT/nginx-$1/sbin/nginx" ] && "$OPT/nginx-$1/sbin/nginx" -v 2>&1 | grep -q "nginx/$1\$"; }
modules_ok() { [ "$(cat "$OPT/nginx-$1/modules/.mods" 2>/dev/null)" = "$(echo $MODS)" ]; }

todo=" $VERSIONS"
if [ -z "${FORCE:-}" ]; then
  todo=""; for v in $VERSIONS; do installed "$v" && modules_ok "$v" || todo="$todo $v"; done
  if [ -z "$todo" ]; then
    for v in $VERSIONS; do log "nginx $v present in $OPT/nginx-$v"; done
    exit 0
  fi
fi
if [ "$(id -u)" != 0 ]; then
  log "not root: nginx$todo not installed (the per-version oracle tests will skip and say so)"
  exit 0
fi
mkdir -p "$B"/{src,deb,apt/etc,apt/lists/partial,apt/cache/archives/partial}

# bookworm build tools
need=()
for p in build-essential libpcre2-dev libssl-dev zlib1g-dev patchelf dpkg-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi

# private apt state for the newer suites, on the archive the system already uses
URI=$(awk '/^URIs:/{u=$2} /^Suites:/{ if ($0 !~ /-security/ && u != "") { print u; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$URI" ] || URI=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$URI" ] || { log "no Debian archive URI in /etc/apt"; exit 1; }
SL=$B/apt/etc/sources.list
for s in $SUITES; do printf 'deb [signed-by=%s] %s %s main\ndeb-src [signed-by=%s] %s %s main\n' "$KEYRING" "$URI" "$s" "$KEYRING" "$URI" "$s"; done > "$SL"
A=(-o Dir::Etc::sourcelist="$SL" -o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists="$B/apt/lists"
   -o Dir::Cache="$B/apt/cache" -o APT::Sandbox::User=root)
if [ -z "$(find "$B/apt/lists" -maxdepth 1 -name '*Sources*' -mmin -1440 2>/dev/null)" ]; then
  log "apt-get update (private state: $SUITES)"; apt-get "${A[@]}" update >/dev/null
fi

# version of binary package $2 in suite $1
suite_ver() { apt-cache "${A[@]}" madison "$2" 2>/dev/null | awk -F' [|] ' -v s="$1" '$3 ~ (" "s"/") && $3 ~ /Packages/ { gsub(/ /, "", $2); print $2; exit }'; }
# download the given packages of suite $1 into the current directory; print the .deb names
fetch_debs() {
  local s=$1 p v f; shift
  for p in "$@"; do
    v=$(suite_ver "$s" "$p"); [ -n "$v" ] || { log "  (no $p in $s)"; continue; }
    f=$(ls "${p}_${v/:/%3a}"_*.deb 2>/dev/null | head -1 || true)
    [ -n "$f" ] || { apt-get "${A[@]}" download "$p=$v" >/dev/null 2>&1 || { log "  (download of $p=$v failed)"; continue; }
      f=$(ls "${p}_${v/:/%3a}"_*.deb | head -1); }
    echo "$f"
  done
}
# give PREFIX/sbin/nginx the glibc (and libraries) unpacked in $2: interpreter + rpath
private_runtime() {
  local P=$1 X=$2
  mkdir -p "$P/lib"; cp -a "$X"/usr/lib/x86_64-linux-gnu/*.so* "$P/lib/"
  cp -L "$X/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$P/lib/" 2>/dev/null || cp -L "$X/usr/lib64/ld-linux-x86-64.so.2" "$P/lib/"
  patchelf --set-interpreter "$P/lib/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$P/lib" "$P/sbin/nginx"
}

build_source() { # VERSION DEBVER PREFIX -> 1 when the tarball is not served
  local v=$1 dv=$2 P=$3 W=$B/nginx-$1 line u f h
  if [ ! -x "$W/configure" ]; then
    cd "$B/src"
    line=$(apt-get "${A[@]}" source --print-uris "nginx=$dv" 2>/dev/null | grep "^'.*\.orig\.tar\.gz'") || return 1
    u=$(echo "$line" | awk '{print $1}' | tr -d "'"); f=$(echo "$line" | awk '{print $2}'); h=$(echo "$line" | awk '{print $4}')
    [ -s "$f" ] || /usr/lib/apt/apt-helper download-file "$u" "$f" "$h" >/dev/null 2>&1 || { rm -f "$f"; return 1; }
    rm -rf "$W"; mkdir -p "$W"; tar xzf "$f" -C "$W" --strip-components=1
  fi
  cd "$W"
  log "nginx $v: configure + make from the upstream tarball of Debian $dv ($(nproc) jobs)"
  ./configure --prefix="$P" --error-log-path=stderr \
    --with-cc-opt="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS) -fPIC" \
    --with-ld-opt="$(dpkg-buildflags --get LDFLAGS) -Wl,-z,now -fPIC" \
    --with-compat --with-debug --with-pcre-jit --with-http_ssl_module --with-http_stub_status_module \
    --with-http_realip_module --with-http_auth_request_module --with-http_v2_module --with-http_v3_module \
    --with-http_dav_module --with-http_slice_module --with-threads --with-http_addition_module \
    --with-http_flv_module --with-http_gunzip_module --with-http_gzip_static_module --with-http_mp4_module \
    --with-http_random_index_module --with-http_secure_link_module --with-http_sub_module \
    --with-mail_ssl_module --with-stream_ssl_module --with-stream_ssl_preread_module \
    --with-stream_realip_module --with-mail=dynamic --with-stream=dynamic > "$B/configure-$v.log" 2>&1 \
    || { tail -20 "$B/configure-$v.log" >&2; exit 1; }
  make -j"$(nproc)" > "$B/make-$v.log" 2>&1 || { tail -30 "$B/make-$v.log" >&2; exit 1; }
  rm -rf "$P"; make install >> "$B/make-$v.log" 2>&1
  echo "source: upstream tarball of Debian $dv, Debian's configure flags" > "$P/ORIGIN"
}

install_binary() { # VERSION DEBVER PREFIX SUITE
  local v=$1 dv=$2 P=$3 s=$4 X=$B/deb/$4-root d
  log "nginx $v: Debian $s binary $dv with a private $s runtime"
  mkdir -p "$B/deb/$s"; cd "$B/deb/$s"
  rm -rf "$X"; mkdir -p "$X"
  for d in $(fetch_debs "$s" nginx nginx-common $RUNTIME); do dpkg-deb -x "$d" "$X"; done
  rm -rf "$P"; mkdir -p "$P"/{sbin,conf,logs,html}
  cp "$X/usr/sbin/nginx" "$P/sbin/nginx"
  cp -a "$X"/etc/nginx/. "$P/conf/" 2>/dev/null || true
  private_runtime "$P" "$X"
  echo "binary: Debian $s package nginx $dv + private runtime" > "$P/ORIGIN"
}

# load-test each module on top of those already accepted (ndk first, stream/mail before stream_*)
probe_modules() {
  local P=$1 T so b out; ok=(); bad=0
  T=$(mktemp -d /tmp/nginx-lint-probe.XXXXXX); ln -s "$P/modules" "$T/modules"; mkdir -p "$P/modules-unloadable"
  : > "$P/modules-unloadable/REASONS"
  for b in $(for so in "$P"/modules/*.so; do b=$(basename "$so")
      case $b in ndk_*) p=10;; ngx_stream_module.so|ngx_mail_module.so) p=20;; ngx_stream_*) p=70;; *) p=50;; esac
      echo "$p $b"; done | sort | awk '{print $2}'); do
    { for so in "${ok[@]}" "$b"; do echo "load_module modules/$so;"; done
      echo "events {} http { access_log off; client_body_temp_path $T/1; proxy_temp_path $T/2; fastcgi_temp_path $T/3; uwsgi_temp_path $T/4; scgi_temp_path $T/5; }"
    } > "$T/probe.conf"
    # a private mount namespace: nginx -t as root creates Debian's compiled-in temp dirs
    if out=$(LUA_PATH="$P/share/lua/5.1/?.lua;;" unshare --mount --net --fork -- bash -c 'for d in /var/lib/nginx /var/log/nginx; do
        [ -d "$d" ] && mount -t tmpfs tmpfs "$d"; done; exec "$@"' _ env -u NGINX timeout 20 "$P/sbin/nginx" -t -q -e stderr -p "$T/" -c "$T/probe.conf" -g "pid $T/nginx.pid;" 2>&1); then
      ok+=("$b")
    else
      mv "$P/modules/$b" "$P/modules-unloadable/"; bad=$((bad + 1))
      printf '%s\t%s\n' "$b" "$(echo "$out" | grep -m1 -E '\[(emerg|alert|crit)\]' | sed 's/^nginx: //')" >> "$P/modules-unloadable/REASONS"
    fi
  done
  rm -rf "$T"
}

install_modules() { # VERSION PREFIX SUITE
  local v=$1 P=$2 s=$3 X=$B/deb/$3-mods so d
  mkdir -p "$B/deb/$s" "$P/modules" "$P/share/lua/5.1"; cd "$B/deb/$s"
  rm -rf "$X"; mkdir -p "$X"
  for d in $(fetch_debs "$s" $MODS lua-resty-core lua-resty-lrucache); do dpkg-deb -x "$d" "$X"; done
  for so in "$X"/usr/lib/nginx/modules/*.so; do
    [ -e "$so" ] && [ ! -e "$P/modules/$(basename "$so")" ] && cp "$so" "$P/modules/"
  done
  cp -a "$X"/usr/share/lua/5.1/. "$P/share/lua/5.1/" 2>/dev/null || true
  [ -x "$P/lib/ld-linux-x86-64.so.2" ] && for so in "$P"/modules/*.so; do patchelf --force-rpath --set-rpath "$P/lib" "$so"; done
  probe_modules "$P"
  # the suite's modules may need its newer glibc (1.26.3's nchan, rtmp, njs want 2.38): give nginx that glibc
  if [ $bad -gt 0 ] && grep -q GLIBC_2 "$P/modules-unloadable/REASONS" && [ ! -e "$P/lib/ld-linux-x86-64.so.2" ]; then
    log "nginx $v: modules need $s's glibc: adding it in $P/lib"
    local L=$B/deb/$s-libc; rm -rf "$L"; mkdir -p "$L"
    for d in $(fetch_debs "$s" libc6); do dpkg-deb -x "$d" "$L"; done
    private_runtime "$P" "$L"
    mv "$P"/modules-unloadable/*.so "$P/modules/"
    for so in "$P"/modules/*.so; do patchelf --force-rpath --set-rpath "$P/lib" "$so"; done
    probe_modules "$P"
  fi
  echo $MODS > "$P/modules/.mods"
  log "nginx $v: ${#ok[@]} dynamic modules load, $bad in modules-unloadable/"
}

for v in $VERSIONS; do
  P=$OPT/nginx-$v; s=""; dv=""
  for x in $SUITES; do d=$(suite_ver "$x" nginx); case $d in "$v"-*) s=$x; dv=$d; break;; esac; done
  if [ -z "${FORCE:-}" ] && installed "$v"; then
    log "nginx $v: binary present in $P"
  else
    [ -n "$s" ] || { log "nginx $v is in none of: $SUITES"; exit 1; }
    build_source "$v" "$dv" "$P" || install_binary "$v" "$dv" "$P" "$s"
  fi
  if [ -n "${FORCE:-}" ] || ! modules_ok "$v"; then
    [ -n "$s" ] || { log "nginx $v is in none of: $SUITES (modules)"; exit 1; }
    install_modules "$v" "$P" "$s"
  fi
  installed "$v" || { log "nginx $v: $P/sbin/nginx does not run"; exit 1; }
  log "nginx $v: $P/sbin/nginx ($(head -1 "$P/ORIGIN"))"
done
