/**
 * The router-side half of safe apply: a POSIX sh helper, uploaded on stdin to a fixed path and run
 * with fixed arguments. Derived from /work/shared/lab/nft-safe-apply.sh (tested there on the netns
 * and VM labs), with these changes:
 *  - every piece of data (token, checksum, window, table list, ruleset) arrives on stdin, in a
 *    header line that the script validates with `case` patterns before using it;
 *  - the state directory is per network namespace (the ruleset is per netns, and lab routers in
 *    namespaces share one /tmp);
 *  - `tables` mode snapshots and restores only the tables the upload touches (OpenWrt fw4: never
 *    `flush ruleset` there, anchors.md §2 "OpenWrt fw4 caveat");
 *  - distinct exit codes, listed in SAFE_APPLY_EXIT.
 * Needs on the router: sh, nft, flock, setsid, sha256sum, sleep, cat, grep (busybox has them all
 * except possibly flock, see lab README gotcha 3).
 */
export const SAFE_APPLY_EXIT = {
  ok: 0,
  invalid: 1, // nft -c rejected the upload; nothing changed
  busy: 2, // another apply is awaiting confirmation
  notArmed: 3, // confirm/rollback: token not armed (already rolled back, or unknown)
  checksum: 4, // upload truncated or corrupted; nothing changed
  environment: 5, // missing tool or unsafe state directory
  snapshot: 6, // the live ruleset does not re-parse; refusing (cannot guarantee rollback)
  applyFailed: 7, // nft -f failed after a successful check; nothing changed, disarmed
  protocol: 64, // malformed header
} as const;

export const SAFE_APPLY_SCRIPT = `#!/bin/sh
# nft-offload safe-apply helper (uploaded by nftables-offload; do not edit, it is replaced on use).
#   apply    stdin: "NFTOFFLOAD1 TOKEN SHA256 SECONDS full|tables" [+ "TABLES fam name ..."] + ruleset
#   confirm  stdin: "TOKEN"   -> 0 kept, 3 not armed (already rolled back)
#   rollback stdin: "TOKEN"   -> roll back now
#   status   stdin: "TOKEN"   -> armed | confirmed | rolled-back | unknown
set -u
set -f
umask 077
B=/tmp/nft-offload
NS=$(readlink /proc/self/ns/net 2>/dev/null | tr -cd '0-9')
D="$B/state-\${NS:-default}"
if [ -L "$B" ] || [ -L "$D" ]; then echo "safe-apply: $B or $D is a symlink; refusing" >&2; exit 5; fi
mkdir -p "$D" && chmod 700 "$B" "$D" || exit 5
LOCK="$D/lock"
for c in nft flock setsid sha256sum; do
  command -v $c >/dev/null 2>&1 || { echo "safe-apply: '$c' missing on router" >&2; exit 5; }
done
is_hex() { case $1 in ''|*[!0-9a-f]*) return 1;; esac; [ \${#1} -eq "$2" ]; }
log() { echo "$(date +%s) $*" >> "$D/log"; }

case \${1:-} in
apply)
  read -r magic tok sha secs mode rest || { echo "safe-apply: no header" >&2; exit 64; }
  [ "$magic" = NFTOFFLOAD1 ] && [ -z "$rest" ] || { echo "safe-apply: bad header" >&2; exit 64; }
  is_hex "$tok" 32 && is_hex "$sha" 64 || { echo "safe-apply: bad token/checksum" >&2; exit 64; }
  case $secs in ''|*[!0-9]*) echo "safe-apply: bad window" >&2; exit 64;; esac
  [ "$secs" -ge 1 ] && [ "$secs" -le 86400 ] || { echo "safe-apply: bad window" >&2; exit 64; }
  tables=
  case $mode in
    full) ;;
    tables)
      read -r tag tables || exit 64
      [ "$tag" = TABLES ] || exit 64
      set -- $tables
      [ $(($# % 2)) -eq 0 ] && [ $# -gt 0 ] || { echo "safe-apply: bad table list" >&2; exit 64; }
      while [ $# -gt 0 ]; do
        case $1 in ip|ip6|inet|arp|bridge|netdev) ;; *) echo "safe-apply: bad family" >&2; exit 64;; esac
        case $2 in [A-Za-z_]*) ;; *) echo "safe-apply: bad table name" >&2; exit 64;; esac
        case $2 in *[!A-Za-z0-9_.-]*) echo "safe-apply: bad table name" >&2; exit 64;; esac
        shift 2
      done;;
    *) echo "safe-apply: bad mode" >&2; exit 64;;
  esac
  exec 9>"$LOCK"; flock 9
  if [ -e "$D/armed" ]; then echo "safe-apply: another apply is awaiting confirmation" >&2; exit 2; fi
  cat > "$D/$tok.new" || exit 4
  # NOTE: a dropped upload looks like EOF to cat; a truncated ruleset can still be valid nft
  # (lab README gotcha 10), so the checksum is the only proof that we got all of it.
  if [ "$(sha256sum < "$D/$tok.new" | cut -d' ' -f1)" != "$sha" ]; then
    echo "safe-apply: checksum mismatch (truncated upload?); nothing applied" >&2; rm -f "$D/$tok.new"; exit 4
  fi
  nft -c -f "$D/$tok.new" || { rm -f "$D/$tok.new"; exit 1; }
  if [ "$mode" = full ]; then
    { echo "flush ruleset"; nft list ruleset; } > "$D/$tok.snap" || exit 6
  else
    nft list tables > "$D/$tok.tables" || exit 6
    : > "$D/$tok.snap"
    set -- $tables
    while [ $# -gt 0 ]; do
      # "table X; delete table X" removes X whether or not it exists, then the listing restores it.
      printf 'table %s %s\\ndelete table %s %s\\n' "$1" "$2" "$1" "$2" >> "$D/$tok.snap"
      if grep -Fqx "table $1 $2" "$D/$tok.tables"; then nft list table "$1" "$2" >> "$D/$tok.snap" || exit 6; fi
      shift 2
    done
  fi
  nft -c -f "$D/$tok.snap" || { echo "safe-apply: snapshot of the live ruleset does not re-parse; refusing" >&2; exit 6; }
  echo "$tok" > "$D/armed"
  # Detached timer: own session, no inherited stdio and no lock fd, so it survives the SSH
  # connection dying and does not hold the lock while sleeping (lab README gotcha 11).
  setsid sh -c '
    sleep "$1"
    exec 9>"$2/lock"; flock 9
    if [ "$(cat "$2/armed" 2>/dev/null)" = "$3" ]; then
      if nft -f "$2/$3.snap"; then echo "$(date +%s) rolled-back $3 timer" >> "$2/log"; else echo "$(date +%s) rollback-failed $3" >> "$2/log"; fi
      rm -f "$2/armed"
    fi' timer "$secs" "$D" "$tok" </dev/null >/dev/null 2>&1 9>&- &
  echo $! > "$D/$tok.timerpid"
  if ! nft -f "$D/$tok.new"; then
    p=$(cat "$D/$tok.timerpid"); kill -TERM -"$p" 2>/dev/null || kill "$p" 2>/dev/null
    rm -f "$D/armed"; log "apply-failed $tok"; exit 7
  fi
  log "applied $tok window=$secs mode=$mode"
  echo "applied"
  ;;
confirm|rollback|status)
  read -r tok || exit 64
  is_hex "$tok" 32 || { echo "safe-apply: bad token" >&2; exit 64; }
  exec 9>"$LOCK"; flock 9
  if [ "$1" = status ]; then
    if [ "$(cat "$D/armed" 2>/dev/null)" = "$tok" ]; then echo armed
    elif grep -q " rolled-back $tok" "$D/log" 2>/dev/null; then echo rolled-back
    elif grep -q " confirmed $tok" "$D/log" 2>/dev/null; then echo confirmed
    elif grep -q " rollback-failed $tok" "$D/log" 2>/dev/null; then echo rollback-failed
    else echo unknown; fi
    exit 0
  fi
  if [ "$(cat "$D/armed" 2>/dev/null)" != "$tok" ]; then echo "safe-apply: not armed (rolled back or unknown)" >&2; exit 3; fi
  if [ "$1" = rollback ]; then nft -f "$D/$tok.snap" || exit 1; fi
  rm -f "$D/armed"
  p=$(cat "$D/$tok.timerpid" 2>/dev/null)
  [ -n "$p" ] && { kill -TERM -"$p" 2>/dev/null || kill "$p" 2>/dev/null; }
  if [ "$1" = rollback ]; then log "rolled-back $tok requested"; echo rolled-back; else log "confirmed $tok"; echo confirmed; fi
  ;;
*) echo "usage: safe-apply apply|confirm|rollback|status (data on stdin)" >&2; exit 64;;
esac
`;
