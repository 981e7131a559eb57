#!/usr/bin/env bash
# Installs mxcp as a systemd service the way the operational guide lays it out: the `mxcp` system user,
# /opt/mxcp/{data,audit,drift,logs} owned by it, /etc/mxcp with a 0600 config and environment file, and
# the units from config/systemd/. Run as root from the repository: sudo scripts/install-systemd.sh
# Options: --dry-run (print the commands only), --no-start (install and enable, do not start).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
run=()
dry=false
start=true
for a in "$@"; do
  case "$a" in
    --dry-run) dry=true ;;
    --no-start) start=false ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
do_() { if $dry; then echo "+ $*"; else "$@"; fi; }
if ! $dry && [ "$(id -u)" -ne 0 ]; then echo "run as root (sudo $0)" >&2; exit 1; fi

id mxcp >/dev/null 2>&1 || do_ useradd -r -s /bin/false -d /opt/mxcp mxcp
do_ mkdir -p /opt/mxcp/data /opt/mxcp/audit /opt/mxcp/drift /opt/mxcp/logs /etc/mxcp
do_ chown -R mxcp:mxcp /opt/mxcp
if [ ! -e /etc/mxcp/config.yml ]; then do_ install -m 0600 -o mxcp -g mxcp /dev/null /etc/mxcp/config.yml; fi
if [ ! -e /etc/mxcp/environment ]; then do_ install -m 0600 -o mxcp -g mxcp "$here/config/systemd/environment.example" /etc/mxcp/environment; fi
for unit in mxcp.service mxcp@.service mxcp-log-cleanup.service mxcp-log-cleanup.timer; do
  do_ install -m 0644 "$here/config/systemd/$unit" "/etc/systemd/system/$unit"
done
do_ systemctl daemon-reload
do_ systemctl enable mxcp.service mxcp-log-cleanup.timer
if $start; then do_ systemctl start mxcp.service mxcp-log-cleanup.timer; fi
