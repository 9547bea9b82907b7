# Shell functions the image recipes share; sourced, not run.  The sourcing
# script defines log() and die().

# install_missing PKG...: installs with apt-get the Debian packages that are
# not installed yet (dpkg -s is fast and quiet); without root, fails naming
# them.
install_missing() {
	local p missing=()
	for p in "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	[ "$(id -u)" = 0 ] || die "missing packages: ${missing[*]} (run as root or apt-get install them)"
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}
