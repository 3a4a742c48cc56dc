//! Replies from vendor NVRs: every Hikvision ISAPI and Dahua RPC2 reply
//! reader on whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_devices::{dahua, hikvision};

fuzz_target!(|data: &[u8]| {
    let rtsp = url::Url::parse("rtsp://192.0.2.1:554/").unwrap();
    for status in [200, 403, 404, 500] {
        if let Ok(Some(root)) = hikvision::read_reply(status, data) {
            let _ = hikvision::read_device_info(&root);
            let listed = hikvision::read_channels(&root, "InputProxyChannel");
            let status = hikvision::read_channel_status(&root);
            let _ = hikvision::read_rtsp_port(&root);
            let _ = hikvision::channels(&listed, &status, &rtsp);
        }
        if let Ok(reply) = dahua::read_reply(status, data) {
            let _ = dahua::read_challenge(&reply);
            let p = &reply.params;
            let _ = (dahua::read_device_type(p), dahua::read_serial(p), dahua::read_software_version(p));
            let _ = (dahua::read_machine_name(p), dahua::read_rtsp_port(p));
            let states = dahua::read_camera_states(p);
            if let Ok(titles) = dahua::read_channel_titles(p) {
                let _ = dahua::channels(&titles, &states, &rtsp);
            }
        }
    }
});
