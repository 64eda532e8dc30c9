"""A minimal StatusNotifierItem host for screenshots under Xvfb.

Xvfb has no panel, so nothing shows Partwatch's tray icon. This finds the
app's StatusNotifierItem on the session bus (libayatana-appindicator's
/org/ayatana/NotificationItem/<id>), reads its real menu over
com.canonical.dbusmenu, and pops it up as a GTK menu beside the tray icon the
way a panel would, so `import -window root` can capture it.

Usage: /usr/bin/python3 tray_host.py   (inside tests/harness/with-services.sh)
"""

import sys

import logging

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
import dbus  # noqa: E402

logging.disable(logging.ERROR)  # dbus-python logs every object that is not a tray item

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import Gdk, GdkPixbuf, GLib, Gtk  # noqa: E402

ROOT = "/org/ayatana/NotificationItem"


def find_item(bus):
    proxy = bus.get_object("org.freedesktop.DBus", "/org/freedesktop/DBus")
    for name in proxy.ListNames(dbus_interface="org.freedesktop.DBus"):
        if not str(name).startswith(":"):
            continue
        try:
            xml = bus.get_object(name, ROOT, introspect=False).Introspect(
                dbus_interface="org.freedesktop.DBus.Introspectable", timeout=2
            )
        except dbus.DBusException:
            continue
        for line in str(xml).splitlines():
            line = line.strip()
            if line.startswith('<node name="'):
                child = line.split(chr(34))[1]
                if not child.startswith("/"):
                    return name, f"{ROOT}/{child}"
    return None, None


def build(menu, children):
    for child in children:
        _, props, grandchildren = child
        if props.get("type") == "separator":
            menu.append(Gtk.SeparatorMenuItem())
            continue
        item = Gtk.MenuItem(label=str(props.get("label", "")))
        item.set_sensitive(bool(props.get("enabled", True)))
        if grandchildren:
            sub = Gtk.Menu()
            build(sub, grandchildren)
            item.set_submenu(sub)
        menu.append(item)


def main():
    bus = dbus.SessionBus()
    name, path = find_item(bus)
    if name is None:
        print("tray_host: no StatusNotifierItem on the bus", file=sys.stderr)
        sys.exit(1)
    _, layout = bus.get_object(name, f"{path}/Menu").GetLayout(
        0, -1, ["label", "enabled", "type"], dbus_interface="com.canonical.dbusmenu"
    )
    window = Gtk.Window(title="Panel")
    window.set_decorated(False)
    window.move(1040, 0)
    window.set_default_size(360, 36)
    bar = Gtk.Box(spacing=8)
    bar.set_halign(Gtk.Align.END)
    icon_name = str(bus.get_object(name, path).Get("org.kde.StatusNotifierItem", "IconName",
                                                    dbus_interface="org.freedesktop.DBus.Properties"))
    icon_path = str(bus.get_object(name, path).Get("org.kde.StatusNotifierItem", "IconThemePath",
                                                    dbus_interface="org.freedesktop.DBus.Properties"))
    try:
        pixbuf = GdkPixbuf.Pixbuf.new_from_file_at_size(f"{icon_path}/{icon_name}.png", 24, 24)
        bar.pack_start(Gtk.Image.new_from_pixbuf(pixbuf), False, False, 6)
    except GLib.Error:
        bar.pack_start(Gtk.Label(label="Partwatch"), False, False, 6)
    window.add(bar)
    window.show_all()
    menu = Gtk.Menu()
    build(menu, layout[2])
    menu.show_all()

    def pop():
        # As if the icon had been clicked: GTK wants the triggering event.
        event = Gdk.Event.new(Gdk.EventType.BUTTON_PRESS)
        event.button.window = bar.get_window()
        event.button.button = 1
        event.button.time = Gtk.get_current_event_time()
        event.set_device(Gdk.Display.get_default().get_default_seat().get_pointer())
        menu.popup_at_widget(bar, Gdk.Gravity.SOUTH_EAST, Gdk.Gravity.NORTH_EAST, event)
        return False

    print(f"tray_host: showing the menu of {name} {path}", flush=True)
    GLib.timeout_add(300, pop)
    GLib.timeout_add(8000, Gtk.main_quit)
    Gtk.main()


if __name__ == "__main__":
    main()
