#!/usr/bin/python3
"""A third-party RTSP source for the recorder benchmark: GStreamer's RTSP
server (Debian's gstreamer1.0-rtsp, driven through python3-gi) serving N
cameras at rtsp://127.0.0.1:PORT/c0 .. /c{N-1}, each looping the same
H.264 Annex B clip the camera simulator loops, paced at the clip's frame
rate.

GStreamer packetizes and sends the way real cameras and their SDKs do: one
write per RTP packet, interleaved on the RTSP connection, as the pictures
are due. The simulator writes a whole picture's packets at once, which lets
a reader take a picture in one read; comparing the two shows how much of an
ingest's cost depends on that.

Each camera's pipeline is shared between its clients and made once, at its
first DESCRIBE. Prints "ready" on stdout once listening; then, for each line
read on stdin, prints how many pictures every camera has sent in all. Runs
until stdin closes or it is killed.

Usage: gst_rtsp_source.py --clip FILE.h264 --count N [--port P] [--fps 25]
"""

import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


FRAME_NS_PER_SECOND = 1_000_000_000


def access_units(data: bytes) -> list:
    """Splits an Annex B H.264 stream into access units: a unit ends where
    a parameter set, SEI or delimiter follows a picture's slices, or where
    a slice starts a new picture (first_mb_in_slice = 0)."""
    starts = []
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        starts.append(i + 3)
        i = data.find(b"\x00\x00\x01", i + 3)
    units, current, has_slice = [], [], False
    for n, begin in enumerate(starts):
        end = starts[n + 1] - 3 if n + 1 < len(starts) else len(data)
        nal = data[begin:end].rstrip(b"\x00")
        if not nal:
            continue
        kind = nal[0] & 0x1F
        is_slice = kind in (1, 5)
        starts_picture = is_slice and len(nal) > 1 and nal[1] & 0x80
        if has_slice and (not is_slice or starts_picture):
            units.append(b"".join(current))
            current, has_slice = [], False
        current.append(b"\x00\x00\x00\x01" + nal)
        has_slice = has_slice or is_slice
    if current:
        units.append(b"".join(current))
    return units


class Camera:
    """Feeds one camera's appsrc: the clip's access units in a loop, each
    stamped 1/fps after the one before, so time runs on across loops."""

    def __init__(self, units: list, fps: int):
        self.units = units
        self.frame = FRAME_NS_PER_SECOND // fps
        self.sent = 0

    def need_data(self, src, _length):
        unit = self.units[self.sent % len(self.units)]
        buffer = Gst.Buffer.new_wrapped(unit)
        buffer.pts = buffer.dts = self.sent * self.frame
        buffer.duration = self.frame
        self.sent += 1
        src.emit("push-buffer", buffer)


def launch_line(fps: int) -> str:
    """The media pipeline: access units from the script, timestamped, sent
    in real time (a live source), packetized with SPS/PPS before every
    keyframe as cameras do."""
    return (
        "( appsrc name=src is-live=true format=time do-timestamp=false "
        f"caps=video/x-h264,stream-format=byte-stream,alignment=au,framerate={fps}/1 "
        "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )"
    )


def configure(_factory, media, units, fps, cameras):
    """Gives a new camera pipeline its feeder."""
    camera = Camera(units, fps)
    cameras.append(camera)
    src = media.get_element().get_by_name("src")
    src.connect("need-data", camera.need_data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", required=True, help="H.264 Annex B clip to loop")
    parser.add_argument("--count", type=int, required=True, help="cameras to serve")
    parser.add_argument("--port", type=int, default=8654, help="RTSP port")
    parser.add_argument("--fps", type=int, default=25, help="the clip's frame rate")
    args = parser.parse_args()

    Gst.init(None)
    with open(args.clip, "rb") as f:
        units = access_units(f.read())
    if not units:
        print(f"no access units in {args.clip}", file=sys.stderr)
        return 1
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    cameras = []
    for i in range(args.count):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch_line(args.fps))
        factory.set_shared(True)
        factory.connect("media-configure", configure, units, args.fps, cameras)
        mounts.add_factory(f"/c{i}", factory)
    if server.attach(None) == 0:
        print(f"cannot listen on port {args.port}", file=sys.stderr)
        return 1
    loop = GLib.MainLoop()

    def answer(stream, _condition):
        if not stream.readline():
            loop.quit()
            return False
        print(sum(c.sent for c in cameras), flush=True)
        return True

    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, answer)
    print("ready", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
