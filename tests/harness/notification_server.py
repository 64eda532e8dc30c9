"""A real freedesktop notification server on the harness's private session bus.

Owns org.freedesktop.Notifications and appends every Notify call to a JSON-lines
file (app name, replaces id, summary, body exactly as received, actions, hints,
timeout, the id it answered, and whether body-markup was advertised then), so
tests can assert what a user would have seen pop up.

Like GNOME Shell and KDE Plasma it advertises the `body-markup` capability: a
client must then escape &, < and > in bodies. Start it with
PARTWATCH_NOTIFICATIONS_BODY_MARKUP=0 to advertise plain bodies instead (as
e.g. some minimal servers do), or switch at run time with
  dbus-send --session --print-reply --dest=org.freedesktop.Notifications \
    /org/freedesktop/Notifications org.partwatch.TestControl.SetBodyMarkup boolean:false
(clients that cache the capabilities see the change only when they query again).

Tests play the user clicking a popup with the extra method
org.partwatch.TestControl.Invoke(id, action_key), which emits ActionInvoked:
  dbus-send --session --dest=org.freedesktop.Notifications \
    /org/freedesktop/Notifications org.partwatch.TestControl.Invoke uint32:1 string:default

Usage: /usr/bin/python3 notification_server.py LOG_FILE
"""

import json
import os
import signal
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


def plain(value):
    """dbus types -> JSON-friendly Python values."""
    if isinstance(value, (dbus.Dictionary, dict)):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (dbus.Array, list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dbus.Boolean, bool)):
        return bool(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.Int32, dbus.Int64, dbus.UInt16, dbus.UInt32, dbus.UInt64, int)):
        return int(value)
    if isinstance(value, (dbus.Double, float)):
        return float(value)
    return str(value)


class Notifications(dbus.service.Object):
    def __init__(self, bus, log_path, body_markup):
        super().__init__(bus, PATH)
        self.log_path = log_path
        self.next_id = 1
        self.body_markup = body_markup

    @dbus.service.method(BUS_NAME, in_signature="", out_signature="as")
    def GetCapabilities(self):
        capabilities = ["body", "actions", "icon-static", "persistence"]
        if self.body_markup:
            capabilities.append("body-markup")
        return capabilities

    @dbus.service.method(BUS_NAME, in_signature="", out_signature="ssss")
    def GetServerInformation(self):
        return ("partwatch-test-notifications", "Partwatch", "1.0", "1.2")

    @dbus.service.method(BUS_NAME, in_signature="susssasa{sv}i", out_signature="u")
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, timeout):
        if replaces_id:
            nid = int(replaces_id)
        else:
            nid = self.next_id
            self.next_id += 1
        record = {
            "id": nid,
            "app_name": str(app_name),
            "replaces_id": int(replaces_id),
            "app_icon": str(app_icon),
            "summary": str(summary),
            "body": str(body),
            "body_markup": self.body_markup,
            "actions": plain(actions),
            "hints": {k: v for k, v in plain(hints).items() if k != "image-data"},
            "timeout": int(timeout),
        }
        with open(self.log_path, "a") as f:
            f.write(json.dumps(record) + "\n")
        return nid

    @dbus.service.method(BUS_NAME, in_signature="u", out_signature="")
    def CloseNotification(self, nid):
        self.NotificationClosed(nid, 3)

    @dbus.service.signal(BUS_NAME, signature="uu")
    def NotificationClosed(self, nid, reason):
        pass

    @dbus.service.signal(BUS_NAME, signature="us")
    def ActionInvoked(self, nid, action_key):
        pass

    @dbus.service.method("org.partwatch.TestControl", in_signature="us", out_signature="")
    def Invoke(self, nid, action_key):
        self.ActionInvoked(nid, action_key)
        self.NotificationClosed(nid, 2)

    @dbus.service.method("org.partwatch.TestControl", in_signature="b", out_signature="")
    def SetBodyMarkup(self, advertised):
        self.body_markup = bool(advertised)


def main():
    log_path = sys.argv[1]
    open(log_path, "a").close()
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    name = dbus.service.BusName(BUS_NAME, bus, do_not_queue=True)
    setting = os.environ.get("PARTWATCH_NOTIFICATIONS_BODY_MARKUP", "").strip().lower()
    body_markup = setting not in ("0", "false", "no", "off")
    server = Notifications(bus, log_path, body_markup)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print(f"notifications: serving {BUS_NAME}, log {log_path}, body-markup {body_markup}", flush=True)
    loop.run()
    del name, server


if __name__ == "__main__":
    main()
