#!/usr/bin/env bash
# Builds Partwatch's Debian package, target/package/partwatch_VERSION_ARCH.deb:
# the release binary in /usr/bin, a desktop entry that opens partwatch://
# links (src-tauri/packaging/partwatch.desktop), the icons, and dependencies
# computed from the libraries the binary links (dpkg-shlibdeps), plus the
# tray's AppIndicator library, which is loaded at run time.
# Prints the package's path last. About 15 minutes from a clean target dir.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

bash src-tauri/scripts/setup.sh
bash src-tauri/scripts/build-ui.sh
echo "==> Building the release binary"
cargo build --release --bin partwatch

version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' tauri.conf.json)
arch=$(dpkg --print-architecture)
name="partwatch_${version}_${arch}"
out="$root/target/package"
stage="$out/$name"
echo "==> Assembling $name.deb"
rm -rf "$stage" "$out/shlibs"
install -D -m 0755 target/release/partwatch "$stage/usr/bin/partwatch"
strip --strip-unneeded "$stage/usr/bin/partwatch"
install -D -m 0644 src-tauri/packaging/partwatch.desktop "$stage/usr/share/applications/partwatch.desktop"
install -D -m 0644 src-tauri/packaging/copyright "$stage/usr/share/doc/partwatch/copyright"
install -D -m 0644 icons/32x32.png "$stage/usr/share/icons/hicolor/32x32/apps/partwatch.png"
install -D -m 0644 icons/128x128.png "$stage/usr/share/icons/hicolor/128x128/apps/partwatch.png"
install -D -m 0644 icons/128x128@2x.png "$stage/usr/share/icons/hicolor/256x256/apps/partwatch.png"
install -D -m 0644 icons/icon.png "$stage/usr/share/icons/hicolor/512x512/apps/partwatch.png"
install -D -m 0644 icons/icon.svg "$stage/usr/share/icons/hicolor/scalable/apps/partwatch.svg"

# dpkg-shlibdeps reads the libraries the binary needs and the packages that
# ship them; it wants a debian/control to stand in.
mkdir -p "$out/shlibs/debian"
printf 'Source: partwatch\n\nPackage: partwatch\nArchitecture: any\n' > "$out/shlibs/debian/control"
shlibs=$(cd "$out/shlibs" && dpkg-shlibdeps -O "$stage/usr/bin/partwatch" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
if [ -z "$shlibs" ]; then
  echo "dpkg-shlibdeps found no dependencies of the binary" >&2
  exit 1
fi
depends="$shlibs, libayatana-appindicator3-1"

mkdir -p "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: partwatch
Version: $version
Architecture: $arch
Maintainer: Partwatch developers <maintainers@partwatch.invalid>
Installed-Size: $(du -sk "$stage/usr" | cut -f1)
Depends: $depends
Recommends: gnome-keyring
Section: utils
Priority: optional
Description: Low-stock alerts for your parts inventory
 Partwatch keeps a parts inventory (categories, template parts and variants,
 stock items, bills of materials and build orders) and tells the people who
 watch a part, once and at once, when it runs short: in the app, as a desktop
 popup, by email and through Slack, Discord or other webhooks. One person
 works on a SQLite file; a team shares a PostgreSQL database.
CONTROL

rm -f "$out/$name.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out/$name.deb" >/dev/null
rm -rf "$stage" "$out/shlibs"
echo "==> Built $out/$name.deb"
echo "$out/$name.deb"
