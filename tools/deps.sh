#!/bin/sh
# The packages stimg needs, for the Makefile:
#
#   sh tools/deps.sh check MODULE:DEBIAN:FEDORA:HOMEBREW:MSYS2...
#       one line for each pkg-config module that is missing, naming its
#       package on each system; exits 1 when one is (make, make install)
#   sh tools/deps.sh install PACKAGE...
#       on Debian, installs the packages that are not installed yet with
#       apt-get, as root or through sudo, and says which (make deps)
set -u
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

check() {
	if ! command -v "$PKG_CONFIG" >/dev/null 2>&1; then
		echo "stimg: $PKG_CONFIG not found: install pkg-config (Debian)," \
			"pkgconf-pkg-config (Fedora), pkgconf (Homebrew) or" \
			"mingw-w64-x86_64-pkgconf (MSYS2), or run 'make deps' on Debian" >&2
		return 1
	fi
	missing=0
	for d in "$@"; do
		# module:debian:fedora:homebrew:msys2
		IFS=: read -r m deb fed brew msys <<-END
		$d
		END
		"$PKG_CONFIG" --exists "$m" && continue
		echo "stimg: library '$m' not found by $PKG_CONFIG: install $deb" \
			"(Debian), $fed (Fedora), $brew (Homebrew) or $msys (MSYS2)," \
			"or run 'make deps' on Debian" >&2
		missing=1
	done
	return $missing
}

install() {
	if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
		echo "make deps: not Debian; install these or your system's" \
			"packages of them yourself: $*" >&2
		return 0
	fi
	missing=
	for p in "$@"; do
		dpkg -s "$p" 2>/dev/null | grep -q '^Status: .* installed$' ||
			missing="$missing $p"
	done
	if [ -z "$missing" ]; then
		echo "make deps: all installed:" "$@"
		return 0
	fi
	if [ "$(id -u)" = 0 ]; then
		sudo=
	elif command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		echo "make deps: not root and no sudo; as root run:" \
			"apt-get install$missing" >&2
		return 1
	fi
	echo "make deps: installing$missing (apt-get install, Debian)"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086  # one word per package
	$sudo apt-get update -qq &&
		$sudo apt-get install -y -qq --no-install-recommends $missing
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
check) check "$@" ;;
install) install "$@" ;;
*) echo "usage: tools/deps.sh check|install ARGS..." >&2; exit 2 ;;
esac
